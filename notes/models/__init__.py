from notes.models.accounts import SignupRequest
from notes.models.books import Book, Chapter, ComparisonTable
from notes.models.discussions import Comment, CommentRevision, ModerationLog, Thread
from notes.models.following import Notification, NotificationSettings, Watch
from notes.models.groups import GroupMembership, Meeting, ReadingGroup
from notes.models.quotes import QuoteAnchor
from notes.models.reviews import ChangeRequest, Review
from notes.models.search import SearchDocument

__all__ = [
    "Book",
    "ChangeRequest",
    "Chapter",
    "Comment",
    "CommentRevision",
    "ComparisonTable",
    "GroupMembership",
    "Meeting",
    "ModerationLog",
    "ReadingGroup",
    "Notification",
    "NotificationSettings",
    "QuoteAnchor",
    "Review",
    "SearchDocument",
    "SignupRequest",
    "Thread",
    "Watch",
]
