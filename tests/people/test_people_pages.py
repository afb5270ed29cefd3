"""The /people/ page and its actions, and the invitation link's page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from notes import permissions
from notes.models import Invitation, PeopleLogEntry, Profile
from notes.services import people as services
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- /people/ ------------------------------------------------------------------------------


def test_admins_see_everyone_with_role_status_and_the_forms(client_for, admin_user, editor, reader):
    services.user_deactivate(actor=admin_user, subject=reader)
    html = client_for(admin_user).get("/people/").content.decode()
    assert f'id="person-{editor.pk}"' in html and "editor@example.com" in html
    assert "deactivated" in html and "Reactivate" in html
    assert 'action="/people/invite/"' in html and "Change role" in html
    assert "csrfmiddlewaretoken" in html
    assert "ask another admin" in html  # their own row has no actions


def test_moderators_see_the_page_read_only(client_for, moderator, editor):
    response = client_for(moderator).get("/people/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="person-{editor.pk}"' in html
    assert "<form" not in html.split('id="content"')[1].split("</main>")[0].replace('class="search"', "")
    assert "only admins invite" in html


def test_the_nav_links_people_for_moderators_and_admins_only(client_for, admin_user, moderator, editor):
    assert 'href="/people/"' in client_for(admin_user).get("/").content.decode()
    assert 'href="/people/"' in client_for(moderator).get("/").content.decode()
    assert 'href="/people/"' not in client_for(editor).get("/").content.decode()


# The session, the admin count, the people, the invitations, the log, and the nav's review
# count, whatever the number of rows (the user with their roles and unseen count come from
# the cache).
PINNED_PEOPLE_QUERIES = 6


def test_the_people_page_runs_a_constant_number_of_queries(client_for, admin_user, django_assert_num_queries):
    client = client_for(admin_user)
    client.get("/")  # the admin's snapshot (roles, unseen count) is built once
    with django_assert_num_queries(PINNED_PEOPLE_QUERIES):
        client.get("/people/")
    for number in range(8):
        user = make_user(f"person{number}", role="Editor")
        Profile.objects.create(user=user, display_name=f"Person {number}")
        services.invitation_create(actor=admin_user, emails=f"new{number}@example.com", role="Reader")
        services.user_deactivate(actor=admin_user, subject=user)
    with django_assert_num_queries(PINNED_PEOPLE_QUERIES):
        response = client.get("/people/")
    assert "Person 7" in response.content.decode()


def test_inviting_from_the_page_sends_the_emails_and_says_so(
    client_for, admin_user, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            "/people/invite/", {"emails": "ann@example.com, editor@example.com", "role": "Reviewer"}
        )
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert [message.to for message in mail.outbox] == [["ann@example.com"]]
    said = _messages(response)
    assert "Invited ann@example.com as Reviewer." in said
    assert "Already have an account, not invited: editor@example.com." in said


def test_a_bad_address_on_the_page_is_reported_and_invites_nobody(client_for, admin_user):
    response = client_for(admin_user).post(
        "/people/invite/", {"emails": "ann@example.com\nbob@", "role": "Editor"}
    )
    assert response.status_code == 302
    assert any("Not an e-mail address: bob@" in message for message in _messages(response))
    assert not Invitation.objects.exists()


def test_resend_and_revoke_from_the_page(client_for, admin_user, invite, django_capture_on_commit_callbacks):
    invitation, _ = invite("ann@example.com")
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/invitations/{invitation.pk}/resend/")
    assert len(mail.outbox) == 2
    response = client.post(f"/people/invitations/{invitation.pk}/revoke/")
    assert "its link no longer works" in _messages(response)[-1]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_changing_a_role_and_deactivating_from_the_page(client_for, admin_user, editor):
    client = client_for(admin_user)
    response = client.post(f"/people/{editor.pk}/role/", {"role": "Reader"})
    assert _messages(response) == ["editor is now Reader."]
    assert permissions.account_role(User.objects.get(pk=editor.pk)) == "Reader"
    response = client.post(f"/people/{editor.pk}/deactivate/")
    assert "deactivated" in _messages(response)[-1]
    assert User.objects.get(pk=editor.pk).is_active is False


def test_an_admin_changing_their_own_role_gets_a_message_and_nothing_changes(
    client_for, admin_user, other_admin
):
    response = client_for(admin_user).post(f"/people/{admin_user.pk}/role/", {"role": "Reader"})
    assert _messages(response) == ["You cannot change your own role; ask another admin."]
    assert User.objects.get(pk=admin_user.pk).is_staff
    assert not PeopleLogEntry.objects.exists()


def test_a_bad_role_is_refused_with_a_message(client_for, admin_user, editor):
    response = client_for(admin_user).post(f"/people/{editor.pk}/role/", {"role": "Emperor"})
    assert _messages(response) == ["Choose one of the roles."]
    assert permissions.account_role(User.objects.get(pk=editor.pk)) == "Editor"


def test_actions_refuse_get(client_for, admin_user, editor):
    assert client_for(admin_user).get(f"/people/{editor.pk}/deactivate/").status_code == 405


def test_a_deactivated_person_is_signed_out_at_their_next_request(client_for, admin_user, editor):
    client = client_for(editor)
    assert client.get("/reviews/").status_code == 200
    services.user_deactivate(actor=admin_user, subject=editor)
    response = client.get("/reviews/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- /invitations/<token>/ -----------------------------------------------------------------------


def test_the_invitation_page_shows_who_invited_and_the_role(client, invite, admin_user):
    Profile.objects.create(user=admin_user, display_name="Ada Admin")
    _, token = invite("ann@example.com", role="Reviewer")
    html = client.get(f"/invitations/{token}/").content.decode()
    assert "Ada Admin" in html and "Reviewer" in html and "ann@example.com" in html
    assert 'name="password_again"' in html


def test_accepting_signs_the_person_in_and_welcomes_them(client, invite):
    _, token = invite("ann@example.com", role="Editor")
    response = client.post(
        f"/invitations/{token}/",
        {
            "username": "ann",
            "display_name": "Ann Lee",
            "password": "a long passphrase 1",
            "password_again": "a long passphrase 1",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.wsgi_request.user.username == "ann"
    assert "Welcome to Chapterwise, Ann Lee!" in response.content.decode()
    assert permissions.can_propose(User.objects.get(username="ann"))


def test_two_different_passwords_are_refused_and_change_nothing(client, invite):
    invitation, token = invite("ann@example.com")
    response = client.post(
        f"/invitations/{token}/",
        {
            "username": "ann",
            "display_name": "",
            "password": "a long passphrase 1",
            "password_again": "another one 2",
        },
    )
    assert response.status_code == 400
    assert "The two passwords differ" in response.content.decode()
    assert not User.objects.filter(username="ann").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_a_weak_password_is_refused_on_the_page(client, invite):
    _, token = invite("ann@example.com")
    response = client.post(
        f"/invitations/{token}/",
        {"username": "ann", "display_name": "", "password": "123", "password_again": "123"},
    )
    assert response.status_code == 400 and "too short" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "x" * 300, "%00", "a/b"])
def test_an_unknown_token_answers_404_with_a_clear_page(client, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404 or response.status_code == 400


def test_an_unknown_token_page_says_so(client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("used", "already been used"),
        ("revoked", "withdrawn"),
        ("expired", "expired"),
    ],
)
def test_used_revoked_and_expired_invitations_answer_410_and_change_nothing(
    client, invite, admin_user, outsider, spoil, message
):
    invitation, token = invite("ann@example.com")
    if spoil == "used":
        services.invitation_accept_for_user(invitation=invitation, user=outsider)
    elif spoil == "revoked":
        services.invitation_revoke(actor=admin_user, invitation_id=invitation.pk)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    users = User.objects.count()
    for response in (
        client.get(f"/invitations/{token}/"),
        client.post(
            f"/invitations/{token}/",
            {
                "username": "ann",
                "display_name": "",
                "password": "a long passphrase 1",
                "password_again": "a long passphrase 1",
            },
        ),
    ):
        assert response.status_code == 410
        assert message in response.content.decode()
    assert User.objects.count() == users


def test_django_admin_shows_people_rows_read_only_and_never_a_token_hash(client_for, admin_user, invite):
    invitation, _ = invite("ann@example.com")
    client = client_for(admin_user)
    for url in ("/admin/notes/invitation/", "/admin/notes/peoplelogentry/", "/admin/notes/profile/"):
        assert client.get(url).status_code == 200
    html = client.get(f"/admin/notes/invitation/{invitation.pk}/change/").content.decode()
    assert "ann@example.com" in html and invitation.token_hash not in html
    assert client.get("/admin/notes/invitation/add/").status_code == 403
