"""Discussion of a chapter: threads, threaded comments, moderation and mentions.

Nothing here is ever deleted: a deleted comment keeps its place in the tree with its
text removed, a hidden one keeps its text for moderators, an edited one keeps its
earlier versions as ``CommentRevision`` rows. State changes go through
``notes.services.discussions``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Comments shown per page of a thread, in tree order (a page may start inside a subtree).
COMMENTS_PER_PAGE = 50
# Replies deeper than this are shown at this depth, one after the other.
MAX_DISPLAY_DEPTH = 4
# One segment of ``Comment.path``: a zero-padded sequence number.
PATH_SEGMENT_DIGITS = 6


def comment_path(parent_path: str, number: int) -> str:
    """The path of the ``number``-th comment placed under ``parent_path`` ("" for top level)."""
    segment = f"{number:0{PATH_SEGMENT_DIGITS}d}"
    return f"{parent_path}.{segment}" if parent_path else segment


class Thread(models.Model):
    class AnchorKind(models.TextChoices):
        NONE = "", "The whole chapter"
        HEADING = "heading", "A heading"
        TABLE = "table", "A comparison table"

    chapter = models.ForeignKey("notes.Chapter", on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    anchor_kind = models.CharField(max_length=10, choices=AnchorKind.choices, blank=True, default="")
    # A heading id of the chapter's HTML, or a table slug of the chapter.
    anchor_value = models.CharField(max_length=200, blank=True, default="")
    # What the anchor was called when the thread started (heading text or table title),
    # so pages can name the place without parsing the chapter.
    anchor_label = models.CharField(max_length=300, blank=True, default="")
    is_resolved = models.BooleanField(default=False)
    # Set when the thread is resolved, cleared when it is reopened (a meeting agenda lists what was resolved since).
    resolved_at = models.DateTimeField(null=True, blank=True)
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # When a moderator last changed the title: pages say that it changed, never from what
    # (the old title is in the moderation log, for moderators).
    renamed_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    # Top-level comments so far; the next one takes count + 1 as its path.
    top_level_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["chapter", "is_resolved", "-last_activity_at"], name="thread_chapter_state"),
            models.Index(fields=["chapter", "anchor_kind", "anchor_value"], name="thread_chapter_anchor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(anchor_kind="", anchor_value=""))
                | (~models.Q(anchor_kind="") & ~models.Q(anchor_value="")),
                name="thread_anchor_kind_and_value_together",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "notes:thread-detail",
            kwargs={
                "book_slug": self.chapter.book.slug,
                "number": self.chapter.number,
                "thread_id": self.pk,
            },
        )

    @property
    def anchor_id(self) -> str:
        """The id of the anchored place in the chapter page's HTML ('' when not anchored)."""
        if self.anchor_kind == self.AnchorKind.TABLE:
            return f"table-{self.anchor_value}"
        return self.anchor_value

    @property
    def anchor_key(self) -> str:
        return f"{self.anchor_kind}:{self.anchor_value}" if self.anchor_kind else ""


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False)
    # 0 for a top-level comment, parent's depth + 1 for a reply (however deep).
    depth = models.PositiveIntegerField(default=0)
    # Where the comment stands in the thread's tree: "000003" is the third top-level
    # comment, "000003.000002" the second reply shown under it. Sorting by path gives the
    # displayed order, so a page is one slice of it. A reply past MAX_DISPLAY_DEPTH gets a
    # path at that depth (after its parent's siblings), which is how it "stays flat".
    path = models.CharField(max_length=80)
    # Comments placed directly under this one in the path; the next one takes count + 1.
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True, default="")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The one-time token of the form that posted the comment: a form sent twice posts once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["thread_id", "path"]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="comment_author_recent"),
            models.Index(fields=["is_hidden"], name="comment_hidden"),
        ]
        constraints = [
            # Also the index a page of a thread is read through.
            models.UniqueConstraint(fields=["thread", "path"], name="comment_unique_path_per_thread"),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk} by {self.author_id} on thread #{self.thread_id}"

    def get_absolute_url(self) -> str:
        """A permanent link: it finds the comment's page when followed (no query here)."""
        return reverse("notes:comment-link", kwargs={"comment_id": self.pk})

    @property
    def display_depth(self) -> int:
        return min(self.depth, MAX_DISPLAY_DEPTH)

    @property
    def is_flattened(self) -> bool:
        """Shown at the depth limit rather than under its parent."""
        return self.depth > MAX_DISPLAY_DEPTH

    def edit_refusal(self) -> str:
        """Why the comment cannot be edited now, or ''; reads ``self.thread`` (load it first)."""
        if self.is_deleted:
            return "This comment was deleted; it cannot be edited."
        if self.is_hidden:
            return "A moderator hid this comment; it cannot be edited while hidden."
        if self.thread.is_locked:
            return "This thread is locked: its comments can no longer be edited."
        return ""


class CommentRevision(models.Model):
    """The text a comment had before one edit (or before its deletion)."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    # When this text was replaced, and by whom.
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["comment_id", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of comment #{self.comment_id} replaced {self.replaced_at:%Y-%m-%d %H:%M}"


class ModerationLog(models.Model):
    class Action(models.TextChoices):
        HIDE = "hide", "Hid a comment"
        UNHIDE = "unhide", "Unhid a comment"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        PIN = "pin", "Pinned a thread"
        UNPIN = "unpin", "Unpinned a thread"
        MOVE = "move", "Moved a thread"
        RENAME = "rename", "Renamed a thread"
        RESOLVE = "resolve", "Resolved someone else's thread"
        REOPEN = "reopen", "Reopened someone else's thread"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="moderation_log")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.PROTECT, related_name="moderation_log"
    )
    reason = models.TextField(blank=True, default="")
    details = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="moderation_log_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_id} at {self.created_at:%Y-%m-%d %H:%M}"
