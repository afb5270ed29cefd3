"""Atom feeds of published changes: the whole wiki, and one per book.

Everything a user wrote goes through ``_text``: XML 1.0 cannot carry most control
characters (Django refuses to write them, so one such summary would turn the feed into a
server error for everyone), and the entry summary is ``type="html"``, which feed readers
render as HTML, so it is escaped for HTML too.
"""

import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from notes import selectors
from notes.models import Book
from notes.permissions import read_required

_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    """``value`` with the control characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_IN_XML.sub("\ufffd", value)


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Chapterwise: recent changes"
    subtitle = "Every published change, newest first."

    def link(self):
        return reverse("notes:recent")

    def items(self):
        return selectors.changelog(newest_first=True, limit=50)

    def item_title(self, entry):
        return _text(entry.summary)

    def item_description(self, entry):
        approver = f", approved by {entry.approver.get_username()}" if entry.approver else ""
        # Atom's summary is type="html": escape, so a book title like "<img ...>" stays text.
        return escape(_text(f"{entry.book.title} · {entry.target}{approver}"))

    def item_link(self, entry):
        # The fragment keeps entry ids unique when one page changed several times.
        return f"{entry.url}#version-{entry.target.replace(' ', '-')}-{entry.history_id}"

    def item_pubdate(self, entry):
        return entry.date

    def item_author_name(self, entry):
        return _text(entry.author.get_username()) if entry.author else None


class BookChangelogFeed(RecentChangesFeed):
    def get_object(self, request, book_slug: str):
        return get_object_or_404(Book, slug=book_slug)

    def title(self, book):
        return _text(f"{book.title}: changelog")

    def link(self, book):
        return reverse("notes:book-changelog", kwargs={"book_slug": book.slug})

    def items(self, book):
        return selectors.changelog(book=book, newest_first=True, limit=50)


recent_feed = read_required(RecentChangesFeed())
book_changelog_feed = read_required(BookChangelogFeed())
