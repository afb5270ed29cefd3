"""Django admin for following: read-only lists to answer "why did (not) I get this mail?".

Changes go through the site (watch buttons, the settings page), so nothing is edited here.
"""

from django.contrib import admin

from notes.admin.read_only import ReadOnlyMixin
from notes.lib.numbers import BadNumber, parse_int
from notes.models import Notification, NotificationSettings, Watch


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    def get_object(self, request, object_id, from_field=None):
        # An id that is no number the database holds (25 digits, "²") is "no such object",
        # not a query the database refuses.
        try:
            parse_int(object_id)
        except BadNumber:
            return None
        return super().get_object(request, object_id, from_field)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "recipient",
        "kind",
        "actor",
        "via",
        "email_status",
        "email_attempts",
        "read_at",
    )
    list_filter = ("kind", "email_status", "via")
    list_select_related = ("recipient", "actor")
    search_fields = ("recipient__username", "actor__username", "event_key")
    date_hierarchy = "created_at"
    raw_id_fields = ("recipient", "actor", "book", "chapter", "thread", "comment", "change_request")


@admin.register(Watch)
class WatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "book", "chapter", "thread")
    list_select_related = ("user", "book", "chapter__book", "thread")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "book", "chapter", "thread")


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    list_display = ("user", "email", "digest_sent_on", "updated_at")
    list_filter = ("email",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
