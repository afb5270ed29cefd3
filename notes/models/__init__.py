from notes.models.books import Book, Chapter, ComparisonTable
from notes.models.discussions import Comment, CommentRevision, ModerationLog, Notification, Thread
from notes.models.reviews import ChangeRequest, Review
from notes.models.search import SearchDocument

__all__ = [
    "Book",
    "ChangeRequest",
    "Chapter",
    "Comment",
    "CommentRevision",
    "ComparisonTable",
    "ModerationLog",
    "Notification",
    "Review",
    "SearchDocument",
    "Thread",
]
