"""Password reset in the site's look, which never tells whether an address has an account."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.accounts.conftest import log_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


def test_the_reset_page_answers_the_same_for_a_known_and_an_unknown_address(client):
    make_user("pat", password="a long password")
    known = client.post(RESET, {"email": "pat@example.com"})
    unknown = client.post(RESET, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    done = client.get(known.url).text
    assert "pat@example.com" not in done and "nobody" not in done


def test_the_reset_mail_carries_a_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    make_user("pat", password="an old password")
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        client.post(RESET, {"email": "pat@example.com"})
    to_pat = [message for message in mail.outbox if message.to == ["pat@example.com"]]
    assert len(to_pat) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", to_pat[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="password1"' in form.text
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a brand new password", "password2": "a brand new password"},
    )
    assert done.status_code == 302
    assert log_in(client, "pat", "a brand new password").status_code == 302


def test_a_bad_reset_link_says_so_and_changes_nothing(client):
    user = make_user("pat", password="an old password")
    page = client.get("/accounts/password/reset/key/1-not-a-real-key/")
    assert page.status_code == 200
    assert "This reset link does not work" in page.text and 'name="password1"' not in page.text
    user.refresh_from_db()
    assert user.check_password("an old password")


def test_a_malformed_address_is_refused_with_a_message(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert mail.outbox == []


def test_with_local_passwords_off_there_is_no_password_reset(client, settings):
    settings.SSO_LOCAL_PASSWORDS = False
    make_user("pat", password="a long password")
    page = client.get(RESET)
    assert page.status_code == 403 and "Passwords are turned off here" in page.text
    assert client.post(RESET, {"email": "pat@example.com"}).status_code == 403
    assert mail.outbox == []


def test_changing_a_password_needs_the_old_one(client):
    make_user("pat", password="an old password")
    log_in(client, "pat", "an old password")
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "a brand new password", "password2": "a brand new password"},
    )
    assert wrong.status_code == 200 and "Please type your current password." in wrong.text
    right = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "an old password",
            "password1": "a brand new password",
            "password2": "a brand new password",
        },
    )
    assert right.status_code == 302


# --- Sent by the task queue, after the commit ---------------------------------------------------

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_reset_mail_is_queued_only_when_the_request_commits(client, django_capture_on_commit_callbacks):
    make_user("pat", password="an old password")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(RESET, {"email": "pat@example.com"}).status_code == 302
    assert mail.outbox == []  # not sent inside the request
    assert len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [["pat@example.com"]]


# Transactional: the worker closes its connection between tasks, as a real one does.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_with_the_database_queue_the_worker_sends_the_reset_mail(client, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    make_user("pat", password="an old password")
    client.post(RESET, {"email": "pat@example.com"})
    client.post(RESET, {"email": "nobody@example.com"})
    assert mailoutbox == []  # the web process sent nothing, known address or not
    queued = DBTaskResult.objects.order_by("pk")
    assert [row.task_path for row in queued] == ["notes.tasks.send_account_email"] * 2
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(message.to[0] for message in mailoutbox) == ["nobody@example.com", "pat@example.com"]
    to_pat = next(message for message in mailoutbox if message.to == ["pat@example.com"])
    assert to_pat.subject.startswith("[Chapterwise] ")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", to_pat.body).group(1)
    form = client.get(link, follow=True)
    assert 'name="password1"' in form.text


def test_a_queue_that_cannot_take_the_mail_still_answers_the_reset_page(
    client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from notes import tasks

    class Unreachable:
        @staticmethod
        def enqueue(*args, **kwargs):
            raise ConnectionError("task queue unreachable")

    monkeypatch.setattr(tasks, "send_account_email", Unreachable)
    make_user("pat", password="an old password")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "pat@example.com"})
    assert response.status_code == 302
    assert "Could not queue a sign-in e-mail" in caplog.text
