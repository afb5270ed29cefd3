from notes.models.accounts import SignupRequest
from notes.models.api import ApiToken
from notes.models.books import Book, Chapter, ComparisonTable
from notes.models.discussions import Comment, CommentRevision, ModerationLog, Thread
from notes.models.following import Notification, NotificationSettings, Watch
from notes.models.groups import GroupMembership, Meeting, ReadingGroup
from notes.models.people import Invitation, PeopleLogEntry, Profile
from notes.models.quotes import QuoteAnchor
from notes.models.reviews import ChangeRequest, DiffComment, Review
from notes.models.search import SearchDocument, SearchWord
from notes.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "Book",
    "ChangeRequest",
    "Chapter",
    "Comment",
    "DiffComment",
    "CommentRevision",
    "ComparisonTable",
    "GroupMembership",
    "Invitation",
    "Meeting",
    "ModerationLog",
    "ReadingGroup",
    "Notification",
    "NotificationSettings",
    "PeopleLogEntry",
    "Profile",
    "QuoteAnchor",
    "Review",
    "SearchDocument",
    "SearchWord",
    "SignupRequest",
    "Thread",
    "Watch",
    "WebhookDelivery",
    "WebhookEndpoint",
]
