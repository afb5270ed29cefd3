"""Django admin: content and its history, read-only.

Content changes only through the review workflow (nothing goes live unreviewed, and every
version gets its summary and rendered HTML there), so admin shows books, chapters and
tables with their full history but does not edit them.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from notes.admin.read_only import ReadOnlyMixin
from notes.lib.numbers import BadNumber, parse_int
from notes.models import Book, Chapter, ComparisonTable


class ComparisonTableInline(admin.TabularInline):
    model = ComparisonTable
    fields = ("position", "slug", "title")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class ReadOnlyContentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
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
