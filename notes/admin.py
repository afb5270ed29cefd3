"""Django admin: content and its history, read-only.

Content changes only through the review workflow (nothing goes live unreviewed, and every
version gets its summary and rendered HTML there), so admin shows books, chapters and
tables with their full history but does not edit them.
"""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable, Review
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

    @admin.action(description="Reject the selected change requests")
    def reject_selected(self, request, queryset) -> None:
        def reject(change_request):
            change_request_reject(
                change_request=change_request,
                reviewer=request.user,
                comment=f"Rejected by {request.user.get_username()} in the admin.",
            )
            return "Rejected."

        self._act(request, queryset, reject)
