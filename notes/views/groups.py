"""Reading group pages: groups of a book, a group, its meetings and calendars,
reading progress, and "changes since" a date or the previous meeting.

Every decision comes from ``notes.permissions``; a private group the visitor may not see
answers 404, as one that does not exist.
"""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.groups import GroupForm, MeetingForm, ProgressForm, SinceForm
from notes.lib import calendars
from notes.lib.diffs import inline_word_diff, side_by_side_diff
from notes.permissions import permission_view, read_required, require
from notes.selectors import books as book_selectors
from notes.selectors import discussions as discussion_selectors
from notes.selectors import groups as group_selectors
from notes.services import groups as services
from notes.services.groups import GroupError
from notes.services.renderings import versions_compared


@read_required
def group_list(request, book_slug: str):
    book = book_selectors.book_get(slug=book_slug)
    return render(
        request,
        "notes/groups/list.html",
        {
            "book": book,
            "groups": group_selectors.book_groups(book=book, user=request.user),
            "can_manage": permissions.can_manage_groups(request.user),
        },
    )


@permission_view
def group_create(request, book_slug: str):
    book = book_selectors.book_get(slug=book_slug)
    require(request, permissions.can_manage_groups(request.user))
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.group_create(
                    book=book,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    description=form.cleaned_data["description"],
                    is_private=form.cleaned_data["is_private"],
                    members=form.cleaned_data["members"],
                )
            except GroupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Reading group created.")
                return redirect(group)
        return render(request, "notes/groups/form.html", {"book": book, "form": form}, status=400)
    return render(request, "notes/groups/form.html", {"book": book, "form": form})


@permission_view
def group_edit(request, group_slug: str):
    group, _ = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    require(request, permissions.can_manage_groups(request.user))
    members = " ".join(group.memberships.order_by("user__username").values_list("user__username", flat=True))
    initial = {
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
        "is_private": group.is_private,
        "members": members,
    }
    form = GroupForm(request.POST or None, initial=initial)
    form.fields["slug"].disabled = True
    context = {"book": group.book, "group": group, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_update(
                    group=group,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    is_private=form.cleaned_data["is_private"],
                    members=form.cleaned_data["members"],
                )
            except GroupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Reading group saved.")
                return redirect(group)
        return render(request, "notes/groups/form.html", context, status=400)
    return render(request, "notes/groups/form.html", context)


def _group_context(request, group, is_member: bool, *, meeting_form=None, progress_form=None) -> dict:
    user = request.user
    page = group_selectors.group_page(group=group)
    own = next((membership for membership in page.memberships if membership.user_id == user.pk), None)
    # A private group's feed links hold the member's own token (a manager who is not a
    # member reads them signed in).
    calendar_token = own.calendar_token if group.is_private and own else ""
    calendar_url = reverse("notes:group-calendar", kwargs={"group_slug": group.slug})
    if calendar_token:
        calendar_url += f"?token={calendar_token}"
    can_manage = permissions.can_manage_groups(user)
    return {
        "book": group.book,
        "group": group,
        "page": page,
        "is_member": is_member,
        "own": own,
        "can_manage": can_manage,
        "can_mark_progress": permissions.can_mark_progress(user, is_member=is_member),
        "progress_form": progress_form
        or ProgressForm(initial={"chapter": own.progress if own and own.progress is not None else ""}),
        "meeting_form": meeting_form or MeetingForm(),
        "calendar_url": calendar_url,
        "calendar_token": calendar_token,
        "invite_url": request.build_absolute_uri(
            reverse("notes:group-join", kwargs={"group_slug": group.slug, "token": group.invite_token})
        )
        if can_manage
        else "",
        "show_spoilers": permissions.spoiler_limit(user, group.book_id) is None,
    }


@read_required
def group_detail(request, group_slug: str):
    group, is_member = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    return render(request, "notes/groups/detail.html", _group_context(request, group, is_member))


@permission_view
def group_join(request, group_slug: str, token: str):
    group = group_selectors.group_get(slug=group_slug)
    require(request, request.user.is_authenticated)
    if not permissions.can_join_group(request.user, group, token=token):
        # A wrong token tells nothing about the group, private or not.
        raise Http404("This invite link is not valid.")
    if request.method != "POST":
        is_member = group_selectors.is_member(group=group, user=request.user)
        return render(
            request,
            "notes/groups/join.html",
            {"book": group.book, "group": group, "token": token, "is_member": is_member},
        )
    try:
        services.group_join(group=group, user=request.user, token=token)
    except GroupError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, f"You joined {group.name}.")
    return redirect(group)


@require_POST
@permission_view
def group_invite_regenerate(request, group_slug: str):
    group, _ = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    require(request, permissions.can_manage_groups(request.user))
    services.group_invite_regenerate(group=group, actor=request.user)
    messages.success(request, "The invite link is new: the old one no longer works.")
    return redirect(group)


@require_POST
@permission_view
def meeting_create(request, group_slug: str):
    group, is_member = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    require(request, permissions.can_manage_groups(request.user))
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_create(group=group, actor=request.user, **form.cleaned_data)
        except GroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect(group)
    context = _group_context(request, group, is_member, meeting_form=form)
    return render(request, "notes/groups/detail.html", context, status=400)


@require_POST
@permission_view
def progress_mark(request, book_slug: str):
    """Mark "I've read up to chapter N" in every group of the book the user is in."""
    book = book_selectors.book_get(slug=book_slug)
    require(request, request.user.is_authenticated)
    form = ProgressForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = book.get_absolute_url()
    if not form.is_valid():
        return _refused(request, book, form.errors.get("chapter", ["That is not a chapter number."])[0])
    try:
        services.progress_mark(user=request.user, book=book, chapter_number=form.cleaned_data["chapter"])
    except GroupError as error:
        return _refused(request, book, str(error))
    chapter = form.cleaned_data["chapter"]
    messages.success(
        request, f"Your progress: read up to chapter {chapter}." if chapter else "Your progress: not started."
    )
    return redirect(next_url)


def _refused(request, book, message: str, status: int = 400):
    return render(request, "notes/groups/refused.html", {"book": book, "message": message}, status=status)


@require_POST
@permission_view
def spoilers_setting(request):
    require(request, request.user.is_authenticated)
    show = request.POST.get("show_spoilers") == "on"
    services.spoilers_setting_update(user=request.user, show_spoilers=show)
    messages.success(
        request,
        "Threads on chapters past your progress are shown."
        if show
        else "Threads on chapters past your progress are folded.",
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return redirect(next_url)


# --- Calendars -----------------------------------------------------------------------------


def _calendar_group(request, group_slug: str):
    """The group for a calendar feed: a private one needs a member's token (or a user who sees it)."""
    group = group_selectors.group_get(slug=group_slug)
    token_membership = group_selectors.calendar_membership(group=group, token=request.GET.get("token"))
    is_member = group_selectors.is_member(group=group, user=request.user)
    if not permissions.can_read_group_calendar(
        request.user, group, is_member=is_member, token_membership=token_membership
    ):
        raise Http404("No such reading group.")
    return group


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def group_calendar(request, group_slug: str):
    group = _calendar_group(request, group_slug)
    meetings = group_selectors.group_meetings(group=group)
    return _ics(calendars.meetings_calendar(request, group, meetings), f"{group.slug}.ics")


def meeting_calendar(request, group_slug: str, meeting_id: int):
    group = _calendar_group(request, group_slug)
    meeting = group_selectors.meeting_get(group=group, meeting_id=meeting_id)
    return _ics(calendars.meetings_calendar(request, group, [meeting]), f"{group.slug}-{meeting.pk}.ics")


# --- Since our last meeting ----------------------------------------------------------------


def _diffs(changes, since_label: str) -> list[dict]:
    """One cumulative diff per chapter, from its text at the start to now."""
    result = []
    for change in changes:
        if change.new_row is None:
            continue
        if change.old_row is not None:
            diffs = versions_compared(
                "chapter", change.old_row, change.new_row, old_label=since_label, new_label="Now"
            )
        else:
            diffs = {
                "inline_diff": inline_word_diff("", change.new_row.body),
                "side_by_side": side_by_side_diff(
                    "", change.new_row.body, old_label=since_label, new_label="Now"
                ),
            }
        unchanged = change.old_row is not None and change.old_row.history_id == change.new_row.history_id
        result.append(
            {
                "chapter": change.chapter,
                "is_new": change.old_row is None,
                "unchanged": unchanged,
                "title_changed": change.old_row is not None and change.old_row.title != change.new_row.title,
                "old_title": change.old_row.title if change.old_row else "",
                "new_title": change.new_row.title,
                **diffs,
            }
        )
    return result


def _unfolded(user, threads, involved: set[int]):
    """The threads not past the user's reading progress, or ones they are ``involved`` in
    (the others leave only a count)."""
    return [
        thread
        for thread in threads
        if not permissions.is_spoiler(
            user,
            book_id=thread.chapter.book_id,
            chapter_number=thread.chapter.number,
            is_involved=thread.pk in involved,
        )
    ]


@read_required
def meeting_detail(request, group_slug: str, meeting_id: int):
    group, is_member = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    meeting = group_selectors.meeting_get(group=group, meeting_id=meeting_id)
    previous = group_selectors.previous_meeting(meeting=meeting)
    since = previous.starts_at if previous else group.created_at
    since_label = "At the previous meeting" if previous else "When the group started"
    chapters = group_selectors.chapters_numbered(
        book_id=group.book_id, first=meeting.first_chapter, last=meeting.last_chapter
    )
    changes = group_selectors.chapter_changes_since(chapters=chapters, since=since)
    agenda = group_selectors.agenda(chapters=chapters, since=since)
    involved = discussion_selectors.involved_thread_ids(
        user=request.user,
        thread_ids=[thread.pk for thread in (*agenda.started, *agenda.resolved, *agenda.open)],
    )
    started = _unfolded(request.user, agenda.started, involved)
    resolved = _unfolded(request.user, agenda.resolved, involved)
    open_threads = _unfolded(request.user, agenda.open, involved)
    folded = {t.pk for t in agenda.started + agenda.resolved + agenda.open} - {
        t.pk for t in started + resolved + open_threads
    }
    return render(
        request,
        "notes/groups/meeting.html",
        {
            "book": group.book,
            "group": group,
            "meeting": meeting,
            "previous": previous,
            "since": since,
            "since_label": since_label,
            "diffs": _diffs(changes, since_label),
            "started": started,
            "resolved": resolved,
            "open_threads": open_threads,
            "folded_count": len(folded),
            "is_past": meeting.starts_at <= timezone.now(),
            "calendar_token": group_selectors.own_calendar_token(group=group, user=request.user)
            if group.is_private
            else "",
        },
    )


@read_required
def chapter_since(request, book_slug: str, number: int):
    """The chapter's changes since a date (midnight UTC of ``?date=YYYY-MM-DD``): one diff."""
    chapter = book_selectors.chapter_get(book_slug=book_slug, number=number)
    context = {"book": chapter.book, "chapter": chapter}
    if "date" not in request.GET:
        return render(request, "notes/groups/since.html", {**context, "form": SinceForm()})
    form = SinceForm(request.GET)
    if not form.is_valid():
        return render(request, "notes/groups/since.html", {**context, "form": form}, status=400)
    day = form.cleaned_data["date"]
    since = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    label = f"On {day:%Y-%m-%d}"
    changes = group_selectors.chapter_changes_since(chapters=[chapter], since=since)
    return render(
        request,
        "notes/groups/since.html",
        {**context, "form": form, "day": day, "diffs": _diffs(changes, label)},
    )
