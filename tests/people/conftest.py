"""Fixtures shared by the people tests: a second admin, and invitations with their tokens."""

import pytest
from django.core import mail

from notes.services.people import invitation_create
from tests.factories import make_user


@pytest.fixture
def other_admin(db):
    return make_user("other_admin", staff=True)


@pytest.fixture
def invite(admin_user, django_capture_on_commit_callbacks):
    """``invite(address, role="Editor")``: invite through the service, run the commit's
    task, and return ``(invitation, token)`` read from the link in the e-mail."""

    def run(address: str, role: str = "Editor"):
        from notes.models import Invitation

        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            invitation_create(actor=admin_user, emails=address, role=role)
        message = mail.outbox[before]
        token = link_token(message.body)
        return Invitation.objects.get(email=address), token

    return run


def link_token(body: str) -> str:
    """The token in an invitation e-mail's link (/invitations/<token>/)."""
    for line in body.splitlines():
        if "/invitations/" in line:
            return line.rstrip("/").rsplit("/", 1)[1]
    raise AssertionError(f"no invitation link in: {body!r}")
