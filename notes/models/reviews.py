"""Change requests: proposed edits that publish only when a reviewer approves them.

A change request carries the whole proposed content of its target (not a patch), the
history row of the target it was written against (``base_history_id``) and a revision
counter the author bumps on each revision. Reviews record verdicts against a revision,
so an approval given to an older revision is visibly stale.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from notes.models.books import Book, Chapter, ComparisonTable


class ChangeRequestKind(models.TextChoices):
    """What a change request proposes (``ChangeRequest.Kind``). Declared before the model so
    its constraint can name the new-book kinds by member rather than by stored value."""

    BOOK_EDIT = "book_edit", "Book details"
    CHAPTER_EDIT = "chapter_edit", "Chapter edit"
    CHAPTER_NEW = "chapter_new", "New chapter"
    TABLE_EDIT = "table_edit", "Table edit"
    TABLE_NEW = "table_new", "New table"
    REVERT = "revert", "Revert"
    # A whole book proposed from an uploaded notes file: ``body`` holds it as Markdown,
    # ``slug`` its URL slug; ``book`` is empty until approval publishes it.
    BOOK_FROM_FILE = "new_book", "New book from a notes file"
    # A book proposed in the browser by its details (``body`` is its summary), to which
    # chapters are then proposed one by one; ``book`` is empty until approval too.
    BOOK_CREATE = "book_new", "New book"


# The kinds that propose a book not made yet: they name no book until approval.
NEW_BOOK_KINDS = (ChangeRequestKind.BOOK_FROM_FILE, ChangeRequestKind.BOOK_CREATE)

# The kinds whose changes a reviewer may accept one by one (text hunks; table rows, columns
# and cells): the edits of a chapter and of a table.
PARTLY_ACCEPTABLE_KINDS = (ChangeRequestKind.CHAPTER_EDIT, ChangeRequestKind.TABLE_EDIT)

# What a publish writes on each kind of target, by the request's field names.
TARGET_FIELDS = {
    "book": ("title", "body", "book_author", "book_domains"),
    "chapter": ("title", "body"),
    "table": ("title", "headers", "rows"),
}
# The fields each kind of request proposes; any other is refused when it is written.
PROPOSED_FIELDS = {
    ChangeRequestKind.BOOK_EDIT: TARGET_FIELDS["book"],
    ChangeRequestKind.CHAPTER_EDIT: TARGET_FIELDS["chapter"],
    ChangeRequestKind.CHAPTER_NEW: ("number", *TARGET_FIELDS["chapter"]),
    ChangeRequestKind.TABLE_EDIT: TARGET_FIELDS["table"],
    ChangeRequestKind.TABLE_NEW: (*TARGET_FIELDS["table"], "slug"),
    # A revert restores a chapter's or a table's content.
    ChangeRequestKind.REVERT: ("title", "body", "headers", "rows"),
    # ``body``: the whole book as Markdown.
    ChangeRequestKind.BOOK_FROM_FILE: (*TARGET_FIELDS["book"], "slug"),
    # ``body``: the book's summary.
    ChangeRequestKind.BOOK_CREATE: (*TARGET_FIELDS["book"], "slug"),
}


class ChangeRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        # Approval found the target changed and the merge had conflicts: back to the author.
        CONFLICT = "conflict", "Conflict"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    Kind = ChangeRequestKind

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHAPTER_EDIT)
    # Empty only for a proposed new book until it is published (then the book it made).
    book = models.ForeignKey(
        "notes.Book", null=True, blank=True, on_delete=models.PROTECT, related_name="change_requests"
    )
    # A chapter edit or revert names its chapter; a table edit names the table's chapter too.
    chapter = models.ForeignKey(
        "notes.Chapter", null=True, blank=True, on_delete=models.PROTECT, related_name="change_requests"
    )
    table = models.ForeignKey(
        "notes.ComparisonTable",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_requests"
    )
    summary = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    # The proposed content; which fields matter depends on ``kind``.
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    number = models.PositiveIntegerField(null=True, blank=True, help_text="New chapter's number.")
    slug = models.SlugField(max_length=120, blank=True, help_text="New table's or new book's slug.")
    headers = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    book_author = models.CharField(max_length=200, blank=True)
    book_domains = models.CharField(max_length=300, blank=True)
    # For a revert: which version of the target it restores (1-based, as the history page numbers them).
    revert_to_version = models.PositiveIntegerField(null=True, blank=True)

    # history_id of the target's newest history row when the request was written; empty for new things.
    base_history_id = models.BigIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    conflicts = models.JSONField(
        default=list, blank=True, help_text="Conflicting parts from the last approval."
    )
    # After a conflict: the version the merge was made against and the merged proposal the
    # author starts resolving from ({"base_history_id": ..., "content": {...}}).
    resolution = models.JSONField(default=dict, blank=True)
    merge_note = models.TextField(blank=True, help_text="Set when approval merged with newer changes.")

    # What the request page shows, rendered once when the proposal is written or revised
    # (notes.services.renderings), never per request: the proposal's HTML and its diffs
    # against the base version. ``rendered_revision`` is the revision they were made for;
    # None (or an older revision) means they are to be made again.
    rendered_html = models.TextField(blank=True, editable=False)
    inline_diff_html = models.TextField(blank=True, editable=False)
    side_by_side_html = models.TextField(blank=True, editable=False)
    rendered_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The result's HTML against the base version's, insertions and deletions marked
    # (notes.lib.rendered_diffs.rendered_diff), stored with the others.
    rendered_diff_html = models.TextField(blank=True, editable=False)
    # Review rounds: the newest revision a reviewer gave a verdict on before the author
    # revised, the text it had then, and what changed since (stored at revise).
    # An author amending a submitted request sets them to the revision amended, so reviewers
    # see what the amendment changed. A table's cells are kept as {"headers", "rows"}.
    reviewed_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reviewed_body = models.TextField(blank=True, editable=False)
    reviewed_table = models.JSONField(default=dict, blank=True, editable=False)
    since_review_diff_html = models.TextField(blank=True, editable=False)
    # When the author last changed the request while it was submitted (amended it).
    amended_at = models.DateTimeField(null=True, blank=True, editable=False)

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_change_requests",
    )
    published_history_id = models.BigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="changerequest_status_created"),
            models.Index(fields=["author", "status"], name="changerequest_author_status"),
        ]
        constraints = [
            # Only a proposed new book has no book yet (it is set when approval publishes it).
            models.CheckConstraint(
                condition=models.Q(book__isnull=False) | models.Q(kind__in=NEW_BOOK_KINDS),
                name="changerequest_book_unless_new_book",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("notes:review-detail", kwargs={"request_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def proposes_new_book(self) -> bool:
        """The request makes a book that does not exist yet (from a file or the form)."""
        return self.kind in NEW_BOOK_KINDS

    @property
    def is_editable(self) -> bool:
        """The author may change the proposal: drafts, submitted requests (amended) and
        requests sent back to them."""
        return self.status in EDITABLE_STATUSES

    @property
    def target_kind(self) -> str:
        """'book', 'chapter' or 'table': the model a publish writes a version of."""
        if self.kind in (self.Kind.TABLE_EDIT, self.Kind.TABLE_NEW) or self.table_id:
            return "table"
        if self.kind in (self.Kind.BOOK_EDIT, *NEW_BOOK_KINDS) or (
            self.kind == self.Kind.REVERT and not self.chapter_id
        ):
            return "book"
        return "chapter"

    @property
    def target_model(self) -> type[models.Model]:
        """The model of what this request changes (see ``target_kind``)."""
        return {"book": Book, "chapter": Chapter, "table": ComparisonTable}[self.target_kind]

    @property
    def target_pk(self) -> int | None:
        """The id of what this request changes; None for a new chapter, table or book."""
        return {"book": self.book_id, "chapter": self.chapter_id, "table": self.table_id}[self.target_kind]


# A request is open until it is approved, rejected or withdrawn: the author's queue lists
# it, and it can still change.
OPEN_STATUSES = (
    ChangeRequest.Status.DRAFT,
    ChangeRequest.Status.SUBMITTED,
    ChangeRequest.Status.CHANGES_REQUESTED,
    ChangeRequest.Status.CONFLICT,
)
EDITABLE_STATUSES = (
    ChangeRequest.Status.DRAFT,
    # Amended by its author: a new revision, which any approval must be given to again.
    ChangeRequest.Status.SUBMITTED,
    ChangeRequest.Status.CHANGES_REQUESTED,
    ChangeRequest.Status.CONFLICT,
)


class Review(models.Model):
    class Verdict(models.TextChoices):
        APPROVE = "approve", "Approve"
        REQUEST_CHANGES = "request_changes", "Request changes"
        REJECT = "reject", "Reject"
        # Part of the request: the ticked changes published (the rest stays open), or the
        # ticked changes taken out of it with the comment saying why.
        APPROVE_PART = "approve_part", "Approve selected changes"
        REJECT_PART = "reject_part", "Reject selected changes"

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(help_text="The request's revision the verdict was given for.")
    # For a verdict on part of the request: what each ticked change was, in words.
    changes = models.JSONField(default=list, blank=True)
    # ... and how many changes the request held then.
    changes_proposed = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.reviewer} on #{self.change_request_id}"

    @property
    def is_current(self) -> bool:
        """False once the author revised the request after this verdict."""
        return self.revision == self.change_request.revision


class DiffComment(models.Model):
    """A comment on one line or one cell of a request's diff, or a reply to one.

    ``anchor`` keeps what the commenter saw there (``notes.lib.diff_anchors``), so the
    comment is found again after the author revises, or shown outdated when that changed.
    A reply has no anchor of its own: it answers its parent's.
    """

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="diff_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    revision = models.PositiveIntegerField(help_text="The request's revision the comment was written on.")
    anchor = models.JSONField(default=dict, blank=True)
    body = models.TextField()
    is_resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on #{self.change_request_id}"
