"""Django admin for reading groups: moderators' and admins' second way in.

Admin is for staff; the browser form (``notes.views.groups``) serves moderators. Both edit
the same rows: a group, its members (with their progress) and its meetings.
"""

from django.contrib import admin

from notes.models import GroupMembership, Meeting, ReadingGroup


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    fields = ("user", "progress", "joined_at")
    readonly_fields = ("joined_at",)
    autocomplete_fields = ("user",)
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ("starts_at", "place_or_link", "first_chapter", "last_chapter", "notes")
    extra = 0


@admin.register(ReadingGroup)
class ReadingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "book", "is_private", "created_at")
    list_filter = ("is_private", "book")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("book", "name", "slug", "description", "is_private", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = (GroupMembershipInline, MeetingInline)
    list_select_related = ("book",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
