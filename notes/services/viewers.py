"""Expiring a signed-in user's cached snapshot (``notes.lib.viewer_cache``) when what it holds changes.

The snapshot holds the user's row with their roles, their reading progress (their group
memberships and whether they show spoilers), their watches and their count of unseen
notifications. Every save and delete of those rows expires it through the models' signals
(``connect``, from the app's ``ready``), whoever makes it: a service, the admin, a shell.
Writes that send no signal (``update()``, ``bulk_create()``) call ``viewer_changed``
themselves, in the service that makes them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from notes.lib.viewer_cache import viewer_expire
from notes.models import GroupMembership, Notification, NotificationSettings, Watch

# What a request's own user object carries from the snapshot; a change made in the request
# drops it, so the rest of the request (the page drawn after marking notifications seen)
# reads the new state rather than the one the request started with.
_CARRIED = ("_wiki_watches", "_wiki_unread", "_wiki_reading_progress")


def viewer_changed(*users, carried: tuple[str, ...] = _CARRIED) -> None:
    """The users' snapshots change (users or their ids): expire them. A user object given
    forgets the ``carried`` attributes that changed, so the request reads them afresh."""
    ids = []
    for user in users:
        if isinstance(user, int):
            ids.append(user)
            continue
        for name in carried:
            user.__dict__.pop(name, None)
        ids.append(user.pk)
    viewer_expire(*ids)


def _user_saved(sender, instance, **kwargs):
    viewer_expire(instance.pk)


def _user_id_saved(sender, instance, **kwargs):
    viewer_expire(instance.user_id)


def _recipient_saved(sender, instance, **kwargs):
    viewer_expire(instance.recipient_id)


def _members(group) -> list[int]:
    return list(group.user_set.values_list("pk", flat=True)) if group.pk else []


def _group_saved(sender, instance, created, **kwargs):
    # A renamed group gives or takes a role from each of its members.
    if not created:
        viewer_expire(*_members(instance))


def _group_deleted(sender, instance, **kwargs):
    viewer_expire(*_members(instance))


def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups.add(...)
        viewer_expire(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): its members, before they go
        viewer_expire(*_members(instance))
    else:  # group.user_set.add(...)
        viewer_expire(*(pk_set or ()))


def connect() -> None:
    User = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_user_saved, sender=User, dispatch_uid="viewer-user")
        for model in (GroupMembership, Watch, NotificationSettings):
            signal.connect(_user_id_saved, sender=model, dispatch_uid=f"viewer-{model.__name__}")
        signal.connect(_recipient_saved, sender=Notification, dispatch_uid="viewer-notification")
    post_save.connect(_group_saved, sender=Group, dispatch_uid="viewer-group")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="viewer-group-deleted")
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="viewer-roles")
