"""`make bench`: time and count the queries of the pages and writes the issues name figures for.

Not part of `make test` (pytest's testpaths is tests/): it measures, it does not judge.
Each figure is the median of repeated requests through Django's test client against a
throwaway database (SQLite by default, PostgreSQL when DATABASE_URL points at one), with
everything written through the service functions, as the site writes it. The numbers are
printed as a table at the end (run with -s to see progress as it goes).
"""

import statistics
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest, Chapter
from notes.services.discussions import comment_post
from notes.services.history import chapter_render, save_version
from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_thread, make_user, paragraphs
from tests.factories import propose_chapter_edit as propose

REPEAT = 15
RESULTS: list[tuple[str, str, str]] = []


def measure(client: Client, url: str, repeat: int = REPEAT) -> tuple[int, float]:
    """Queries of one request and the median milliseconds of ``repeat`` requests."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    # Counted now: the next request's request_started signal empties the query log.
    queries = len(context.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(timings)


def record(what: str, queries: int | str, milliseconds: float) -> None:
    RESULTS.append((what, str(queries), f"{milliseconds:.1f}"))
    print(f"  {what}: {queries} queries, {milliseconds:.1f} ms")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chapter_of_paragraphs(slug: str, count: int) -> Chapter:
    """The one chapter of a new book, published with ``count`` paragraphs."""
    chapter = make_book(slug=slug, chapters=1).chapters.get()
    chapter.body = paragraphs(count)
    chapter_render(chapter)
    save_version(chapter, summary=f"{count} paragraphs")
    return chapter


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    width = max(len(what) for what, _, _ in RESULTS)
    print(f"\n\nChapterwise benchmark on {connection.vendor} (median of {REPEAT} requests)\n")
    print(f"{'measure'.ljust(width)}  queries  ms (median)")
    for what, queries, milliseconds in RESULTS:
        print(f"{what.ljust(width)}  {queries.rjust(7)}  {milliseconds.rjust(11)}")


@pytest.mark.django_db
def test_reading_pages():
    reader = make_user("bench-reader", role="Reader")
    for chapters, tables in ((3, 1), (50, 3)):
        book = make_book(slug=f"bench-{chapters}", chapters=chapters, tables=tables)
        for label, client in (("anonymous", Client()), ("signed in", signed_in(reader))):
            record(f"book page, {chapters} chapters, {label}", *measure(client, book.get_absolute_url()))
        chapter = book.chapters.get(number=1)
        record(f"chapter page, {tables} tables", *measure(Client(), chapter.get_absolute_url()))
    record("changelog, 50 chapters", *measure(Client(), "/books/bench-50/changelog/"))
    record("search over 53 chapters", *measure(Client(), "/search/?q=chapter"))
    record("recent changes", *measure(Client(), "/recent/"))


@pytest.mark.django_db
def test_a_thread_of_1000_comments():
    book = make_book(slug="bench-discussion", chapters=1)
    chapter = book.chapters.get()
    reader, other = make_user("bench-reader", role="Reader"), make_user("bench-other", role="Reader")
    for size in (10, 1000):
        thread = make_thread(chapter=chapter, author=reader, title=f"{size} comments")
        start = time.perf_counter()
        parents = [None]
        for index in range(1, size):
            comment = comment_post(
                thread=thread,
                author=other if index % 2 else reader,
                body=f"Comment {index} of {size}, with **Markdown**.",
                parent_id=parents[index % len(parents)],
            )
            if index % 4 == 1:
                parents.append(comment.pk)
        posting = (time.perf_counter() - start) * 1000 / max(size - 1, 1)
        if size == 1000:
            record("posting a comment (service, 1,000-comment thread)", "-", posting)
        url = f"{chapter.get_absolute_url()}discussion/{thread.pk}/"
        record(f"thread page, {size} comments, anonymous", *measure(Client(), url))
        record(f"thread page, {size} comments, signed in", *measure(signed_in(reader), url))
        if size == 1000:
            record("thread page 20 of 20, signed in", *measure(signed_in(reader), f"{url}?page=20"))


@pytest.mark.django_db
def test_the_review_queue_and_one_request():
    chapter = chapter_of_paragraphs("bench-reviews", 400)
    editor, reviewer = make_user("bench-editor", role="Editor"), make_user("bench-reviewer", role="Reviewer")
    for index in range(300):
        last = propose(
            editor, chapter, paragraphs(400, {index: f"Paragraph {index}, revised."}), f"Edit {index}"
        )
    client = signed_in(reviewer)
    record("review queue, 300 submitted", *measure(client, "/reviews/"))
    record("change request page, 400-paragraph diff", *measure(client, f"/reviews/{last.pk}/"))
    requests = list(ChangeRequest.objects.filter(status=ChangeRequest.Status.SUBMITTED).order_by("pk")[:20])
    timings = []
    for change_request in requests:
        start = time.perf_counter()
        outcome = change_request_approve(change_request=change_request, reviewer=reviewer)
        timings.append((time.perf_counter() - start) * 1000)
        assert outcome.published
    record("approve and publish (each merges, 20 in a row)", "-", statistics.median(timings))
    record("chapter history, 21 versions", *measure(client, f"{chapter.get_absolute_url()}history/"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_twenty_approvals_at_once_on_one_chapter():
    chapter = chapter_of_paragraphs("bench-race", 20)
    editor = make_user("bench-editor", role="Editor")
    reviewers = [make_user(f"bench-reviewer-{index}", role="Reviewer") for index in range(20)]
    requests = [
        propose(editor, chapter, paragraphs(20, {index: f"Paragraph {index}, revised."}), f"Change {index}")
        for index in range(20)
    ]
    versions = Chapter.history.filter(id=chapter.pk).count()
    barrier = threading.Barrier(20)
    errors: list[Exception] = []

    def approve(change_request, reviewer):
        try:
            barrier.wait(timeout=30)
            change_request_approve(change_request=change_request, reviewer=reviewer)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(requests, reviewers, strict=True)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = (time.perf_counter() - start) * 1000
    assert not errors, errors
    written = Chapter.history.filter(id=chapter.pk).count() - versions
    chapter.refresh_from_db()
    kept = sum(f"Paragraph {index}, revised." in chapter.body for index in range(20))
    record(
        f"20 approvals at once on one chapter ({written} versions, {kept}/20 edits kept), wall", "-", elapsed
    )
