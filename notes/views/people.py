"""People pages: /people/ (admins manage, moderators look), accepting an invitation, and
/account/ (one's own profile, time zone, notification settings and sessions).

Each POST goes through one service and ends in a redirect with a message; every decision
comes from ``notes.permissions``.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.people import (
    AcceptForm,
    AccountNotificationsForm,
    InviteForm,
    ProfileForm,
    RoleForm,
    SignOutEverywhereForm,
)
from notes.lib import time_zones
from notes.lib.sso import INVITATION_SESSION_KEY
from notes.models import NotificationSettings
from notes.models.people import display_name
from notes.permissions import permission_view, require
from notes.selectors import people as selectors
from notes.services import people as services
from notes.services.notifications import NotificationError
from notes.services.people import PeopleError

# An invited person is signed in by Django's ModelBackend (our subclass, which reads the
# roles with the user): the account was just made with a password, and naming the backend
# spares ``login`` choosing among the configured ones.
SIGN_IN_BACKEND = "wiki.auth.UserWithRolesBackend"


# --- /people/ ------------------------------------------------------------------------------------


@permission_view
def people(request):
    require(request, permissions.can_see_people(request.user))
    can_manage = permissions.can_manage_people(request.user)
    admins = selectors.admin_count()
    rows = [
        {
            "person": person,
            "name": display_name(person),
            "can_change_role": permissions.can_change_role(request.user, person, active_admins=admins),
            "can_deactivate": permissions.can_deactivate(request.user, person, active_admins=admins),
            "can_reactivate": permissions.can_reactivate(request.user, person),
        }
        for person in selectors.people_list()
    ]
    return render(
        request,
        "notes/people/people.html",
        {
            "rows": rows,
            "can_manage": can_manage,
            "invite_form": InviteForm(),
            "role_choices": services.ROLE_CHOICES,
            "invitations": list(selectors.pending_invitations()),
            "log": list(selectors.people_log()),
        },
    )


@require_POST
@permission_view
def people_invite(request):
    require(request, permissions.can_manage_people(request.user))
    form = InviteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("notes:people")
    try:
        result = services.invitation_create(
            actor=request.user, emails=form.cleaned_data["emails"], role=form.cleaned_data["role"]
        )
    except PeopleError as error:
        messages.error(request, str(error))
        return redirect("notes:people")
    if result.invited:
        messages.success(request, f"Invited {', '.join(result.invited)} as {form.cleaned_data['role']}.")
    if result.resent:
        messages.success(request, f"Already invited, sent again: {', '.join(result.resent)}.")
    if result.existing:
        messages.warning(request, f"Already have an account, not invited: {', '.join(result.existing)}.")
    return redirect("notes:people")


@require_POST
@permission_view
def invitation_resend(request, invitation_id: int):
    require(request, permissions.can_manage_people(request.user))
    try:
        invitation = services.invitation_resend(actor=request.user, invitation_id=invitation_id)
    except PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The invitation of {invitation.email} was sent again with a new link.")
    return redirect("notes:people")


@require_POST
@permission_view
def invitation_revoke(request, invitation_id: int):
    require(request, permissions.can_manage_people(request.user))
    try:
        invitation = services.invitation_revoke(actor=request.user, invitation_id=invitation_id)
    except PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The invitation of {invitation.email} is revoked; its link no longer works."
        )
    return redirect("notes:people")


@require_POST
@permission_view
def person_role(request, user_id: int):
    require(request, permissions.can_manage_people(request.user))
    subject = _person(user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("notes:people")
    _act(
        request,
        lambda: services.role_change(actor=request.user, subject=subject, role=form.cleaned_data["role"]),
        f"{display_name(subject)} is now {form.cleaned_data['role'].replace('admin', 'Admin')}.",
    )
    return redirect("notes:people")


@require_POST
@permission_view
def person_deactivate(request, user_id: int):
    require(request, permissions.can_manage_people(request.user))
    subject = _person(user_id)
    _act(
        request,
        lambda: services.user_deactivate(actor=request.user, subject=subject),
        f"{display_name(subject)} is deactivated and can no longer sign in; what they wrote stays.",
    )
    return redirect("notes:people")


@require_POST
@permission_view
def person_reactivate(request, user_id: int):
    require(request, permissions.can_manage_people(request.user))
    subject = _person(user_id)
    _act(
        request,
        lambda: services.user_reactivate(actor=request.user, subject=subject),
        f"{display_name(subject)} can sign in again.",
    )
    return redirect("notes:people")


def _person(user_id: int):
    return get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id)


def _act(request, action, success: str) -> None:
    try:
        action()
    except PeopleError as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or "You may not do that.")
    else:
        messages.success(request, success)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- Accepting an invitation ------------------------------------------------------------------


def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token)
    refusal = services.invitation_refusal(invitation)
    if refusal:
        status, message = refusal
        response = render(
            request, "notes/people/invitation_refused.html", {"message": message}, status=status
        )
        response.is_site_page = True  # already the site's own page: DEBUG keeps it (SiteNotFoundPageInDebug)
        return response
    # Single sign-on from this page creates the account through allauth; the session tells
    # its adapter which invitation opened the sign-up (and so which role to give).
    request.session[INVITATION_SESSION_KEY] = token
    form = AcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    token=token,
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password"],
                )
            except PeopleError as error:
                form.add_error(None, str(error))
            else:
                login(request, user, backend=SIGN_IN_BACKEND)
                messages.success(request, f"Welcome to Chapterwise, {display_name(user)}!")
                return redirect("home")
        status = 400
    return render(
        request,
        "notes/people/invitation_accept.html",
        {"invitation": invitation, "form": form, "inviter": display_name(invitation.invited_by)},
        status=status,
    )


# --- /account/ --------------------------------------------------------------------------------


@permission_view
def account(request):
    require(request, permissions.can_edit_account(request.user))
    profile = selectors.profile_of(request.user)
    current = selectors.notification_settings_of(request.user)
    return render(
        request,
        "notes/people/account.html",
        {
            "profile_form": ProfileForm(
                initial={"display_name": profile.display_name, "time_zone": profile.time_zone}
            ),
            "notifications_form": AccountNotificationsForm(
                initial={
                    "email": current.email if current else NotificationSettings.Email.INSTANT,
                    "show_spoilers": current.show_spoilers if current else False,
                    "new_requests": (current.new_requests if current else "")
                    or permissions.new_requests_default(request.user),
                }
            ),
            "is_reviewer": permissions.can_review(request.user),
            "sign_out_form": SignOutEverywhereForm(),
        },
    )


@require_POST
@permission_view
def account_profile(request):
    require(request, permissions.can_edit_account(request.user))
    form = ProfileForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("notes:account")
    try:
        profile = services.profile_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
        )
    except PeopleError as error:
        messages.error(request, str(error))
    else:
        time_zones.remember(request.session, user_id=request.user.pk, name=profile.time_zone)
        messages.success(request, "Your profile is saved.")
    return redirect("notes:account")


@require_POST
@permission_view
def account_notifications(request):
    require(request, permissions.can_edit_account(request.user))
    form = AccountNotificationsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("notes:account")
    try:
        services.account_notifications_update(
            user=request.user,
            email=form.cleaned_data["email"],
            show_spoilers=form.cleaned_data["show_spoilers"],
            new_requests=(form.cleaned_data["new_requests"] or None)
            if permissions.can_review(request.user)
            else None,
        )
    except NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your notification settings are saved.")
    return redirect("notes:account")


@require_POST
@permission_view
def account_diff_view(request):
    """Keep the Rendered / Source choice of the diff switch; the switch's script posts it as
    it changes (and is answered 204), the form's button without JavaScript (sent back)."""
    require(request, permissions.can_edit_account(request.user))
    choice = request.POST.get("diff-view", "")
    try:
        services.profile_diff_view_update(user=request.user, diff_view=choice)
    except PeopleError as error:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
    else:
        if "application/json" in request.headers.get("Accept", ""):
            return HttpResponse(status=204)
        messages.success(request, f"Diffs now open as {choice.capitalize()}.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse("notes:account")
    return redirect(back)


@require_POST
@permission_view
def account_sign_out_everywhere(request):
    require(request, permissions.can_edit_account(request.user))
    form = SignOutEverywhereForm(request.POST)
    form.is_valid()
    try:
        services.sessions_end_everywhere(user=request.user, password=form.cleaned_data.get("password"))
    except PeopleError as error:
        messages.error(request, str(error))
    else:
        # This browser stays signed in; every other session fails its check at its next request.
        update_session_auth_hash(request, request.user)
        messages.success(request, "You are signed out everywhere else.")
    return redirect("notes:account")
