"""Tasks for the queue (django-tasks): what runs after a commit, away from the request.

With ``TASKS_BACKEND=database`` they wait in the database for ``manage.py db_worker``
(the compose file's ``worker`` service); with ``immediate`` (development, tests) they run
in the process that enqueued them, right after its commit.
"""

from django_tasks import task

from notes.services import email


@task()
def send_notification_emails(event_key: str | None) -> dict:
    """Send the instant e-mails one event left in the outbox (all pending ones for None)."""
    return email.notification_emails_send(event_key=event_key)


@task()
def send_daily_digests() -> int:
    """Send the day's digests; one per person per day, so running it often is harmless."""
    return email.digests_send()
