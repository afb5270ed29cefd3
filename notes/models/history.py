"""What every history row carries besides the tracked fields.

django-simple-history writes the row; ``history_user`` is the author of the change and
``history_change_reason`` its summary (the changelog line). ``change_request`` links the
request whose approval published the version (empty for imported history).
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# A history row that carries a summary is a published change: a line of the changelog, an
# entry of a feed. One condition, written one way, so the partial indexes below serve every
# query that asks it (PostgreSQL matches an index's condition to the query's as written).
SUMMARIZED = Q(history_change_reason__gt="")


class History(HistoricalRecords):
    """simple-history's records, with indexes in the order the pages read them.

    Every list of versions is ordered by (history_date, history_id), newest first. With only
    simple-history's index on the date, PostgreSQL sorts every row sharing a date (an import
    writes a whole book at one instant) and, for one owner's rows, walks the whole wiki's
    history back from today until it has found enough of that owner's: costs that grow with
    the wiki rather than with the page. So: (history_date, history_id) for the whole wiki's
    changes, and (owner, history_date, history_id) for each field in ``dated_by`` (a book's
    changelog, a chapter's or table's history).

    The changelogs read only the ``SUMMARIZED`` rows, and a wiki may hold many rows without a
    summary (tables imported with their chapter): the same two orders again, over those rows
    only, for the whole wiki and by ``changelog_by`` (the book, the chapter), so a changelog
    never steps over rows it will not show."""

    def __init__(self, *args, dated_by: tuple[str, ...] = (), changelog_by: str = "", **kwargs):
        self.dated_by = dated_by
        self.changelog_by = changelog_by
        super().__init__(*args, **kwargs)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        name = model._meta.model_name[:10]  # book, chapter, comparison: names of 30 at most
        options["indexes"] = (
            *options.get("indexes", ()),
            models.Index(fields=("history_date", "history_id")),
            *(models.Index(fields=(field, "history_date", "history_id")) for field in self.dated_by),
            models.Index(
                fields=("history_date", "history_id"), condition=SUMMARIZED, name=f"{name[:12]}_changelog"
            ),
            *(
                [
                    models.Index(
                        fields=(self.changelog_by, "history_date", "history_id"),
                        condition=SUMMARIZED,
                        name=f"{name}_changelog_owner",
                    )
                ]
                if self.changelog_by
                else []
            ),
        )
        return options


class HistoryExtras(models.Model):
    change_request = models.ForeignKey(
        "notes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A partial publication: how many of the request's changes this version published, of
    # how many it proposed ("3 of 5 changes"); both empty when the request was published whole.
    changes_published = models.PositiveSmallIntegerField(null=True, blank=True)
    changes_proposed = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_partial(self) -> bool:
        return self.changes_published is not None

    @property
    def partial_label(self) -> str:
        """ "3 of 5 changes" for a partial publication, else empty."""
        if self.changes_published is None:
            return ""
        return f"{self.changes_published} of {self.changes_proposed} changes"


def attach_change_request(sender, instance, history_instance, **kwargs) -> None:
    # simple-history's documented hook for extra fields: the service that saves sets
    # ``instance._change_request`` (see notes.services.history.save_version).
    history_instance.change_request = getattr(instance, "_change_request", None)
    published, proposed = getattr(instance, "_changes_counted", (None, None))
    history_instance.changes_published, history_instance.changes_proposed = published, proposed
