from django.conf import settings

from notes import permissions


def wiki(request) -> dict:
    """Site name and the current user's roles for the layout."""
    user = request.user
    return {
        "site_name": "Chapterwise",
        "user_roles": permissions.roles(user),
        "public_read": settings.WIKI_PUBLIC_READ,
    }
