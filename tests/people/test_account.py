"""/account/: display name, time zone, notification settings, signing out everywhere; and
the time zone every page then shows dates in."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.models import NotificationSettings, Profile
from notes.services import people as services
from notes.services.groups import group_create, meeting_create

pytestmark = pytest.mark.django_db
User = get_user_model()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_account_page_is_for_signed_in_people(client, client_for, reader):
    response = client.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    html = client_for(reader).get("/account/").content.decode()
    assert 'name="display_name"' in html and '<option value="Europe/Paris">' in html
    assert 'name="show_spoilers"' in html and "Sign out everywhere" in html
    assert "Sign-in and security" in html


def test_saving_the_profile_changes_the_name_shown_and_the_time_zone(client_for, reader):
    client = client_for(reader)
    response = client.post("/account/profile/", {"display_name": "Rea Der", "time_zone": "Asia/Tokyo"})
    assert response["Location"] == "/account/" and _messages(response) == ["Your profile is saved."]
    profile = Profile.objects.get(user=reader)
    assert (profile.display_name, profile.time_zone) == ("Rea Der", "Asia/Tokyo")


def test_an_unknown_time_zone_is_refused_and_nothing_is_saved(client_for, reader):
    response = client_for(reader).post("/account/profile/", {"display_name": "X", "time_zone": "Mars/Base"})
    assert _messages(response) == ["Choose a time zone from the list."]
    assert not Profile.objects.filter(user=reader).exists()


def test_notification_settings_are_saved_from_the_account_page(client_for, reader):
    response = client_for(reader).post("/account/notifications/", {"email": "daily", "show_spoilers": "on"})
    assert _messages(response) == ["Your notification settings are saved."]
    settings = NotificationSettings.objects.get(user=reader)
    assert (settings.email, settings.show_spoilers) == ("daily", True)
    client_for(reader).post("/account/notifications/", {"email": "off"})
    settings.refresh_from_db()
    assert (settings.email, settings.show_spoilers) == ("off", False)


def test_a_bad_email_choice_is_refused(client_for, reader):
    response = client_for(reader).post("/account/notifications/", {"email": "hourly"})
    assert _messages(response) == ["Choose one of the three."]
    assert not NotificationSettings.objects.filter(user=reader).exists()


def test_signing_out_everywhere_ends_other_sessions_and_keeps_this_one(reader):
    here, elsewhere = Client(), Client()
    here.login(username="reader", password="pw")
    elsewhere.login(username="reader", password="pw")
    assert elsewhere.get("/account/").status_code == 200
    response = here.post("/account/sign-out-everywhere/", {"password": "pw"})
    assert _messages(response) == ["You are signed out everywhere else."]
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302


def test_signing_out_everywhere_with_a_wrong_password_changes_nothing(reader):
    here, elsewhere = Client(), Client()
    here.login(username="reader", password="pw")
    elsewhere.login(username="reader", password="pw")
    response = here.post("/account/sign-out-everywhere/", {"password": "nope"})
    assert _messages(response) == ["That is not your password; nothing was changed."]
    assert elsewhere.get("/account/").status_code == 200


# --- The time zone of every page --------------------------------------------------------------


@pytest.fixture
def meeting(book, moderator):
    group = group_create(
        book=book,
        actor=moderator,
        name="Tuesday readers",
        slug="",
        description="",
        is_private=False,
        members=[],
    )
    return meeting_create(
        group=group,
        actor=moderator,
        starts_at=datetime.datetime(2030, 1, 15, 18, 0, tzinfo=datetime.UTC),
        place_or_link="",
        first_chapter=1,
        last_chapter=2,
        notes="",
    )


def test_dates_are_shown_in_the_signed_in_persons_time_zone(client_for, reader, meeting):
    services.profile_update(user=reader, display_name="", time_zone="Asia/Tokyo")
    url = f"/groups/{meeting.group.slug}/"
    anonymous = Client().get(url).content.decode()
    assert "Jan 15, 2030 18:00</time>" in anonymous and "19:30 UTC</time>" in anonymous
    html = client_for(reader).get(url).content.decode()
    assert "Jan 16, 2030 03:00</time>" in html and "04:30 JST</time>" in html


def test_the_calendar_file_stays_in_utc_whatever_the_time_zone(client_for, reader, meeting):
    services.profile_update(user=reader, display_name="", time_zone="Asia/Tokyo")
    body = client_for(reader).get(f"/groups/{meeting.group.slug}/meetings/{meeting.pk}.ics").content.decode()
    assert "DTSTART:20300115T180000Z" in body


def test_a_saved_time_zone_applies_from_the_next_page(client_for, reader, meeting):
    client = client_for(reader)
    client.post("/account/profile/", {"display_name": "", "time_zone": "America/New_York"})
    html = client.get(f"/groups/{meeting.group.slug}/").content.decode()
    assert "13:00</time>" in html and "14:30 EST</time>" in html


def test_the_time_zone_costs_no_query_once_in_the_session(client_for, reader):
    services.profile_update(user=reader, display_name="", time_zone="Asia/Tokyo")
    client = client_for(reader)  # signing in keeps the zone in the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifications/")
    assert response.status_code == 200
    assert not any("notes_profile" in query["sql"] for query in queries)


def test_a_session_from_before_reads_the_zone_once_then_keeps_it(client_for, reader, meeting):
    services.profile_update(user=reader, display_name="", time_zone="Asia/Tokyo")
    client = client_for(reader)
    session = client.session
    del session["wiki_time_zone"]
    session.save()
    with CaptureQueriesContext(connection) as first:
        html = client.get(f"/groups/{meeting.group.slug}/").content.decode()
    assert "03:00</time>" in html and "JST</time>" in html
    assert any("notes_profile" in query["sql"] for query in first)
    with CaptureQueriesContext(connection) as second:
        client.get("/notifications/")
    assert not any("notes_profile" in query["sql"] for query in second)
