"""Following the wiki: what people watch, what they are told, and how they want e-mail.

A ``Watch`` names one book, chapter or thread; watching a book covers its chapters and
their threads, watching a chapter covers its threads. A ``Notification`` is one event told
to one person: ``event_key`` names the event, and a person gets at most one notification
per event however many rules (a mention, a reply, a watch) point them at it. Its
``email_status`` is the e-mail outbox, written in the event's transaction and worked off
by the task queue after the commit. State changes go through ``notes.services.watching``
and ``notes.services.notifications``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Watch(models.Model):
    class Target(models.TextChoices):
        BOOK = "book", "book"
        CHAPTER = "chapter", "chapter"
        THREAD = "thread", "thread"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    book = models.ForeignKey("notes.Book", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(
        "notes.Chapter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "notes.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(book__isnull=False, chapter__isnull=True, thread__isnull=True)
                    | models.Q(book__isnull=True, chapter__isnull=False, thread__isnull=True)
                    | models.Q(book__isnull=True, chapter__isnull=True, thread__isnull=False)
                ),
                name="watch_exactly_one_target",
            ),
            # Also the indexes that find the watchers of a book, chapter or thread.
            models.UniqueConstraint(
                fields=["book", "user"], condition=models.Q(book__isnull=False), name="watch_book_once"
            ),
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=models.Q(chapter__isnull=False),
                name="watch_chapter_once",
            ),
            models.UniqueConstraint(
                fields=["thread", "user"], condition=models.Q(thread__isnull=False), name="watch_thread_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.target_kind} #{self.target_id}"

    @property
    def target_kind(self) -> str:
        if self.thread_id:
            return self.Target.THREAD
        if self.chapter_id:
            return self.Target.CHAPTER
        return self.Target.BOOK

    @property
    def target_id(self) -> int:
        return self.thread_id or self.chapter_id or self.book_id

    @property
    def target(self):
        """The watched object; load it with select_related first."""
        return self.thread or self.chapter or self.book


class Notification(models.Model):
    """One event that concerns ``recipient``."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mentioned you"
        REPLY = "reply", "Replied to your comment"
        COMMENT = "comment", "New comment"
        THREAD = "thread", "New thread"
        SUBMITTED = "submitted", "Change submitted for review"
        AMENDED = "amended", "Change amended while under review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Change approved"
        REJECTED = "rejected", "Change rejected"
        CONFLICT = "conflict", "Change sent back with a conflict"
        PUBLISHED = "published", "New version"
        PARTLY_PUBLISHED = "partly_published", "Part of a change published"
        PART_REJECTED = "part_rejected", "Part of a change rejected"
        DIFF_COMMENT = "diff_comment", "Comment on a change request"

    class EmailStatus(models.TextChoices):
        NONE = "", "No e-mail"
        PENDING = "pending", "To send now"
        DIGEST = "digest", "For the daily digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent (e-mail turned off)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MENTION)
    # Who did it; never the recipient.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where it happened, as far as the event goes (a thread event fills all four).
    book = models.ForeignKey("notes.Book", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chapter = models.ForeignKey(
        "notes.Chapter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    thread = models.ForeignKey(
        "notes.Thread", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.ForeignKey(
        "notes.Comment", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    change_request = models.ForeignKey(
        "notes.ChangeRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The watch that brought it ("book", "chapter", "thread"), or "" when it is about the
    # recipient themself (a mention, a reply to them, their own request): what "Unwatch" ends.
    via = models.CharField(max_length=10, blank=True, default="", choices=Watch.Target.choices)
    event_key = models.CharField(max_length=100)
    # A sentence more, where the kind alone does not say it ("3 of your 5 changes were
    # published; 2 remain for review").
    detail = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    # Seen: the list was opened since (clears the nav count). Read: marked read.
    seen_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, blank=True, default=EmailStatus.NONE, choices=EmailStatus.choices
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "seen_at"], name="notification_unseen"),
            models.Index(fields=["email_status", "recipient"], name="notification_outbox"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id} ({self.event_key})"

    def get_absolute_url(self) -> str:
        """Where the event can be read; reads the related rows (select them first)."""
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.kind == self.Kind.PUBLISHED:
            if self.chapter_id:
                return self.chapter.get_absolute_url()
            return self.book.get_absolute_url()
        if self.change_request_id:
            return self.change_request.get_absolute_url()
        if self.thread_id:
            return self.thread.get_absolute_url()
        return self.book.get_absolute_url() if self.book_id else reverse("notes:notification-list")

    @property
    def verb(self) -> str:
        """What the actor did, as the words between their name and ``label``."""
        return VERBS[self.kind]

    @property
    def label(self) -> str:
        """What it was done to: the thread, the request's summary or the page (plain text)."""
        if self.kind == self.Kind.PUBLISHED:
            return str(self.chapter) if self.chapter_id else self.book.title
        if self.kind in REQUEST_KINDS and self.change_request_id:
            return self.change_request.summary
        if self.thread_id:
            return self.thread.title
        return self.book.title if self.book_id else ""

    @property
    def place(self) -> str:
        """The book and chapter, for the line under the notification."""
        if self.chapter_id:
            return f"{self.book.title}, Chapter {self.chapter.number}"
        return self.book.title if self.book_id else ""

    @property
    def is_about_a_request(self) -> bool:
        return self.kind in REQUEST_KINDS

    def watch_to_end(self, watched: set[tuple[str, int]]) -> tuple[str, int, object] | None:
        """``(kind, id, object)`` of the watch an "Unwatch" here would end, or None.

        ``watched`` is what the recipient watches now (``(kind, id)`` pairs). The watch that
        brought the notification comes first; for a mention or a reply, the closest watch
        of the place (the thread, then the chapter, then the book) that covers it.
        """
        order = [self.via] if self.via else []
        Target = Watch.Target
        order += [kind for kind in (Target.THREAD, Target.CHAPTER, Target.BOOK) if kind not in order]
        ids = {Target.BOOK: self.book_id, Target.CHAPTER: self.chapter_id, Target.THREAD: self.thread_id}
        for kind in order:
            target_id = ids[kind]
            if target_id and (kind, target_id) in watched:
                return (
                    kind,
                    target_id,
                    {Target.BOOK: self.book, Target.CHAPTER: self.chapter, Target.THREAD: self.thread}[kind],
                )
        return None

    @property
    def watched_id(self) -> int | None:
        """The id of the book, chapter or thread whose watch brought this notification."""
        return {"book": self.book_id, "chapter": self.chapter_id, "thread": self.thread_id}.get(self.via)

    @property
    def watched(self):
        return {"book": self.book, "chapter": self.chapter, "thread": self.thread}.get(self.via)


REQUEST_KINDS = (
    Notification.Kind.SUBMITTED,
    Notification.Kind.AMENDED,
    Notification.Kind.CHANGES_REQUESTED,
    Notification.Kind.APPROVED,
    Notification.Kind.REJECTED,
    Notification.Kind.CONFLICT,
    Notification.Kind.PARTLY_PUBLISHED,
    Notification.Kind.PART_REJECTED,
    Notification.Kind.DIFF_COMMENT,
)
VERBS = {
    Notification.Kind.MENTION: "mentioned you in",
    Notification.Kind.REPLY: "replied to your comment in",
    Notification.Kind.COMMENT: "commented in",
    Notification.Kind.THREAD: "started the thread",
    Notification.Kind.SUBMITTED: "submitted a change for review:",
    Notification.Kind.AMENDED: "amended a change under review:",
    Notification.Kind.CHANGES_REQUESTED: "asked for changes to your request",
    Notification.Kind.APPROVED: "approved and published your change",
    Notification.Kind.REJECTED: "rejected your change",
    Notification.Kind.CONFLICT: "could not publish your change, which conflicts with a newer version:",
    Notification.Kind.PUBLISHED: "published a new version of",
    Notification.Kind.PARTLY_PUBLISHED: "published part of your change",
    Notification.Kind.PART_REJECTED: "took part out of your change",
    Notification.Kind.DIFF_COMMENT: "commented on a line or cell of the change",
}


class NotificationSettings(models.Model):
    """How one person wants e-mail (and spoilers); a person without a row gets e-mail at once."""

    class Email(models.TextChoices):
        INSTANT = "instant", "At once, one e-mail per notification"
        DAILY = "daily", "Once a day, a digest of the day's notifications"
        OFF = "off", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.INSTANT)
    # The day (UTC) the last digest went out: at most one a day.
    digest_sent_on = models.DateField(null=True, blank=True)

    class NewRequests(models.TextChoices):
        ALL = "all", "Every request submitted for review"
        WATCHED = "watched", "Only requests on books and chapters I watch"
        NONE = "none", "None"

    # Reading groups: a member sees threads on chapters past their progress
    # only when they ask for it here (folded by default).
    show_spoilers = models.BooleanField(default=False)
    # Reviewers: which newly submitted (and amended) requests they hear of. Empty until
    # chosen: then the Reviewer role hears of all (a request never waits unseen because no
    # reviewer happened to watch its book) and admins of what they watch
    # (permissions.new_requests_default).
    new_requests = models.CharField(max_length=10, choices=NewRequests.choices, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"E-mail {self.email} for {self.user_id}"
