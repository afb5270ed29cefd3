"""Names and titles in a calendar are escaped: whatever they hold, every line of the .ics is
one property of ours, and a calendar app reads the names back as they were typed."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar, vText

from notes.models import Book, GroupMembership, Meeting, ReadingGroup
from notes.services.groups import group_create, meeting_create

pytestmark = pytest.mark.django_db

HOSTILE = "Evil\r\nX-INJECTED:1;a,b\\c\rATTENDEE:mailto:x@y.z\nEnd"


@pytest.fixture
def hostile_group(book, moderator, reader):
    group = group_create(book=book, actor=moderator, name="Plain", members=[reader])
    meeting = meeting_create(
        group=group,
        actor=moderator,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        first_chapter=1,
        last_chapter=1,
        place_or_link="Room 1",
    )
    # Written past the forms, as older data or another path might hold them.
    ReadingGroup.objects.filter(pk=group.pk).update(name=HOSTILE)
    Book.objects.filter(pk=book.pk).update(title=HOSTILE)
    Meeting.objects.filter(pk=meeting.pk).update(notes=HOSTILE, place_or_link=HOSTILE)
    return group


@pytest.mark.parametrize("which", ["group", "meeting"])
def test_line_breaks_and_separators_in_names_are_escaped_in_the_ics(client, hostile_group, reader, which):
    token = GroupMembership.objects.get(group=hostile_group, user=reader).calendar_token
    meeting = hostile_group.meetings.get()
    url = {
        "group": f"/groups/{hostile_group.slug}/meetings.ics?token={token}",
        "meeting": f"/groups/{hostile_group.slug}/meetings/{meeting.pk}.ics?token={token}",
    }[which]
    response = client.get(url)
    assert response.status_code == 200
    ics = response.content.decode()
    lines = ics.split("\r\n")
    assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")
    assert not [line for line in lines if line.startswith(("X-INJECTED", "ATTENDEE"))]
    calendar = Calendar.from_ical(response.content)
    name = f"{HOSTILE} ({HOSTILE})"
    unfolded = ics.replace("\r\n ", "").split("\r\n")
    assert f"X-WR-CALNAME:{vText(name).to_ical().decode()}" in unfolded
    assert "\\n" in vText(name).to_ical().decode()  # escaped, not dropped
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]).startswith(HOSTILE.replace("\r\n", "\n").replace("\r", "\n"))
    assert "ATTENDEE" not in event and "X-INJECTED" not in event
