"""A signed-in user's roles, reading progress, watches and unseen count come from one cache
read, and every change to them is seen on the user's next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.lib import viewer_cache
from notes.models import Notification, Watch
from notes.services.groups import group_create, progress_mark, spoilers_setting_update
from notes.services.notifications import notifications_mark_seen
from notes.services.people import role_change, user_deactivate
from notes.services.watching import watch_add, watch_remove
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"
EDIT_LINK = "/books/test-book/chapters/1/edit/"


def page(client) -> str:
    response = client.get(CHAPTER)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        client.get(CHAPTER)
    return [query["sql"] for query in context.captured_queries]


def test_a_signed_in_chapter_page_asks_the_database_nothing_about_the_user(chapter, client_for, reader):
    client = client_for(reader)
    page(client)
    sql = queries_of(client)
    # The test settings keep sessions in the database (one query); nothing else is asked.
    assert len(sql) == 1 and "django_session" in sql[0], sql


def test_a_role_given_is_seen_on_the_next_request(chapter, client_for, reader, admin_user):
    client = client_for(reader)
    assert EDIT_LINK not in page(client)
    role_change(actor=admin_user, subject=reader, role="Editor")
    assert EDIT_LINK in page(client)
    role_change(actor=admin_user, subject=reader, role="Reader")
    assert EDIT_LINK not in page(client)


def test_a_role_given_from_the_group_side_or_by_renaming_a_group_is_seen(chapter, client_for, reader):
    client = client_for(reader)
    page(client)
    editors = Group.objects.get_or_create(name="Editor")[0]
    editors.user_set.add(reader)
    assert EDIT_LINK in page(client)
    editors.user_set.clear()
    assert EDIT_LINK not in page(client)
    shelf = Group.objects.create(name="Shelf")
    reader.groups.add(shelf)
    page(client)
    shelf.name = "Editor-to-be"
    shelf.save()
    editors.delete()
    shelf.name = "Editor"
    shelf.save()  # the group the reader is in now gives a role
    assert EDIT_LINK in page(client)


def test_a_deactivated_user_is_signed_out_at_the_next_request(chapter, client_for, reader, admin_user):
    client = client_for(reader)
    assert "Log out" in page(client)
    user_deactivate(actor=admin_user, subject=reader)
    assert "Log out" not in page(client)


def test_reading_progress_is_seen_on_the_next_request(chapter, client_for, reader, moderator):
    client = client_for(reader)
    assert "You have read up to" not in page(client)
    group_create(book=chapter.book, actor=moderator, name="Tuesday club", members=[reader])
    assert "You have read up to no chapter yet" in page(client)
    progress_mark(user=reader, book=chapter.book, chapter_number=1)
    assert "You have read up to chapter 1" in page(client)


def test_spoiler_folding_follows_the_setting_at_the_next_request(book, client_for, reader, moderator):
    second = "/books/test-book/chapters/2/"
    group_create(book=book, actor=moderator, name="Tuesday club", members=[reader])
    progress_mark(user=reader, book=book, chapter_number=1)
    client = client_for(reader)
    assert "on chapters you haven't read" in client.get(second).content.decode()
    spoilers_setting_update(user=reader, show_spoilers=True)
    assert "on chapters you haven't read" not in client.get(second).content.decode()


def test_a_watch_is_seen_on_the_next_request(chapter, client_for, reader):
    client = client_for(reader)
    assert "Watch this chapter" in page(client)
    watch_add(user=reader, target=chapter)
    assert "Watching · Unwatch" in page(client)
    watch_remove(user=reader, target=chapter)
    assert "Watch this chapter" in page(client)
    watch_add(user=reader, target=chapter.book)
    assert "You watch its book" in page(client)
    Watch.objects.filter(user=reader).delete()  # as the admin or a deleted book would
    assert "You watch its book" not in page(client)


def test_a_new_notification_and_its_reading_are_seen_on_the_next_request(
    chapter, client_for, reader, editor, django_capture_on_commit_callbacks
):
    client = client_for(reader)
    assert 'title="new notifications"' not in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(chapter=chapter, author=editor, title="Mentioning", body="What does @reader think?")
    assert Notification.objects.filter(recipient=reader, seen_at=None).count() == 1
    assert 'title="new notifications">1<' in page(client)
    notifications_mark_seen(user=reader)
    assert 'title="new notifications"' not in page(client)


def test_opening_the_notification_list_shows_the_count_gone_on_that_very_page(
    chapter, client_for, reader, editor, django_capture_on_commit_callbacks
):
    client = client_for(reader)
    page(client)
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(chapter=chapter, author=editor, title="Mentioning", body="What does @reader think?")
    assert 'title="new notifications">1<' in page(client)
    listing = client.get("/notifications/").content.decode()
    assert 'title="new notifications"' not in listing


def test_a_snapshot_built_while_a_change_commits_is_not_used_after_it(
    settings, django_capture_on_commit_callbacks
):
    builds = []

    def build():
        builds.append(len(builds))
        if len(builds) == 1:
            # A change commits while this request is still reading the database.
            with django_capture_on_commit_callbacks(execute=True):
                viewer_cache.viewer_expire(7)
        return f"built {len(builds)}"

    assert viewer_cache.viewer_snapshot(7, build) == "built 1"
    assert viewer_cache.viewer_snapshot(7, build) == "built 2"  # the first was stale: built again
    assert viewer_cache.viewer_snapshot(7, build) == "built 2"  # and this one is kept
    assert len(builds) == 2


def test_without_a_shared_cache_the_snapshot_is_built_every_time(settings):
    settings.WIKI_PAGE_CACHE = False
    builds = []
    for _ in range(2):
        viewer_cache.viewer_snapshot(7, lambda: builds.append(1) or "user")
    assert len(builds) == 2


def test_a_session_made_by_allauth_reads_the_user_from_the_snapshot_too(chapter, reader):
    from django.test import Client

    client = Client()
    client.force_login(reader, backend="wiki.auth.AllauthWithRolesBackend")
    page(client)
    sql = queries_of(client)
    assert len(sql) == 1 and "django_session" in sql[0], sql


def test_a_session_naming_allauths_own_backend_stays_signed_in(chapter, reader):
    from django.test import Client

    client = Client()
    client.force_login(reader, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert "Log out" in page(client)


def test_the_cache_never_holds_the_users_password_hash(chapter, client_for, reader):
    client = client_for(reader)
    page(client)
    cached = viewer_cache.cache.get(viewer_cache._snapshot_key(reader.pk))
    assert cached is not None
    stored = cached[1].password
    assert stored != reader.password and reader.password not in stored
    assert stored.startswith("sealed$")
    # ...and the session, which Django checks against an HMAC of the real hash, holds.
    sql = queries_of(client)
    assert len(sql) == 1 and "django_session" in sql[0], sql


def test_a_snapshot_sealed_under_a_replaced_key_is_read_afresh(chapter, client_for, reader, settings):
    client = client_for(reader)
    page(client)
    # A key rotation: the old key stays a fallback, so sessions survive; the snapshot sealed
    # under it cannot be opened and the user is read from the database instead.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-test-only-key-" + "x" * 40
    assert "Log out" in page(client)


def test_views_get_the_user_itself_not_a_lazy_stand_in(chapter, client_for, reader):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    signed_in = client_for(reader).get(CHAPTER).wsgi_request.user
    assert type(signed_in) is get_user_model() and signed_in.pk == reader.pk
    assert type(client_for(None).get(CHAPTER + "?plain=1").wsgi_request.user) is AnonymousUser
