"""Django admin for API tokens: who holds which, read-only. The secret's hash is never shown;
a token is revoked by its owner on /account/tokens/ (or by deactivating the account)."""

from django.contrib import admin

from notes.admin.following import ReadOnlyAdmin
from notes.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("secret_hash",)
