"""Sign-up requests: with ``SIGNUP_POLICY=approval`` a new account waits, inactive, for an
admin's decision. State changes go through ``notes.services.accounts``."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignupRequest(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signup_request"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["decision", "requested_at"])]

    def __str__(self) -> str:
        return f"Sign-up of {self.user} ({self.get_decision_display().lower()})"
