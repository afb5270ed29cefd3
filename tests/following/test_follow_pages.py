"""The pages of following: watch buttons, the notifications list and the settings page."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notes.models import Notification, NotificationSettings, Watch
from notes.services import watching
from notes.services.discussions import comment_post
from notes.services.reviews import change_request_approve
from tests.factories import make_thread, make_user, propose_chapter_edit

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"
BADGE = '<span class="badge" title="new notifications">'


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# --- Watch buttons ----------------------------------------------------------------------------------


def test_the_book_chapter_and_thread_pages_have_a_watch_button(client_for, book, chapter, reader):
    thread = make_thread(chapter=chapter, author=make_user("starter", role="Reader"))
    client = client_for(reader)
    for url, kind, target in (
        ("/books/test-book/", "book", book),
        (CHAPTER, "chapter", chapter),
        (thread.get_absolute_url(), "thread", thread),
    ):
        html = client.get(url).content.decode()
        assert f'action="/watching/{kind}/{target.pk}/watch/"' in html, url
        assert f"Watch this {kind}" in html


def test_anonymous_visitors_see_no_watch_button_and_are_sent_to_log_in(client, chapter):
    assert "Watch this chapter" not in client.get(CHAPTER).content.decode()
    response = client.post(f"/watching/chapter/{chapter.pk}/watch/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Watch.objects.exists()


def test_watching_a_chapter_by_the_button_and_unwatching_it(client_for, chapter, reader):
    client = client_for(reader)
    response = client.post(f"/watching/chapter/{chapter.pk}/watch/", {"next": CHAPTER})
    assert response.status_code == 302 and response.url == CHAPTER
    assert Watch.objects.filter(user=reader, chapter=chapter).exists()
    html = client.get(CHAPTER).content.decode()
    assert "You now watch the chapter “Chapter 1 - Chapter title 1”" in html
    assert f'action="/watching/chapter/{chapter.pk}/unwatch/"' in html and 'aria-pressed="true"' in html
    client.post(f"/watching/chapter/{chapter.pk}/unwatch/", {"next": CHAPTER})
    assert not Watch.objects.exists()
    assert "You no longer watch the chapter" in client.get(CHAPTER).content.decode()


def test_the_chapter_page_says_when_the_book_watch_covers_it(client_for, book, reader):
    watching.watch_add(user=reader, target=book)
    html = client_for(reader).get(CHAPTER).content.decode()
    assert "You watch its book, which covers it." in html


def test_watch_actions_need_post_and_the_csrf_token(chapter, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.get(f"/watching/chapter/{chapter.pk}/watch/").status_code == 405
    assert client.post(f"/watching/chapter/{chapter.pk}/watch/").status_code == 403
    assert not Watch.objects.exists()


def test_an_unknown_target_is_not_found_and_a_foreign_next_is_ignored(client_for, chapter, reader):
    client = client_for(reader)
    assert client.post("/watching/user/1/watch/").status_code == 404
    assert client.post("/watching/chapter/9999/watch/").status_code == 404
    response = client.post(f"/watching/chapter/{chapter.pk}/watch/", {"next": "https://evil.example/"})
    assert response.url == CHAPTER


# --- The notifications list --------------------------------------------------------------------------


@pytest.fixture
def approved(chapter, editor, reviewer, reader):
    """The reader watches chapter 1; the editor's change to it was approved."""
    watching.watch_add(user=reader, target=chapter)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.", summary="Clarified the intro")
    change_request_approve(change_request=request, reviewer=reviewer)
    return request


def test_the_list_says_who_did_what_where_and_offers_to_unwatch(client_for, approved, reader, chapter):
    html = client_for(reader).get("/notifications/").content.decode()
    assert "<strong>reviewer</strong> published a new version of" in html
    assert f'<a href="{CHAPTER}">Chapter 1 - Chapter title 1</a>' in html
    assert "Test Book, Chapter 1 · “Clarified the intro”" in html
    assert f'action="/watching/chapter/{chapter.pk}/unwatch/"' in html
    assert '<h2 id="day-1" class="day-heading">Today</h2>' in html


def test_the_author_sees_the_approval_linking_to_the_request(client_for, approved, editor):
    html = client_for(editor).get("/notifications/").content.decode()
    assert "<strong>reviewer</strong> approved and published your change" in html
    assert f'<a href="/reviews/{approved.pk}/">Clarified the intro</a>' in html
    # About them, not brought by a watch; still, they watch the chapter they edited, and
    # the notification offers to end that watch.
    assert "you watch this" not in html
    assert f'action="/watching/chapter/{approved.chapter_id}/unwatch/"' in html


def test_the_list_is_grouped_by_day_newest_first(client_for, approved, reader):
    notification = Notification.objects.get(recipient=reader)
    older = timezone.now() - datetime.timedelta(days=1)
    much_older = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
    for moment in (older, much_older):
        Notification.objects.create(
            recipient=reader,
            kind=notification.kind,
            actor=notification.actor,
            book=notification.book,
            chapter=notification.chapter,
            change_request=notification.change_request,
            via="chapter",
            event_key=f"test:{moment.isoformat()}",
            created_at=moment,
        )
    html = client_for(reader).get("/notifications/").content.decode()
    headings = [part.split("</h2>")[0].split(">")[-1] for part in html.split('class="day-heading"')[1:]]
    assert headings == ["Today", "Yesterday", "Monday 2 March 2026"]


def test_opening_the_list_clears_the_nav_count_but_not_the_unread_marks(client_for, approved, reader):
    client = client_for(reader)
    assert f"{BADGE}1</span>" in client.get("/").content.decode()
    html = client.get("/notifications/").content.decode()
    assert BADGE not in html  # the list itself shows no count
    assert 'class="notification unread"' in html
    assert BADGE not in client.get("/").content.decode()
    assert 'class="notification unread"' in client.get("/notifications/").content.decode()


def test_marking_one_read_and_all_read(client_for, approved, reader, editor, chapter):
    thread = make_thread(chapter=chapter, author=editor)
    comment_post(thread=thread, author=editor, body="@reader have a look")
    client = client_for(reader)
    first, *others = Notification.objects.filter(recipient=reader).order_by("id")
    assert len(others) == 2  # the new thread in the watched chapter, and the mention
    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?page=1"})
    assert response.url == "/notifications/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=reader, read_at=None).count() == 2
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=reader, read_at=None).exists()
    assert "Mark all read" not in client.get("/notifications/").content.decode()


def test_nobody_marks_someone_elses_notification_read(client_for, approved, reader, editor):
    mine = Notification.objects.get(recipient=reader)
    response = client_for(editor).post(f"/notifications/{mine.pk}/read/", follow=True)
    assert "That notification is not yours" in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is None


def test_unwatching_from_a_notification_ends_the_watch_and_hides_the_button(
    client_for, approved, reader, chapter
):
    client = client_for(reader)
    response = client.post(f"/watching/chapter/{chapter.pk}/unwatch/", {"next": "/notifications/"})
    assert response.url == "/notifications/"
    assert not Watch.objects.filter(user=reader).exists()
    html = client.get("/notifications/").content.decode()
    assert "You no longer watch the chapter" in html
    assert "/unwatch/" not in html.split('class="notifications"')[1]


def test_the_list_and_the_nav_count_run_the_same_queries_for_1_and_60_notifications(
    client_for, book, chapter, reader, editor, reviewer
):
    watching.watch_add(user=reader, target=book)
    client = client_for(reader)
    thread = make_thread(chapter=chapter, author=editor)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    change_request_approve(change_request=request, reviewer=reviewer)
    few = (queries(client, "/notifications/"), queries(client, "/"))
    for index in range(30):
        comment_post(thread=thread, author=editor, body=f"Answer {index} @reader")
        other = make_thread(chapter=chapter, author=reviewer, title=f"Question {index}")
        comment_post(thread=other, author=reviewer, body="More")
    assert Notification.objects.filter(recipient=reader).count() > 60
    many = (queries(client, "/notifications/"), queries(client, "/"))
    assert few == many
    # Session; the user's snapshot, built again as the last visit marked the notifications seen
    # (the user with their roles, progress, watches, unseen count); count and page of the
    # list; the watches; marking them seen (one UPDATE in its own atomic block: a savepoint and
    # its release inside the test); the nav's count, after the marking.
    assert few[0] == 11


def test_the_nav_count_is_one_query_whatever_the_number(client_for, approved, reader, editor, chapter):
    client = client_for(reader)

    def notification_queries():
        with CaptureQueriesContext(connection) as context:
            html = client.get("/recent/").content.decode()
        return html, [q["sql"] for q in context.captured_queries if '"notes_notification"' in q["sql"]]

    html, asked = notification_queries()
    assert f"{BADGE}1</span>" in html
    assert len(asked) == 1 and asked[0].startswith("SELECT COUNT(*)")
    thread = make_thread(chapter=chapter, author=editor)
    for index in range(20):
        comment_post(thread=thread, author=editor, body=f"@reader {index}")
    html, asked_many = notification_queries()
    assert f"{BADGE}22</span>" in html  # the approval, the new thread, 20 mentions
    assert asked_many == asked


# --- Settings ------------------------------------------------------------------------------------------


def test_the_settings_page_saves_the_choice_and_lists_what_is_watched(client_for, book, chapter, reader):
    watching.watch_add(user=reader, target=chapter)
    watching.watch_add(user=reader, target=book)
    client = client_for(reader)
    html = client.get("/notifications/settings/").content.decode()
    assert "checked" in html.split('value="instant"')[1].split(">")[0]  # the default
    assert f'<a href="{CHAPTER}">Chapter 1 - Chapter title 1</a>' in html
    assert '<a href="/books/test-book/">Test Book</a>' in html
    response = client.post("/notifications/settings/", {"email": "daily"})
    assert response.status_code == 302 and response.url == "/notifications/settings/"
    assert NotificationSettings.objects.get(user=reader).email == "daily"
    assert "Your e-mail settings are saved." in client.get("/notifications/settings/").content.decode()


def test_the_settings_page_refuses_an_unknown_choice(client_for, reader):
    response = client_for(reader).post("/notifications/settings/", {"email": "hourly"})
    assert response.status_code == 400 and "Choose one of the three." in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_the_settings_page_and_the_list_need_a_login(client):
    for url in ("/notifications/settings/", "/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


# --- Admin -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["notification", "watch", "notificationsettings"])
def test_admins_read_notifications_watches_and_settings_but_change_nothing(
    client_for, approved, admin_user, reader, model
):
    NotificationSettings.objects.create(user=reader, email="daily")
    client = client_for(admin_user)
    response = client.get(f"/admin/notes/{model}/")
    assert response.status_code == 200
    assert "reader" in response.content.decode()
    assert client.get(f"/admin/notes/{model}/add/").status_code == 403
