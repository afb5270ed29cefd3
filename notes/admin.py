"""Django admin: content and its history, read-only.

Content changes only through the review workflow (nothing goes live unreviewed, and every
version gets its summary and rendered HTML there), so admin shows books, chapters and
tables with their full history but does not edit them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from notes.models import Book, ChangeRequest, Chapter, Comment, ComparisonTable, ModerationLog, Review, Thread
from notes.numbers import BadNumber, parse_int
from notes.services.discussions import REASON_MAX_LENGTH, DiscussionError
from notes.services.moderation import comment_hide, comment_unhide, thread_lock, thread_unlock
from notes.services.reviews import ReviewError, change_request_approve, change_request_reject


class ComparisonTableInline(admin.TabularInline):
    model = ComparisonTable
    fields = ("position", "slug", "title")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class ReadOnlyContentAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Every field is shown as text, never as an input: the change page and an old version alike.
        return [field.name for field in self.model._meta.fields if field.editable and not field.auto_created]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version read-only; refuse anything but GET.

        simple-history's view saves the old version on POST whatever the revert setting
        says (SIMPLE_HISTORY_REVERT_DISABLED only hides the button), which would publish it
        unreviewed, without a summary and with a stale rendering. Reverting a chapter goes
        through the site's history page and the review workflow instead.
        """
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(
                "Old versions cannot be saved from the admin; revert from the site's history page."
            )
        object_id, version_id = _admin_id(object_id), _admin_id(version_id, "version")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history looks the id up as given: "abc" or "²" would fail in the query.
        return super().history_view(request, _admin_id(object_id), extra_context)


def _admin_id(value: str, what: str = "object") -> str:
    """An id from an admin URL, or 404 for one that is not a number (simple-history's views
    pass theirs to the database as they come)."""
    try:
        return str(parse_int(value))
    except BadNumber:
        raise Http404(f"No such {what}: its id must be a number.") from None


@admin.register(Book)
class BookAdmin(ReadOnlyContentAdmin):
    list_display = ("title", "author", "domains", "slug")
    search_fields = ("title", "author", "domains")


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyContentAdmin):
    list_display = ("__str__", "book", "number")
    list_filter = ("book",)
    list_select_related = ("book",)
    search_fields = ("title", "body")
    inlines = [ComparisonTableInline]


@admin.register(ComparisonTable)
class ComparisonTableAdmin(ReadOnlyContentAdmin):
    list_display = ("__str__", "chapter", "slug", "position")
    list_filter = ("chapter__book",)
    list_select_related = ("chapter__book",)
    search_fields = ("title", "slug")


# --- Review workflow (issue #3) ---------------------------------------------------------
# Change requests are browsable, and approve / reject act through the same services and
# rules as the site (no self-approval, only submitted requests); errors become messages.


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ("created_at", "reviewer", "verdict", "revision", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept as each request's review comment, which its author reads.",
        error_messages={"required": "Say why: a rejection needs a comment for its author."},
    )


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "summary", "kind", "book", "author", "status", "revision", "created_at")
    list_filter = ("status", "kind", "book")
    list_select_related = ("book", "author")
    search_fields = ("summary", "author__username")
    ordering = ("created_at",)
    inlines = [ReviewInline]
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _act(self, request, queryset, act) -> None:
        for change_request in queryset.order_by("created_at", "id"):
            try:
                message = act(change_request)
            except ReviewError as error:
                self.message_user(request, f"#{change_request.pk}: {error}", messages.ERROR)
            else:
                level = (
                    messages.SUCCESS
                    if message.startswith("Approved") or "merged" in message
                    else messages.WARNING
                )
                self.message_user(request, f"#{change_request.pk}: {message}", level)

    @admin.action(description="Approve and publish the selected change requests")
    def approve_selected(self, request, queryset) -> None:
        self._act(
            request,
            queryset,
            lambda change_request: (
                change_request_approve(change_request=change_request, reviewer=request.user).message
            ),
        )

    @admin.action(description="Reject the selected change requests (asks for a reason)")
    def reject_selected(self, request, queryset):
        # A rejection tells its author why, so the reviewer writes the reason: one page
        # asks for it, and only a non-empty reason rejects anything.
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]

            def reject(change_request):
                change_request_reject(change_request=change_request, reviewer=request.user, comment=reason)
                return "Rejected."

            self._act(request, queryset, reject)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject change requests",
            "opts": self.model._meta,
            "form": form,
            "change_requests": queryset.select_related("author").order_by("created_at", "id"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/notes/changerequest/reject_reason.html", context)


# --- Discussion and moderation (issue #4) -----------------------------------------------
# Threads, comments and the moderation log are browsable and searchable, never edited here:
# a comment's text changes only through its author (keeping its history). The bulk
# actions call the moderation services the site's buttons call, so each one is checked,
# refused when it would change nothing, and logged; refusals become messages.


class HideReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown to moderators with the hidden text, and kept in the moderation log.",
    )


class OptionalModerationReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Optional. Kept in the moderation log with each action.",
    )


class DiscussionReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def act_on_each(self, request, queryset, act, done: str) -> None:
        """Run ``act`` on each selected object through its service; report each refusal."""
        succeeded = 0
        for obj in queryset.order_by("pk"):
            try:
                act(obj)
            except (DiscussionError, PermissionDenied) as error:
                self.message_user(request, f"#{obj.pk}: {error}", messages.WARNING)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{done}: {succeeded}.", messages.SUCCESS)

    def act_with_reason(
        self,
        request,
        queryset,
        *,
        action: str,
        form_class: type[forms.Form],
        act,
        done: str,
        title: str,
        intro: str,
        submit: str,
        describe,
    ):
        """Ask for the reason on a page of its own, then ``act(obj, reason)`` on each object.

        The moderation log keeps why each action was taken, so the moderator writes the
        reason rather than the admin making one up; ``describe(obj)`` names an object there.
        """
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self.act_on_each(request, queryset, lambda obj: act(obj, reason), done)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit": submit,
            "opts": self.model._meta,
            "form": form,
            "items": [(obj.pk, describe(obj)) for obj in queryset.order_by("pk")],
            "action": action,
            "changelist_url": reverse(f"admin:notes_{self.model._meta.model_name}_changelist"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/notes/moderation_reason.html", context)


def _describe_thread(thread) -> str:
    state = " (locked)" if thread.is_locked else ""
    return f"#{thread.pk} “{thread.title}” by {thread.author.get_username()}{state}"


def _describe_comment(comment) -> str:
    state = " (hidden)" if comment.is_hidden else " (deleted)" if comment.is_deleted else ""
    return f"#{comment.pk} by {comment.author.get_username()} in “{comment.thread.title}”{state}"


@admin.register(Thread)
class ThreadAdmin(DiscussionReadOnlyAdmin):
    list_display = (
        "title",
        "chapter",
        "book",
        "author",
        "is_locked",
        "is_pinned",
        "is_resolved",
        "comment_count",
        "last_activity_at",
    )
    list_filter = (
        "is_locked",
        "is_pinned",
        "is_resolved",
        ("chapter", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("chapter__book", "author")
    search_fields = ("title", "author__username", "chapter__title", "chapter__book__title")
    actions = ["lock_selected", "unlock_selected"]

    @admin.display(description="Book", ordering="chapter__book__title")
    def book(self, thread) -> str:
        return thread.chapter.book.title

    @admin.action(description="Lock the selected threads (asks for a reason)")
    def lock_selected(self, request, queryset):
        return self.act_with_reason(
            request,
            queryset.select_related("author"),
            action="lock_selected",
            form_class=OptionalModerationReasonForm,
            act=lambda thread, reason: thread_lock(thread=thread, moderator=request.user, reason=reason),
            done="Locked",
            title="Lock threads",
            intro="Lock these threads: they take no more replies or edits until unlocked.",
            submit="Lock threads",
            describe=_describe_thread,
        )

    @admin.action(description="Unlock the selected threads (asks for a reason)")
    def unlock_selected(self, request, queryset):
        return self.act_with_reason(
            request,
            queryset.select_related("author"),
            action="unlock_selected",
            form_class=OptionalModerationReasonForm,
            act=lambda thread, reason: thread_unlock(thread=thread, moderator=request.user, reason=reason),
            done="Unlocked",
            title="Unlock threads",
            intro="Unlock these threads: they take replies again.",
            submit="Unlock threads",
            describe=_describe_thread,
        )


@admin.register(Comment)
class CommentAdmin(DiscussionReadOnlyAdmin):
    list_display = ("id", "excerpt", "thread", "author", "created_at", "is_hidden", "is_deleted", "edited_at")
    list_filter = (
        "is_hidden",
        "is_deleted",
        "thread__is_locked",
        ("thread__chapter", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("thread", "author")
    search_fields = ("body", "author__username", "thread__title", "hidden_reason")
    exclude = ("body_html",)
    actions = ["hide_selected", "unhide_selected"]

    @admin.display(description="Text")
    def excerpt(self, comment) -> str:
        if comment.is_deleted:
            return "(deleted)"
        return comment.body if len(comment.body) <= 80 else comment.body[:79] + "…"

    @admin.action(description="Hide the selected comments (asks for a reason)")
    def hide_selected(self, request, queryset):
        return self.act_with_reason(
            request,
            queryset.select_related("author", "thread"),
            action="hide_selected",
            form_class=HideReasonForm,
            act=lambda comment, reason: comment_hide(comment=comment, moderator=request.user, reason=reason),
            done="Hidden",
            title="Hide comments",
            intro=(
                "Hide these comments from everyone but moderators. "
                "The reason is kept with each comment and in the moderation log."
            ),
            submit="Hide comments",
            describe=_describe_comment,
        )

    @admin.action(description="Unhide the selected comments (asks for a reason)")
    def unhide_selected(self, request, queryset):
        return self.act_with_reason(
            request,
            queryset.select_related("author", "thread"),
            action="unhide_selected",
            form_class=OptionalModerationReasonForm,
            act=lambda comment, reason: comment_unhide(
                comment=comment, moderator=request.user, reason=reason
            ),
            done="Shown again",
            title="Unhide comments",
            intro="Show these comments to everyone again.",
            submit="Unhide comments",
            describe=_describe_comment,
        )


@admin.register(ModerationLog)
class ModerationLogAdmin(DiscussionReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "thread", "comment", "reason")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("actor", "thread", "comment")
    search_fields = ("reason", "details", "thread__title", "actor__username")
    date_hierarchy = "created_at"


# Registering the following and reading group models.
from notes import admin_following, admin_groups  # noqa: E402,F401
