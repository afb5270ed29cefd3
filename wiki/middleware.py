"""Site-wide request checks that no single view should have to repeat."""

from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse


class RejectNulCharacters:
    """Answer 400 to a NUL character in the path, the query string or a form field.

    No text we store may hold one (PostgreSQL refuses it), and no legitimate browser
    sends one; refusing it here turns what would be a database error deep in a view
    into a clear "bad request" before anything runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class HealthCheck:
    """Answer ``GET /healthz/`` with 200 "ok" when the database answers, else 503.

    It sits first in MIDDLEWARE and never reads the Host header, so the container's own
    health check (which calls ``http://127.0.0.1:8000``) passes whatever ALLOWED_HOSTS
    says, and SECURE_SSL_REDIRECT does not bounce it to HTTPS.
    """

    path = "/healthz/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.path or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")
