"""Approval renders the chapter before it locks any row, and publishes exactly what a
render under the lock would have made; a text that moved on meanwhile is rendered again."""

import pytest

from notes.lib.markup import render_markdown
from notes.models import ChangeRequest, Chapter
from notes.services import history, reviews
from notes.services.history import chapter_footnotes, chapter_render, save_version
from notes.services.reviews import change_request_approve, change_request_create
from tests.concurrency import calls_in_order
from tests.factories import make_table, propose_chapter_edit, propose_table_edit

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind
BODY = "# Columns\n\nSee https://example.com/columns and [[table:speeds]].\n\n[[table:speeds]]\n"


@pytest.fixture
def events(monkeypatch):
    """The order in which approval renders chapters and locks the request's row."""
    return calls_in_order(monkeypatch, render=(history, "render_markdown"), lock=(reviews, "_locked"))


def rendered_now(chapter: Chapter) -> tuple[str, list]:
    fresh = Chapter.objects.get(pk=chapter.pk)
    chapter_render(fresh)
    return fresh.body_html, fresh.contents


def test_a_chapter_edit_is_rendered_once_before_the_lock(chapter, editor, reviewer, events):
    make_table(chapter=chapter, slug="speeds")
    request = propose_chapter_edit(editor, chapter, BODY)
    events.clear()
    change_request_approve(change_request=request, reviewer=reviewer)
    assert events == ["render", "lock"]
    published = Chapter.objects.get(pk=chapter.pk)
    assert (published.body_html, published.contents) == rendered_now(chapter)
    assert 'href="https://example.com/columns"' in published.body_html


def test_a_chapter_that_moved_on_is_merged_and_rendered_again_under_the_lock(
    chapter, editor, reviewer, events
):
    chapter.body = "First line.\n\nSecond line.\n"
    save_version(chapter)
    request = propose_chapter_edit(editor, chapter, "First line, edited.\n\nSecond line.\n")
    chapter.body = "First line.\n\nSecond line, edited elsewhere.\n"
    chapter_render(chapter)
    save_version(chapter)
    events.clear()
    outcome = change_request_approve(change_request=request, reviewer=reviewer)
    assert outcome.merged
    assert events == ["render", "lock", "render"]
    published = Chapter.objects.get(pk=chapter.pk)
    assert "First line, edited." in published.body_html and "edited elsewhere" in published.body_html
    assert published.body_html == render_markdown(published.body, footnote_prefix=chapter_footnotes(1))


def test_a_table_edit_renders_its_chapter_before_the_lock(chapter, editor, reviewer, events):
    table = make_table(chapter=chapter, slug="speeds")
    chapter.body = "Intro\n\n[[table:speeds]]\n"
    chapter_render(chapter)
    save_version(chapter)
    request = propose_table_edit(editor, table, [["Speed", "faster", "slower"]])
    events.clear()
    change_request_approve(change_request=request, reviewer=reviewer)
    assert events == ["render", "lock"]
    published = Chapter.objects.get(pk=chapter.pk)
    assert "faster" in published.body_html
    assert (published.body_html, published.contents) == rendered_now(chapter)


def test_a_new_chapter_and_a_new_table_are_rendered_before_the_lock(book, chapter, editor, reviewer, events):
    new_chapter = change_request_create(
        author=editor,
        book=book,
        kind=Kind.CHAPTER_NEW,
        summary="Chapter 9",
        content={"number": 9, "title": "Nine", "body": BODY},
        submit=True,
    )
    events.clear()
    change_request_approve(change_request=new_chapter, reviewer=reviewer)
    assert events == ["render", "lock"]
    nine = Chapter.objects.get(book=book, number=9)
    assert (nine.body_html, nine.contents) == rendered_now(nine)

    new_table = change_request_create(
        author=editor,
        book=book,
        chapter=nine,
        kind=Kind.TABLE_NEW,
        summary="A table",
        content={"slug": "speeds", "title": "Speeds", "headers": ["A", "B"], "rows": [["1", "2"]]},
        submit=True,
    )
    events.clear()
    change_request_approve(change_request=new_table, reviewer=reviewer)
    assert events == ["render", "lock"]
    nine = Chapter.objects.get(pk=nine.pk)
    assert "Missing comparison table" not in nine.body_html and "<td>1</td>" in nine.body_html
    assert (nine.body_html, nine.contents) == rendered_now(nine)
