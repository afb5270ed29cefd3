"""Reading groups: who sees and manages groups, joining by invite,
meetings and their calendar feeds, reading progress."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from notes import permissions
from notes.models import GroupMembership, Meeting, ReadingGroup
from notes.services.groups import GroupError, group_create, meeting_create, progress_mark
from tests.factories import make_user


@pytest.fixture
def group(book, moderator, reader):
    return group_create(
        book=book, actor=moderator, name="Tuesday readers", description="We read.", members=[reader]
    )


@pytest.fixture
def private_group(book, moderator, reader):
    return group_create(book=book, actor=moderator, name="Secret circle", is_private=True, members=[reader])


def _meeting(group, actor, *, days: int, first=1, last=2, place="Room 4"):
    return meeting_create(
        group=group,
        actor=actor,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        first_chapter=first,
        last_chapter=last,
        place_or_link=place,
    )


# --- Permissions, cell by cell ---------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [
        ("reader", False),
        ("editor", False),
        ("reviewer", False),
        ("moderator", True),
        ("admin_user", True),
        ("outsider", False),
    ],
)
def test_only_moderators_and_admins_manage_groups(request, who, expected):
    assert permissions.can_manage_groups(request.getfixturevalue(who)) is expected


@pytest.mark.parametrize(
    "who, is_member, expected",
    [
        ("reader", True, True),
        ("editor", False, False),
        ("moderator", False, True),
        ("admin_user", False, True),
        ("outsider", False, False),
    ],
)
def test_a_private_group_is_seen_by_members_moderators_and_admins(
    request, private_group, who, is_member, expected
):
    assert (
        permissions.can_see_group(request.getfixturevalue(who), private_group, is_member=is_member)
        is expected
    )


def test_a_public_group_is_seen_by_every_reader(group, outsider):
    assert permissions.can_see_group(outsider, group, is_member=False)


# --- Creating and editing --------------------------------------------------------------------


def test_a_moderator_creates_a_group_in_the_browser(client_for, moderator, book, reader, editor):
    response = client_for(moderator).post(
        "/books/test-book/groups/new/",
        {
            "name": "Night owls",
            "slug": "",
            "description": "Late.",
            "members": f"{reader.username}, {editor.username}",
        },
    )
    group = ReadingGroup.objects.get(slug="night-owls")
    assert response.status_code == 302 and response["Location"] == "/groups/night-owls/"
    assert group.book == book and group.created_by == moderator
    assert set(group.members.values_list("username", flat=True)) == {"reader", "editor"}


def test_an_editor_cannot_create_a_group(client_for, editor, book):
    response = client_for(editor).post("/books/test-book/groups/new/", {"name": "Mine"})
    assert response.status_code == 403
    assert not ReadingGroup.objects.exists()


def test_an_unknown_member_is_refused_with_its_name_and_nothing_is_made(client_for, moderator, book):
    response = client_for(moderator).post(
        "/books/test-book/groups/new/", {"name": "G", "members": "nobody-here"}
    )
    assert response.status_code == 400
    assert b"No active user is called nobody-here." in response.content
    assert not ReadingGroup.objects.exists()


def test_a_taken_address_is_refused(moderator, book, group):
    with pytest.raises(GroupError, match="is taken"):
        group_create(book=book, actor=moderator, name="Tuesday readers")


def test_editing_keeps_the_progress_of_members_who_stay(client_for, moderator, group, reader, editor):
    progress_mark(user=reader, book=group.book, chapter_number=2)
    response = client_for(moderator).post(
        f"/groups/{group.slug}/edit/",
        {"name": "Renamed", "description": "", "members": f"{reader.username} {editor.username}"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Renamed" and group.slug == "tuesday-readers"
    assert GroupMembership.objects.get(group=group, user=reader).progress == 2
    assert GroupMembership.objects.filter(group=group, user=editor).exists()


# --- Seeing --------------------------------------------------------------------------------------


def test_the_book_lists_private_groups_only_to_members_and_moderators(
    client_for, group, private_group, editor, reader, moderator
):
    assert b"Secret circle" not in client_for(editor).get("/books/test-book/groups/").content
    assert b"Tuesday readers" in client_for(editor).get("/books/test-book/groups/").content
    assert b"Secret circle" in client_for(reader).get("/books/test-book/groups/").content
    assert b"Secret circle" in client_for(moderator).get("/books/test-book/groups/").content


def test_a_private_group_page_is_404_for_outsiders_as_a_missing_one(
    client_for, private_group, editor, reader, moderator
):
    assert client_for(editor).get("/groups/secret-circle/").status_code == 404
    assert client_for(editor).get("/groups/no-such-group/").status_code == 404
    assert client_for(editor).get("/groups/secret-circle/meetings.ics").status_code == 404
    assert client_for(reader).get("/groups/secret-circle/").status_code == 200
    assert client_for(moderator).get("/groups/secret-circle/").status_code == 200


def test_a_private_group_page_sends_anonymous_visitors_to_log_in_when_reading_is_private(
    client, private_group, settings
):
    settings.WIKI_PUBLIC_READ = False
    for slug in ("secret-circle", "no-such-group"):
        response = client.get(f"/groups/{slug}/")
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- Joining -----------------------------------------------------------------------------------


def test_joining_by_the_invite_link_asks_first_then_joins(client_for, private_group, editor):
    client = client_for(editor)
    url = f"/groups/{private_group.slug}/join/{private_group.invite_token}/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"Join the group" in confirm.content
    assert not private_group.memberships.filter(user=editor).exists()
    assert client.post(url).status_code == 302
    assert private_group.memberships.filter(user=editor).exists()
    assert client.get("/groups/secret-circle/").status_code == 200


def test_a_wrong_invite_token_is_404_and_joins_nobody(client_for, private_group, editor):
    response = client_for(editor).post(f"/groups/{private_group.slug}/join/wrong-token/")
    assert response.status_code == 404
    assert not private_group.memberships.filter(user=editor).exists()


def test_joining_twice_says_so_and_keeps_one_membership(client_for, group, reader):
    response = client_for(reader).post(f"/groups/{group.slug}/join/{group.invite_token}/", follow=True)
    assert b"already a member" in response.content
    assert group.memberships.filter(user=reader).count() == 1


def test_a_user_can_be_in_several_groups(client_for, group, private_group, reader):
    assert set(reader.reading_groups.values_list("slug", flat=True)) == {group.slug, private_group.slug}


# --- Meetings and calendars --------------------------------------------------------------------


def test_the_group_page_shows_the_next_meeting_its_chapters_and_the_past_ones(
    client_for, group, moderator, reader
):
    _meeting(group, moderator, days=-7, first=1, last=1, place="Old room")
    _meeting(group, moderator, days=7, first=2, last=3, place="https://meet.example.com/abc")
    html = client_for(reader).get("/groups/tuesday-readers/").content.decode()
    next_part = html.split('id="next-heading"')[1].split('id="progress-heading"')[0]
    assert (
        'href="/books/test-book/chapters/2/"' in next_part
        and 'href="/books/test-book/chapters/3/"' in next_part
    )
    assert "https://meet.example.com/abc" in next_part
    assert "Old room" in html.split('id="past-heading"')[1]


def test_a_moderator_schedules_a_meeting_in_the_browser_and_bad_chapters_are_refused(
    client_for, group, moderator
):
    client = client_for(moderator)
    data = {
        "starts_at": "2030-05-01T18:30",
        "place_or_link": "Library",
        "first_chapter": "1",
        "last_chapter": "9",
    }
    refused = client.post("/groups/tuesday-readers/meetings/new/", data)
    assert refused.status_code == 400 and b"has no chapter 9" in refused.content
    data["last_chapter"] = "2"
    assert client.post("/groups/tuesday-readers/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.is_aware(meeting.starts_at) and (meeting.first_chapter, meeting.last_chapter) == (1, 2)


def test_a_reader_cannot_schedule_a_meeting(client_for, group, reader):
    data = {"starts_at": "2030-05-01T18:30", "first_chapter": "1", "last_chapter": "2"}
    assert client_for(reader).post("/groups/tuesday-readers/meetings/new/", data).status_code == 403
    assert not Meeting.objects.exists()


def test_the_calendar_feed_is_valid_icalendar_with_one_stable_event_per_meeting(client, group, moderator):
    first = _meeting(group, moderator, days=3, first=1, last=2)
    second = _meeting(group, moderator, days=10, first=3, last=3, place="")
    body = client.get("/groups/tuesday-readers/meetings.ics")
    assert body["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(body.content)
    events = calendar.walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [
        f"meeting-{first.pk}@testserver",
        f"meeting-{second.pk}@testserver",
    ]
    event = events[0]
    assert event.decoded("dtstart") == first.starts_at.astimezone(datetime.UTC)
    assert event["dtstart"].to_ical().endswith(b"Z")
    assert "dtstamp" in event and str(event["location"]) == "Room 4"
    assert str(event["summary"]) == "Tuesday readers: Chapters 1-2"
    assert str(event["url"]).endswith(f"/groups/tuesday-readers/meetings/{first.pk}/")
    assert "/books/test-book/chapters/2/" in str(event["description"])
    again = Calendar.from_ical(client.get("/groups/tuesday-readers/meetings.ics").content)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]


def test_each_meeting_has_its_own_calendar_file(client, group, moderator):
    meeting = _meeting(group, moderator, days=3)
    response = client.get(f"/groups/tuesday-readers/meetings/{meeting.pk}.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{meeting.pk}@testserver"
    assert client.get("/groups/tuesday-readers/meetings/99999.ics").status_code == 404


def test_a_private_groups_feed_needs_its_secret_and_the_members_link_has_it(
    client, client_for, private_group, moderator, reader
):
    _meeting(private_group, moderator, days=3)
    assert client.get("/groups/secret-circle/meetings.ics").status_code == 404
    assert client.get("/groups/secret-circle/meetings.ics?token=guess").status_code == 404
    page = client_for(reader).get("/groups/secret-circle/").content.decode()
    token = private_group.memberships.get(user=reader).calendar_token
    link = f"/groups/secret-circle/meetings.ics?token={token}"
    assert link in page
    assert len(Calendar.from_ical(client.get(link).content).walk("VEVENT")) == 1


# --- Progress ----------------------------------------------------------------------------------


def test_a_member_marks_progress_on_the_chapter_page_and_the_group_page_shows_it(
    client_for, group, reader, moderator
):
    _meeting(group, moderator, days=-1, first=1, last=2)
    client = client_for(reader)
    chapter_page = client.get("/books/test-book/chapters/2/").content.decode()
    assert 'action="/books/test-book/progress/"' in chapter_page
    response = client.post(
        "/books/test-book/progress/", {"chapter": "1", "next": "/books/test-book/chapters/2/"}
    )
    assert response.status_code == 302 and response["Location"] == "/books/test-book/chapters/2/"
    assert GroupMembership.objects.get(user=reader).progress == 1
    page = client.get("/groups/tuesday-readers/").content.decode()
    assert "Chapter 1" in page and "behind" in page
    client.post("/books/test-book/progress/", {"chapter": "2"})
    assert "behind</span>" not in client.get("/groups/tuesday-readers/").content.decode()


def test_the_progress_form_is_for_members_only(client_for, group, editor):
    assert (
        b'action="/books/test-book/progress/"'
        not in client_for(editor).get("/books/test-book/chapters/1/").content
    )
    assert client_for(editor).post("/books/test-book/progress/", {"chapter": "1"}).status_code == 403


@pytest.mark.parametrize(
    "value, message",
    [("9", b"has no chapter 9"), ("abc", b"whole number"), ("-1", b"greater than or equal to 0")],
)
def test_bad_progress_is_refused_with_a_message_and_changes_nothing(
    client_for, group, reader, value, message
):
    response = client_for(reader).post("/books/test-book/progress/", {"chapter": value})
    assert response.status_code == 400 and message in response.content
    assert GroupMembership.objects.get(user=reader).progress is None


def test_the_anonymous_cached_chapter_page_holds_nothing_of_a_member(client, client_for, group, reader):
    client_for(reader).get("/books/test-book/chapters/1/")
    anonymous = client.get("/books/test-book/chapters/1/").content
    assert b"progress-form" not in anonymous and b"read up to" not in anonymous


# --- Query counts --------------------------------------------------------------------------------


def _group_page_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/groups/tuesday-readers/").status_code == 200
    return len(captured.captured_queries)


def test_the_group_page_runs_a_fixed_number_of_queries(client_for, group, reader, moderator):
    client = client_for(reader)
    client.get("/")  # the user's snapshot (roles, progress, watches, unseen count) is built once
    for _ in range(2):
        _meeting(group, moderator, days=-3)
    small = _group_page_queries(client)
    for index in range(20):
        GroupMembership.objects.create(group=group, user=make_user(f"member{index}"))
        _meeting(group, moderator, days=index - 10)
    assert _group_page_queries(client) == small == GROUP_PAGE_QUERIES


# Session (the user with their roles, unread count and spoiler limits come from the cache); the
# group, membership, members, meetings, chapters: pinned, so a new query on the page is a decision.
GROUP_PAGE_QUERIES = 6
