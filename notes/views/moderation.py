"""Moderators' pages and actions: hide and unhide comments; lock, pin, move and rename threads; the log.

Every view here is refused (403, or the login page for anonymous visitors) unless
``can_moderate``; the services check it again and log each action.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.discussions import OptionalReasonForm, ReasonForm, ThreadMoveForm, ThreadRenameForm
from notes.lib.limits import MAX_REASON_LENGTH
from notes.permissions import permission_view, require
from notes.selectors import discussions as selectors
from notes.services import moderation as services
from notes.services.discussions import DiscussionError
from notes.views.discussions import render_comment_form, render_reason_refused

LOG_ENTRIES_PER_PAGE = 50


@permission_view
def comment_hide(request, comment_id: int):
    comment = selectors.comment_get(comment_id=comment_id)
    require(request, permissions.can_moderate(request.user))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Comment hidden.")
            return redirect(comment.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render_comment_form(request, "notes/discussion/comment_hide.html", comment, form, status)


@require_POST
@permission_view
def comment_unhide(request, comment_id: int):
    comment = selectors.comment_get(comment_id=comment_id)
    require(request, permissions.can_moderate(request.user))
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return render_reason_refused(
            request,
            selectors.thread_get(thread_id=comment.thread_id),
            form,
            page_number=selectors.comment_page_number(comment=comment),
        )
    try:
        services.comment_unhide(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Comment shown again.")
    return redirect(comment.get_absolute_url())


@require_POST
@permission_view
def thread_lock(request, thread_id: int):
    return _thread_flag(request, thread_id, services.thread_lock, "Thread locked: no more replies.")


@require_POST
@permission_view
def thread_unlock(request, thread_id: int):
    return _thread_flag(request, thread_id, services.thread_unlock, "Thread unlocked.")


@require_POST
@permission_view
def thread_pin(request, thread_id: int):
    return _thread_flag(request, thread_id, services.thread_pin, "Thread pinned.")


@require_POST
@permission_view
def thread_unpin(request, thread_id: int):
    return _thread_flag(request, thread_id, services.thread_unpin, "Thread unpinned.")


def _thread_flag(request, thread_id: int, service, success: str):
    thread = selectors.thread_get(thread_id=thread_id)
    require(request, permissions.can_moderate(request.user))
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return render_reason_refused(request, thread, form)
    try:
        service(thread=thread, moderator=request.user, reason=form.cleaned_data["reason"])
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(thread.get_absolute_url())


@permission_view
def thread_move(request, thread_id: int):
    thread = selectors.thread_get(thread_id=thread_id)
    require(request, permissions.can_moderate(request.user))
    # Posted from the thread's moderation menu (no chapter chosen yet): the form, with its reason.
    choosing = request.method == "POST" and "chapter" not in request.POST
    form = ThreadMoveForm(
        None if choosing else (request.POST or None),
        initial={"chapter": thread.chapter_id, "reason": _menu_reason(request) if choosing else ""},
    )
    if request.method == "POST" and not choosing and form.is_valid():
        try:
            services.thread_move(
                thread=thread,
                moderator=request.user,
                chapter=form.cleaned_data["chapter"],
                reason=form.cleaned_data["reason"],
            )
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thread moved.")
            return redirect(selectors.thread_get(thread_id=thread.pk).get_absolute_url())
    status = 400 if request.method == "POST" and not choosing else 200
    return render(
        request,
        "notes/discussion/thread_move.html",
        {"thread": thread, "chapter": thread.chapter, "book": thread.chapter.book, "form": form},
        status=status,
    )


@permission_view
def thread_rename(request, thread_id: int):
    thread = selectors.thread_get(thread_id=thread_id)
    require(request, permissions.can_moderate(request.user))
    choosing = request.method == "POST" and "title" not in request.POST
    form = ThreadRenameForm(
        None if choosing else (request.POST or None),
        initial={"title": thread.title, "reason": _menu_reason(request) if choosing else ""},
    )
    if request.method == "POST" and not choosing and form.is_valid():
        try:
            services.thread_rename(
                thread=thread,
                moderator=request.user,
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
            )
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thread renamed. The old title is kept in the moderation log.")
            return redirect(thread.get_absolute_url())
    status = 400 if request.method == "POST" and not choosing else 200
    return render(
        request,
        "notes/discussion/thread_rename.html",
        {"thread": thread, "chapter": thread.chapter, "book": thread.chapter.book, "form": form},
        status=status,
    )


def _menu_reason(request) -> str:
    """The reason typed in the thread's moderation menu, to fill in on the next page."""
    return request.POST.get("reason", "")[:MAX_REASON_LENGTH]


@permission_view
def moderation_log(request):
    require(request, permissions.can_moderate(request.user))
    page = Paginator(selectors.moderation_log(), LOG_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notes/discussion/moderation_log.html", {"page": page})
