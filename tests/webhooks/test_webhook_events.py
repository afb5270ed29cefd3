"""Which events of the wiki become deliveries, to whom, and what their payloads hold (and never hold)."""

import datetime
import json

import pytest
from django.utils import timezone

from notes.models import ChangeRequest, WebhookDelivery
from notes.models.webhooks import WebhookEvent
from notes.services.discussions import comment_post, thread_resolve
from notes.services.groups import group_create, meeting_create
from notes.services.reviews import (
    change_request_approve,
    change_request_create,
    change_request_reject,
    change_request_request_changes,
    change_request_revise,
    change_request_submit,
)
from tests.factories import make_book, make_thread, propose_chapter_edit

URL = "https://hooks.example.com/wiki"


def events_sent() -> list[str]:
    return list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))


def payload_of(event: str) -> dict:
    return WebhookDelivery.objects.get(event=event).payload


@pytest.fixture
def everything(endpoint_for):
    """An endpoint for the whole wiki that wants every event."""
    return endpoint_for(URL)


def test_a_draft_is_not_sent_until_it_is_submitted(everything, chapter, editor):
    request = propose_chapter_edit(editor, chapter, "Draft text", summary="Half done", submit=False)
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Still half done",
        content={"title": chapter.title, "body": "More"},
        submit=False,
    )
    assert events_sent() == []
    change_request_submit(change_request=request, user=editor)
    assert events_sent() == [WebhookEvent.CHANGE_REQUEST_OPENED]


def test_a_draft_revised_and_sent_at_once_is_opened_not_revised(everything, chapter, editor):
    request = propose_chapter_edit(editor, chapter, "Draft text", submit=False)
    change_request_revise(
        change_request=request, user=editor, summary="Ready", content={"title": chapter.title, "body": "Done"}
    )
    assert events_sent() == [WebhookEvent.CHANGE_REQUEST_OPENED]


def test_the_life_of_a_change_request_is_opened_reviewed_revised_reviewed_published(
    everything, chapter, editor, reviewer
):
    request = propose_chapter_edit(editor, chapter, "New text", summary="Clarify feature stores")
    change_request_request_changes(
        change_request=request, reviewer=reviewer, comment="Private remark: cite the source"
    )
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Clarify feature stores",
        content={"title": chapter.title, "body": "Cited"},
    )
    change_request_approve(change_request=request, reviewer=reviewer)

    assert events_sent() == [
        WebhookEvent.CHANGE_REQUEST_OPENED,
        WebhookEvent.CHANGE_REQUEST_REVIEWED,
        WebhookEvent.CHANGE_REQUEST_REVISED,
        WebhookEvent.CHANGE_REQUEST_REVIEWED,
        WebhookEvent.CHANGE_REQUEST_PUBLISHED,
    ]
    verdicts = [
        delivery.payload["data"]["review"]["verdict"]
        for delivery in WebhookDelivery.objects.filter(event=WebhookEvent.CHANGE_REQUEST_REVIEWED).order_by(
            "id"
        )
    ]
    assert verdicts == ["request_changes", "approve"]
    published = payload_of(WebhookEvent.CHANGE_REQUEST_PUBLISHED)
    assert published["type"] == "change_request.published"
    data = published["data"]
    assert data["summary"] == "reviewer published “Clarify feature stores” in Test Book."
    assert data["actor"] == "reviewer"
    assert data["change_request"] == {
        "id": request.pk,
        "title": "Clarify feature stores",
        "kind": ChangeRequest.Kind.CHAPTER_EDIT,
        "status": ChangeRequest.Status.APPROVED,
        "revision": 2,
        "author": "editor",
        "url": f"https://wiki.example.org/reviews/{request.pk}/",
    }
    assert data["book"] == {
        "slug": "test-book",
        "title": "Test Book",
        "url": "https://wiki.example.org/books/test-book/",
    }
    assert data["chapter"]["url"] == "https://wiki.example.org/books/test-book/chapters/1/"
    # A reviewer's comment stays on the site.
    everything_sent = json.dumps(list(WebhookDelivery.objects.values_list("payload", flat=True)))
    assert "Private remark" not in everything_sent


def test_a_rejection_is_a_review_and_publishes_nothing(everything, chapter, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, "New text")
    change_request_reject(change_request=request, reviewer=reviewer, comment="No")
    assert events_sent() == [WebhookEvent.CHANGE_REQUEST_OPENED, WebhookEvent.CHANGE_REQUEST_REVIEWED]
    assert (
        payload_of(WebhookEvent.CHANGE_REQUEST_REVIEWED)["data"]["summary"]
        == "reviewer rejected “Edited the notes” in Test Book."
    )


def test_a_new_book_request_goes_to_whole_wiki_endpoints_only(endpoint_for, book, editor):
    whole = endpoint_for(URL)
    endpoint_for(URL + "/book", book=book)
    change_request_create(
        author=editor,
        book=None,
        kind=ChangeRequest.Kind.BOOK_CREATE,
        summary="Add Refactoring",
        content={
            "slug": "refactoring",
            "title": "Refactoring",
            "book_author": "Fowler",
            "book_domains": [],
            "body": "",
        },
        submit=True,
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == whole
    assert delivery.payload["data"]["book"] is None


def test_a_thread_a_reply_and_its_resolution_are_sent_without_the_comment_text(
    everything, chapter, editor, reader
):
    thread = make_thread(
        chapter=chapter, author=editor, title="Why features?", body="The starter's private words"
    )
    reply = comment_post(thread=thread, author=reader, body="A reply a moderator may hide later")
    thread_resolve(thread=thread, actor=editor)

    assert events_sent() == [
        WebhookEvent.THREAD_STARTED,
        WebhookEvent.COMMENT_POSTED,
        WebhookEvent.THREAD_RESOLVED,
    ]
    posted = payload_of(WebhookEvent.COMMENT_POSTED)["data"]
    assert posted["comment"] == {
        "id": reply.pk,
        "author": "reader",
        "in_reply_to": None,
        "url": f"https://wiki.example.org{reply.get_absolute_url()}",
    }
    assert posted["summary"] == "reader commented in “Why features?” on Test Book, Chapter 1."
    assert payload_of(WebhookEvent.THREAD_RESOLVED)["data"]["thread"]["is_resolved"] is True
    sent = json.dumps(list(WebhookDelivery.objects.values_list("payload", flat=True)))
    assert "private words" not in sent
    assert "may hide later" not in sent


def test_a_meeting_of_a_public_group_is_sent_and_one_of_a_private_group_is_not(
    everything, book, moderator, reader
):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    public = group_create(book=book, actor=moderator, name="Open club", members=[reader])
    secret = group_create(book=book, actor=moderator, name="Secret club", is_private=True, members=[reader])
    meeting_create(
        group=secret,
        actor=moderator,
        starts_at=starts,
        first_chapter=1,
        last_chapter=2,
        place_or_link="Hidden room",
    )
    assert events_sent() == []
    meeting = meeting_create(
        group=public,
        actor=moderator,
        starts_at=starts,
        first_chapter=1,
        last_chapter=2,
        place_or_link="Room 4",
    )
    assert events_sent() == [WebhookEvent.MEETING_SCHEDULED]
    data = payload_of(WebhookEvent.MEETING_SCHEDULED)["data"]
    assert data["group"]["name"] == "Open club"
    assert data["meeting"]["id"] == meeting.pk
    assert data["meeting"]["url"] == f"https://wiki.example.org{meeting.get_absolute_url()}"
    assert "Secret club" not in json.dumps(data)


def test_an_endpoint_gets_only_its_book_and_its_events(endpoint_for, book, chapter, editor):
    other_book = make_book(slug="other-book", title="Other Book", chapters=1)
    this_book = endpoint_for(URL + "/this", book=book, events=[WebhookEvent.THREAD_STARTED])
    endpoint_for(URL + "/other", book=other_book)
    endpoint_for(URL + "/reviews", events=[WebhookEvent.CHANGE_REQUEST_OPENED])
    make_thread(chapter=chapter, author=editor)
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [this_book.pk]


def test_an_event_the_wiki_does_not_send_is_a_programming_error():
    from notes.services.webhooks import webhook_event_emit

    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhook_event_emit(event="book.burned", book=None, payload={})


def test_a_wiki_without_webhooks_pays_one_query_per_event(chapter, editor, django_assert_num_queries):
    from notes.models import Comment
    from notes.services.webhooks import comment_event_emit

    thread = make_thread(chapter=chapter, author=editor)
    comment = Comment.objects.select_related("thread__chapter__book").get(thread=thread)
    with django_assert_num_queries(1):  # the endpoints; the payload is never built
        comment_event_emit(comment=comment)
    assert events_sent() == []


def test_publishing_part_of_a_request_is_a_review_with_its_own_verdict_and_no_published_event(
    everything, chapter, editor, reviewer
):
    from notes.selectors.reviews import proposed_changes
    from notes.services.reviews import change_request_approve_part

    request = propose_chapter_edit(
        editor, chapter, chapter.body.replace("Notes", "Notes!").replace("end", "End")
    )
    first = proposed_changes(request).changes[0]

    change_request_approve_part(change_request=request, reviewer=reviewer, accepted=[first.id], revision=1)

    assert events_sent() == [WebhookEvent.CHANGE_REQUEST_OPENED, WebhookEvent.CHANGE_REQUEST_REVIEWED]
    data = payload_of(WebhookEvent.CHANGE_REQUEST_REVIEWED)["data"]
    assert data["review"]["verdict"] == "approve_part"
    assert data["summary"] == "reviewer published part of “Edited the notes” in Test Book."
