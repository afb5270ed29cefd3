from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from notes import permissions
from notes.selectors import discussions as discussion_selectors
from notes.selectors import reviews as review_selectors

SITE_NAME = "Chapterwise"


def wiki(request) -> dict:
    """Site name and the current user's roles for the layout."""
    # Error pages raised before AuthenticationMiddleware ran (a bad Host header) have no user.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "site_name": SITE_NAME,
        "user_roles": permissions.roles(user),
        "public_read": settings.WIKI_PUBLIC_READ,
        # Review workflow: links and the nav's count of requests waiting (one query, on use).
        "can_propose": permissions.can_propose(user),
        "can_see_reviews": permissions.can_see_reviews(user),
        "review_nav": SimpleLazyObject(lambda: review_selectors.request_review_counts(request)),
        # Discussion: the moderation log link (roles are cached, so no query).
        "can_moderate": permissions.can_moderate(user),
        "can_manage_webhooks": permissions.can_manage_webhooks(user),
        # People: the /people/ link for admins and moderators (roles are cached, so no query).
        "can_see_people": permissions.can_see_people(user),
        # The nav's count of unread mentions (one query, on use, signed-in users only).
        "unread_notifications": SimpleLazyObject(
            lambda: discussion_selectors.unread_notification_count(user=user)
        ),
    }
