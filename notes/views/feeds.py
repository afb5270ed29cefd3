"""Atom feeds: published changes of the whole wiki and of a book, the versions of one
chapter, and the comments of one thread.

Everything a user wrote goes through ``_text``: XML 1.0 cannot carry most control
characters (Django refuses to write them, so one such summary would turn the feed into a
server error for everyone), and the entry summary is ``type="html"``, which feed readers
render as HTML, so it is escaped for HTML too.
"""

import re

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from notes import permissions
from notes.models import Book
from notes.permissions import read_required
from notes.selectors import books as selectors
from notes.selectors import following as following_selectors
from notes.selectors.discussions import involved_thread_ids, thread_get

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
        partial = f" (partial: {entry.partial})" if entry.partial else ""
        # Atom's summary is type="html": escape, so a book title like "<img ...>" stays text.
        return escape(_text(f"{entry.book.title} · {entry.target}{partial}{approver}"))

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


class ChapterVersionsFeed(Feed):
    """The published versions of one chapter, newest first, each linking to that version."""

    feed_type = Atom1Feed

    def get_object(self, request, book_slug: str, number: int):
        return selectors.chapter_get(book_slug=book_slug, number=number)

    def title(self, chapter):
        return _text(f"{chapter.book.title}, {chapter}: versions")

    def subtitle(self, chapter):
        return "Every published version of the chapter, newest first."

    def link(self, chapter):
        return chapter.get_absolute_url()

    def items(self, chapter):
        # The feed object serves every request: what an item needs goes on the item.
        history = reverse(
            "notes:chapter-history", kwargs={"book_slug": chapter.book.slug, "number": chapter.number}
        )
        rows = following_selectors.chapter_versions(chapter=chapter)
        for row in rows:
            row.feed_book_title = chapter.book.title
            row.feed_url = f"{history}?version={row.history_id}"
        return rows

    def item_title(self, row):
        return _text(row.history_change_reason)

    def item_description(self, row):
        author = f" by {row.history_user.get_username()}" if row.history_user else ""
        return escape(_text(f"{row.feed_book_title} · Chapter {row.number} - {row.title}{author}"))

    def item_link(self, row):
        return row.feed_url

    def item_pubdate(self, row):
        return row.history_date

    def item_author_name(self, row):
        return _text(row.history_user.get_username()) if row.history_user else None


class ThreadCommentsFeed(Feed):
    """The comments of one thread that every reader sees (hidden and deleted ones left out),
    newest first. The comment's HTML is the sanitized HTML the thread page shows."""

    feed_type = Atom1Feed

    def get_object(self, request, book_slug: str, number: int, thread_id: int):
        thread = thread_get(thread_id=thread_id)
        if thread.chapter.book.slug != book_slug or thread.chapter.number != number:
            # A moved thread's feed lives at its new address only.
            raise Http404("This thread is not in that chapter.")
        is_involved = thread.pk in involved_thread_ids(user=request.user, thread_ids=[thread.pk])
        if permissions.thread_folded(request.user, thread, query=request.GET, is_involved=is_involved):
            # A reading group member has not read that far: the feed would spoil it.
            raise Http404("This thread is on a chapter beyond your reading progress.")
        return thread

    def title(self, thread):
        return _text(
            f"{thread.title}: discussion of {thread.chapter.book.title}, Chapter {thread.chapter.number}"
        )

    def subtitle(self, thread):
        return "The comments of the thread, newest first."

    def link(self, thread):
        return thread.get_absolute_url()

    def items(self, thread):
        return following_selectors.thread_feed_comments(thread=thread)

    def item_title(self, comment):
        return _text(f"{comment.author.get_username()} on {comment.created_at:%Y-%m-%d %H:%M}")

    def item_description(self, comment):
        return _text(comment.body_html)

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at

    def item_author_name(self, comment):
        return _text(comment.author.get_username())


recent_feed = read_required(RecentChangesFeed())
chapter_feed = read_required(ChapterVersionsFeed())
thread_feed = read_required(ThreadCommentsFeed())
book_changelog_feed = read_required(BookChangelogFeed())
