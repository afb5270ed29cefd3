"""The spoilers "show anyway" override is one rule (``permissions.threads_folded``): the
discussion pages and the thread's feed fold and unfold a thread past a reading group
member's progress for the same requests."""

import pytest
from django.http import QueryDict

from notes import permissions
from notes.services.groups import progress_mark, spoilers_setting_update
from tests.factories import make_thread

TITLE = "Zanzibar-twist-revealed"


@pytest.fixture
def member(book, club, reader):
    """A member of the book's group who has read chapter 1 (and watches nothing)."""
    progress_mark(user=reader, book=book, chapter_number=1)
    return reader


@pytest.fixture
def spoiler(book, editor):
    return make_thread(chapter=book.chapters.get(number=2), author=editor, title=TITLE)


QUERIES = ["", "spoilers=show", "spoilers=SHOW", "spoilers=hide", "spoilers=hide&spoilers=show", "spoilers="]


@pytest.mark.parametrize("query", QUERIES)
def test_the_thread_page_the_thread_list_and_the_feed_fold_for_the_same_requests(
    client_for, member, spoiler, query
):
    client = client_for(member)
    folded = permissions.threads_folded(member, spoiler.chapter, query=QueryDict(query))
    page = client.get(f"{spoiler.get_absolute_url()}?{query}")
    listing = client.get(f"/books/test-book/chapters/2/discussion/?{query}")
    feed = client.get(f"{spoiler.get_absolute_url()}feed.atom?{query}")
    assert (TITLE not in page.content.decode()) is folded
    assert (TITLE not in listing.content.decode()) is folded
    assert (feed.status_code == 404) is folded


def test_a_member_asks_to_see_threads_past_their_progress_with_spoilers_show(member, spoiler):
    assert permissions.threads_folded(member, spoiler.chapter, query=QueryDict())
    assert not permissions.threads_folded(member, spoiler.chapter, query=QueryDict("spoilers=show"))


def test_the_setting_to_show_spoilers_unfolds_without_asking(member, spoiler):
    spoilers_setting_update(user=member, show_spoilers=True)
    assert not permissions.threads_folded(member, spoiler.chapter, query=QueryDict())


def test_a_chapter_the_member_has_read_is_never_folded(member, book):
    assert not permissions.threads_folded(member, book.chapters.get(number=1), query=QueryDict())


def test_readers_in_no_group_see_every_thread(client, outsider, spoiler):
    assert not permissions.threads_folded(outsider, spoiler.chapter, query=QueryDict())
    assert TITLE in client.get(spoiler.get_absolute_url()).content.decode()


def test_the_gate_links_to_the_same_page_with_the_override(client_for, member, spoiler):
    html = client_for(member).get(f"{spoiler.get_absolute_url()}?page=2").content.decode()
    assert f'href="{spoiler.get_absolute_url()}?page=2&amp;spoilers=show"' in html
