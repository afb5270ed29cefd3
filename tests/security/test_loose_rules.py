"""The rules an audit found loose: locked threads, drafts, the revision a reviewer read, chapter size."""

import pytest
from django.core.management import CommandError, call_command

from notes.models import ChangeRequest, Chapter, Comment
from notes.services.discussions import DiscussionError, comment_delete
from notes.services.moderation import thread_lock
from tests.factories import make_thread, propose_chapter_edit

pytestmark = pytest.mark.django_db


def test_deleting_your_own_comment_in_a_locked_thread_is_refused(chapter, reader, moderator, client_for):
    thread = make_thread(chapter=chapter, author=reader)
    comment = Comment.objects.get(thread=thread)
    thread_lock(thread=thread, moderator=moderator)
    with pytest.raises(
        DiscussionError, match="This thread is locked: its comments can no longer be deleted."
    ):
        comment_delete(comment=comment, actor=reader)
    response = client_for(reader).post(f"/discussion/comments/{comment.pk}/delete/", follow=True)
    assert "This thread is locked: its comments can no longer be deleted." in response.text
    comment.refresh_from_db()
    assert not comment.is_deleted


def test_a_locked_thread_shows_no_delete_button(chapter, reader, moderator, client_for):
    thread = make_thread(chapter=chapter, author=reader)
    comment = Comment.objects.get(thread=thread)
    page = client_for(reader).get(thread.get_absolute_url())
    assert f"/discussion/comments/{comment.pk}/delete/" in page.text
    thread_lock(thread=thread, moderator=moderator)
    page = client_for(reader).get(thread.get_absolute_url())
    assert f"/discussion/comments/{comment.pk}/delete/" not in page.text


def test_a_draft_is_readable_only_by_its_author_and_admins(
    chapter, editor, other_editor, reviewer, admin_user, client_for
):
    draft = propose_chapter_edit(editor, chapter, "Secret draft text.", submit=False)
    assert draft.status == ChangeRequest.Status.DRAFT
    assert client_for(editor).get(f"/reviews/{draft.pk}/").status_code == 200
    assert client_for(admin_user).get(f"/reviews/{draft.pk}/").status_code == 200
    for outsider in (other_editor, reviewer):
        response = client_for(outsider).get(f"/reviews/{draft.pk}/")
        assert response.status_code == 403
        assert "Secret draft text." not in response.text


def test_a_submitted_request_is_readable_by_every_editor(chapter, editor, other_editor, client_for):
    submitted = propose_chapter_edit(editor, chapter, "Open for review.")
    assert client_for(other_editor).get(f"/reviews/{submitted.pk}/").status_code == 200


@pytest.mark.parametrize("action", ["approve", "request-changes", "reject"])
@pytest.mark.parametrize("revision", [None, "", "²", "9" * 5000])
def test_a_verdict_without_the_revision_read_is_refused(
    chapter, editor, reviewer, client_for, action, revision
):
    request = propose_chapter_edit(editor, chapter, "New text.")
    data = {"comment": "Reason"} if revision is None else {"comment": "Reason", "revision": revision}
    response = client_for(reviewer).post(f"/reviews/{request.pk}/{action}/", data, follow=True)
    assert "The form did not say which revision you read; open the request again." in response.text
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.SUBMITTED
    assert not request.reviews.exists()


def test_the_web_refuses_a_chapter_over_1_mb_with_the_limit_in_the_message(chapter, editor, client_for):
    response = client_for(editor).post(
        f"/books/{chapter.book.slug}/chapters/1/edit/",
        {"title": chapter.title, "body": "x" * (1024 * 1024 + 1), "summary": "Big"},
    )
    assert response.status_code == 400
    assert "The text is 1,048,577 bytes, larger than 1 MB (1,048,576 bytes)" in response.text


def test_import_notes_refuses_a_chapter_over_1_mb_with_the_limit_in_the_message(tmp_path):
    path = tmp_path / "big.md"
    path.write_text("# Big Book\n\n## Chapter 1 - Huge\n\n" + ("word " * 2_200_000) + "\n")
    with pytest.raises(
        CommandError, match=r"chapter 1: The text is [\d,]+ bytes, larger than 1 MB \(1,048,576"
    ):
        call_command("import_notes", str(path))


def test_import_notes_takes_a_chapter_of_exactly_1_mb(tmp_path):
    body = "x" * (1024 * 1024 - 1)
    path = tmp_path / "fits.md"
    path.write_text(f"# Fits\n\n## Chapter 1 - Full\n\n{body}\n")
    call_command("import_notes", str(path))
    assert Chapter.objects.get(book__slug="fits", number=1).body == body
