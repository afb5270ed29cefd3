"""The people services: inviting, resending, revoking, accepting, roles, deactivation, profile."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notes import permissions
from notes.lib.invitations import invitation_token_hash
from notes.models import Invitation, PeopleLogEntry, Profile
from notes.services import people as services
from notes.services.people import PeopleError
from tests.factories import make_user
from tests.people.conftest import link_token

pytestmark = pytest.mark.django_db
User = get_user_model()
Action = PeopleLogEntry.Action


# --- Inviting --------------------------------------------------------------------------------


def test_inviting_sends_exactly_one_email_per_address_after_the_commit(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitation_create(
            actor=admin_user, emails="ann@example.com\nbob@example.com, ann@example.com", role="Editor"
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert result.invited == ["ann@example.com", "bob@example.com"]
    assert sorted(message.to[0] for message in mail.outbox) == ["ann@example.com", "bob@example.com"]
    assert Invitation.objects.count() == 2
    assert "as Editor" in mail.outbox[0].body
    assert PeopleLogEntry.objects.filter(action=Action.INVITED).count() == 2


def test_a_rolled_back_invitation_sends_nothing(admin_user, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invitation_create(actor=admin_user, emails="ann@example.com", role="Editor")
        raise RuntimeError("the request failed after the invitation")
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_the_database_keeps_only_the_hash_of_the_token(invite):
    invitation, token = invite("ann@example.com")
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in invitation.token_hash
    assert len(token) >= 40


def test_one_bad_address_refuses_the_whole_list_and_names_it(admin_user):
    with pytest.raises(PeopleError, match="Not an e-mail address: not-an-address"):
        services.invitation_create(actor=admin_user, emails="ann@example.com, not-an-address", role="Editor")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_with_an_account_is_reported_not_invited(
    admin_user, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitation_create(actor=admin_user, emails="EDITOR@example.com", role="Reviewer")
    assert result.existing == ["editor@example.com"]
    assert result.invited == [] and not Invitation.objects.exists() and mail.outbox == []


def test_inviting_a_pending_address_again_resends_instead_of_duplicating(
    admin_user, invite, django_capture_on_commit_callbacks
):
    first, old_token = invite("ann@example.com", role="Editor")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitation_create(actor=admin_user, emails="ann@example.com", role="Reviewer")
    assert result.resent == ["ann@example.com"] and result.invited == []
    assert Invitation.objects.count() == 1
    invitation = Invitation.objects.get()
    assert invitation.role == "Reviewer"
    assert len(mail.outbox) == 2
    assert invitation.token_hash == invitation_token_hash(link_token(mail.outbox[1].body))
    assert invitation.token_hash != invitation_token_hash(old_token)


def test_an_empty_list_and_a_bad_role_are_refused(admin_user):
    with pytest.raises(PeopleError, match="at least one"):
        services.invitation_create(actor=admin_user, emails=" , \n", role="Editor")
    with pytest.raises(PeopleError, match="Choose the role"):
        services.invitation_create(actor=admin_user, emails="ann@example.com", role="admin")
    assert not Invitation.objects.exists()


def test_only_admins_invite(moderator):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=moderator, emails="ann@example.com", role="Editor")
    assert not Invitation.objects.exists()


def test_resending_gives_a_new_link_and_fresh_days_and_the_old_link_stops_working(
    admin_user, invite, django_capture_on_commit_callbacks
):
    invitation, old_token = invite("ann@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=admin_user, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    with pytest.raises(PeopleError, match="not valid"):
        services.invitation_accept(
            token=old_token, username="ann", display_name="", password="a long passphrase 1"
        )
    new_token = link_token(mail.outbox[-1].body)
    assert services.invitation_accept(
        token=new_token, username="ann", display_name="", password="a long passphrase 1"
    ).email == ("ann@example.com")


def test_a_revoked_invitation_cannot_be_accepted_or_resent(admin_user, invite):
    invitation, token = invite("ann@example.com")
    services.invitation_revoke(actor=admin_user, invitation_id=invitation.pk)
    with pytest.raises(PeopleError, match="withdrawn"):
        services.invitation_accept(
            token=token, username="ann", display_name="", password="a long passphrase 1"
        )
    with pytest.raises(PeopleError, match="revoked"):
        services.invitation_resend(actor=admin_user, invitation_id=invitation.pk)
    assert not User.objects.filter(username="ann").exists()
    assert PeopleLogEntry.objects.filter(action=Action.REVOKED, email="ann@example.com").exists()


def test_the_task_sends_nothing_for_an_invitation_revoked_before_it_ran(admin_user, invite):
    invitation, token = invite("ann@example.com")
    services.invitation_revoke(actor=admin_user, invitation_id=invitation.pk)
    assert services.invitation_email_send(invitation_id=invitation.pk, token=token) is False


# --- Accepting -------------------------------------------------------------------------------


def test_accepting_creates_the_account_with_the_role_and_display_name_once(invite):
    invitation, token = invite("ann@example.com", role="Reviewer")
    user = services.invitation_accept(
        token=token, username="ann", display_name="  Ann   Lee ", password="a long passphrase 1"
    )
    assert user.email == "ann@example.com" and user.check_password("a long passphrase 1")
    assert permissions.account_role(user) == "Reviewer"
    assert Profile.objects.get(user=user).display_name == "Ann Lee"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert PeopleLogEntry.objects.filter(action=Action.ACCEPTED, subject=user).exists()
    with pytest.raises(PeopleError, match="already been used"):
        services.invitation_accept(
            token=token, username="ann2", display_name="", password="a long passphrase 1"
        )
    assert User.objects.filter(email="ann@example.com").count() == 1


def test_an_expired_invitation_is_refused(invite):
    invitation, token = invite("ann@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(PeopleError, match="expired"):
        services.invitation_accept(
            token=token, username="ann", display_name="", password="a long passphrase 1"
        )
    assert not User.objects.filter(username="ann").exists()


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("editor", "a long passphrase 1", "The username editor is taken"),
        ("EDITOR", "a long passphrase 1", "The username EDITOR is taken"),
        ("bad name!", "a long passphrase 1", "letters, digits"),
        ("", "a long passphrase 1", "Choose a username"),
        ("ann", "short", "too short"),
        ("ann", "12345678901", "entirely numeric"),
        ("ann", "ann@example.com", "too similar"),
    ],
)
def test_a_bad_username_or_password_is_refused_and_leaves_the_invitation_usable(
    invite, editor, username, password, message
):
    invitation, token = invite("ann@example.com")
    with pytest.raises(PeopleError, match=message):
        services.invitation_accept(token=token, username=username, display_name="", password=password)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not User.objects.filter(email="ann@example.com").exists()


def test_accepting_for_an_existing_user_applies_the_role_and_marks_it_used(invite, outsider):
    invitation, _ = invite("outsider-new@example.com", role="Editor")
    services.invitation_accept_for_user(invitation=invitation, user=outsider)
    outsider.refresh_from_db()
    assert permissions.account_role(outsider) == "Editor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider
    with pytest.raises(PeopleError, match="already been used"):
        services.invitation_accept_for_user(invitation=invitation, user=outsider)


# --- Roles and deactivation ------------------------------------------------------------------


def test_changing_a_role_sets_exactly_that_role_and_logs_old_and_new(admin_user, editor):
    services.role_change(actor=admin_user, subject=editor, role="Reader")
    editor = User.objects.get(pk=editor.pk)
    assert permissions.account_role(editor) == "Reader"
    assert list(editor.groups.values_list("name", flat=True)) == ["Reader"]
    entry = PeopleLogEntry.objects.get(action=Action.ROLE_CHANGED)
    assert (entry.actor, entry.subject, entry.detail) == (admin_user, editor, "from Editor to Reader")


def test_making_and_unmaking_an_admin(admin_user, editor):
    services.role_change(actor=admin_user, subject=editor, role="admin")
    assert permissions.has_role(User.objects.get(pk=editor.pk), permissions.Role.ADMIN)
    services.role_change(actor=admin_user, subject=editor, role="Moderator")
    editor = User.objects.get(pk=editor.pk)
    assert not editor.is_staff and permissions.account_role(editor) == "Moderator"


def test_nobody_changes_their_own_role_or_deactivates_themself(admin_user, other_admin):
    with pytest.raises(PeopleError, match="your own role"):
        services.role_change(actor=admin_user, subject=admin_user, role="Reader")
    with pytest.raises(PeopleError, match="deactivate yourself"):
        services.user_deactivate(actor=admin_user, subject=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_staff and admin_user.is_active
    assert not PeopleLogEntry.objects.exists()


def test_the_last_active_admin_stays_an_admin(admin_user, other_admin):
    """Two admins demote each other: the second one's change is refused, as the first left
    them the last admin (the acting object is stale, as in a concurrent request)."""
    services.role_change(actor=admin_user, subject=other_admin, role="Editor")
    with pytest.raises(PeopleError, match="last active admin"):
        services.role_change(actor=other_admin_stale(other_admin), subject=admin_user, role="Editor")
    with pytest.raises(PeopleError, match="last active admin"):
        services.user_deactivate(actor=other_admin_stale(other_admin), subject=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_staff and admin_user.is_active


def other_admin_stale(user):
    """``user`` as a request loaded it before another admin demoted them."""
    user.is_staff = user.is_superuser = True
    user._wiki_roles = frozenset({permissions.Role.ADMIN})
    return user


def test_deactivating_keeps_the_account_and_reactivating_restores_it(admin_user, editor):
    services.user_deactivate(actor=admin_user, subject=editor)
    editor.refresh_from_db()
    assert editor.is_active is False and User.objects.filter(pk=editor.pk).exists()
    with pytest.raises(PeopleError, match="already deactivated"):
        services.user_deactivate(actor=admin_user, subject=editor)
    services.user_reactivate(actor=admin_user, subject=editor)
    editor.refresh_from_db()
    assert editor.is_active is True
    assert list(PeopleLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        Action.DEACTIVATED,
        Action.REACTIVATED,
    ]


def test_the_people_log_is_append_only(admin_user, editor):
    services.user_deactivate(actor=admin_user, subject=editor)
    entry = PeopleLogEntry.objects.get()
    entry.detail = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


# --- My account ------------------------------------------------------------------------------


def test_the_profile_takes_a_known_time_zone_and_refuses_others(reader):
    profile = services.profile_update(user=reader, display_name="Rea Der", time_zone="Europe/Paris")
    assert (profile.display_name, profile.time_zone) == ("Rea Der", "Europe/Paris")
    with pytest.raises(PeopleError, match="time zone"):
        services.profile_update(user=reader, display_name="Other", time_zone="Mars/Olympus")
    assert Profile.objects.get(user=reader).display_name == "Rea Der"


def test_signing_out_everywhere_needs_the_password_and_changes_the_session_hash(reader):
    before = reader.get_session_auth_hash()
    with pytest.raises(PeopleError, match="not your password"):
        services.sessions_end_everywhere(user=reader, password="wrong")
    assert User.objects.get(pk=reader.pk).get_session_auth_hash() == before
    services.sessions_end_everywhere(user=reader, password="pw")
    after = User.objects.get(pk=reader.pk)
    assert after.get_session_auth_hash() != before
    assert after.check_password("pw")


def test_an_account_without_a_password_signs_out_everywhere_without_one(reader):
    reader.set_unusable_password()
    reader.save()
    before = reader.get_session_auth_hash()
    services.sessions_end_everywhere(user=reader, password=None)
    assert User.objects.get(pk=reader.pk).get_session_auth_hash() != before


def test_display_name_falls_back_to_the_username(reader):
    from notes.models.people import display_name

    assert display_name(reader) == "reader"
    Profile.objects.create(user=reader, display_name="Rea Der")
    assert display_name(User.objects.select_related("profile").get(pk=reader.pk)) == "Rea Der"
    assert display_name(make_user("plain")) == "plain"
