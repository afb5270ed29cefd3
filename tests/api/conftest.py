"""API tests: a token for any user, and a client that sends it."""

import pytest
from django.test import Client

from notes.services.api_tokens import api_token_create


@pytest.fixture
def token_for():
    """``token_for(user, *scopes)``: the whole text of a new token of ``user``."""

    def build(user, *scopes):
        _token, text = api_token_create(user=user, name="test", scopes=list(scopes or ["read"]))
        return text

    return build


@pytest.fixture
def api():
    """``api(token)``: a test client that sends ``Authorization: Bearer <token>`` (none for None)."""

    def build(token=None):
        return Client(headers={"Authorization": f"Bearer {token}"} if token else {})

    return build
