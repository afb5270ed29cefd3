"""What every history row carries besides the tracked fields.

django-simple-history writes the row; ``history_user`` is the author of the change and
``history_change_reason`` its summary (the changelog line). ``change_request`` links the
request whose approval published the version (empty for imported history).
"""

from django.db import models


class HistoryExtras(models.Model):
    change_request = models.ForeignKey(
        "notes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


def attach_change_request(sender, instance, history_instance, **kwargs) -> None:
    # simple-history's documented hook for extra fields: the service that saves sets
    # ``instance._change_request`` (see notes.services.history.save_version).
    history_instance.change_request = getattr(instance, "_change_request", None)
