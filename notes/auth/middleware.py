"""Two-factor for staff: with ``MFA_REQUIRED_FOR_STAFF`` on, an admin or moderator without
an authenticator is sent to set one up before any other page."""

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect

from notes import permissions

# Signing in and out, the two-factor pages and e-mail confirmation stay open: without them
# nobody could enrol. Static files are answered before this middleware (whitenoise).
_OPEN_PREFIXES = ("/accounts/",)


class TwoFactorRequiredForStaff:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and permissions.must_enrol_two_factor(user)
            and not is_mfa_enabled(user)
        ):
            # allauth lets nobody add an authenticator while an address of theirs is
            # unconfirmed (whoever signed up with it could lock its owner out).
            if EmailAddress.objects.filter(user_id=user.pk, verified=False).exists():
                messages.warning(
                    request,
                    "Admins and moderators sign in with two-factor here. Confirm your e-mail address "
                    "first, then set up an authenticator app.",
                )
                return redirect("account_email")
            messages.warning(
                request,
                "Admins and moderators sign in with two-factor here: set up an authenticator app first.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
