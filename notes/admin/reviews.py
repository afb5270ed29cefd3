"""Django admin: change requests, browsable; approve and reject act through the same services
and rules as the site (no self-approval, only submitted requests), and errors become messages.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from notes.admin.read_only import ReadOnlyMixin
from notes.models import ChangeRequest, Review
from notes.services.reviews import ReviewError, change_request_approve, change_request_reject


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
class ChangeRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "summary", "kind", "book", "author", "status", "revision", "created_at")
    list_filter = ("status", "kind", "book")
    list_select_related = ("book", "author")
    search_fields = ("summary", "author__username")
    ordering = ("created_at",)
    inlines = [ReviewInline]
    actions = ["approve_selected", "reject_selected"]

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
