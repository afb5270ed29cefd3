"""Reviewers are told of every request submitted for review without watching anything
(unless they choose otherwise on their account page), and an author amends a request
that is already submitted: a new revision, the reviewers told and shown what changed."""

import re

import pytest

from notes.models import ChangeRequest, Notification, NotificationSettings
from notes.services import watching
from notes.services.notifications import NotificationError, review_notifications_update
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_reopen,
    change_request_revise,
    change_request_withdraw,
)
from tests.factories import make_user, propose_chapter_edit, propose_table_edit

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
NewRequests = NotificationSettings.NewRequests


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "via"))


def test_every_reviewer_hears_of_a_submitted_request_without_watching_anything(
    chapter, editor, reviewer, other_reviewer, reader
):
    admin = make_user("boss", staff=True)
    propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    assert told(reviewer) == [(Kind.SUBMITTED, "")]
    assert told(other_reviewer) == [(Kind.SUBMITTED, "")]
    # Not readers, not the author, and not admins, who hear only of what they watch by default.
    assert told(reader) == [] and told(editor) == [] and told(admin) == []


def test_a_reviewer_who_watches_is_told_once_through_the_watch(chapter, editor, reviewer):
    watching.watch_add(user=reviewer, target=chapter)
    propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    assert told(reviewer) == [(Kind.SUBMITTED, "chapter")]


def test_a_reviewer_may_hear_only_of_watched_books_or_of_nothing(
    book, chapter, editor, reviewer, other_reviewer
):
    review_notifications_update(user=reviewer, new_requests=NewRequests.WATCHED)
    review_notifications_update(user=other_reviewer, new_requests=NewRequests.NONE)
    watching.watch_add(user=other_reviewer, target=book)  # "none" wins over a watch
    propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    assert told(reviewer) == [] and told(other_reviewer) == []
    watching.watch_add(user=reviewer, target=book)
    propose_chapter_edit(editor, chapter, chapter.body + "\nEven more.")
    assert told(reviewer) == [(Kind.SUBMITTED, "book")]
    assert told(other_reviewer) == []


def test_an_admin_may_ask_for_every_request(chapter, editor):
    admin = make_user("boss", staff=True)
    review_notifications_update(user=admin, new_requests=NewRequests.ALL)
    propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    assert told(admin) == [(Kind.SUBMITTED, "")]


def test_an_unknown_choice_is_refused_and_nothing_is_saved(reviewer):
    with pytest.raises(NotificationError, match="Choose all requests"):
        review_notifications_update(user=reviewer, new_requests="some")
    assert not NotificationSettings.objects.filter(user=reviewer).exists()


def test_the_account_page_offers_the_choice_to_reviewers_and_saves_it(client_for, reviewer, editor):
    page = client_for(reviewer).get("/account/").content.decode()
    assert "Tell me of requests submitted for review" in page
    assert re.search(r'<input type="radio" name="new_requests" value="all"[^>]*checked', page)
    response = client_for(reviewer).post(
        "/account/notifications/", {"email": "daily", "new_requests": "none"}, follow=True
    )
    assert "Your notification settings are saved." in response.content.decode()
    settings = NotificationSettings.objects.get(user=reviewer)
    assert (settings.email, settings.new_requests) == ("daily", "none")
    # An editor is not shown it, and a choice posted anyway is not saved.
    assert (
        "Tell me of requests submitted for review" not in client_for(editor).get("/account/").content.decode()
    )
    client_for(editor).post("/account/notifications/", {"email": "instant", "new_requests": "all"})
    assert NotificationSettings.objects.get(user=editor).new_requests == ""


def test_an_author_amends_a_submitted_request_and_earlier_approvals_cannot_be_given(
    client_for, chapter, editor, reviewer
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nA typo hre.")
    reviewer_page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert 'name="revision" value="1"' in reviewer_page
    amended = change_request_revise(
        change_request=request,
        user=editor,
        summary=request.summary,
        content={"title": chapter.title, "body": chapter.body + "\nA typo here."},
    )
    assert amended.status == ChangeRequest.Status.SUBMITTED
    assert amended.revision == 2 and amended.amended_at is not None
    # The reviewer's page still says revision 1: approving it is refused, nothing published.
    with pytest.raises(ReviewError, match="revised this request"):
        change_request_approve(change_request=amended, reviewer=reviewer, revision=1)
    assert told(reviewer) == [(Kind.SUBMITTED, ""), (Kind.AMENDED, "")]
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "amended by its author while under review" in page
    assert "Changes since revision 1" in page
    assert "<del>hre.</del><ins>here.</ins>" in page
    change_request_approve(change_request=amended, reviewer=reviewer, revision=2)
    chapter.refresh_from_db()
    assert chapter.body.endswith("A typo here.")


def test_the_author_sees_amend_on_a_submitted_request_and_others_cannot_amend_it(
    client_for, chapter, editor, other_editor
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    page = client_for(editor).get(f"/reviews/{request.pk}/").content.decode()
    assert ">Amend</a>" in page
    assert "Amend request #" in client_for(editor).get(f"/reviews/{request.pk}/revise/").content.decode()
    with pytest.raises(ReviewError, match="Only the author"):
        change_request_revise(
            change_request=request, user=other_editor, summary="Mine", content={"title": "x", "body": "y"}
        )
    request.refresh_from_db()
    assert request.revision == 1


def test_an_amended_table_shows_the_cells_changed_since_the_last_revision(
    client_for, chapter, editor, reviewer
):
    table = chapter.tables.get()
    request = propose_table_edit(editor, table, [["Speed", "faster", "slow"], ["Cost", "low", "high"]])
    change_request_revise(
        change_request=request,
        user=editor,
        summary=request.summary,
        content={
            "title": table.title,
            "headers": table.headers,
            "rows": [["Speed", "faster", "slow"], ["Cost", "low", "high"], ["Size", "big", "small"]],
        },
    )
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    since = page.split('id="since-review-heading"')[1].split("<h2>The whole change")[0]
    assert "1 row added" in since and "1 cell changed" not in since
    whole = page.split("<h2>The whole change")[1]
    assert "1 row added, 1 cell changed" in whole


def test_a_withdrawn_request_is_reopened_as_a_draft_by_its_author_only(
    client_for, chapter, editor, other_editor
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    change_request_withdraw(change_request=request, user=editor)
    page = client_for(editor).get(f"/reviews/{request.pk}/").content.decode()
    assert ">Reopen as a draft</button>" in page
    assert (
        ">Reopen as a draft</button>"
        not in client_for(other_editor).get(f"/reviews/{request.pk}/").content.decode()
    )
    assert client_for(other_editor).post(f"/reviews/{request.pk}/reopen/").status_code == 403
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.WITHDRAWN
    response = client_for(editor).post(f"/reviews/{request.pk}/reopen/", follow=True)
    assert "Reopened as a draft" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.DRAFT and request.body.endswith("More.")
    with pytest.raises(ReviewError, match="Only a withdrawn request can be reopened; this one is draft"):
        change_request_reopen(change_request=request, user=editor)
