"""Links in e-mails (unsubscribe, stop watching) stop working after EMAIL_LINK_MAX_AGE_DAYS,
with a page that says so; a fresh link still works."""

import time

import pytest
from django.core import signing

from notes.lib import email_tokens
from notes.models import NotificationSettings, Watch
from notes.services import watching
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def made_days_ago(monkeypatch, days: int, make):
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - days * DAY)
    token = make()
    monkeypatch.setattr(signing.time, "time", real)
    return token


def test_an_unsubscribe_link_older_than_the_limit_shows_a_clear_page_and_changes_nothing(
    client, reader, settings, monkeypatch
):
    settings.EMAIL_LINK_MAX_AGE_DAYS = 30
    token = made_days_ago(monkeypatch, 31, lambda: email_tokens.unsubscribe_token(reader))
    for response in (client.get(f"/email/unsubscribe/{token}/"), client.post(f"/email/unsubscribe/{token}/")):
        assert response.status_code == 400
        assert "This link has expired: links in e-mails work for 30 days." in response.text
    assert not NotificationSettings.objects.exists()


def test_an_unsubscribe_link_within_the_limit_still_works(client, reader, settings, monkeypatch):
    settings.EMAIL_LINK_MAX_AGE_DAYS = 30
    token = made_days_ago(monkeypatch, 29, lambda: email_tokens.unsubscribe_token(reader))
    assert client.post(f"/email/unsubscribe/{token}/").status_code == 200
    assert NotificationSettings.objects.get(user=reader).email == "off"


def test_an_expired_unwatch_link_keeps_the_watch(client, chapter, reader, settings, monkeypatch):
    settings.EMAIL_LINK_MAX_AGE_DAYS = 30
    thread = make_thread(chapter=chapter, author=reader, title="Why columns?")
    watching.watch_add(user=reader, target=thread)
    token = made_days_ago(
        monkeypatch, 31, lambda: email_tokens.unwatch_token(reader, target="thread", target_id=thread.pk)
    )
    response = client.post(f"/email/unwatch/{token}/")
    assert response.status_code == 400 and "This link has expired" in response.text
    assert Watch.objects.filter(user=reader, thread=thread).exists()


def test_the_file_email_backend_writes_where_email_file_path_says(settings, tmp_path):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    mail.EmailMessage(subject="Hello", body="Body", to=["a@example.com"]).send()
    (written,) = (tmp_path / "mail").iterdir()
    assert "Subject: Hello" in written.read_text()


def test_the_settings_read_email_file_path_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "EMAIL_FILE_PATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "wiki.test_settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_FILE_PATH)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(tmp_path)
