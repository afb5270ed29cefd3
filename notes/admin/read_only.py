"""What every admin page of ours shares: it shows, it never adds, edits or deletes.

Content, requests and discussions change only through the site's services (reviewed,
versioned, logged); the admin is where staff look things up and run those same services
as bulk actions.
"""


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
