"""Where the site names a person (comments, threads, the review queue and a request's
page), it shows their display name when they set one, without a query per person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import Profile
from notes.services.discussions import comment_post, thread_start
from notes.services.reviews import change_request_request_changes
from tests.factories import make_user
from tests.factories import propose_chapter_edit as propose

pytestmark = pytest.mark.django_db


def _named(user, name):
    Profile.objects.create(user=user, display_name=name)
    return user


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_comments_and_threads_show_display_names_in_constant_queries(client_for, chapter, reader, editor):
    _named(editor, "Eddie Tor")
    thread = thread_start(chapter=chapter, author=editor, title="A question", body="Why?")
    client = client_for(reader)
    client.get("/")  # the user's snapshot (roles, progress, watches, unseen count) is built once
    url = thread.get_absolute_url()
    few, html = _queries(client, url)
    assert "Eddie Tor" in html and "Started by Eddie Tor" in html
    for number in range(6):
        author = _named(make_user(f"writer{number}", role="Reader"), f"Writer Number{number}")
        comment_post(thread=thread, author=author, body=f"Answer {number}")
    many, html = _queries(client, url)
    assert "Writer Number5" in html
    assert many == few
    list_html = client.get(
        f"/books/{chapter.book.slug}/chapters/{chapter.number}/discussion/"
    ).content.decode()
    assert "by Eddie Tor" in list_html


def test_a_person_without_a_display_name_is_shown_by_username(client_for, chapter, reader, editor):
    thread = thread_start(chapter=chapter, author=editor, title="A question", body="Why?")
    assert "Started by editor" in client_for(reader).get(thread.get_absolute_url()).content.decode()


def test_review_pages_show_display_names(client_for, chapter, editor, reviewer):
    _named(editor, "Eddie Tor")
    _named(reviewer, "Revy Ewer")
    request = propose(editor, chapter, "New text")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Shorter, please")
    client = client_for(reviewer)
    detail = client.get(f"/reviews/{request.pk}/").content.decode()
    assert "<dd>Eddie Tor</dd>" in detail and "Revy Ewer" in detail
    queue = client.get("/reviews/?status=changes_requested").content.decode()
    assert "Eddie Tor" in queue
