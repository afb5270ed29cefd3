"""No page prints template syntax: a ``{# #}`` comment spread over two lines, or a tag a
typo broke, reaches the reader as literal text instead of failing anywhere else.

Every page kind is rendered, anonymous and signed in; the world is built from the seed and
text the test writes, none of which contains template syntax, so any left in a body leaked.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from notes.models import Chapter
from notes.services.groups import group_create, meeting_create
from notes.services.reviews import change_request_approve
from tests.factories import load_seed, make_thread, make_user, propose_chapter_edit

BOOK = "/books/designing-ml-systems"
TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")


@pytest.fixture
def world(db):
    book = load_seed()
    editor = make_user("editor", role="Editor")
    reviewer = make_user("reviewer", role="Reviewer")
    lead = make_user("lead", role="Editor")
    for role in ("Reviewer", "Moderator"):
        lead.groups.add(Group.objects.get_or_create(name=role)[0])
    chapter_one = Chapter.objects.get(book=book, number=1)
    edit = propose_chapter_edit(editor, chapter_one, chapter_one.body + "\n\nA line added in version two.")
    change_request_approve(change_request=edit, reviewer=reviewer)
    thread = make_thread(
        chapter=Chapter.objects.get(book=book, number=3),
        author=editor,
        title="Which storage for training data?",
        body="@lead row-wise or column-wise for feature reads?",
    )
    waiting = propose_chapter_edit(
        editor, Chapter.objects.get(book=book, number=2), "Chapter two, rewritten."
    )
    group = group_create(book=book, actor=lead, name="Club", members=[editor])
    meeting = meeting_create(
        group=group,
        actor=lead,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        first_chapter=1,
        last_chapter=2,
        place_or_link="Room 4",
    )
    versions = list(chapter_one.history.order_by("history_id").values_list("history_id", flat=True))
    table = f"{BOOK}/chapters/3/tables/row-wise-versus-column-wise-storage/"
    pages = {
        "home": "/",
        "book": f"{BOOK}/",
        "chapter": f"{BOOK}/chapters/3/",
        "table": table,
        "changelog": f"{BOOK}/changelog/",
        "history": f"{BOOK}/chapters/1/history/",
        "version": f"{BOOK}/chapters/1/history/?version={versions[0]}",
        "compare": f"{BOOK}/chapters/1/history/?from={versions[0]}&to={versions[-1]}",
        "discussion": f"{BOOK}/chapters/3/discussion/",
        "thread": f"{BOOK}/chapters/3/discussion/{thread.pk}/",
        "search": "/search/?q=data",
        "recent": "/recent/",
        "groups": f"{BOOK}/groups/",
        "group": group.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "not found": "/books/no-such-book/",
    }
    signed_in_pages = {
        "reviews": "/reviews/",
        "review": f"/reviews/{waiting.pk}/",
        "edit": f"{BOOK}/chapters/1/edit/",
        "upload": "/import/",
        "notifications": "/notifications/",
        "following": "/notifications/settings/",
        "new thread": f"{BOOK}/chapters/3/discussion/new/",
    }
    return lead, pages, signed_in_pages


def _leaks(body: str) -> list[str]:
    return [body[max(0, match.start() - 40) : match.end() + 40] for match in TEMPLATE_SYNTAX.finditer(body)]


def test_no_page_shows_template_syntax_to_an_anonymous_reader(client_for, world, settings):
    settings.WIKI_PUBLIC_READ = True
    _, pages, _ = world
    pages = {**pages, "login": "/accounts/login/"}
    client = client_for(None)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, url, response.status_code)
        assert _leaks(response.content.decode()) == [], (name, url)


def test_no_page_shows_template_syntax_to_a_signed_in_member(client_for, world):
    lead, pages, signed_in_pages = world
    client = client_for(lead)
    for name, url in {**pages, **signed_in_pages}.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, url, response.status_code)
        assert _leaks(response.content.decode()) == [], (name, url)


def test_the_check_catches_a_comment_spread_over_two_lines():
    assert _leaks("<p>{# a comment\n that Django prints #}</p>")
    assert _leaks("<p>{{ value</p>")
    assert _leaks("<p>Plain text</p>") == []
