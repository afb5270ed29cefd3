"""Login throttling (django-axes): which backend checks, how failures count, and whose
address a request is."""

import ipaddress

from allauth.account.auth_backends import AuthenticationBackend
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum

from notes.selectors.accounts import signed_in_user


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come over HTTP.

    ``authenticate()`` without a request (a management command, the shell) has no
    address to throttle and no visitor to lock out: it goes on to the next backend
    instead of failing as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, with a limit of its own for each lockout parameter.

    axes counts the failures of each parameter (``AXES_LOCKOUT_PARAMETERS``: a username
    from an address, then the address alone) and compares the largest with one limit. The
    address alone may fail ``LOGIN_ADDRESS_FAILURE_LIMIT`` times: its count is scaled to
    ``AXES_FAILURE_LIMIT``, so it reaches that exactly when it reaches its own ceiling.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_name_and_address, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit, ceiling = settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(per_name_and_address, per_address * limit // ceiling)


class UserWithRolesBackend(ModelBackend):
    """Django's own password backend, but the signed-in user of each request comes with
    their roles, reading progress, watches and unseen notifications, from one cache read
    while none of them changed (``notes.selectors.accounts.signed_in_user``): every page
    asks about them, and reading them from the database is four queries a page."""

    def get_user(self, user_id):
        return _session_user(self, user_id)


class AllauthWithRolesBackend(AuthenticationBackend):
    """django-allauth's backend (logins by e-mail address, single sign-on), whose sessions'
    user comes from the same snapshot as ``UserWithRolesBackend``'s: allauth names its own
    backend in the sessions it makes, which would otherwise read the user, their roles,
    progress, watches and unseen count from the database on every page."""

    def get_user(self, user_id):
        return _session_user(self, user_id)


def _session_user(backend, user_id):
    try:
        user = signed_in_user(int(user_id))
    except (TypeError, ValueError):
        return None  # a session holding something other than an id
    return user if user is not None and backend.user_can_authenticate(user) else None


def client_ip(request) -> str | None:
    """The visitor's address: behind our HTTPS proxy the last one it appended to
    X-Forwarded-For (earlier entries are whatever the client claimed), else REMOTE_ADDR.

    Only a well-formed address is returned: axes stores it in an address column
    (PostgreSQL's ``inet``), which refuses anything else.
    """
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = _address(forwarded[-1])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def client_username(request, credentials) -> str | None:
    """The username tried, cut to the longest a Django username can be (150): no account
    has a longer one, and axes' column holds 255 characters at most."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username[:150] if isinstance(username, str) else None


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
