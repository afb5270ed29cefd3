"""Django admin: content and its history, read-only.

Content changes only through the review workflow (nothing goes live unreviewed, and every
version gets its summary and rendered HTML there), so admin shows books, chapters and
tables with their full history but does not edit them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from notes.models import Book, Chapter, ComparisonTable


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
