"""Discussion pages and participants' actions; moderators' actions are in ``moderation``.

Views check permissions through ``notes.permissions``, call one service, redirect by
name. Actions are POST only. A refusal the user can fix (empty text, a locked thread)
comes back as the form with the service's message and status 400; a missing right is
403, or a redirect to the login page for anonymous visitors.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.discussions import CommentEditForm, CommentForm, OptionalReasonForm, ThreadStartForm
from notes.lib.limits import MAX_QUOTE_LENGTH
from notes.lib.numbers import BadNumber, parse_int
from notes.lib.quotes import normalize_whitespace
from notes.models import Comment, Thread
from notes.permissions import permission_view, read_required, require
from notes.selectors import discussions as selectors
from notes.selectors import following as following_selectors
from notes.services import discussions as services
from notes.services.discussions import ChangedResubmission, DiscussionError, DuplicateSubmission
from notes.services.quotes import QuoteError, QuoteSelection, quote_resolve

THREADS_PER_PAGE = 50


# --- Threads of a chapter ----------------------------------------------------------------


@read_required
def thread_list(request, book_slug: str, number: int):
    chapter = selectors.chapter_for_discussion(book_slug=book_slug, number=number)
    state = request.GET.get("filter", "open")
    if state not in selectors.THREAD_STATES:
        state = "open"
    anchor_key = request.GET.get("anchor", "")
    if permissions.threads_folded(request.user, chapter, query=request.GET):
        own_threads = selectors.involved_threads(user=request.user, chapter=chapter)
        return _spoiler_gate(
            request,
            chapter,
            folded_count=selectors.thread_list(chapter=chapter, state="all").count() - len(own_threads),
            own_threads=own_threads,
        )
    quote = _quote_range(request.GET.get("quote", ""))
    threads = selectors.thread_list(chapter=chapter, state=state, anchor_key=anchor_key, quote=quote)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    anchors = selectors.anchors_of(chapter)
    return render(
        request,
        "notes/discussion/thread_list.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "page": page,
            "state": state,
            "states": selectors.THREAD_STATES,
            "anchor_key": anchor_key,
            "quote_range": f"{quote[0]}-{quote[1]}" if quote else "",
            "anchor": next((anchor for anchor in anchors if anchor.key == anchor_key), None),
            "can_discuss": permissions.can_discuss(request.user),
        },
    )


def _quote_range(value: str) -> tuple[int, int] | None:
    """``?quote=<start>-<end>``, the passage whose threads are listed; None when absent or bad."""
    start, _, end = value.partition("-")
    try:
        return parse_int(start, what="The quote's start"), parse_int(end, what="The quote's end")
    except BadNumber:
        return None


@permission_view
def thread_start(request, book_slug: str, number: int):
    """Start a thread; ``?quote_exact=...`` (sent by the chapter page's "Discuss this
    quote" button, with ``quote_prefix``, ``quote_suffix``, ``quote_start``) starts it on
    that quote, shown above the form. A quote not in the chapter's text is refused (400)."""
    chapter = selectors.chapter_for_discussion(book_slug=book_slug, number=number)
    require(request, permissions.can_discuss(request.user))
    anchors = selectors.anchors_of(chapter)
    if request.method != "POST":
        return _thread_start_form(request, chapter, anchors)
    quoting = bool(request.POST.get("quote_exact"))
    form = ThreadStartForm(request.POST, anchors=anchors, quoting=quoting)
    if form.is_valid():
        quote = form.quote_selection()
        try:
            thread = services.thread_start(
                chapter=chapter,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                anchor=form.cleaned_data.get("anchor", ""),
                quote=quote,
                submission_token=form.cleaned_data["submission_token"],
            )
        except DuplicateSubmission as error:
            return _duplicate(request, error, fallback=_thread_list_url(chapter))
        except ChangedResubmission as error:
            form = _with_fresh_token(ThreadStartForm, request.POST, anchors=anchors, quoting=quoting)
            form.add_error(None, str(error))
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            if quote is not None and quote_was_cut(quote):
                messages.info(request, QUOTE_CUT_MESSAGE)
            messages.success(request, "Thread started.")
            return redirect(_thread_url(thread, chapter))
    return _render_thread_start(request, chapter, form, status=400)


QUOTE_CUT_MESSAGE = f"The selection was longer than {MAX_QUOTE_LENGTH} characters: the quote keeps its first {MAX_QUOTE_LENGTH}."


def quote_was_cut(quote: QuoteSelection) -> bool:
    return len(normalize_whitespace(quote.exact)) > MAX_QUOTE_LENGTH


def _thread_start_form(request, chapter, anchors):
    """The empty form; with a quote in the query string, that quote resolved and shown."""
    if "quote_exact" not in request.GET:
        form = ThreadStartForm(anchors=anchors, initial={"anchor": request.GET.get("anchor", "")})
        return _render_thread_start(request, chapter, form)
    sent = ThreadStartForm(request.GET, quoting=True)
    sent.is_valid()  # only the quote fields are read: title and body are not sent yet
    error = next(
        (
            str(message)
            for name in ("quote_start", "quote_prefix", "quote_suffix")
            for message in sent.errors.get(name, [])
        ),
        "",
    )
    quoted = None
    if not error:
        try:
            selection = sent.quote_selection() or QuoteSelection(exact="")
            quoted = quote_resolve(body_html=chapter.body_html, selection=selection)
        except QuoteError as refusal:
            error = str(refusal)
    if quoted is None:
        form = ThreadStartForm(anchors=anchors)
        return _render_thread_start(request, chapter, form, status=400, quote_error=error)
    if quoted.was_cut:
        messages.info(request, QUOTE_CUT_MESSAGE)
    words = quoted.exact if len(quoted.exact) <= 60 else quoted.exact[:59].rstrip() + "…"
    form = ThreadStartForm(
        quoting=True,
        initial={
            "title": f"“{words}”",
            "quote_exact": quoted.exact,
            "quote_prefix": quoted.prefix,
            "quote_suffix": quoted.suffix,
            "quote_start": quoted.start,
        },
    )
    return _render_thread_start(request, chapter, form)


def _render_thread_start(request, chapter, form, status: int = 200, quote_error: str = ""):
    quote = form["quote_exact"].value() or ""
    return render(
        request,
        "notes/discussion/thread_start.html",
        {"book": chapter.book, "chapter": chapter, "form": form, "quote": quote, "quote_error": quote_error},
        status=status,
    )


# --- One thread --------------------------------------------------------------------------


@read_required
def thread_detail(request, book_slug: str, number: int, thread_id: int):
    thread = selectors.thread_get(thread_id=thread_id)
    if thread.chapter.book.slug != book_slug or thread.chapter.number != number:
        # The thread was moved; its old address leads to the new one.
        return redirect(thread.get_absolute_url())
    is_involved = thread.pk in selectors.involved_thread_ids(user=request.user, thread_ids=[thread.pk])
    if permissions.thread_folded(request.user, thread, query=request.GET, is_involved=is_involved):
        return _spoiler_gate(request, thread.chapter)
    return render_thread_page(request, thread)


def _spoiler_gate(request, chapter, *, folded_count: int | None = None, own_threads=()):
    """Ask before showing a reading group member threads on a chapter they have not read:
    the page names the chapter and their progress, never a thread's title or text, except
    of the threads they are involved in (``own_threads``), which it links."""
    query = request.GET.copy()
    query[permissions.SPOILERS_PARAMETER] = permissions.SHOW_ANYWAY
    return render(
        request,
        "notes/discussion/spoiler_gate.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "progress": permissions.spoiler_limit(request.user, chapter.book_id),
            "folded_count": folded_count,
            "own_threads": own_threads,
            "show_url": f"{request.path}?{query.urlencode()}",
        },
    )


def render_thread_page(
    request,
    thread: Thread,
    *,
    reply_form: CommentForm | None = None,
    page_number: int | None = None,
    status: int = 200,
):
    """The thread page; a refused form or action shows it again (status 400) with its error.

    ``page_number`` defaults to the ``page`` the request names.
    """
    user = request.user
    page = selectors.thread_page(
        thread=thread, page=page_number or request.GET.get("page") or request.POST.get("page")
    )
    can_reply = permissions.can_reply(user, thread)
    failed_parent = reply_form.data.get("parent") if reply_form is not None else None
    failed_form_shown = False
    for comment in page:
        comment.thread = thread  # already loaded: the permission checks below read it
        comment.show_text = permissions.can_see_comment_text(user, comment)
        comment.can_edit = permissions.can_edit_comment(user, comment)
        comment.can_delete = permissions.can_delete_comment(user, comment)
        comment.can_reply = can_reply and not comment.is_deleted
        comment.reply_token = uuid.uuid4()
        comment.failed_form = None
        if failed_parent and str(comment.pk) == failed_parent and comment.can_reply:
            comment.failed_form, failed_form_shown = reply_form, True
    # A refused reply whose comment has no reply form here (deleted, in another thread, on
    # another page) shows its error at the thread's own form.
    top_form = reply_form if reply_form is not None and not failed_form_shown else CommentForm()
    can_moderate = permissions.can_moderate(user)
    return render(
        request,
        "notes/discussion/thread_detail.html",
        {
            "book": thread.chapter.book,
            "chapter": thread.chapter,
            "thread": thread,
            "page": page,
            "watch": following_selectors.watch_state(user=user, target=thread),
            "reply_form": top_form,
            "can_reply": can_reply,
            "can_moderate": can_moderate,
            # One field without an id, repeated in each moderator button's form (lock, pin, unhide).
            "reason_form": OptionalReasonForm(auto_id=False) if can_moderate else None,
            "can_resolve": permissions.can_resolve_thread(user, thread),
            "resolves_as_moderator": permissions.resolves_as_moderator(user, thread),
        },
        status=status,
    )


@require_POST
@permission_view
def comment_post(request, thread_id: int):
    thread = selectors.thread_get(thread_id=thread_id)
    require(request, permissions.can_discuss(request.user))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_post(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except DuplicateSubmission as error:
            return _duplicate(request, error, fallback=thread.get_absolute_url())
        except ChangedResubmission as error:
            form = _with_fresh_token(CommentForm, request.POST)
            form.add_error(None, str(error))
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Reply posted.")
            return redirect(_comment_url(comment, thread))
    return render_thread_page(request, thread, reply_form=form, status=400)


@require_POST
@permission_view
def thread_resolve(request, thread_id: int):
    return _resolution(request, thread_id, services.thread_resolve, "Thread resolved.")


@require_POST
@permission_view
def thread_reopen(request, thread_id: int):
    return _resolution(request, thread_id, services.thread_reopen, "Thread reopened.")


def _resolution(request, thread_id: int, service, success: str):
    thread = selectors.thread_get(thread_id=thread_id)
    require(request, permissions.can_resolve_thread(request.user, thread))
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return render_reason_refused(request, thread, form)
    try:
        service(thread=thread, actor=request.user, reason=form.cleaned_data["reason"])
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(thread.get_absolute_url())


# --- One comment -------------------------------------------------------------------------


@permission_view
def comment_edit(request, comment_id: int):
    comment = selectors.comment_get(comment_id=comment_id)
    require(request, permissions.is_comment_author(request.user, comment))
    refusal = comment.edit_refusal()
    if refusal:
        messages.error(request, refusal)
        return redirect(comment.get_absolute_url())
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Comment updated.")
            return redirect(comment.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render_comment_form(request, "notes/discussion/comment_edit.html", comment, form, status)


@require_POST
@permission_view
def comment_delete(request, comment_id: int):
    comment = selectors.comment_get(comment_id=comment_id)
    require(request, permissions.is_comment_author(request.user, comment))
    try:
        services.comment_delete(comment=comment, actor=request.user)
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Comment deleted.")
    return redirect(comment.get_absolute_url())


@read_required
def comment_link(request, comment_id: int):
    """A comment's permanent address: its thread, at the page that shows it."""
    comment = selectors.comment_get(comment_id=comment_id)
    return redirect(_comment_url(comment, comment.thread))


@read_required
def comment_history(request, comment_id: int):
    comment = selectors.comment_get(comment_id=comment_id)
    require(request, permissions.can_see_comment_text(request.user, comment))
    return render(
        request,
        "notes/discussion/comment_history.html",
        {
            "comment": comment,
            "thread": comment.thread,
            "chapter": comment.thread.chapter,
            "book": comment.thread.chapter.book,
            "revisions": comment.revisions.select_related("replaced_by"),
        },
    )


def render_reason_refused(request, thread: Thread, form: OptionalReasonForm, *, page_number=None):
    """The thread page again, status 400, saying why the reason was refused; nothing was done.

    A reason that cannot be kept as typed is refused rather than dropped: the log must say why.
    """
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return render_thread_page(request, thread, page_number=page_number, status=400)


def render_comment_form(request, template: str, comment: Comment, form, status: int):
    """A form about one comment (edit, hide) with the comment's thread and chapter around it."""
    return render(
        request,
        template,
        {
            "comment": comment,
            "thread": comment.thread,
            "chapter": comment.thread.chapter,
            "book": comment.thread.chapter.book,
            "form": form,
        },
        status=status,
    )


# --- People ---------------------------------------------------------------------------------


@read_required
def user_comments(request, username: str):
    author = selectors.user_get(username=username)
    comments = selectors.user_comments(author=author, viewer=request.user)
    involved = selectors.involved_thread_ids(
        user=request.user, thread_ids=[comment.thread_id for comment in comments]
    )
    for comment in comments:
        chapter = comment.thread.chapter
        comment.is_folded = permissions.is_spoiler(
            request.user,
            book_id=chapter.book_id,
            chapter_number=chapter.number,
            is_involved=comment.thread_id in involved,
        )
    return render(request, "notes/discussion/user_comments.html", {"author": author, "comments": comments})


# --- Helpers -------------------------------------------------------------------------------


def _duplicate(request, error: DuplicateSubmission, *, fallback: str):
    messages.info(request, str(error))
    if error.comment is not None:
        return redirect(error.comment.get_absolute_url())
    return redirect(fallback)


def _with_fresh_token(form_class, data, **kwargs):
    """The form filled with ``data`` again, under a new one-time token, ready to be resent."""
    data = data.copy()
    data["submission_token"] = str(uuid.uuid4())
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _comment_url(comment: Comment, thread: Thread) -> str:
    """The thread page that shows ``comment``, scrolled to it."""
    page = selectors.comment_page_number(comment=comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{_thread_url(thread, thread.chapter)}{query}#comment-{comment.pk}"


def _thread_list_url(chapter) -> str:
    return reverse("notes:thread-list", kwargs={"book_slug": chapter.book.slug, "number": chapter.number})


def _thread_url(thread: Thread, chapter) -> str:
    return reverse(
        "notes:thread-detail",
        kwargs={"book_slug": chapter.book.slug, "number": chapter.number, "thread_id": thread.pk},
    )
