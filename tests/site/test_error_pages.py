"""Refusals and missing pages are pages of the site, saying what happened."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_action_explains_itself_in_the_site_layout(client_for, reader, book):
    response = client_for(reader).get("/reviews/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not do that" in html and "<strong>reader</strong>" in html
    assert 'class="site-header"' in html


def test_a_missing_page_is_a_404_page_of_the_site(client_for, reader, book):
    response = client_for(reader).get("/books/test-book/chapters/99/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<code>/books/test-book/chapters/99/</code>" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/users/a%00b/", {}),
        ("get", "/books/test-book/chapters/1/discussion/", {"anchor": "heading:\x00x"}),
        ("get", "/search/", {"q": "par\x00quet"}),
        ("post", "/books/test-book/chapters/1/edit/", {"title": "T", "body": "a\x00b", "summary": "s"}),
    ],
    ids=["path", "anchor", "search", "form"],
)
def test_a_nul_character_is_a_clear_400_and_changes_nothing(client_for, editor, book, method, url, data):
    from notes.models import ChangeRequest

    response = getattr(client_for(editor), method)(url, data)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_an_unknown_host_is_a_400_not_a_server_error(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
