"""Django admin for people: look-ups only. Invitations, roles and deactivation go through
/people/ (its services log every change and send the e-mail); a profile is its owner's,
edited on /account/."""

from django.contrib import admin

from notes.admin.read_only import ReadOnlyMixin
from notes.models import Invitation, PeopleLogEntry, Profile


@admin.register(Profile)
class ProfileAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "display_name", "time_zone", "updated_at")
    search_fields = ("user__username", "display_name")
    list_select_related = ("user",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("email",)
    exclude = ("token_hash",)
    list_select_related = ("invited_by",)


@admin.register(PeopleLogEntry)
class PeopleLogEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "subject", "email", "detail")
    list_filter = ("action",)
    search_fields = ("email", "subject__username", "actor__username")
    list_select_related = ("actor", "subject")
