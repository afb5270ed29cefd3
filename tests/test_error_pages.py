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
