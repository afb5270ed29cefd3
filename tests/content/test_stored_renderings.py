"""History, compare and review pages read HTML stored when the content was written: they never
run the Markdown renderer per request, and a huge chapter gives bounded pages."""

import pytest
from markdown_it import MarkdownIt

from notes.lib import diffs
from notes.lib.markup import render_markdown
from notes.models import ChangeRequest, Chapter
from notes.selectors.reviews import chapter_tables_as_of
from notes.services.reviews import change_request_approve, change_request_revise
from tests.factories import propose_chapter_edit, propose_table_edit

pytestmark = pytest.mark.django_db

HISTORY = "/books/test-book/chapters/1/history/"


@pytest.fixture
def no_rendering(monkeypatch):
    """Fail loudly if anything renders Markdown while the fixture is active."""

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was rendered during the request")

    def activate():
        monkeypatch.setattr(MarkdownIt, "render", refuse)
        monkeypatch.setattr(MarkdownIt, "renderInline", refuse)

    return activate


def publish_body(editor, reviewer, chapter, body):
    request = propose_chapter_edit(editor, chapter, body)
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    return Chapter.history.filter(id=chapter.pk).latest("history_id")


def test_the_request_page_shows_the_stored_rendering_without_rendering(
    client_for, editor, reviewer, chapter, no_rendering
):
    request = propose_chapter_edit(editor, chapter, "Notes with **bold** words.\n[[table:table-1]]\n")
    assert request.rendered_revision == request.revision == 1
    no_rendering()
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "<strong>bold</strong>" in page
    assert 'id="table-table-1"' in page  # the chapter's table, rendered in with it
    assert "<ins>" in page  # the stored diff


def test_a_revision_renders_the_new_text_and_its_diff_again(client_for, editor, reviewer, chapter):
    request = propose_chapter_edit(editor, chapter, "First try.\n")
    request.status = ChangeRequest.Status.CHANGES_REQUESTED
    request.save(update_fields=["status"])
    revised = change_request_revise(
        change_request=request,
        user=editor,
        summary="Second",
        content={"title": chapter.title, "body": "Second _try_.\n"},
    )
    assert revised.rendered_revision == 2
    assert "<em>try</em>" in revised.rendered_html and "First" not in revised.rendered_html
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "<em>try</em>" in page


def test_a_request_stored_without_renderings_gets_them_on_first_view_once(
    client_for, editor, reviewer, chapter, no_rendering
):
    request = propose_chapter_edit(editor, chapter, "An *old* request.\n")
    ChangeRequest.objects.filter(pk=request.pk).update(rendered_html="", rendered_revision=None)
    assert "<em>old</em>" in client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert ChangeRequest.objects.get(pk=request.pk).rendered_revision == 1
    no_rendering()  # stored now: the next view renders nothing
    assert "<em>old</em>" in client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()


def test_a_published_table_change_refreshes_the_open_requests_of_its_chapter(
    client_for, editor, reviewer, chapter, django_capture_on_commit_callbacks
):
    waiting = propose_chapter_edit(editor, chapter, "Still here.\n[[table:table-1]]\n")
    table = chapter.tables.get(slug="table-1")
    cells = propose_table_edit(editor, table, [["Speed", "quicker", "slow"]], summary="New cells")
    with django_capture_on_commit_callbacks(execute=True):
        assert change_request_approve(change_request=cells, reviewer=reviewer).published
        # Expired after the commit: the publishing transaction holds the chapter's lock.
        assert ChangeRequest.objects.get(pk=waiting.pk).rendered_revision == 1
    assert ChangeRequest.objects.get(pk=waiting.pk).rendered_revision is None
    page = client_for(reviewer).get(f"/reviews/{waiting.pk}/").content.decode()
    assert "quicker" in page


def test_an_old_version_is_shown_from_its_stored_html_with_the_tables_of_its_time(
    client_for, editor, reviewer, chapter, no_rendering
):
    first = publish_body(editor, reviewer, chapter, "Version *two*.\n[[table:table-1]]\n")
    publish_body(editor, reviewer, chapter, "Version three.\n")
    no_rendering()
    page = client_for(reviewer).get(f"{HISTORY}?version={first.history_id}").content.decode()
    assert "<em>two</em>" in page and 'id="table-table-1"' in page


def test_every_stored_version_matches_its_text_rendered_with_the_tables_of_its_time(
    editor, reviewer, chapter
):
    publish_body(editor, reviewer, chapter, "One.\n[[table:table-1]]\n")
    table = chapter.tables.get(slug="table-1")
    cells = propose_table_edit(editor, table, [["A", "b", "c"]], title="Renamed", summary="Cells")
    assert change_request_approve(change_request=cells, reviewer=reviewer).published
    publish_body(editor, reviewer, chapter, "Two.\n[[table:table-1]]\n")
    rows = Chapter.history.filter(id=chapter.pk).order_by("history_id")[1:]  # after the factory's
    for row in rows:
        tables = chapter_tables_as_of(chapter=chapter, moment=row.history_date)
        assert row.body_html == render_markdown(row.body, tables)


def test_comparing_two_versions_computes_the_diff_once(client_for, editor, reviewer, chapter, monkeypatch):
    old = publish_body(editor, reviewer, chapter, "Alpha beta.\n")
    new = publish_body(editor, reviewer, chapter, "Alpha gamma.\n")
    calls = []
    real = diffs.inline_word_diff
    monkeypatch.setattr(
        "notes.services.renderings.inline_word_diff", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    url = f"{HISTORY}?from={old.history_id}&to={new.history_id}"
    for _ in range(3):
        page = client_for(reviewer).get(url).content.decode()
        assert "<del>beta.</del><ins>gamma.</ins>" in page
    assert calls == [1]


def short_lines(count: int, word: str = "line") -> str:
    return "".join(f"{word} {number}\n" for number in range(count))


def test_a_megabyte_chapter_gives_a_review_page_under_5_mb(client_for, editor, reviewer, chapter):
    body = short_lines(90_000)  # about 1 MB of short lines
    assert 900_000 < len(body.encode()) <= 1024 * 1024
    request = propose_chapter_edit(editor, chapter, body)
    response = client_for(reviewer).get(f"/reviews/{request.pk}/")
    assert response.status_code == 200
    assert len(response.content) < 5 * 1024 * 1024
    assert "The diff is too long to show in full" in response.content.decode()


def test_the_diff_of_two_huge_versions_is_cut_with_a_notice_and_keeps_its_first_changes():
    old = short_lines(50_000)
    new = short_lines(50_000, word="row")  # every line changed
    inline = diffs.inline_word_diff(old, new)
    side = diffs.side_by_side_diff(old, new, old_label="old", new_label="new")
    for html in (inline, side):
        assert len(html) < diffs.MAX_INLINE_CHARACTERS * 2
        assert "The diff is too long to show in full" in html
    assert inline.startswith("<del>line 0\nline 1\n") and "<ins>row 0\nrow 1\n" in inline
    assert side.count("<tr") <= diffs.MAX_SIDE_BY_SIDE_ROWS + 2


def test_a_long_unchanged_stretch_folds_to_a_count_without_its_text():
    old = short_lines(20_000)
    new = old.replace("line 10000\n", "line ten thousand\n")
    inline = diffs.inline_word_diff(old, new)
    assert "<del>10000</del><ins>ten thousand</ins>" in inline
    assert "⋯ 9997 unchanged lines" in inline
    assert len(inline) < 2_000


def test_words_are_matched_only_inside_changed_lines():
    old = "Same line.\nThe quick fox.\nAnother same line.\n"
    new = "Same line.\nThe slow fox.\nAnother same line.\nAn added line.\n"
    assert diffs.inline_word_diff(old, new) == (
        "Same line.\nThe <del>quick</del><ins>slow</ins> fox.\nAnother same line.\n<ins>An added line.\n</ins>"
    )


def test_the_live_preview_of_a_text_past_its_bound_says_so_instead_of_rendering(
    client_for, editor, chapter, no_rendering
):
    no_rendering()
    body = short_lines(20_000)  # about 200 KB
    response = client_for(editor).post("/preview/markdown/", {"content": body})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The live preview shows texts up to 160 KB; this one is 203 KB." in page
    assert "line 0" not in page


# --- Rendered diffs and review rounds: stored at write time too ---------------------------------


def test_the_rendered_diff_of_a_request_is_stored_and_shown_without_rendering(
    client_for, editor, reviewer, chapter, no_rendering
):
    request = propose_chapter_edit(editor, chapter, "Notes for chapter 1, **rewritten**.\nThe end.\n")
    assert "<ins>" in request.rendered_diff_html and "<strong>" in request.rendered_diff_html
    no_rendering()
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert request.rendered_diff_html in page
    assert 'name="diff-view" value="rendered" checked' in page  # one default everywhere


def test_the_compare_page_shows_a_rendered_diff_by_default_without_rendering(
    client_for, editor, reviewer, reader, chapter, no_rendering
):
    first = Chapter.history.filter(id=chapter.pk).latest("history_id")
    second = publish_body(editor, reviewer, chapter, "Notes for chapter 1.\n\n## A new heading\n")
    no_rendering()
    page = (
        client_for(reader).get(f"{HISTORY}?from={first.history_id}&to={second.history_id}").content.decode()
    )
    assert 'name="diff-view" value="rendered" checked' in page
    assert '<ins><h2 id="a-new-heading">A new heading</h2></ins>' in page


def test_a_revision_after_a_review_stores_the_changes_since_the_reviewed_revision(
    client_for, editor, reviewer, chapter, no_rendering
):
    from notes.services.reviews import change_request_request_changes

    request = propose_chapter_edit(editor, chapter, "First try.\n")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="More", revision=1)
    request.refresh_from_db()
    revised = change_request_revise(
        change_request=request,
        user=editor,
        summary="Second",
        content={"title": chapter.title, "body": "Second try.\n"},
        submit=False,
    )
    assert (revised.reviewed_revision, revised.reviewed_body) == (1, "First try.\n")
    assert revised.since_review_diff_html == "<del>First</del><ins>Second</ins> try.\n"
    # A second revision without a review in between still shows changes since revision 1.
    twice = change_request_revise(
        change_request=revised,
        user=editor,
        summary="Third",
        content={"title": chapter.title, "body": "Third try.\n"},
    )
    assert twice.reviewed_revision == 1 and twice.revision == 3
    no_rendering()
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "Changes since revision 1" in page
    assert '<strong>Revision 1</strong> · reviewer · <span class="verdict">Request changes</span>' in page


def test_a_request_never_reviewed_shows_no_changes_since_a_revision(client_for, editor, reviewer, chapter):
    request = propose_chapter_edit(editor, chapter, "First try.\n", submit=False)
    revised = change_request_revise(
        change_request=request,
        user=editor,
        summary="Second",
        content={"title": chapter.title, "body": "Two.\n"},
    )
    assert revised.reviewed_revision is None and revised.since_review_diff_html == ""
    assert (
        "Changes since revision" not in client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    )
