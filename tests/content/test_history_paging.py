"""A long history is read a page at a time: the list, one version and a compare of the first
with the last run the same queries for 12 versions as for 120."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import Chapter
from notes.selectors.reviews import VERSIONS_PER_PAGE
from notes.services.history import chapter_render, save_version

pytestmark = pytest.mark.django_db

URL = "/books/test-book/chapters/1/history/"


def grow_to(chapter, count: int) -> list[int]:
    """Publish versions until the chapter has ``count``; their history ids, oldest first."""
    have = chapter.history.count()
    for number in range(have + 1, count + 1):
        chapter.body = f"Text of version {number}.\n"
        chapter_render(chapter)
        save_version(chapter, summary=f"Version {number}")
    return list(
        Chapter.history.filter(id=chapter.pk).order_by("history_id").values_list("history_id", flat=True)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_list_shows_the_newest_versions_first_a_page_at_a_time(client_for, reader, chapter):
    ids = grow_to(chapter, 120)
    client = client_for(reader)
    first = client.get(URL).content.decode()
    assert (
        f'?version={ids[-1]}">120</a>' in first
        and f'?version={ids[120 - VERSIONS_PER_PAGE]}">71</a>' in first
    )
    assert f'?version={ids[0]}"' not in first
    assert "Page 1 of 3" in first and 'href="?page=2"' in first
    last = client.get(f"{URL}?page=3").content.decode()
    assert f'?version={ids[0]}">1</a>' in last and "Revert to version 1" not in first


def test_any_version_of_a_long_history_keeps_its_number(client_for, reader, chapter):
    ids = grow_to(chapter, 120)
    page = client_for(reader).get(f"{URL}?version={ids[0]}").content.decode()
    assert "Version 1" in page and "Text of version 1." not in page  # the factory's text is version 1
    page = client_for(reader).get(f"{URL}?version={ids[1]}").content.decode()
    assert "Version 2" in page and "Text of version 2." in page and "not the current text" in page
    page = client_for(reader).get(f"{URL}?version={ids[-1]}").content.decode()
    assert "Text of version 120." in page and "not the current text" not in page


def test_the_first_and_the_last_of_120_versions_compare(client_for, reader, chapter):
    ids = grow_to(chapter, 120)
    page = client_for(reader).get(f"{URL}?from={ids[1]}&to={ids[-1]}").content.decode()
    assert "Version 2 → version 120" in page.replace("&rarr;", "→")
    assert "<del>2.</del><ins>120.</ins>" in page


@pytest.mark.parametrize("view", ["list", "version", "compare"])
def test_a_history_page_runs_the_same_queries_for_12_and_120_versions(client_for, reader, chapter, view):
    client = client_for(reader)
    client.get("/")  # the reader's snapshot (roles, progress, watches) is built once

    def url(ids):
        return {
            "list": URL,
            "version": f"{URL}?version={ids[1]}",
            "compare": f"{URL}?from={ids[1]}&to={ids[-1]}",
        }[view]

    small = queries(client, url(grow_to(chapter, 12)))
    large = queries(client, url(grow_to(chapter, 120)))
    assert small == large


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", "That is not a version number"),
        ("-1", "That is not a version number"),
        ("1" * 40, "That is not a version number"),
        ("abc", "That is not a version number"),
        ("", "That version does not belong to this chapter."),
        ("9" * 18, "That version does not belong to this chapter."),
    ],
)
def test_a_version_that_is_not_a_number_of_this_chapter_is_refused_with_a_message(
    client_for, reader, chapter, value, message
):
    response = client_for(reader).get(f"{URL}?version={value}")
    assert response.status_code == 400
    assert message in response.content.decode()
