"""Django admin: threads, comments and the moderation log, browsable and searchable, never edited.

A comment's text changes only through its author (keeping its history). The bulk actions call
the moderation services the site's buttons call, so each one is checked, refused when it would
change nothing, and logged; refusals become messages.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from notes.admin.read_only import ReadOnlyMixin
from notes.lib.limits import MAX_REASON_LENGTH
from notes.models import Comment, ModerationLog, Thread
from notes.services.discussions import DiscussionError
from notes.services.moderation import comment_hide, comment_unhide, thread_lock, thread_unlock


class HideReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown to moderators with the hidden text, and kept in the moderation log.",
    )


class OptionalModerationReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Optional. Kept in the moderation log with each action.",
    )


class DiscussionReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
