"""The review workflow's pages: editor, preview, queue, request page, history, feeds."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest, Chapter, DiffComment, Review
from notes.selectors.books import latest_history_id
from notes.services.reviews import change_request_approve, change_request_create
from tests.factories import propose_chapter_edit as propose

Kind = ChangeRequest.Kind


def count_queries(client, url: str) -> int:
    """The queries of ``url`` after a warm-up request: the signed-in user's snapshot (roles,
    progress, watches, unseen count) is built once after each change to it, not per page."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


# --- Editing ------------------------------------------------------------------------------------


def test_the_editor_uses_the_markdownx_widget_posting_to_our_preview(client_for, editor, chapter):
    response = client_for(editor).get("/books/test-book/chapters/1/edit/")
    html = response.content.decode()
    assert 'class="markdownx editor"' in html
    assert f'data-markdownx-urls-path="/preview/markdown/?chapter={chapter.pk}"' in html
    assert "markdownx/js/markdownx" in html
    assert "data-markdownx-upload-urls-path" not in html
    assert f'name="base_version" value="{latest_history_id(Chapter, chapter.pk)}"' in html


def test_submitting_the_editor_creates_a_request_and_publishes_nothing(client_for, editor, chapter):
    response = client_for(editor).post(
        "/books/test-book/chapters/1/edit/",
        {
            "title": chapter.title,
            "body": "Brand new notes",
            "summary": "Added notes on feature stores",
            "base_version": latest_history_id(Chapter, chapter.pk),
            "action": "submit",
        },
    )
    request = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/reviews/{request.pk}/"
    assert (request.status, request.summary, request.body) == (
        "submitted",
        "Added notes on feature stores",
        "Brand new notes",
    )
    chapter.refresh_from_db()
    assert "Brand new notes" not in chapter.body


def test_saving_as_draft_keeps_the_request_a_draft(client_for, editor, chapter):
    client_for(editor).post(
        "/books/test-book/chapters/1/edit/",
        {"title": "T", "body": "x", "summary": "Draft", "action": "draft"},
    )
    assert ChangeRequest.objects.get().status == "draft"


def test_an_empty_summary_is_refused_with_a_message(client_for, editor, chapter):
    response = client_for(editor).post(
        "/books/test-book/chapters/1/edit/", {"title": "T", "body": "x", "summary": "", "action": "submit"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_body_over_one_megabyte_is_refused_by_the_page(client_for, editor, chapter):
    response = client_for(editor).post(
        "/books/test-book/chapters/1/edit/",
        {"title": "T", "body": "x" * (1024 * 1024 + 10), "summary": "Big", "action": "submit"},
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_table_grid_adds_rows_and_columns_without_saving(client_for, editor, chapter):
    client = client_for(editor)
    base = {
        "columns": "2",
        "rows": "1",
        "header-0": "A",
        "header-1": "B",
        "cell-0-0": "1",
        "cell-0-1": "2",
        "summary": "s",
    }
    response = client.post("/books/test-book/chapters/1/tables/table-1/edit/", {**base, "grid": "add-column"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="header-2"' in html and 'name="cell-0-2"' in html
    response = client.post("/books/test-book/chapters/1/tables/table-1/edit/", {**base, "grid": "add-row"})
    assert 'name="cell-1-1"' in response.content.decode()
    response = client.post(
        "/books/test-book/chapters/1/tables/table-1/edit/", {**base, "grid": "remove-column-0"}
    )
    assert 'name="header-1"' not in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_table_grid_submits_a_table_edit(client_for, editor, chapter):
    response = client_for(editor).post(
        "/books/test-book/chapters/1/tables/table-1/edit/",
        {
            "columns": "2",
            "rows": "1",
            "header-0": "A",
            "header-1": "B",
            "cell-0-0": "1",
            "cell-0-1": "2",
            "title": "T",
            "summary": "Reshaped the table",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.kind, request.headers, request.rows) == ("table_edit", ["A", "B"], [["1", "2"]])


def test_a_table_row_of_the_wrong_width_is_refused_by_the_page(client_for, editor, chapter):
    response = client_for(editor).post(
        "/books/test-book/chapters/1/tables/table-1/edit/",
        {
            "columns": "2",
            "rows": "1",
            "header-0": "A",
            "header-1": "B",
            "cell-0-0": "1",
            "summary": "s",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert "Row 1 has 1 cells but the table has 2 columns" in response.content.decode()
    assert not ChangeRequest.objects.exists()


TABLE_GRID = {"columns": "2", "rows": "1", "header-0": "A", "header-1": "B", "cell-0-0": "1", "cell-0-1": "2"}


def test_a_new_table_with_a_slug_the_chapter_has_is_refused_on_the_page(client_for, editor, chapter):
    client = client_for(editor)
    assert 'name="slug"' in client.get("/books/test-book/chapters/1/new-table/").content.decode()
    response = client.post(
        "/books/test-book/chapters/1/new-table/",
        {**TABLE_GRID, "slug": "table-1", "title": "Again", "summary": "Added a table", "action": "submit"},
    )
    assert response.status_code == 400
    assert "This chapter already has a table &#x27;table-1&#x27;." in response.content.decode()
    assert not ChangeRequest.objects.exists()
    response = client.post(
        "/books/test-book/chapters/1/new-table/",
        {**TABLE_GRID, "slug": "costs", "title": "Costs", "summary": "Added a table", "action": "draft"},
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get().status == "draft"


def test_the_author_revises_a_table_request_in_the_grid(client_for, editor, reviewer, chapter):
    client = client_for(editor)
    client.post(
        "/books/test-book/chapters/1/tables/table-1/edit/",
        {**TABLE_GRID, "title": "T", "summary": "Reshaped the table", "action": "submit"},
    )
    request = ChangeRequest.objects.get()
    client_for(reviewer).post(f"/reviews/{request.pk}/request-changes/", {"revision": 1, "comment": "More"})
    page = client.get(f"/reviews/{request.pk}/revise/").content.decode()
    assert '<textarea name="cell-0-1" rows="2" aria-label="Row 1, column 2" data-grow>2</textarea>' in page
    response = client.post(
        f"/reviews/{request.pk}/revise/",
        {**TABLE_GRID, "cell-0-1": "two", "title": "T", "summary": "Reshaped the table", "action": "submit"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.revision, request.rows) == ("submitted", 2, [["1", "two"]])


def test_input_the_database_cannot_hold_gets_a_message_not_a_server_error(client_for, editor, chapter):
    client = client_for(editor)
    response = client.post(
        "/books/test-book/chapters/1/tables/table-1/edit/",
        {**TABLE_GRID, "cell-0-1": "x\x00y", "title": "T", "summary": "s", "action": "submit"},
    )
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    response = client.post(
        "/books/test-book/chapters/new/",
        {"number": str(10**12), "title": "T", "body": "", "summary": "s", "action": "submit"},
    )
    assert response.status_code == 400
    assert f"Chapter numbers run from 1 to 9999; {10**12} is not one." in response.content.decode()
    response = client.post(
        "/books/test-book/chapters/1/edit/",
        {"title": "t" * 201, "body": "", "summary": "s", "action": "submit"},
    )
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_proposing_a_new_chapter_and_book_details(client_for, editor, book):
    client = client_for(editor)
    assert client.get("/books/test-book/chapters/new/").status_code == 200
    client.post(
        "/books/test-book/chapters/new/",
        {
            "number": 4,
            "title": "Deployment",
            "body": "Notes",
            "summary": "Added Chapter 4",
            "action": "submit",
        },
    )
    client.post(
        "/books/test-book/edit/",
        {
            "title": "Test Book",
            "book_author": "Someone",
            "book_domains": "ML",
            "body": "",
            "summary": "Author",
            "action": "submit",
        },
    )
    assert sorted(ChangeRequest.objects.values_list("kind", flat=True)) == ["book_edit", "chapter_new"]


# --- Preview ------------------------------------------------------------------------------------


def test_the_preview_renders_with_our_sanitizer_and_expands_the_chapters_tables(client_for, editor, chapter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/books/test-book/chapters/1/edit/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/preview/markdown/?chapter={chapter.pk}",
        # Browsers post form text with CRLF line ends.
        {
            "content": "**bold** <script>alert(1)</script>\r\n[[table:table-1]]\r\nend",
            "csrfmiddlewaretoken": token,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert '<figure class="comparison-table" id="table-table-1"' in html


def test_the_preview_refuses_posts_without_csrf(editor, chapter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post("/preview/markdown/", {"content": "x"}).status_code == 403


# --- Review pages -------------------------------------------------------------------------------


def test_the_queue_lists_buckets_with_counts_oldest_first(
    client_for, editor, other_editor, reviewer, chapter
):
    first = propose(editor, chapter, "one", "First change")
    propose(other_editor, chapter, "two", "Second change")
    html = client_for(reviewer).get("/reviews/").content.decode()
    assert html.index("First change") < html.index("Second change")
    assert 'Submitted <span class="badge">2</span>' in html
    assert 'Conflicts <span class="badge">0</span>' in html
    mine = client_for(editor).get("/reviews/?status=mine").content.decode()
    assert "First change" in mine and "Second change" not in mine
    assert f"/reviews/{first.pk}/" in mine


def test_a_long_queue_pages_oldest_first_without_counting_twice(
    client_for, editor, reviewer, chapter, django_assert_num_queries
):
    requests = [
        propose(editor, chapter, f"Text {index}\n", f"Change number {index:03d}") for index in range(53)
    ]
    client = client_for(reviewer)
    first = client.get("/reviews/").content.decode()
    assert "Change number 000" in first and "Change number 049" in first
    assert "Change number 050" not in first
    assert "Requests 1–50 of 53 · page 1 of 2" in first
    assert 'href="?status=submitted&amp;page=2">Newer →</a>' in first
    with django_assert_num_queries(PINNED_QUERIES["queue"]):
        second = client.get("/reviews/?page=2").content.decode()
    assert [f"/reviews/{r.pk}/" in second for r in requests[49:]] == [False, True, True, True]
    assert "Requests 51–53 of 53" in second
    assert (
        "Requests 51–53 of 53" in client.get("/reviews/?page=99").content.decode()
    )  # past the end: the last
    assert "page 1 of 2" in client.get("/reviews/?page=junk").content.decode()


def test_the_request_page_shows_word_and_side_by_side_diffs_and_the_result(
    client_for, editor, reviewer, chapter
):
    request = propose(
        editor, chapter, chapter.body.replace("Notes for chapter 1.", "Notes about **feature stores**.")
    )
    html = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "<del>for chapter 1.</del>" in html or "<del>for</del>" in html
    assert "<ins>" in html
    assert 'class="diff"' in html  # difflib's side-by-side table
    assert "<strong>feature stores</strong>" in html
    assert "Approve and publish" in html


def test_the_request_page_shows_table_changes_cell_by_cell(client_for, editor, reviewer, chapter):
    table = chapter.tables.get()
    request = change_request_create(
        author=editor,
        book=chapter.book,
        kind=Kind.TABLE_EDIT,
        table=table,
        summary="Faster",
        content={
            "title": table.title,
            "headers": table.headers,
            "rows": [["Speed", "faster", "slow"], ["Cost", "low", "high"]],
        },
        submit=True,
    )
    html = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert '<td class="cell-changed"><del>fast</del><ins>faster</ins></td>' in html
    assert "1 cell changed" in html


def test_approving_through_the_page_publishes_and_the_changelog_shows_author_and_approver(
    client_for, editor, reviewer, chapter
):
    request = propose(editor, chapter, "Approved text", "Added notes on feature stores")
    response = client_for(reviewer).post(f"/reviews/{request.pk}/approve/", {"revision": 1}, follow=True)
    assert "Approved and published." in response.content.decode()
    assert "Approved text" in client_for(None).get("/books/test-book/chapters/1/").content.decode()
    changelog = client_for(None).get("/books/test-book/changelog/").content.decode()
    assert "Added notes on feature stores" in changelog
    assert '<td data-label="Author">editor</td>\n      <td data-label="Approver">reviewer</td>' in changelog
    assert "approved by reviewer" in client_for(None).get("/recent/").content.decode()


def test_a_missing_request_is_a_404(client_for, reviewer):
    assert client_for(reviewer).get("/reviews/999/").status_code == 404
    assert client_for(reviewer).post("/reviews/999/approve/").status_code == 404


def test_request_changes_without_a_comment_shows_the_error(client_for, editor, reviewer, chapter):
    request = propose(editor, chapter, "x")
    response = client_for(reviewer).post(
        f"/reviews/{request.pk}/request-changes/", {"revision": 1, "comment": ""}, follow=True
    )
    assert "comment" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"


def test_the_author_revises_after_changes_requested(client_for, editor, reviewer, chapter):
    request = propose(editor, chapter, "x")
    client_for(reviewer).post(f"/reviews/{request.pk}/request-changes/", {"revision": 1, "comment": "More"})
    client = client_for(editor)
    assert client.get(f"/reviews/{request.pk}/revise/").status_code == 200
    client.post(
        f"/reviews/{request.pk}/revise/",
        {"title": chapter.title, "body": "better", "summary": "Edited", "action": "submit"},
    )
    request.refresh_from_db()
    assert (request.status, request.revision, request.body) == ("submitted", 2, "better")


# --- History ----------------------------------------------------------------------------------


def test_history_lists_views_and_compares_versions(client_for, editor, reviewer, reader, chapter):
    change_request_approve(change_request=propose(editor, chapter, "Second text"), reviewer=reviewer)
    first, second = Chapter.history.filter(id=chapter.pk).order_by("history_id")
    client = client_for(reader)
    listing = client.get("/books/test-book/chapters/1/history/").content.decode()
    assert "Edited the notes" in listing and '<td data-label="Approver">reviewer</td>' in listing
    version = client.get(f"/books/test-book/chapters/1/history/?version={first.history_id}").content.decode()
    assert "Notes for chapter 1." in version
    compare = client.get(
        f"/books/test-book/chapters/1/history/?from={first.history_id}&to={second.history_id}"
    ).content.decode()
    assert "<del>Notes</del><ins>Second</ins>" in compare


def test_the_history_list_reads_no_text_and_a_version_or_compare_reads_only_its_own(
    client_for, editor, reviewer, reader, chapter
):
    marker = "a long paragraph of notes " * 200
    for index in range(6):
        request = propose(editor, chapter, f"Version text {index}. {marker}\n", f"Edit {index}")
        change_request_approve(change_request=request, reviewer=reviewer)
    rows = list(Chapter.history.filter(id=chapter.pk).order_by("history_id"))
    client = client_for(reader)
    url = "/books/test-book/chapters/1/history/"

    def selected(path: str) -> list[str]:
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return [q["sql"] for q in context.captured_queries if 'FROM "notes_historicalchapter"' in q["sql"]]

    listing = selected(url)
    assert listing and not any('"notes_historicalchapter"."body"' in sql for sql in listing)
    # Viewing one version reads one body; comparing two reads two, whatever the history's length.
    version = selected(f"{url}?version={rows[2].history_id}")
    assert sum('"notes_historicalchapter"."body"' in sql for sql in version) == 1
    compare = selected(f"{url}?from={rows[1].history_id}&to={rows[5].history_id}")
    assert sum('"notes_historicalchapter"."body"' in sql for sql in compare) == 2
    html = client.get(f"{url}?from={rows[1].history_id}&to={rows[5].history_id}").content.decode()
    assert "<del>0.</del><ins>4.</ins>" in html


def test_a_request_written_against_an_older_version_says_so_before_approval(
    client_for, editor, other_editor, reviewer, chapter
):
    stale = propose(editor, chapter, "Mine\n", "Written first")
    for index in range(2):
        newer = propose(other_editor, chapter, f"Theirs {index}\n", f"Published meanwhile {index}")
        change_request_approve(change_request=newer, reviewer=reviewer)
    html = client_for(reviewer).get(f"/reviews/{stale.pk}/").content.decode()
    assert "<dt>Base version</dt><dd>Version 1 of" in html
    assert "2 newer versions are published" in html
    assert "Version 1 (" in html  # the side-by-side column names the version
    fresh = propose(editor, chapter, "Up to date\n", "Written last")
    assert "newer version" not in client_for(reviewer).get(f"/reviews/{fresh.pk}/").content.decode()
    change_request_approve(change_request=fresh, reviewer=reviewer)
    # Once published, the request is history: no warning about later versions.
    change_request_approve(
        change_request=propose(other_editor, chapter, "Later\n", "Later"), reviewer=reviewer
    )
    assert "newer version" not in client_for(reviewer).get(f"/reviews/{fresh.pk}/").content.decode()


def test_comparing_versions_of_two_chapters_is_refused(client_for, reader, book):
    one = Chapter.history.filter(id=book.chapters.get(number=1).pk).first()
    two = Chapter.history.filter(id=book.chapters.get(number=2).pk).first()
    response = client_for(reader).get(
        f"/books/test-book/chapters/1/history/?from={one.history_id}&to={two.history_id}"
    )
    assert response.status_code == 400
    assert "only be compared within one chapter" in response.content.decode()


def test_a_reviewer_reverts_from_the_history_page(client_for, editor, reviewer, other_reviewer, chapter):
    change_request_approve(change_request=propose(editor, chapter, "Vandalised"), reviewer=reviewer)
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id")
    response = client_for(other_reviewer).post(
        f"/books/test-book/chapters/1/history/{first.history_id}/revert/", follow=True
    )
    assert "Reverted to version 1: published as a new version." in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.body.startswith("Notes for chapter 1.")


# --- Feeds --------------------------------------------------------------------------------------


def test_the_atom_feeds_list_published_changes(client_for, editor, reviewer, chapter):
    change_request_approve(
        change_request=propose(editor, chapter, "x", "Added notes on feature stores"), reviewer=reviewer
    )
    for url in ("/recent/feed.atom", "/books/test-book/changelog/feed.atom"):
        response = client_for(None).get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert "<title>Added notes on feature stores</title>" in body
        assert "<name>editor</name>" in body


def test_the_feeds_need_login_when_public_read_is_off(client_for, settings, book):
    settings.WIKI_PUBLIC_READ = False
    assert client_for(None).get("/recent/feed.atom").status_code == 302


# --- Constant queries ---------------------------------------------------------------------------


# Session and the nav's review counts (the user with their roles and unseen count come from
# the cache), then the page's own queries.
# (A request page reads its reviews with their reviewers and profiles in one query, and its
# comments on lines with their replies in two, and how the reader reads diffs in one.)
PINNED_QUERIES = {"queue": 3, "request": 10, "history": 6}


@pytest.mark.parametrize("page", ["queue", "request", "history"])
def test_review_pages_run_the_same_number_of_queries_for_3_and_30_items(
    client_for, editor, other_reviewer, reviewer, book, page
):
    chapter = book.chapters.get(number=1)
    client = client_for(reviewer)

    def grow(count):
        # Each published one at a time, so every approval is a new version (none conflict).
        for index in range(count // 2):
            request = propose(editor, chapter, f"Published {index} {count}\n", f"Published {index}")
            assert change_request_approve(change_request=request, reviewer=reviewer).published
        requests = [propose(editor, chapter, f"Text {index}\n", f"Change {index}") for index in range(count)]
        # The request page shows its review thread: give the one measured a growing thread.
        for index in range(count):
            Review.objects.create(
                change_request=requests[-1],
                reviewer=other_reviewer,
                verdict=Review.Verdict.REQUEST_CHANGES,
                comment=f"Remark {index}",
                revision=1,
            )
            # And a growing list of comments on its lines, each answered.
            comment = DiffComment.objects.create(
                change_request=requests[-1],
                author=other_reviewer,
                revision=1,
                anchor={"line": 1, "text": f"Text {count - 1}"},
                body=f"Line remark {index}",
            )
            DiffComment.objects.create(
                change_request=requests[-1], author=editor, parent=comment, revision=1, body="Answer"
            )
        return requests[-1]

    url = {
        "queue": "/reviews/",
        "history": "/books/test-book/chapters/1/history/",
    }.get(page)
    last = grow(3)
    small = count_queries(client, url or f"/reviews/{last.pk}/")
    last = grow(27)
    large = count_queries(client, url or f"/reviews/{last.pk}/")
    assert chapter.history.count() == 1 + 1 + 13
    assert small == large == PINNED_QUERIES[page]


# --- Home: my open requests ------------------------------------------------------------------


def test_home_lists_my_open_requests_and_what_waits_for_review(
    client_for, editor, other_editor, reviewer, chapter
):
    mine = propose(editor, chapter, "Mine", "My pending change")
    propose(other_editor, chapter, "Theirs", "Someone else's change")
    done = propose(editor, chapter, "Done", "My published change")
    change_request_approve(change_request=done, reviewer=reviewer)
    html = client_for(editor).get("/").content.decode()
    assert "My open change requests" in html
    assert f"#{mine.pk} My pending change" in html
    assert "Someone else's change" not in html.split("Recent changes")[0]
    assert "My published change" not in html.split("Recent changes")[0]
    assert "2 requests waiting for review" in html
    assert "My open change requests" not in client_for(None).get("/").content.decode()


def test_home_runs_the_same_queries_for_3_and_30_open_requests(client_for, editor, chapter):
    client = client_for(editor)
    for index in range(3):
        propose(editor, chapter, f"Text {index}", f"Change {index}")
    small = count_queries(client, "/")
    for index in range(27):
        propose(editor, chapter, f"Text {index}", f"Change {index}")
    assert count_queries(client, "/") == small
    assert "All my open requests" in client.get("/").content.decode()


def test_request_ids_are_not_disclosed_to_people_who_cannot_see_reviews(client_for, reader, editor, chapter):
    existing = propose(editor, chapter, "x").pk
    for request_id in (existing, 999999):
        response = client_for(None).get(f"/reviews/{request_id}/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client_for(reader).get(f"/reviews/{request_id}/").status_code == 403
        assert client_for(reader).post(f"/reviews/{request_id}/withdraw/").status_code == 403
        assert client_for(reader).get(f"/reviews/{request_id}/revise/").status_code == 403
    assert client_for(editor).get("/reviews/999999/").status_code == 404


def test_an_old_version_says_it_is_not_the_current_text_and_compare_keeps_the_choice(
    client_for, editor, reviewer, reader, chapter
):
    change_request_approve(change_request=propose(editor, chapter, "Second text"), reviewer=reviewer)
    change_request_approve(change_request=propose(editor, chapter, "Third text"), reviewer=reviewer)
    first, second, third = Chapter.history.filter(id=chapter.pk).order_by("history_id")
    client = client_for(reader)
    old = client.get(f"/books/test-book/chapters/1/history/?version={first.history_id}").content.decode()
    assert "This is version 1, not the current text." in old
    assert "<title>Version 1 · Chapter 1" in old
    newest = client.get(f"/books/test-book/chapters/1/history/?version={third.history_id}").content.decode()
    assert "not the current text" not in newest
    compare = client.get(
        f"/books/test-book/chapters/1/history/?from={first.history_id}&to={third.history_id}"
    ).content.decode()
    assert f'name="from" value="{first.history_id}" checked' in compare
    assert f'name="to" value="{third.history_id}" checked' in compare
    # One "from" and one "to" checked (the Rendered / Source switch has its own radio).
    assert compare.count(" checked>") - compare.count('name="diff-view" value="rendered" checked>') == 2
    assert "<title>Version 1 → 3 · Chapter 1" in compare


def test_an_empty_queue_says_what_is_not_there(client_for, reviewer):
    page = client_for(reviewer).get("/reviews/").content.decode()
    assert "Nothing is waiting for review." in page
    assert "You have no open requests." in client_for(reviewer).get("/reviews/?status=mine").content.decode()
