"""Following: watch buttons, the notifications list, e-mail settings and e-mail links.

The watch buttons and the list are for signed-in people. The two e-mail links
(unsubscribe, stop watching) work without logging in: the signed token in the link is the
proof. Opening a link only shows what it will do; the button on that page (a POST with
its CSRF token) does it, so a mail scanner following links changes nothing.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.following import NotificationSettingsForm
from notes.models import Book, Chapter, NotificationSettings, Thread, Watch
from notes.permissions import permission_view, require
from notes.selectors import discussions as selectors
from notes.selectors import following as following_selectors
from notes.services import notifications as services
from notes.services import watching
from notes.services.notifications import NotificationError

NOTIFICATIONS_PER_PAGE = 50
TARGETS = {Watch.Target.BOOK: Book, Watch.Target.CHAPTER: Chapter, Watch.Target.THREAD: Thread}


# --- Watching ------------------------------------------------------------------------------------


@require_POST
@permission_view
def watch(request, kind: str, target_id: int):
    require(request, permissions.can_watch(request.user))
    target = _target(kind, target_id)
    watching.watch_add(user=request.user, target=target)
    messages.success(
        request, f"You now watch {_name(kind, target)}: you will be notified of what happens there."
    )
    return _back(request, target)


@require_POST
@permission_view
def unwatch(request, kind: str, target_id: int):
    require(request, permissions.can_see_notifications(request.user))
    target = _target(kind, target_id)
    if watching.watch_remove(user=request.user, target=target):
        messages.success(request, f"You no longer watch {_name(kind, target)}.")
    else:
        messages.info(request, f"You were not watching {_name(kind, target)}.")
    return _back(request, target)


def _target(kind: str, target_id: int):
    model = TARGETS.get(kind)
    if model is None:
        raise _not_found()
    related = {Watch.Target.CHAPTER: ("book",), Watch.Target.THREAD: ("chapter__book",)}.get(kind, ())
    return get_object_or_404(model.objects.select_related(*related), pk=target_id)


def _not_found():
    return Http404("Only books, chapters and threads are watched.")


def _name(kind: str, target) -> str:
    return f"the {kind} “{target}”"


def _back(request, target):
    """Back where the button was (a safe local address), else to the watched page."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(target.get_absolute_url())


# --- The list --------------------------------------------------------------------------------------


@permission_view
def notification_list(request):
    """The user's notifications by day; opening it clears the nav's count."""
    require(request, permissions.can_see_notifications(request.user))
    page = Paginator(selectors.notification_list(user=request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    watched = following_selectors.watched_keys(user=request.user)
    # Read once whatever the page holds, so the page's queries do not depend on its rows.
    permissions.spoiler_limits(request.user)
    involved = selectors.involved_thread_ids(
        user=request.user, thread_ids=[notification.thread_id for notification in items]
    )
    for notification in items:
        found = notification.watch_to_end(watched)
        notification.unwatch = dict(zip(("kind", "id", "target"), found, strict=True)) if found else None
        # A reading group member is told that something happened past their progress, not
        # what; but where they are mentioned or answered, they are in it, and told where.
        notification.is_folded = bool(notification.thread_id) and permissions.is_spoiler(
            request.user,
            book_id=notification.thread.chapter.book_id,
            chapter_number=notification.thread.chapter.number,
            is_involved=notification.thread_id in involved,
        )
    services.notifications_mark_seen(user=request.user)
    return render(
        request,
        "notes/following/notifications.html",
        {
            "page": page,
            "days": _by_day(items),
            # Just seen: the nav shows no count, and asks nothing more.
            "unread_notifications": 0,
            "has_unread": any(notification.read_at is None for notification in items),
        },
    )


def _by_day(items: list) -> list[tuple[str, list]]:
    today = timezone.localdate()
    days: list[tuple[str, list]] = []
    for notification in items:
        day = timezone.localdate(notification.created_at)
        if day == today:
            label = "Today"
        elif day == today - datetime.timedelta(days=1):
            label = "Yesterday"
        else:
            label = f"{day:%A} {day.day} {day:%B %Y}"
        if days and days[-1][0] == label:
            days[-1][1].append(notification)
        else:
            days.append((label, [notification]))
    return days


@require_POST
@permission_view
def notifications_read(request):
    require(request, permissions.can_see_notifications(request.user))
    services.notifications_mark_read(user=request.user)
    return redirect("notes:notification-list")


@require_POST
@permission_view
def notification_read(request, notification_id: int):
    require(request, permissions.can_see_notifications(request.user))
    try:
        services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotificationError as error:
        messages.error(request, str(error))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/notifications/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return redirect(next_url)
    return redirect("notes:notification-list")


# --- Settings ---------------------------------------------------------------------------------------


@permission_view
def notification_settings(request):
    require(request, permissions.can_see_notifications(request.user))
    current = NotificationSettings.objects.filter(user=request.user).first()
    initial = current.email if current else NotificationSettings.Email.INSTANT
    form = NotificationSettingsForm(request.POST or None, initial={"email": initial})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.notification_settings_update(user=request.user, email=form.cleaned_data["email"])
            except NotificationError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, "Your e-mail settings are saved.")
                return redirect("notes:notification-settings")
        status = 400
    return render(
        request,
        "notes/following/settings.html",
        {"form": form, "watches": following_selectors.watch_list(user=request.user)},
        status=status,
    )


# --- Links in e-mails (no login) ------------------------------------------------------------------------


def email_unsubscribe(request, token: str):
    try:
        user = services.user_from_unsubscribe_token(token)
    except NotificationError as error:
        return render(request, "notes/following/email_link.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        services.email_unsubscribe(token=token)
        return render(request, "notes/following/email_link.html", {"done": "unsubscribe", "account": user})
    return render(request, "notes/following/email_link.html", {"action": "unsubscribe", "account": user})


def email_unwatch(request, token: str):
    try:
        user, kind, target_id = services.watch_from_unwatch_token(token)
    except NotificationError as error:
        return render(request, "notes/following/email_link.html", {"error": str(error)}, status=400)
    target = TARGETS[kind].objects.filter(pk=target_id).first()
    context = {"account": user, "kind": kind, "target": target}
    if request.method == "POST":
        _, _, _, was_watching = services.email_unwatch(token=token)
        return render(
            request,
            "notes/following/email_link.html",
            {**context, "done": "unwatch", "was_watching": was_watching},
        )
    return render(request, "notes/following/email_link.html", {**context, "action": "unwatch"})
