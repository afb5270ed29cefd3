"""A discussion thread started on a quote of its chapter, and where that quote stands now.

The selector is the W3C Web Annotation one (exact words, context before and after, start
and end offsets) into the chapter's plain text (``notes.lib.quotes``). Each published version
of the chapter re-anchors it (``notes.services.quotes.quotes_reanchor``); a quote whose
passage is gone is orphaned, never deleted: it keeps the words it was made on.
"""

from django.db import models


class QuoteAnchor(models.Model):
    class Status(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        ORPHANED = "orphaned", "Orphaned"

    thread = models.OneToOneField("notes.Thread", on_delete=models.PROTECT, related_name="quote")
    # Where the words stand in the current version (anchored), or stood last (orphaned).
    exact = models.TextField()
    prefix = models.CharField(max_length=100, blank=True, default="")
    suffix = models.CharField(max_length=100, blank=True, default="")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANCHORED)
    # The words as the reader quoted them, and the version they were quoted from.
    original_exact = models.TextField()
    made_on_history_id = models.PositiveBigIntegerField(null=True, blank=True)
    made_on_version = models.PositiveIntegerField(default=1)
    # The version the quote was last found in (the current one while anchored).
    last_anchored_history_id = models.PositiveBigIntegerField(null=True, blank=True)
    last_anchored_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "end", "id"]

    def __str__(self) -> str:
        return f"Quote of thread #{self.thread_id}: {self.exact[:40]}"

    @property
    def is_orphaned(self) -> bool:
        return self.status == self.Status.ORPHANED
