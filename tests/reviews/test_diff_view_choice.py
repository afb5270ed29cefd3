"""The Rendered / Source choice of the diff switch is kept per person: every diff page
(request pages, history compare) opens as they last chose; "rendered" until they choose."""

import pytest

from notes.models import Chapter, Profile
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db


def checked(page: str) -> str:
    for value in ("rendered", "source"):
        if f'name="diff-view" value="{value}" checked' in page:
            return value
    raise AssertionError("no choice checked")


def test_diffs_open_rendered_until_the_reader_chooses_and_then_as_chosen_everywhere(
    client_for, chapter, editor, reviewer
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id").history_id
    compare = f"/books/{chapter.book.slug}/chapters/1/history/?from={first}&to={first}"
    client = client_for(reviewer)
    assert checked(client.get(f"/reviews/{request.pk}/").content.decode()) == "rendered"
    response = client.post("/account/diff-view/", {"diff-view": "source", "next": f"/reviews/{request.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/reviews/{request.pk}/"
    assert Profile.objects.get(user=reviewer).diff_view == "source"
    assert checked(client.get(f"/reviews/{request.pk}/").content.decode()) == "source"
    assert checked(client.get(compare).content.decode()) == "source"
    # Another person's choice is theirs alone.
    assert checked(client_for(editor).get(f"/reviews/{request.pk}/").content.decode()) == "rendered"


def test_the_switch_script_saves_with_a_204(client_for, reviewer):
    response = client_for(reviewer).post(
        "/account/diff-view/", {"diff-view": "source"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 204
    assert Profile.objects.get(user=reviewer).diff_view == "source"


def test_a_bad_choice_is_refused_and_a_foreign_next_is_not_followed(client_for, reviewer):
    client = client_for(reviewer)
    response = client.post(
        "/account/diff-view/", {"diff-view": "pretty"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400 and response.json() == {"error": "Choose Rendered or Source."}
    response = client.post("/account/diff-view/", {"diff-view": "pretty", "next": "https://evil.example/"})
    assert response["Location"] == "/account/"
    assert not Profile.objects.filter(user=reviewer, diff_view="pretty").exists()
    page = client.get("/account/").content.decode()
    assert "Choose Rendered or Source." in page


def test_signed_out_readers_get_the_default_and_cannot_save(client, chapter):
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id").history_id
    page = client.get(
        f"/books/{chapter.book.slug}/chapters/1/history/?from={first}&to={first}"
    ).content.decode()
    assert checked(page) == "rendered" and "Keep as my default" not in page
    assert client.post("/account/diff-view/", {"diff-view": "source"}).status_code in (302, 403)
    assert not Profile.objects.exists()
