"""Access to a reading group can be taken back: each member has their own calendar link,
which stops working when they leave; the invite link is replaced by a manager on request,
when a member is removed and when the group becomes private, so an old link lets nobody
(back) in."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from notes import permissions
from notes.models import GroupMembership
from notes.services.groups import group_create, group_invite_regenerate, group_update, meeting_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(book, moderator, reader, editor):
    group = group_create(
        book=book, actor=moderator, name="Secret circle", is_private=True, members=[reader, editor]
    )
    meeting_create(
        group=group,
        actor=moderator,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        first_chapter=1,
        last_chapter=1,
    )
    return group


def feed(client, token: str):
    return client.get(f"/groups/secret-circle/meetings.ics?token={token}")


def test_each_member_gets_their_own_calendar_link_on_the_group_page(client_for, circle, reader, editor):
    tokens = {
        user: GroupMembership.objects.get(group=circle, user=user).calendar_token for user in (reader, editor)
    }
    assert tokens[reader] != tokens[editor]
    page = client_for(reader).get("/groups/secret-circle/").content.decode()
    assert f"meetings.ics?token={tokens[reader]}" in page
    assert tokens[editor] not in page
    meeting = circle.meetings.get()
    meeting_page = client_for(reader).get(f"/groups/secret-circle/meetings/{meeting.pk}/").content.decode()
    assert f"/groups/secret-circle/meetings/{meeting.pk}.ics?token={tokens[reader]}" in meeting_page


def test_a_removed_members_old_calendar_link_and_invite_link_are_refused(
    client, client_for, circle, moderator, reader, editor
):
    old_calendar = GroupMembership.objects.get(group=circle, user=reader).calendar_token
    old_invite = circle.invite_token
    assert len(Calendar.from_ical(feed(client, old_calendar).content).walk("VEVENT")) == 1

    group_update(group=circle, actor=moderator, name=circle.name, is_private=True, members=[editor])

    assert feed(client, old_calendar).status_code == 404
    meeting = circle.meetings.get()
    assert (
        client.get(f"/groups/secret-circle/meetings/{meeting.pk}.ics?token={old_calendar}").status_code == 404
    )
    rejoin = client_for(reader).post(f"/groups/secret-circle/join/{old_invite}/")
    assert rejoin.status_code == 404
    assert not circle.memberships.filter(user=reader).exists()
    # The member who stays keeps a working link.
    kept = GroupMembership.objects.get(group=circle, user=editor).calendar_token
    assert feed(client, kept).status_code == 200


def test_a_members_calendar_link_opens_only_their_own_groups_feed(client, book, moderator, circle, editor):
    other = group_create(book=book, actor=moderator, name="Other", is_private=True, members=[editor])
    token = GroupMembership.objects.get(group=other, user=editor).calendar_token
    assert client.get(f"/groups/other/meetings.ics?token={token}").status_code == 200
    circle_token = GroupMembership.objects.get(group=circle, user=editor).calendar_token
    assert client.get(f"/groups/other/meetings.ics?token={circle_token}").status_code == 404


def test_a_deactivated_members_calendar_link_stops_working(client, circle, reader):
    token = GroupMembership.objects.get(group=circle, user=reader).calendar_token
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert feed(client, token).status_code == 404


def test_a_manager_replaces_the_invite_link_from_the_group_page(client_for, circle, moderator, outsider):
    old = circle.invite_token
    client = client_for(moderator)
    page = client.get("/groups/secret-circle/").content.decode()
    assert 'action="/groups/secret-circle/invite/regenerate/"' in page
    response = client.post("/groups/secret-circle/invite/regenerate/", follow=True)
    assert response.status_code == 200 and "the old one no longer works" in response.content.decode()
    circle.refresh_from_db()
    assert circle.invite_token != old
    assert circle.invite_token in response.content.decode()
    assert client_for(outsider).post(f"/groups/secret-circle/join/{old}/").status_code == 404


@pytest.mark.parametrize("who", ["reader", "editor", "outsider"])
def test_only_managers_replace_the_invite_link(request, client_for, circle, who):
    old = circle.invite_token
    response = client_for(request.getfixturevalue(who)).post("/groups/secret-circle/invite/regenerate/")
    assert response.status_code in {403, 404}
    circle.refresh_from_db()
    assert circle.invite_token == old


def test_replacing_the_invite_link_is_a_post(client_for, circle, moderator):
    assert client_for(moderator).get("/groups/secret-circle/invite/regenerate/").status_code == 405


def test_the_service_refuses_a_non_manager(circle, reader):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only moderators and admins change a group's invite link"):
        group_invite_regenerate(group=circle, actor=reader)


def test_a_group_made_private_gets_a_new_invite_link(book, moderator, reader):
    group = group_create(book=book, actor=moderator, name="Open", members=[reader])
    old = group.invite_token
    group_update(group=group, actor=moderator, name="Open", members=[reader])
    group.refresh_from_db()
    assert group.invite_token == old  # nothing about access changed
    group_update(group=group, actor=moderator, name="Open", is_private=True, members=[reader])
    group.refresh_from_db()
    assert group.invite_token != old


def test_the_calendar_permission_cell_by_cell(circle, reader, outsider):
    membership = GroupMembership.objects.select_related("user").get(group=circle, user=reader)
    can = permissions.can_read_group_calendar
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert can(anonymous, circle, is_member=False, token_membership=membership) is True
    assert can(anonymous, circle, is_member=False, token_membership=None) is False
    assert can(outsider, circle, is_member=False, token_membership=None) is False
    assert can(reader, circle, is_member=True, token_membership=None) is True
