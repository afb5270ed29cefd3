"""The pages of accepting part of a request: the checklist on the request page, the
preview with its count, publishing and taking out from it, and the partial version as
history, compare and the changelog show it."""

import pytest

from notes.models import Chapter
from notes.selectors.reviews import proposed_changes
from notes.services.history import chapter_render, save_version
from tests.factories import propose_chapter_edit

BASE = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n"
PROPOSED = "One!\n\nTwo!\n\nThree!\n\nFour!\n\nFive!\n"


@pytest.fixture
def request_of_five(editor, chapter):
    chapter.body = BASE
    chapter_render(chapter)
    save_version(chapter, summary="Five sentences")
    return propose_chapter_edit(editor, chapter, PROPOSED, "Five exclamations")


def ids(change_request, *numbers):
    changes = proposed_changes(change_request).changes
    return [changes[number - 1].id for number in numbers]


def test_a_reviewer_sees_the_changes_to_tick_and_the_author_does_not(
    client_for, reviewer, editor, request_of_five
):
    url = f"/reviews/{request_of_five.pk}/"

    html = client_for(reviewer).get(url).content.decode()

    assert "Publish part of this change" in html
    assert html.count('name="change"') == 5
    assert "0</span> of 5 changes selected" in html
    assert "Publish part of this change" not in client_for(editor).get(url).content.decode()


def test_the_preview_counts_the_ticked_changes_and_renders_the_page_with_them(
    client_for, reviewer, request_of_five
):
    accepted = ids(request_of_five, 1, 3)

    response = client_for(reviewer).get(
        f"/reviews/{request_of_five.pk}/part/", {"revision": 1, "change": accepted}
    )

    html = response.content.decode()
    assert "2 of 5 changes selected." in html
    assert "the other 3 stay in the request for review" in html
    preview = html.split('id="preview-heading"')[1].split("</section>")[0]
    assert "<p>One!</p>" in preview and "<p>Two.</p>" in preview and "<p>Three!</p>" in preview
    assert html.count("checked") == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"revision": 1}, "Tick at least one change to preview; nothing is selected."),
        ({"revision": 9, "change": "x"}, "This request is at revision 1 now"),
    ],
)
def test_a_preview_of_nothing_or_of_another_revision_goes_back_with_a_message(
    client_for, reviewer, request_of_five, query, message
):
    response = client_for(reviewer).get(f"/reviews/{request_of_five.pk}/part/", query, follow=True)

    assert message in response.content.decode()


def test_publishing_from_the_preview_writes_a_partial_version_that_history_and_changelog_show(
    client_for, reviewer, request_of_five, chapter
):
    client = client_for(reviewer)

    response = client.post(
        f"/reviews/{request_of_five.pk}/part/approve/",
        {"revision": 1, "change": ids(request_of_five, 1, 3, 5), "comment": "The rest later."},
        follow=True,
    )

    assert "Published 3 of 5 changes; the other 2 remain for review." in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.body == "One!\n\nTwo.\n\nThree!\n\nFour.\n\nFive!\n"
    history = client.get("/books/test-book/chapters/1/history/").content.decode()
    assert "partial · 3 of 5 changes" in history
    changelog = client.get("/books/test-book/changelog/").content.decode()
    assert "partial · 3 of 5 changes" in changelog
    newest, previous = Chapter.history.filter(id=chapter.pk).order_by("-history_id")[:2]
    compare = client.get(
        f"/books/test-book/chapters/1/history/?from={previous.history_id}&to={newest.history_id}"
    ).content.decode()
    assert "was a partial publication (3 of 5 changes)" in compare
    request_page = client.get(f"/reviews/{request_of_five.pk}/").content.decode()
    assert "Published: 3 of 5 changes" in request_page
    assert request_page.count('name="change"') == 2


def test_taking_changes_out_needs_a_reason_and_loses_nothing_without_one(
    client_for, reviewer, request_of_five
):
    response = client_for(reviewer).post(
        f"/reviews/{request_of_five.pk}/part/reject/",
        {"revision": 1, "change": ids(request_of_five, 2), "comment": ""},
        follow=True,
    )

    assert "Say why in a comment: it is required to reject changes." in response.content.decode()
    request_of_five.refresh_from_db()
    assert (request_of_five.revision, request_of_five.body) == (1, PROPOSED)


def test_the_author_cannot_reach_the_preview_or_publish_part(client_for, editor, request_of_five):
    client = client_for(editor)

    assert client.get(f"/reviews/{request_of_five.pk}/part/", {"revision": 1}).status_code == 403
    response = client.post(
        f"/reviews/{request_of_five.pk}/part/approve/", {"revision": 1, "change": ids(request_of_five, 1)}
    )
    assert response.status_code == 403
    request_of_five.refresh_from_db()
    assert request_of_five.revision == 1
