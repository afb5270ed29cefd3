"""Watching books, chapters and threads: by the button, and on taking part.

Watching a book covers its chapters and their threads; watching a chapter covers its
threads. People watch automatically what they edit (a change request), review, or discuss
(a thread or a comment): ``watch_automatically`` is called by those services inside their
own transaction. Refusals raise ``WatchError`` with a message for the user.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from notes import permissions
from notes.models import Book, Chapter, Thread, Watch

Target = Book | Chapter | Thread


class WatchError(Exception):
    """A refused watch action; the message is shown to the user as is."""


def _target_filter(target: Target) -> dict:
    if isinstance(target, Thread):
        return {"thread": target}
    if isinstance(target, Chapter):
        return {"chapter": target}
    if isinstance(target, Book):
        return {"book": target}
    raise WatchError("Only a book, a chapter or a thread can be watched.")


@transaction.atomic
def watch_add(*, user, target: Target) -> Watch:
    """``user`` watches ``target``; watching it again changes nothing."""
    if not permissions.can_watch(user):
        raise PermissionDenied("Log in to watch books, chapters and threads.")
    return _watch(user, target)


@transaction.atomic
def watch_remove(*, user, target: Target) -> bool:
    """``user`` stops watching ``target`` itself; True if they watched it.

    A watch of the book (or chapter) around it is left alone: it is a watch of its own,
    ended on its own page.
    """
    if not user.is_authenticated:
        raise PermissionDenied("Log in to stop watching.")
    deleted, _ = Watch.objects.filter(user=user, **_target_filter(target)).delete()
    return bool(deleted)


def watch_automatically(*, user, target: Target | None) -> None:
    """Called inside the service of an edit, a review or a post: the person watches it."""
    if target is None or not permissions.can_watch(user):
        return
    _watch(user, target)


def _watch(user, target: Target) -> Watch:
    where = _target_filter(target)
    existing = Watch.objects.filter(user=user, **where).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: two requests watching at once must not break the caller's transaction.
        with transaction.atomic():
            return Watch.objects.create(user=user, **where)
    except IntegrityError:
        return Watch.objects.get(user=user, **where)
