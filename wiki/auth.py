"""Login throttling (django-axes): which backend checks, and whose address a request is."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


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


def client_ip(request) -> str:
    """The visitor's address: behind our HTTPS proxy the last one it appended to
    X-Forwarded-For (earlier entries are whatever the client claimed), else REMOTE_ADDR."""
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1][:100]
    return request.META.get("REMOTE_ADDR", "")[:100] or "unknown"
