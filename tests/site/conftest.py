"""Fixtures shared by the site tests (set-up, error pages, roles, admin, commands)."""

import pytest


@pytest.fixture
def admin_client(client_for, admin_user):
    """A client signed in as the staff ``admin_user`` (explicit here, rather than
    pytest-django's fixture of the same name)."""
    return client_for(admin_user)
