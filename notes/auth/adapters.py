"""django-allauth adapters: every decision allauth leaves to the site, in one module.

- who may sign up (``SIGNUP_POLICY``: closed, domains, approval; an invitation opens it);
- what a new account becomes (Reader; inactive until approved under "approval");
- how its e-mail leaves (written in the request, sent by the task queue after the commit);
- which single sign-on identities are accepted (verified e-mail addresses only) and the
  roles a provider's claims grant (``SSO_ROLE_CLAIM`` / ``SSO_ROLE_MAP``).
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect

from notes.lib.sso import INVITATION_SESSION_KEY, roles_from_claims
from notes.selectors.people import invitation_by_token
from notes.services import accounts as account_services
from notes.services import email as email_services
from notes.services.people import invitation_accept_for_user, invitation_refusal


def _invitation(request):
    """The invitation this browser opened, if it can still be accepted (a used, revoked or
    expired one opens nothing)."""
    session = getattr(request, "session", None)
    token = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not token:
        return None
    invitation = invitation_by_token(token)
    return invitation if invitation_refusal(invitation) is None else None


def _invitation_token(request) -> str | None:
    invitation = _invitation(request)
    return request.session[INVITATION_SESSION_KEY] if invitation is not None else None


def _domain_allowed(email: str) -> bool:
    domain = email.rpartition("@")[2].strip().lower()
    return bool(domain) and domain in settings.SIGNUP_DOMAINS


def _needs_approval(request) -> bool:
    return settings.SIGNUP_POLICY == "approval" and not _invitation_token(request)


def _invitation_accept(request, user) -> None:
    """Spend the invitation that opened this sign-up: its role, once."""
    invitation = _invitation(request)
    if invitation is not None:
        invitation_accept_for_user(invitation=invitation, user=user)
    request.session.pop(INVITATION_SESSION_KEY, None)


def _complete_signup(request, user) -> None:
    account_services.signup_complete(user=user, needs_approval=_needs_approval(request))
    _invitation_accept(request, user)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mail, written now and sent by the task queue after the commit
        (``notes.services.email.account_email_queue`` says why)."""
        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": get_current_site(request)}
        full_context.update(context)
        email_services.account_email_queue(message=self.render_mail(template_prefix, email, full_context))

    def is_open_for_signup(self, request) -> bool:
        if _invitation_token(request):
            return True
        if not settings.SSO_LOCAL_PASSWORDS:
            return False
        return settings.SIGNUP_POLICY in ("domains", "approval")

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = self.request
        if (
            settings.SIGNUP_POLICY == "domains"
            and not _invitation_token(request)
            and not _domain_allowed(email)
        ):
            raise ValidationError(
                "Accounts here are for addresses at %(domains)s. Ask an admin for an invitation.",
                params={"domains": ", ".join(settings.SIGNUP_DOMAINS)},
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        # A single sign-on sign-up that needed a form comes here too; the social adapter
        # completes it once the identity is saved.
        if commit and not hasattr(form, "sociallogin"):
            _complete_signup(request, user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        # GitHub's and Google's pages are mounted whether or not they are configured: an
        # address of a provider that is not set up is a page that does not exist.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider is set up here.") from None

    def is_open_for_signup(self, request, sociallogin) -> bool:
        if _invitation_token(request):
            return True
        if settings.SIGNUP_POLICY == "domains":
            return any(
                address.verified and _domain_allowed(address.email) for address in sociallogin.email_addresses
            )
        return settings.SIGNUP_POLICY == "approval"

    def pre_social_login(self, request, sociallogin) -> None:
        already_linked = sociallogin.account.pk is not None
        if not already_linked and not any(address.verified for address in sociallogin.email_addresses):
            _refuse_unverified(request, sociallogin)
        # Linked before: roles follow the provider only when asked to. Linked now by its
        # verified address: this is the account's first single sign-on.
        if sociallogin.is_existing and (not already_linked or settings.SSO_ROLE_SYNC):
            account_services.user_roles_apply(
                user=sociallogin.user, roles=_mapped_roles(sociallogin), replace=already_linked
            )

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        _complete_signup(request, user)
        account_services.user_roles_apply(user=user, roles=_mapped_roles(sociallogin), replace=False)
        return user


def _claims(sociallogin) -> dict:
    """What the provider said about the person: OpenID Connect keeps the ID token and the
    userinfo answer apart (userinfo wins); other providers keep one dictionary."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return data


def _mapped_roles(sociallogin) -> set[str]:
    return roles_from_claims(
        _claims(sociallogin), claim=settings.SSO_ROLE_CLAIM, role_map=settings.SSO_ROLE_MAP
    )


def _refuse_unverified(request, sociallogin) -> None:
    addresses = ", ".join(address.email for address in sociallogin.email_addresses)
    if addresses:
        text = (
            f"Your sign-in provider has not verified the address {addresses}, so it cannot sign you "
            "in here. Verify it with the provider (or ask your admin), then try again."
        )
    else:
        text = (
            "Your sign-in provider did not share a verified e-mail address, so it cannot sign you "
            "in here. Ask your admin to let the provider share it, then try again."
        )
    messages.error(request, text)
    raise ImmediateHttpResponse(redirect("login"))
