"""The benchmark's wiki: books, chapters, tables, a long history, requests, a long thread.

Written with bulk inserts (each object with its history row, as the site's own writes
leave them), except where the point is the site's own write path (the measured change
request and the thread's comments go through the services). Markdown is rendered once
per shape and numbered by substitution: rendering 4,000 chapters one by one would take
longer than measuring them. Growing is incremental: building ``team`` on top of
``small`` adds what is missing, so the same pages can be counted at both sizes.
"""

import datetime
import sys
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from notes.lib.domains import domain_slugs_key
from notes.lib.markup import render_markdown, render_table
from notes.lib.placeholders import table_placeholder
from notes.models import Book, ChangeRequest, Chapter, Comment, ComparisonTable, Review, Thread
from notes.services.discussions import comment_post, thread_start
from notes.services.reviews import change_request_create
from notes.services.search import search_reindex

Status = ChangeRequest.Status


@dataclass(frozen=True)
class Scale:
    books: int
    chapters_per_book: int
    hot_versions: int  # versions of the one chapter with a long history
    requests: int
    comments: int
    users: int


SCALES = {
    "small": Scale(books=3, chapters_per_book=4, hot_versions=20, requests=40, comments=50, users=10),
    "team": Scale(
        books=200, chapters_per_book=20, hot_versions=10_000, requests=2_000, comments=1_000, users=50
    ),
    "large": Scale(
        books=500, chapters_per_book=20, hot_versions=30_000, requests=6_000, comments=3_000, users=200
    ),
    # The team's wiki grown to 1,000 books and nothing else: what grows with the books shows.
    "thousand": Scale(
        books=1_000, chapters_per_book=20, hot_versions=10_000, requests=2_000, comments=1_000, users=50
    ),
}
TABLES_PER_CHAPTER = 2
COOL_VERSIONS = 10  # the chapter whose history is compared with the long one
PASSWORD = "benchmark"  # noqa: S105 - the throwaway database's users

# About 5 KB of notes: headings, lists, emphasis, a link, code and two tables.
_BODY = """## Why chapter CHAPTERNUM of book BOOKNUM matters

These notes cover **replication** and partitioning as the book BOOKNUM explains them in chapter CHAPTERNUM,
with the trade-offs a team meets when it runs such a system: topicTOPIC, latency, durability and cost.

{table1}

### Key ideas
- Leaders and followers: writes go to the leader, reads may go to any follower.
- Synchronous versus asynchronous replication: durability against latency.
- Replication lag: read-your-writes, monotonic reads, consistent prefix reads.
- Multi-leader setups: conflict resolution, last write wins, custom merge.
- Leaderless replication: quorums, sloppy quorums, hinted handoff, read repair.

### Partitioning
Partitioning by key range keeps scans cheap but invites hot spots; partitioning by hash
spreads the load but loses the order. Secondary indexes are *local* (by document) or
*global* (by term), and rebalancing moves partitions between nodes without moving too
much data at once. See [the paper](https://example.com/paper-BOOKNUM-CHAPTERNUM) for the proofs.

{table2}

### Questions for the group
1. When does a team accept eventual consistency?
2. Which of these guarantees does our own system give, and where is it written down?
3. How would we notice replication lag in production before a user does?

```text
leader  -> follower-1 (sync)
leader  -> follower-2 (async)
```

> A system is only as consistent as the weakest read path it exposes.

""" + "\n".join(
    f"Line {index} of the notes on chapter CHAPTERNUM: column-wise storage, encoding and evolution, "
    f"batch and stream processing, and the future of data systems."
    for index in range(25)
)


def _numbered(text: str, book: int, chapter: int) -> str:
    return (
        text.replace("BOOKNUM", str(book))
        .replace("CHAPTERNUM", str(chapter))
        .replace("TOPIC", str(book * chapter % 97))
    )


class Progress:
    """A one-line progress bar on stderr: ``label [#####     ] 512/1000``."""

    def __init__(self, label: str, total: int, *, stream=None):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr

    def advance(self, count: int = 1) -> None:
        before = 100 * self.done // self.total
        self.done = min(self.done + count, self.total)
        if 100 * self.done // self.total == before and self.done < self.total:
            return  # redraw once a percent, not once an item
        filled = 30 * self.done // self.total
        self.stream.write(
            f"\r  {self.label:<28} [{'#' * filled}{' ' * (30 - filled)}] {self.done}/{self.total}"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def build(scale: Scale, *, stream=None) -> dict:
    """Grow the database to ``scale``; returns the objects the measured pages are about."""
    users = _users(scale.users, stream)
    books = _books(scale, users, stream)
    first = books[0]
    hot = first.chapters.get(number=1)
    cool = first.chapters.get(number=2)
    _versions(hot, scale.hot_versions, users, stream)
    _versions(cool, COOL_VERSIONS, users, stream)
    requests = _requests(scale.requests, users, stream)
    thread = _thread(first.chapters.get(number=3), scale.comments, users, stream)
    # The bulk writes went past the services that keep search documents current.
    stream_write = (stream or sys.stderr).write
    stream_write("  search index ...\n")
    search_reindex()
    return {
        "users": users,
        "book": first,
        "hot": hot,
        "cool": cool,
        "request": requests,
        "thread": thread,
    }


def _users(count: int, stream) -> dict:
    User = get_user_model()
    have = User.objects.filter(username__startswith="bench-").count()
    password = make_password(PASSWORD)
    roles = ["Reader", "Editor", "Reviewer", "Moderator"]
    new = [
        User(username=f"bench-{index}", password=password, email=f"bench-{index}@example.com")
        for index in range(have, count)
    ]
    User.objects.bulk_create(new)
    for role in roles:
        group = Group.objects.get_or_create(name=role)[0]
        members = User.objects.filter(username__in=[user.username for user in new])
        group.user_set.add(
            *[
                user
                for index, user in enumerate(members.order_by("id"))
                if index % len(roles) == roles.index(role)
            ]
        )
    Progress("users", count, stream=stream).advance(count)
    by_name = {user.username: user for user in User.objects.filter(username__startswith="bench-")}
    return {
        "reader": by_name["bench-0"],
        "editor": by_name["bench-1"],
        "reviewer": by_name["bench-2"],
        "all": list(by_name.values()),
    }


def _domains(number: int) -> str:
    """Half the books name two domains, half another: a domain page holds hundreds of books."""
    return "Databases, Distributed Systems" if number % 2 else "Machine Learning"


def _books(scale: Scale, users: dict, stream) -> list[Book]:
    progress = Progress("books, chapters, tables", scale.books, stream=stream)
    have = Book.objects.filter(slug__startswith="bench-book-").count()
    progress.advance(have)
    table_slugs = [f"comparison-{index}" for index in range(1, TABLES_PER_CHAPTER + 1)]
    body = _BODY.format(table1=table_placeholder(table_slugs[0]), table2=table_placeholder(table_slugs[1]))
    headers = ["Aspect", "Row-wise CHAPTERNUM", "Column-wise BOOKNUM"]
    rows = [[f"Aspect {row}", f"**row** {row} of CHAPTERNUM", f"column {row} of BOOKNUM"] for row in range(8)]
    template_tables = [
        ComparisonTable(
            slug=slug, title=f"Comparison {index} of chapter CHAPTERNUM", headers=headers, rows=rows
        )
        for index, slug in enumerate(table_slugs, start=1)
    ]
    table_html = [render_table(table) for table in template_tables]
    body_html = render_markdown(body, {table.slug: table for table in template_tables})
    summary = "Notes on book BOOKNUM: *replication*, partitioning and the rest."
    summary_html = render_markdown(summary)
    date = timezone.now() - datetime.timedelta(days=30)
    user = users["editor"]
    for start in range(have, scale.books, 20):
        numbers = range(start + 1, min(start + 20, scale.books) + 1)
        with transaction.atomic():
            books = bulk_create_with_history(
                [
                    Book(
                        slug=f"bench-book-{number}",
                        title=f"Benchmark book {number:04d}",
                        author="A. Writer",
                        domains=_domains(number),
                        domain_slugs=domain_slugs_key(_domains(number)),
                        summary=summary.replace("BOOKNUM", str(number)),
                        summary_html=summary_html.replace("BOOKNUM", str(number)),
                    )
                    for number in numbers
                ],
                Book,
                default_user=user,
                default_change_reason="Added the book",
                default_date=date,
            )
            books = list(Book.objects.filter(slug__in=[book.slug for book in books]).order_by("id"))
            chapters = bulk_create_with_history(
                [
                    Chapter(
                        book=book,
                        number=chapter,
                        title=f"Chapter title {chapter}",
                        body=_numbered(body, number, chapter),
                        body_html=_numbered(body_html, number, chapter),
                    )
                    for book, number in zip(books, numbers, strict=True)
                    for chapter in range(1, scale.chapters_per_book + 1)
                ],
                Chapter,
                default_user=user,
                default_change_reason="Added notes",
                default_date=date,
            )
            chapters = Chapter.objects.filter(book__in=books).select_related("book")
            tables = []
            for chapter in chapters:
                number = int(chapter.book.slug.rpartition("-")[2])
                for position, (template, html) in enumerate(zip(template_tables, table_html, strict=True)):
                    tables.append(
                        ComparisonTable(
                            chapter=chapter,
                            slug=template.slug,
                            title=_numbered(template.title, number, chapter.number),
                            headers=[_numbered(cell, number, chapter.number) for cell in headers],
                            rows=[[_numbered(cell, number, chapter.number) for cell in row] for row in rows],
                            position=position,
                            html=_numbered(html, number, chapter.number),
                        )
                    )
            bulk_create_with_history(tables, ComparisonTable, default_user=user, default_date=date)
        progress.advance(len(numbers))
    return list(Book.objects.filter(slug__startswith="bench-book-").order_by("id"))


def _versions(chapter: Chapter, count: int, users: dict, stream) -> None:
    """Give ``chapter`` ``count`` published versions, each a little different."""
    History = Chapter.history.model
    have = History.objects.filter(id=chapter.pk).count()
    progress = Progress(f"versions of chapter {chapter.number}", count, stream=stream)
    progress.advance(have)
    start = timezone.now() - datetime.timedelta(days=20)
    batch = []
    for number in range(have + 1, count + 1):
        extra = f"\n\nRevision {number}: one more line of notes."
        batch.append(
            History(
                id=chapter.pk,
                book_id=chapter.book_id,
                number=chapter.number,
                title=chapter.title,
                body=chapter.body + extra,
                body_html=chapter.body_html + f"<p>Revision {number}: one more line of notes.</p>",
                history_date=start + datetime.timedelta(seconds=number),
                history_type="~",
                history_change_reason=f"Revision {number}",
                history_user=users["editor"],
            )
        )
        if len(batch) == 1000:
            History.objects.bulk_create(batch)
            progress.advance(len(batch))
            batch = []
    History.objects.bulk_create(batch)
    progress.advance(len(batch) or 0)
    latest = History.objects.filter(id=chapter.pk).latest("history_id")
    # The live chapter is its newest version; its history rows are already written above.
    chapter.body, chapter.body_html = latest.body, latest.body_html
    chapter.save_without_historical_record(update_fields=["body", "body_html"])


_STATES = [Status.SUBMITTED] * 4 + [
    Status.DRAFT,
    Status.CHANGES_REQUESTED,
    Status.CONFLICT,
    Status.APPROVED,
    Status.REJECTED,
    Status.WITHDRAWN,
]


def _requests(count: int, users: dict, stream) -> ChangeRequest:
    """``count`` requests in every state; the measured one is written by the service."""
    progress = Progress("change requests", count, stream=stream)
    measured = ChangeRequest.objects.filter(summary="The measured request").first()
    if measured is None:
        chapter = Chapter.objects.get(book__slug="bench-book-1", number=4)
        measured = change_request_create(
            author=users["editor"],
            book=chapter.book,
            chapter=chapter,
            kind=ChangeRequest.Kind.CHAPTER_EDIT,
            summary="The measured request",
            content={
                "title": chapter.title,
                "body": chapter.body.replace("Leaders and followers", "Leaders, followers"),
            },
            submit=True,
        )
    have = ChangeRequest.objects.count()
    progress.advance(have)
    chapters = list(Chapter.objects.order_by("id").values_list("id", "book_id", flat=False)[:500])
    stored = {
        name: getattr(measured, name) for name in ("rendered_html", "inline_diff_html", "side_by_side_html")
    }
    editors = [user for user in users["all"] if user.pk != users["reviewer"].pk]
    for start in range(have, count, 500):
        batch = []
        for index in range(start, min(start + 500, count)):
            chapter_id, book_id = chapters[index % len(chapters)]
            batch.append(
                ChangeRequest(
                    kind=ChangeRequest.Kind.CHAPTER_EDIT,
                    book_id=book_id,
                    chapter_id=chapter_id,
                    author=editors[index % len(editors)],
                    summary=f"Edit {index} of the notes",
                    status=_STATES[index % len(_STATES)],
                    title="Chapter title",
                    body=measured.body,
                    base_history_id=measured.base_history_id,
                    rendered_revision=1,
                    **stored,
                )
            )
        with transaction.atomic():
            made = ChangeRequest.objects.bulk_create(batch)
            Review.objects.bulk_create(
                Review(
                    change_request=request,
                    reviewer=users["reviewer"],
                    verdict=Review.Verdict.REQUEST_CHANGES,
                    comment="Please say where this comes from.",
                    revision=1,
                )
                for request in made
                if request.status != Status.DRAFT
            )
        progress.advance(len(batch))
    return measured


def _thread(chapter: Chapter, count: int, users: dict, stream):
    """One thread with ``count`` comments, posted through the service (replies nest)."""
    progress = Progress("comments of one thread", count, stream=stream)
    thread = Thread.objects.filter(chapter=chapter, title="The long discussion").first()
    if thread is None:
        thread = thread_start(
            chapter=chapter, author=users["reader"], title="The long discussion", body="Where to start?"
        )
    have = Comment.objects.filter(thread=thread).count()
    progress.advance(have)
    talkers = users["all"]
    parents = list(Comment.objects.filter(thread=thread, depth=0).values_list("pk", flat=True)[:50]) or [None]
    for index in range(have, count):
        comment = comment_post(
            thread=thread,
            author=talkers[index % len(talkers)],
            body=f"Comment {index}: a **point** about replication lag and @bench-{index % 7}.",
            parent_id=parents[index % len(parents)] if index % 3 else None,
        )
        if comment.depth == 0 and len(parents) < 50:
            parents.append(comment.pk)
        progress.advance()
    return thread
