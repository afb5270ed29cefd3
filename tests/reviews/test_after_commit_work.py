"""What runs after an approval commits cannot be lost to a cache that fails: the reviewer
gets the usual answer, the e-mails still leave, and the failure is logged."""

import pytest
from django.core.cache import cache

from notes.models import ChangeRequest
from notes.services import watching
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db


def broken(*args, **kwargs):
    raise ConnectionError("cache unreachable")


def test_a_cache_that_fails_after_the_approval_commits_neither_errors_nor_loses_the_emails(
    chapter,
    editor,
    reviewer,
    reader,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
    caplog,
):
    watching.watch_add(user=reader, target=chapter)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.", summary="Clarified the intro")
    client = client_for(reviewer)
    monkeypatch.setattr(cache, "set_many", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reviews/{request.pk}/approve/", {"revision": request.revision})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.APPROVED
    assert {mail.to[0] for mail in mailoutbox} == {"editor@example.com", "reader@example.com"}
    assert "Could not expire the cached pages of test-book" in caplog.text


def test_a_page_cache_expiry_is_a_robust_hook(chapter, editor, reviewer, monkeypatch):
    """In production Django runs the hooks itself: a robust one that raises is logged and the
    hooks after it still run."""
    from django.db import transaction

    from notes.lib import page_cache

    seen = []
    real = transaction.on_commit
    monkeypatch.setattr(
        page_cache.transaction,
        "on_commit",
        lambda func, robust=False: seen.append(robust) or real(func, robust=robust),
    )
    page_cache.page_cache_expire(book_slug="test-book", number=1)
    assert seen == [True]


def test_after_an_approval_the_emails_are_enqueued_before_any_cache_is_expired(
    chapter, editor, reviewer, reader, django_capture_on_commit_callbacks
):
    from notes.services import watching as watching_service
    from notes.services.reviews import change_request_approve

    watching_service.watch_add(user=reader, target=chapter)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.", summary="Clarified the intro")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change_request_approve(change_request=request, reviewer=reviewer)
    names = [callback.__qualname__ for callback in callbacks]
    enqueue = next(i for i, name in enumerate(names) if name.startswith("_notify."))
    expire = next(i for i, name in enumerate(names) if name.startswith("page_cache_expire."))
    assert enqueue < expire, names
