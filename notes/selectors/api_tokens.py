"""Read queries of API tokens."""

from django.db.models import QuerySet

from notes.models.api import ApiToken


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (one query); the secret's hash is never read."""
    return ApiToken.objects.filter(user_id=user.pk).defer("secret_hash").order_by("-created_at", "-id")
