"""Schemathesis reads /api/v1/openapi.json and throws generated requests at every operation,
as anonymous and with a token of each scope: no answer is a 5xx, and every answer matches
what the document says (status code, content type, body schema).

Kept under about two minutes: a few examples per operation and caller. Run with ``-s`` to
see the summary of answers per operation.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from notes.services.api_tokens import api_token_create
from tests.factories import make_book, make_user

# The unexpected-method probes (DELETE on a GET-only path...) are Django's own 405s, not ours.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"unexpected-methods": []}}, "generation": {"max-examples": 3}}
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Who calls: nobody, then a token of each scope held by a user whose role can use it.
CALLERS = {
    "anonymous": None,
    "read": "Reader",
    "write": "Editor",
    "review": "Reviewer",
    "moderate": "Moderator",
}
SUMMARY: dict[str, dict[str, int]] = {}  # operation -> "caller status" -> answers


@pytest.fixture
def callers(db, settings):
    settings.API_RATE_LIMIT = "1000000/hour"
    # Schemathesis calls the WSGI application itself, not through Django's test client, so
    # each request's end would close the connection: on PostgreSQL's pool that hands the
    # test's open transaction back mid-test. Django's test client unhooks the same signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _headers()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers() -> dict[str, dict[str, str]]:
    make_book(slug="test-book", chapters=2, tables=1)
    headers = {"anonymous": {}}
    for scope, role in CALLERS.items():
        if role is None:
            continue
        user = make_user(f"schema-{scope}", role=role)
        scopes = ["read", scope] if scope != "read" else ["read"]
        _token, text = api_token_create(user=user, name=scope, scopes=scopes)
        headers[scope] = {"Authorization": f"Bearer {text}"}
    return headers


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_answers_within_its_schema_for_every_caller(case, callers):
    label = f"{case.method} {case.path}"
    for caller, headers in callers.items():
        response = case.call(headers=headers)
        answers = SUMMARY.setdefault(label, {})
        answers[f"{caller} {response.status_code}"] = answers.get(f"{caller} {response.status_code}", 0) + 1
        case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500


def teardown_module(module):
    print("\nSchemathesis summary (caller status: answers) per operation:")
    for label, statuses in sorted(SUMMARY.items()):
        print(f"  {label}: {dict(sorted(statuses.items()))}")
