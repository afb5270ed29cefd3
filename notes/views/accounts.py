"""Account pages of our own around django-allauth's: the sign-up requests admins decide
on, the "Sign-in and security" links, and the guards that close password pages when
local passwords are turned off (``SSO_LOCAL_PASSWORDS=0``)."""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notes import permissions
from notes.models import SignupRequest
from notes.permissions import permission_view, require
from notes.selectors import accounts as account_selectors
from notes.services import accounts as services
from notes.services.accounts import SignupError


def local_passwords_only(view):
    """Answer "passwords are turned off" instead of ``view`` when only single sign-on is on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.SSO_LOCAL_PASSWORDS:
            return render(request, "account/local_passwords_off.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def admin_login(request):
    """Django admin's login page, or ours when passwords are off (admins use single sign-on too)."""
    if settings.SSO_LOCAL_PASSWORDS:
        return admin.site.login(request)
    return redirect_to_login(request.GET.get("next") or "/admin/")


def account_security(request):
    """The sign-in and security links live on the account page, with the rest of one's account."""
    return redirect(f"{reverse('notes:account')}#security-heading", permanent=True)


@permission_view
def signup_requests(request):
    require(request, permissions.can_manage_people(request.user))
    return render(
        request,
        "notes/accounts/signup_requests.html",
        {
            "pending": account_selectors.signup_requests_pending(),
            "decided": account_selectors.signup_requests_decided(),
            "policy": settings.SIGNUP_POLICY,
        },
    )


@require_POST
@permission_view
def signup_request_approve(request, request_id: int):
    return _decide(request, request_id, services.signup_request_approve, "can log in now")


@require_POST
@permission_view
def signup_request_refuse(request, request_id: int):
    return _decide(request, request_id, services.signup_request_refuse, "stays closed")


def _decide(request, request_id: int, decide, outcome: str):
    require(request, permissions.can_manage_people(request.user))
    signup_request = get_object_or_404(SignupRequest, pk=request_id)
    try:
        decided = decide(signup_request=signup_request, by=request.user)
    except SignupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{decided.user.get_username()}'s account {outcome}.")
    return redirect("notes:signup-requests")
