#!/usr/bin/env python
"""Django's command-line utility for Chapterwise."""

import os
import sys

# Commands that only compare code with code: they read no secret and serve nothing, so a
# bare checkout runs them without the SECRET_KEY that start-up otherwise demands.
CODE_ONLY_COMMANDS = {"makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS and "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "1")  # the development key; nothing is served or signed
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
