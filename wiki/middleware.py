"""Site-wide request checks that no single view should have to repeat."""

import threading

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from notes.lib import time_zones
from notes.lib.page_cache import anonymous_page_lookup
from notes.selectors.people import time_zone_of
from wiki.cache import cache_is_available

NUL_REFUSED = "The request holds a NUL character."


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
            if request.path.startswith("/api/"):
                # API clients read errors as problem+json (docs/API.md), never as a page.
                return JsonResponse(
                    {"type": "about:blank", "title": "Bad request", "status": 400, "detail": NUL_REFUSED},
                    status=400,
                    content_type="application/problem+json",
                )
            raise BadRequest(NUL_REFUSED)
        return self.get_response(request)


class RefuseEmptyAdminToField:
    """Answer 400 to Django admin's ``_to_field`` parameter when it is empty.

    Admin checks a ``_to_field`` that names a field, but passes an empty one on to
    ``Meta.get_field("")``, which raises FieldDoesNotExist: a server error from one
    query parameter on every change and delete page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST if request.method == "POST" else {}):
            if "_to_field" in data and not data.get("_to_field"):
                raise BadRequest("_to_field must name a field.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class HealthCheck:
    """Answer ``GET /healthz/``: 200 "ok", 200 "degraded" when the cache is down (pages are
    served without it), 503 "down" only when the database does not answer.

    It answers within ``HEALTH_CHECK_SECONDS`` whatever hangs: the database is asked in a
    thread of its own, and a database that has not answered by then counts as down (the
    cache's own socket timeouts bound the cache's check).

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
        if not _within(settings.HEALTH_CHECK_SECONDS, _database_answers):
            return HttpResponse("down: the database does not answer\n", status=503, content_type="text/plain")
        if not cache_is_available():
            return HttpResponse("degraded: the cache does not answer\n", content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    finally:
        # This thread's connection goes back to the pool (or is closed): the thread ends here.
        connection.close()
    return True


def _within(seconds: float, check) -> bool:
    """``check()``'s answer, or False if it has not answered within ``seconds``."""
    answer = []
    thread = threading.Thread(target=lambda: answer.append(check()), daemon=True, name="healthz")
    thread.start()
    thread.join(seconds)
    return bool(answer and answer[0])


class SiteNotFoundPageInDebug:
    """With DEBUG on, show the site's own 404 page, as production does.

    ``make run`` serves with DEBUG on, where Django answers a missing page with its
    technical 404 (the URL patterns, the exception). A link to a chapter that was never
    written should look the same to a reader in development as in production, so an HTML
    404 becomes ``templates/404.html`` in the site's layout. Developers who want Django's
    page add ``?debug-404`` to the address.
    """

    debug_parameter = "debug-404"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and self.debug_parameter not in request.GET
            and not getattr(response, "is_site_page", False)
        ):
            from django.views.defaults import page_not_found

            response = page_not_found(request, exception=None)
            response.is_site_page = True
        return response


class PrivateCacheForSignedInUsers:
    """Mark every answer to a signed-in user ``Cache-Control: private``.

    Their pages carry their name, their notifications, their drafts and a CSRF token:
    a shared cache (a proxy, a CDN) must never hand them to the next visitor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class ActivateUserTimeZone:
    """Show every date in the signed-in person's own time zone (their profile's).

    The zone is kept in the session at sign-in and when the person saves it on /account/,
    so a page costs no query for it; a session from before that reads it once and keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = time_zones.remembered(request.session, user_id=user.pk)
            if name is None:
                name = time_zone_of(user)
                time_zones.remember(request.session, user_id=user.pk, name=name)
            time_zones.activate(name)
        else:
            time_zones.activate(None)
        try:
            return self.get_response(request)
        finally:
            time_zones.activate(None)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, with the headers built once for the settings' policy.

    django-csp builds the header from the settings on every response (dataclass copies and
    string joins: about a tenth of a signed-in chapter page's time), though nothing here
    varies it: no view asks a nonce or decorates its policy. A response that could vary
    (a nonce asked, a django-csp decorator's attribute, an excluded prefix configured, a
    header already set) goes through django-csp as before; every other response gets the
    headers django-csp built for the first such response under the same settings.
    """

    _PER_RESPONSE = tuple(
        f"_csp_{name}{suffix}" for name in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: dict[str, dict[str, str]] = {}

    def process_response(self, request, response):
        policies = (
            getattr(settings, "CONTENT_SECURITY_POLICY", None) or {},
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {},
        )
        if (
            response.status_code != 200
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._PER_RESPONSE)
            or any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)
            or CSP_HEADER in response
            or CSP_HEADER_REPORT_ONLY in response
        ):
            return super().process_response(request, response)
        key = repr(policies)  # settings overridden (tests) build their own
        headers = self._built.get(key)
        if headers is None:
            response = super().process_response(request, response)
            self._built[key] = {
                name: response[name] for name in (CSP_HEADER, CSP_HEADER_REPORT_ONLY) if name in response
            }
            return response
        for name, value in headers.items():
            response[name] = value
        # As django-csp does: a nonce asked after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class LoadedUser:
    """``request.user`` as the user itself rather than Django's lazy stand-in for it.

    Every attribute read through the stand-in (``SimpleLazyObject``) goes through two
    methods and a caught AttributeError, and a signed-in page reads the user a few hundred
    times (roles, permissions, templates): a tenth of the page's time. The user is loaded
    here, once, as it would be a moment later by the first read; ``get_user`` keeps the one
    the stand-in would return, so both are the same object. A request without a session
    cookie gets the anonymous user, which costs nothing to load.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "user"):
            request.user = get_user(request)
        return self.get_response(request)


class AnonymousPages:
    """Answer anonymous visitors from the page cache before the rest of the stack runs.

    A kept book or chapter page (``notes.lib.page_cache``) costs one cache round trip and
    none of the middleware below this one; a page not kept goes on to the view and is kept
    on its way back, with the headers every middleware below gave it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response, keep = anonymous_page_lookup(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if keep is not None:
            keep(response)
        return response
