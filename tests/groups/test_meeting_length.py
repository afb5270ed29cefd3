"""A meeting has a length: calendars get its end (DTEND), and every time on the group's
pages is shown in the viewer's current time zone, which the page names."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from notes.models import Meeting
from notes.services.groups import GroupError, meeting_create
from notes.services.people import profile_update

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _meeting(club, moderator, **extra):
    return meeting_create(
        group=club,
        actor=moderator,
        starts_at=datetime.datetime(2030, 5, 1, 16, 30, tzinfo=datetime.UTC),
        first_chapter=1,
        last_chapter=2,
        **extra,
    )


def test_a_meeting_lasts_ninety_minutes_unless_told(club, moderator):
    meeting = _meeting(club, moderator)
    assert meeting.duration_minutes == 90
    assert meeting.ends_at == datetime.datetime(2030, 5, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("minutes", [0, 4, 24 * 60 + 1])
def test_a_length_out_of_bounds_is_refused_and_nothing_is_saved(club, moderator, minutes):
    with pytest.raises(GroupError, match=f"from 5 to 1440 minutes, not {minutes}"):
        _meeting(club, moderator, duration_minutes=minutes)
    assert not Meeting.objects.exists()


def test_the_calendar_gives_a_time_zone_aware_end_after_the_start(client, club, moderator):
    meeting = _meeting(club, moderator, duration_minutes=45)
    for url in (f"/groups/club/meetings/{meeting.pk}.ics", "/groups/club/meetings.ics"):
        (event,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert timezone.is_aware(start) and timezone.is_aware(end)
        assert end - start == datetime.timedelta(minutes=45)
        assert event["dtend"].to_ical().endswith(b"Z")


def _client_in_zone(client_for, user, zone: str):
    """A signed-in client whose account's time zone is ``zone`` (read at sign-in, as in use)."""
    profile_update(user=user, display_name=user.username, time_zone=zone)
    return client_for(user)


def test_the_form_reads_the_time_and_length_in_the_viewers_zone_and_names_it(client_for, club, moderator):
    client = _client_in_zone(client_for, moderator, "Europe/Berlin")
    page = client.get("/groups/club/").content.decode()
    assert "In your time zone, Europe/Berlin." in page
    assert 'name="duration_minutes"' in page and 'value="90"' in page
    data = {
        "starts_at": "2030-05-01T18:30",
        "duration_minutes": "60",
        "first_chapter": "1",
        "last_chapter": "2",
    }
    assert client.post("/groups/club/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get()
    # 18:30 in Berlin (summer time) is 16:30 UTC.
    assert meeting.starts_at == datetime.datetime(2030, 5, 1, 16, 30, tzinfo=datetime.UTC)
    assert meeting.duration_minutes == 60


def test_a_bad_length_on_the_form_is_refused_with_a_message(client_for, club, moderator):
    data = {
        "starts_at": "2030-05-01T18:30",
        "duration_minutes": "2",
        "first_chapter": "1",
        "last_chapter": "2",
    }
    response = client_for(moderator).post("/groups/club/meetings/new/", data)
    assert response.status_code == 400 and b"greater than or equal to 5" in response.content
    assert not Meeting.objects.exists()


def test_group_and_meeting_pages_show_times_in_the_current_zone_and_name_it(
    client_for, club, moderator, reader
):
    meeting = _meeting(club, moderator)
    client = _client_in_zone(client_for, reader, "Europe/Berlin")
    for url in ("/groups/club/", meeting.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Times are in your time zone, Europe/Berlin." in page
        assert "18:30</time>–<time" in page and "20:00 CEST</time>" in page
    client = _client_in_zone(client_for, reader, "UTC")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Times are in your time zone, UTC." in page and "16:30</time>" in page
