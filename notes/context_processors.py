from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from notes import permissions
from notes.selectors import discussions as discussion_selectors
from notes.selectors import reviews as review_selectors

SITE_NAME = "Chapterwise"

# The layout's links and files, named as the templates use them: the same on every page, so
# they are worked out once per process (and script prefix) rather than on every page.
_LAYOUT_URLS = {
    "home": "home",
    "recent": "notes:recent",
    "notifications": "notes:notification-list",
    "moderation_log": "notes:moderation-log",
    "webhooks": "notes:webhook-list",
    "people": "notes:people",
    "review_queue": "notes:review-queue",
    "account": "notes:account",
    "admin": "admin:index",
    "logout": "logout",
    "login": "login",
    "search": "search",
    "search_suggest": "search-suggest",
}
_LAYOUT_FILES = {
    "favicon": "favicon.svg",
    "site_css": "css/site.css",
    "confirm_js": "js/confirm.js",
    "search_suggest_js": "js/search_suggest.js",
    "scrollables_js": "js/scrollables.js",
    "nav_menu_js": "js/nav_menu.js",
}
_layouts: dict[str, dict[str, str]] = {}


def layout_links() -> dict[str, str]:
    prefix = get_script_prefix()
    links = _layouts.get(prefix)
    if links is None:
        links = {name: reverse(url_name) for name, url_name in _LAYOUT_URLS.items()}
        links.update({name: static(path) for name, path in _LAYOUT_FILES.items()})
        _layouts[prefix] = links
    return links


def wiki(request) -> dict:
    """Site name and the current user's roles for the layout."""
    # Error pages raised before AuthenticationMiddleware ran (a bad Host header) have no user.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "site_name": SITE_NAME,
        "layout": layout_links(),
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
