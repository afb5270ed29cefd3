"""Personal access tokens for the REST API (``/api/v1/``).

A token is shown once, when it is made: only its public ``prefix`` and the sha256 of its
secret are stored, so a leaked database or admin page gives nobody a working token. A
token acts for its user, never beyond the user's role, and only within its ``scopes``.
State changes go through ``notes.services.api_tokens``.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "read"
        WRITE = "write", "write"
        REVIEW = "review", "review"
        MODERATE = "moderate", "moderate"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “CI of the notes repo”.")
    prefix = models.CharField(max_length=16, unique=True, help_text="The token's public id.")
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"{self.name} (cw_{self.prefix}_…)"
