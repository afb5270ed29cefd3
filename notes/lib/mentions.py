"""``@username`` mentions in rendered comment HTML.

Mentions are linked after ``notes.lib.markup.render_markdown`` has sanitized the comment, so
the Markdown renderer stays the one renderer. The HTML is walked with the standard
library's parser and only text outside links, code and preformatted blocks is touched;
the result goes through the same sanitizer again, so a mention link is an ordinary
relative ``<a href>`` that nh3 lets through and nothing else can slip in.
"""

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

from notes.lib.markup import sanitize

# Django usernames are letters, digits and @ . + - _ ; a mention stops at '@' so an
# e-mail address is not taken for one, and must not follow a word character.
MENTION_RE = re.compile(r"(?<![\w@./+-])@([\w.+-]*\w)")
_SKIPPED_ELEMENTS = {"a", "code", "pre"}


def find_mentions(html: str) -> list[str]:
    """Usernames mentioned in the text of ``html`` (outside links and code), each once, in order."""
    names: dict[str, None] = {}
    _MentionRewriter(lambda name: names.setdefault(name)).run(html)
    return list(names)


def link_mentions(html: str, url_for: Callable[[str], str | None]) -> str:
    """Return ``html`` with each ``@name`` for which ``url_for(name)`` gives a URL linked to it."""
    return sanitize(_MentionRewriter(url_for).run(html))


class _MentionRewriter(HTMLParser):
    def __init__(self, url_for: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=False)
        self.url_for = url_for
        self.output: list[str] = []
        self.skipping = 0

    def run(self, html: str) -> str:
        self.feed(html)
        self.close()
        return "".join(self.output)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_ELEMENTS:
            self.skipping += 1
        self.output.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.output.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in _SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1
        self.output.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            self.output.append(data)
            return
        self.output.append(MENTION_RE.sub(self._link, data))

    def handle_entityref(self, name):
        self.output.append(f"&{name};")

    def handle_charref(self, name):
        self.output.append(f"&#{name};")

    def handle_comment(self, data):
        # nh3 strips comments; nothing to keep.
        pass

    def _link(self, match: re.Match) -> str:
        name = match.group(1)
        url = self.url_for(name)
        if not url:
            return match.group(0)
        return f'<a href="{escape(url)}">@{escape(name)}</a>'
