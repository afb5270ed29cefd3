"""Django admin for content and change requests: browsable, read-only, actions through the services."""

import pytest
from django.urls import reverse

from notes.models import ChangeRequest, Chapter, Review
from notes.services.reviews import change_request_approve, change_request_create
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db

Status = ChangeRequest.Status


def act(client, action, *requests, **extra):
    return client.post(
        reverse("admin:notes_changerequest_changelist"),
        {"action": action, "_selected_action": [r.pk for r in requests], **extra},
        follow=True,
    )


@pytest.mark.parametrize("model", ["book", "chapter", "comparisontable"])
def test_content_and_its_history_are_browsable_in_admin(admin_client, book, model):
    obj = {
        "book": book,
        "chapter": book.chapters.get(number=1),
        "comparisontable": book.chapters.get(number=1).tables.get(),
    }[model]
    listing = admin_client.get(reverse(f"admin:notes_{model}_changelist"))
    assert listing.status_code == 200
    assert str(obj) in listing.content.decode()
    history = admin_client.get(reverse(f"admin:notes_{model}_history", args=[obj.pk]))
    assert history.status_code == 200
    assert obj.history.count() >= 1
    version = reverse(f"admin:notes_{model}_simple_history", args=[obj.pk, obj.history.first().history_id])
    assert admin_client.get(version).status_code == 200
    # Content is read-only: changes go through review.
    assert admin_client.post(reverse(f"admin:notes_{model}_change", args=[obj.pk]), {}).status_code == 403
    assert admin_client.get(reverse(f"admin:notes_{model}_add")).status_code == 403
    assert admin_client.post(version, {}).status_code == 403


def test_admin_is_closed_to_people_who_are_not_staff(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:notes_changerequest_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_approve_action_publishes_through_the_service(admin_client, editor, chapter):
    request = propose_chapter_edit(editor, chapter, "Better notes.\n", "Improved the notes")
    versions = chapter.history.count()
    response = act(admin_client, "approve_selected", request)
    assert f"#{request.pk}: " in response.content.decode()
    request.refresh_from_db()
    chapter.refresh_from_db()
    assert request.status == Status.APPROVED
    assert chapter.body == "Better notes.\n" and "Better notes." in chapter.body_html
    assert chapter.history.count() == versions + 1
    newest = chapter.history.first()
    assert (newest.history_change_reason, newest.change_request_id) == ("Improved the notes", request.pk)
    assert Review.objects.get(change_request=request).verdict == Review.Verdict.APPROVE


def test_the_admin_actions_keep_the_rules(admin_client, admin_user, editor, chapter):
    own = propose_chapter_edit(admin_user, chapter, "Better notes.\n", "Admin's own change")
    draft = change_request_create(
        author=editor,
        book=chapter.book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary="Not ready",
        content={"title": chapter.title, "body": "Draft."},
    )
    versions = Chapter.history.count()
    page = act(admin_client, "approve_selected", own, draft).content.decode()
    assert Chapter.history.count() == versions
    own.refresh_from_db()
    draft.refresh_from_db()
    assert (own.status, draft.status) == (Status.SUBMITTED, Status.DRAFT)
    assert f"#{own.pk}: " in page and f"#{draft.pk}: " in page
    assert 'class="error"' in page


def test_the_reject_action_records_a_review_with_a_comment(admin_client, editor, chapter):
    request = propose_chapter_edit(editor, chapter, "Better notes.\n", "Improved the notes")
    versions = Chapter.history.count()
    asked = act(admin_client, "reject_selected", request).content.decode()
    assert "Reject change requests" in asked and 'name="reason"' in asked and "Improved the notes" in asked
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED and not Review.objects.exists()

    done = act(admin_client, "reject_selected", request, apply="1", reason="Chapter 2 already says this.")
    assert f"#{request.pk}: Rejected." in done.content.decode()
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    review = Review.objects.get(change_request=request)
    assert (review.verdict, review.comment) == (Review.Verdict.REJECT, "Chapter 2 already says this.")
    assert Chapter.history.count() == versions


def test_the_reject_action_refuses_an_empty_reason_and_rejects_nothing(admin_client, editor, chapter):
    first, second = (
        propose_chapter_edit(editor, chapter, "Better notes.\n", "Improved the notes"),
        propose_chapter_edit(editor, chapter, "Better notes.\n", "Another change"),
    )
    for reason in ("", "   "):
        page = act(admin_client, "reject_selected", first, second, apply="1", reason=reason).content.decode()
        assert "Say why: a rejection needs a comment for its author." in page
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert not Review.objects.exists()


def test_an_old_version_in_admin_is_shown_but_cannot_be_saved_back(admin_client, editor, reviewer, chapter):
    # simple-history's version page saves on POST; that would publish the old text with no
    # review, no summary and a stale body_html. Hiding the revert button is not enough.
    change_request_approve(
        change_request=propose_chapter_edit(editor, chapter, "Better notes.\n", "Improved the notes"),
        reviewer=reviewer,
    )
    old = chapter.history.earliest("history_id")
    url = reverse("admin:notes_chapter_simple_history", args=[chapter.pk, old.history_id])
    shown = admin_client.get(url)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Notes for chapter 1." in html
    assert "<textarea" not in html and 'name="_save"' not in html
    versions = Chapter.history.count()
    fields = {"book": chapter.book_id, "number": old.number, "title": old.title, "body": old.body}
    for data in (fields, {**fields, "_change_history": "1"}):
        assert admin_client.post(url, data).status_code == 403
    assert Chapter.history.count() == versions
    chapter.refresh_from_db()
    assert chapter.body == "Better notes.\n" and "Better notes." in chapter.body_html
