"""Atom feeds of published changes: the whole wiki, and one per book."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from notes import selectors
from notes.models import Book
from notes.permissions import read_required


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Chapterwise: recent changes"
    subtitle = "Every published change, newest first."

    def link(self):
        return reverse("notes:recent")

    def items(self):
        return selectors.changelog(newest_first=True, limit=50)

    def item_title(self, entry):
        return entry.summary

    def item_description(self, entry):
        approver = f", approved by {entry.approver.get_username()}" if entry.approver else ""
        return f"{entry.book.title} · {entry.target}{approver}"

    def item_link(self, entry):
        # The fragment keeps entry ids unique when one page changed several times.
        return f"{entry.url}#version-{entry.target.replace(' ', '-')}-{entry.history_id}"

    def item_pubdate(self, entry):
        return entry.date

    def item_author_name(self, entry):
        return entry.author.get_username() if entry.author else None


class BookChangelogFeed(RecentChangesFeed):
    def get_object(self, request, book_slug: str):
        return get_object_or_404(Book, slug=book_slug)

    def title(self, book):
        return f"{book.title}: changelog"

    def link(self, book):
        return reverse("notes:book-changelog", kwargs={"book_slug": book.slug})

    def items(self, book):
        return selectors.changelog(book=book, newest_first=True, limit=50)


recent_feed = read_required(RecentChangesFeed())
book_changelog_feed = read_required(BookChangelogFeed())
