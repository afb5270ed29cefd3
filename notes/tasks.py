"""Tasks for the queue (django-tasks): what runs after a commit, away from the request.

With ``TASKS_BACKEND=database`` they wait in the database for ``manage.py db_worker``
(the compose file's ``worker`` service); with ``immediate`` (development, tests) they run
in the process that enqueued them, right after its commit.

The services enqueue these tasks, so this module imports the services only inside each
task's body: importing them here would make every service that enqueues a task import
itself back. A task's dotted path (``notes.tasks.<function>``) is stored with each queued
row, so these functions keep their names and their module.
"""

from django_tasks import task


@task()
def send_notification_emails(event_key: str | None) -> dict:
    """Send the instant e-mails one event left in the outbox (all pending ones for None)."""
    from notes.services import email  # in the body: the services import this module

    return email.notification_emails_send(event_key=event_key)


@task()
def send_daily_digests() -> int:
    """Send the day's digests; one per person per day, so running it often is harmless."""
    from notes.services import email  # in the body: the services import this module

    return email.digests_send()


@task()
def send_webhook(delivery_id: int) -> str:
    """Make one attempt at a webhook delivery, if it is due and nobody else is sending it."""
    from notes.services import webhooks  # in the body: the services import this module

    return webhooks.webhook_delivery_send(delivery_id=delivery_id)


@task()
def send_due_webhooks() -> dict:
    """Send every webhook delivery whose time has come (new ones and retries)."""
    from notes.services import webhooks  # in the body: the services import this module

    return webhooks.webhook_deliveries_send_due()


@task()
def send_webhook_disabled_email(endpoint_id: int) -> bool:
    """Tell a webhook's creator that repeated failures disabled it."""
    from notes.services import webhooks  # in the body: the services import this module

    return webhooks.webhook_disabled_email_send(endpoint_id=endpoint_id)


@task()
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """E-mail one invitation its link; the token travels only here (the database keeps its hash)."""
    from notes.services import people  # in the body: the services import this module

    return people.invitation_email_send(invitation_id=invitation_id, token=token)


@task()
def send_account_email(message: dict) -> int:
    """Send one sign-in e-mail allauth wrote (password reset, address confirmation)."""
    from notes.services import email  # in the body: the services import this module

    return email.account_email_send(message=message)
