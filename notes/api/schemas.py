"""What the API reads and writes (pydantic, through django-ninja). Field names follow the
browser forms' words: ``summary`` is the changelog line, ``base_version`` the version an
edit started from (a history id, as the edit form carries it)."""

import datetime

from ninja import Schema
from pydantic import Field

from notes.lib.limits import MAX_SUMMARY_LENGTH


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str


class BookOut(Schema):
    slug: str
    title: str
    author: str
    domains: str
    url: str


class BookDetailOut(BookOut):
    summary: str
    summary_html: str
    chapters: list["ChapterOut"]


class BookPage(Schema):
    items: list[BookOut]
    next: str | None


class ChapterOut(Schema):
    number: int
    title: str
    url: str


class ChapterPage(Schema):
    items: list[ChapterOut]
    next: str | None


class ChapterDetailOut(ChapterOut):
    book: str
    body: str = Field(description="The Markdown source.")
    body_html: str = Field(description="The stored, sanitized HTML.")
    version: int | None = Field(description="The current version's id: send it as base_version to edit.")
    tables: list[str]


class TableOut(Schema):
    slug: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    html: str
    version: int | None


class VersionOut(Schema):
    version: int = Field(description="The version's id (a history id).")
    number: int
    date: datetime.datetime
    summary: str
    author: str | None
    change_request: int | None


class VersionPage(Schema):
    items: list[VersionOut]
    next: str | None


class DiffOut(Schema):
    from_version: int
    to_version: int
    title_changed: bool
    unified: str = Field(description="A unified diff of the Markdown.")


class ChangelogEntryOut(Schema):
    date: datetime.datetime
    summary: str
    target: str
    author: str | None
    approver: str | None
    change_request: int | None
    url: str


class ChangelogOut(Schema):
    items: list[ChangelogEntryOut]


class ReviewOut(Schema):
    reviewer: str
    verdict: str
    comment: str
    revision: int
    created_at: datetime.datetime


class ChangeRequestOut(Schema):
    id: int
    kind: str
    status: str
    summary: str
    author: str
    book: str | None
    chapter: int | None
    table: str | None
    revision: int
    base_version: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class ChangeRequestDetailOut(ChangeRequestOut):
    title: str
    body: str
    number: int | None
    slug: str
    headers: list
    rows: list
    book_author: str
    book_domains: str
    conflicts: list
    reviews: list[ReviewOut]


class ChangeRequestPage(Schema):
    items: list[ChangeRequestOut]
    next: str | None


class Proposal(Schema):
    summary: str = Field("", max_length=MAX_SUMMARY_LENGTH, description="One line for the changelog.")
    submit: bool = Field(True, description="Submit for review at once (false: keep a draft).")


class ChapterEditIn(Proposal):
    book: str
    chapter: int
    title: str
    body: str = ""
    base_version: int | None = Field(None, description="The version id the edit started from.")


class ChapterNewIn(Proposal):
    book: str
    number: int
    title: str
    body: str = ""


class TableNewIn(Proposal):
    book: str
    chapter: int
    slug: str
    title: str = ""
    headers: list[str]
    rows: list[list[str]]


class BookNewIn(Proposal):
    title: str
    slug: str = ""
    book_author: str = ""
    book_domains: str = ""
    body: str = Field("", description="About the book (Markdown).")


class ReviseIn(Proposal):
    title: str | None = None
    body: str | None = None
    headers: list[str] | None = None
    rows: list[list[str]] | None = None
    book_author: str | None = None
    book_domains: str | None = None


class VerdictIn(Schema):
    comment: str = ""
    revision: int | None = Field(None, description="The revision you read; a newer one refuses the verdict.")


class PartVerdictIn(Schema):
    changes: list[str] = Field(description="Ids of the changes, as GET .../changes lists them.")
    comment: str = ""
    revision: int | None = Field(None, description="The revision you read; a newer one refuses the verdict.")


class ChangeOut(Schema):
    id: str
    label: str


class ChangesOut(Schema):
    revision: int
    changes: list[ChangeOut]


class VerdictOut(Schema):
    change_request: ChangeRequestOut
    message: str
    published: bool


class ConflictOut(Problem):
    conflicts: list
    current_version: int | None


class GroupOut(Schema):
    slug: str
    name: str
    book: str
    description: str
    is_private: bool
    is_member: bool
    url: str


class GroupList(Schema):
    items: list[GroupOut]


class MeetingOut(Schema):
    id: int
    starts_at: datetime.datetime
    place_or_link: str
    first_chapter: int
    last_chapter: int
    notes: str


class GroupDetailOut(GroupOut):
    members: list[str]
    meetings: list[MeetingOut]


class ProgressIn(Schema):
    chapter: int = Field(description="The last chapter you have read (0: not started).")


class ProgressOut(Schema):
    book: str
    progress: int


class ThreadOut(Schema):
    id: int
    title: str
    author: str
    anchor: str
    is_resolved: bool
    is_locked: bool
    is_pinned: bool
    comment_count: int
    last_activity_at: datetime.datetime
    url: str


class ThreadPage(Schema):
    items: list[ThreadOut]
    next: str | None
    folded: bool = Field(
        False, description="True: the threads are past your reading progress; ask again with spoilers=show."
    )


class CommentOut(Schema):
    id: int
    author: str
    parent: int | None
    body: str = Field(description="Empty when the comment is hidden or deleted (moderators see it).")
    body_html: str
    is_hidden: bool
    is_deleted: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class ThreadDetailOut(ThreadOut):
    book: str
    chapter: int
    comments: list[CommentOut]
    next: str | None


class ThreadIn(Schema):
    title: str
    body: str
    anchor: str = Field(
        "", description="A heading or table of the chapter, e.g. “heading:why” or “table:storage”."
    )


class CommentIn(Schema):
    body: str
    parent: int | None = Field(None, description="The comment you answer (none: the thread).")


class ReasonIn(Schema):
    reason: str = ""


class SearchResultOut(Schema):
    kind: str
    url: str
    title: str
    book: str
    snippet: str
    is_hidden: bool


class SearchOut(Schema):
    query: str
    counts: dict[str, int]
    messages: list[str]
    results: list[SearchResultOut]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    is_read: bool
    created_at: datetime.datetime


class NotificationPage(Schema):
    items: list[NotificationOut]
    next: str | None


class ReadOut(Schema):
    marked_read: int


class ImportOut(Schema):
    book_title: str
    warnings: list[str]
    notes: list[str]
    change_requests: list["ChangeRequestOut"]
