"""What every API call shares: who is calling (token, session or nobody), the scope check,
errors as problem+json (RFC 9457), the per-caller rate limit and conditional GETs."""

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from notes import permissions
from notes.lib.numbers import BadNumber
from notes.services.api_tokens import ApiTokenError, api_token_authenticate
from wiki.auth import client_ip  # the address rule of login throttling: the proxy's, not the client's claim

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger("notes.api")


@dataclass(frozen=True)
class Caller:
    """Who makes an API call: ``scopes`` None for a browser session (its role alone decides)."""

    user: object
    scopes: frozenset[str] | None
    rate_key: str


class Problem(Exception):
    """An API refusal, sent as problem+json with ``status``, ``title`` and ``detail``."""

    def __init__(self, status: int, title: str, detail: str, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


# --- Who is calling ----------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cw_<prefix>_<secret>``; a header that is there but wrong is a 401,
    never a silent fall back to anonymous reading."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, token_text = header.partition(" ")
        if scheme.lower() != "bearer" or not token_text.strip():
            raise Problem(401, "Not authenticated", "Send the token as “Authorization: Bearer cw_…”.")
        return self.authenticate(request, token_text.strip())

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = api_token_authenticate(token_text=token)
        except ApiTokenError as error:
            raise Problem(401, "Not authenticated", str(error)) from None
        request.user = api_token.user
        return Caller(
            user=api_token.user, scopes=frozenset(api_token.scopes), rate_key=f"token:{api_token.pk}"
        )


class SessionAuth(APIKeyCookie):
    """The browser's own session, as the pages use it; writes need the CSRF token
    (``X-CSRFToken`` header), as every form of the site does."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)  # checked below, with a readable refusal

    def authenticate(self, request: HttpRequest, key):
        if not request.user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
            raise Problem(403, "CSRF check failed", "Send the CSRF token in the X-CSRFToken header.")
        return Caller(user=request.user, scopes=None, rate_key=f"user:{request.user.pk}")


def anonymous(request: HttpRequest):
    """Nobody signed in: reads only, when the wiki is public (each route asks ``can_read``)."""
    request.user = AnonymousUser()
    return Caller(
        user=request.user, scopes=frozenset({permissions.API_SCOPE_READ}), rate_key=f"ip:{client_ip(request)}"
    )


def require_scope(request: HttpRequest, scope: str, allowed: bool = True) -> None:
    """Refuse the call unless the caller's token holds ``scope`` and their role ``allowed`` it."""
    caller: Caller = request.auth
    if not caller.user.is_authenticated and not allowed:
        raise Problem(401, "Not authenticated", "Sign in or send an API token to do this.")
    if not permissions.api_scope_allows(caller.scopes, scope):
        raise Problem(403, "Missing scope", f"This token does not have the “{scope}” scope.")
    if not allowed:
        raise Problem(403, "Forbidden", "Your role does not allow this.")


def require_read(request: HttpRequest) -> None:
    require_scope(request, permissions.API_SCOPE_READ, permissions.can_read(request.user))


# --- Rate limit --------------------------------------------------------------------------

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/hour" -> (600, 3600)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()]


class CallerRateLimit(BaseThrottle):
    """API_RATE_LIMIT calls per window for each token (or signed-in user, or address), counted
    in the shared cache, so every worker process sees the same count."""

    def allow_request(self, request: HttpRequest) -> bool:
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        caller = getattr(request, "auth", None)
        key_part = caller.rate_key if isinstance(caller, Caller) else f"ip:{client_ip(request)}"
        now = time.time()
        window = int(now // period)
        key = f"api-rate:{key_part}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        self._wait = (window + 1) * period - now
        return count <= limit

    def wait(self) -> float:
        return max(1, math.ceil(self._wait))


# --- The API object: problem+json errors and conditional GETs ----------------------------


# The refusals any operation may answer, documented once for all of them (as problem+json).
PROBLEM_STATUSES = {
    "400": "Bad request (a bad cursor or parameter)",
    "401": "Not authenticated: no, a wrong, an expired or a revoked token",
    "403": "Forbidden: the token lacks the scope, or the role does not allow it",
    "404": "Not found (or not yours to see)",
    "409": "Conflict: the page changed since your base version",
    "422": "Invalid request, or refused by the workflow's rules",
    "429": "Too many requests: see Retry-After",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "additionalProperties": True,
}


class ChapterwiseApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                for status, description in PROBLEM_STATUSES.items():
                    if status == "409" and method == "get":
                        continue
                    operation["responses"].setdefault(
                        status, {"description": description, "content": problem}
                    )
                if method == "get":
                    operation["responses"]["304"] = {
                        "description": "Not modified (If-None-Match matched the ETag)"
                    }
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method == "GET" and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            wanted = [
                tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")
            ]
            if etag in wanted or "*" in wanted:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                patch_vary_headers(not_modified, ("Authorization", "Cookie"))
                return not_modified
        return response


def problem_response(api: NinjaAPI, request, status: int, title: str, detail: str, **extra) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


def install_problem_handlers(api: NinjaAPI) -> None:
    """Every 4xx and 5xx the API answers is problem+json."""

    def handler(exc_class, build):
        api.add_exception_handler(exc_class, lambda request, exc: build(request, exc))

    handler(Problem, lambda r, e: problem_response(api, r, e.status, e.title, e.detail, **e.extra))
    handler(
        ValidationError,
        lambda r, e: problem_response(
            api,
            r,
            422,
            "Invalid request",
            "Some fields are missing or wrong; see “errors”.",
            errors=[_validation_error(error) for error in e.errors],
        ),
    )
    handler(Throttled, lambda r, e: problem_response(api, r, 429, "Too many requests", _wait_detail(e)))
    handler(
        AuthenticationError,
        lambda r, e: problem_response(api, r, 401, "Not authenticated", "Sign in or send an API token."),
    )
    handler(HttpError, lambda r, e: problem_response(api, r, e.status_code, "Refused", str(e)))
    handler(
        Http404, lambda r, e: problem_response(api, r, 404, "Not found", "There is nothing at this address.")
    )
    handler(
        PermissionDenied,
        lambda r, e: problem_response(api, r, 403, "Forbidden", "Your role does not allow this."),
    )
    handler(
        permissions.LoginRequired,
        lambda r, e: problem_response(
            api, r, 401, "Not authenticated", "Sign in or send an API token to do this."
        ),
    )
    handler(BadNumber, lambda r, e: problem_response(api, r, 400, "Bad request", str(e)))
    handler(Exception, lambda r, e: _server_error(api, r, e))


def _validation_error(error: dict) -> dict:
    # Pydantic's own "input" and "ctx" may repeat whatever was sent: only where and what.
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg", "")}


def _wait_detail(exc: Throttled) -> str:
    return f"Slow down: try again in {exc.wait and math.ceil(exc.wait) or 1} seconds."


def _server_error(api, request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(
        api, request, 500, "Server error", "Something went wrong on our side; it is logged."
    )
