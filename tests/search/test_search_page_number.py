"""/search/?page=: any value a visitor types answers a page, never a server error."""

import re

import pytest

from notes.selectors import search
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_results(chapter, reader, monkeypatch):
    """Three pages of threads about herons."""
    monkeypatch.setattr(search, "PER_PAGE", 2)
    for number in range(5):
        make_thread(chapter=chapter, author=reader, title=f"Heron {number}", body="A heron stood.")


@pytest.mark.parametrize(
    "page",
    ["²", "-1", "1e9", "abc", "", " 2 ", "0", "٣", "1_0", "99999999999999999999999", "9" * 5000],
)
def test_an_odd_page_number_answers_a_page(client_for, reader, many_results, page):
    response = client_for(reader).get("/search/", {"q": "heron", "kind": "thread", "page": page})
    assert response.status_code == 200


def current_page(html: str) -> str:
    return re.search(r"Page (\d+) of \d+", html).group(1)


@pytest.mark.parametrize(("page", "shown"), [("2", "2"), ("²", "1"), ("-1", "1"), ("1e9", "1"), ("999", "3")])
def test_the_page_shown_is_the_one_asked_for_or_the_nearest(client_for, reader, many_results, page, shown):
    html = client_for(reader).get("/search/", {"q": "heron", "kind": "thread", "page": page}).content.decode()
    assert current_page(html) == shown
