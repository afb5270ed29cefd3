"""Fixtures shared by the discussion tests (threads, comments, moderation, quotes).

Modules whose thread differs (its author, title or first comment) name it for what it is:
``racing_thread``, ``mentioning_thread``; following has ``watched_thread``, site
``existing_thread``.
"""

import pytest

from tests.factories import make_thread


@pytest.fixture
def thread(chapter, reader):
    """The reader's thread "Why columns?" on chapter 1, whose first comment is "First comment."."""
    return make_thread(chapter=chapter, author=reader, title="Why columns?", body="First comment.")
