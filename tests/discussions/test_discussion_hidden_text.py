"""A hidden comment's text and the reason it was hidden reach moderators only: not its
edit history, the notifications of the people it mentions, its author's comment list or
the mention e-mail, for anyone else (its author included)."""

import pytest

from notes.services import moderation
from notes.services.discussions import comment_edit, comment_post
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

TEXT = "Buy cheap watches"
EDITED = "Buy cheaper watches"
REASON = "Spam link wave"
SECRETS = (TEXT, EDITED, REASON)
NON_MODERATORS = [None, "reader", "reviewer", "editor"]  # anonymous, a reader, the mentioned, the author


@pytest.fixture
def hidden(chapter, reader, editor, reviewer, moderator, django_capture_on_commit_callbacks, mailoutbox):
    """A comment by ``editor`` mentioning ``reviewer``, edited once, then hidden."""
    thread = make_thread(chapter=chapter, author=reader, title="Watches?")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=thread, author=editor, body=f"{TEXT} @reviewer")
        comment_edit(comment=comment, editor=editor, body=f"{EDITED} @reviewer")
    moderation.comment_hide(comment=comment, moderator=moderator, reason=REASON)
    return comment


def viewer_for(request, name):
    return request.getfixturevalue(name) if name else None


def assert_nothing_hidden_in(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html


@pytest.mark.parametrize("viewer", NON_MODERATORS)
def test_the_edit_history_of_a_hidden_comment_is_refused(request, client_for, hidden, viewer):
    response = client_for(viewer_for(request, viewer)).get(f"/discussion/comments/{hidden.pk}/history/")
    assert response.status_code == (302 if viewer is None else 403)
    assert_nothing_hidden_in(response.content.decode())


def test_moderators_read_the_hidden_comments_history(client_for, hidden, moderator):
    html = client_for(moderator).get(f"/discussion/comments/{hidden.pk}/history/").content.decode()
    assert TEXT in html and EDITED in html


def test_the_notification_of_a_hidden_mention_says_hidden_and_shows_nothing_of_it(
    client_for, hidden, reviewer
):
    html = client_for(reviewer).get("/notifications/").content.decode()
    assert f'href="/discussion/comments/{hidden.pk}/"' in html and "hidden by a moderator" in html
    assert_nothing_hidden_in(html)


@pytest.mark.parametrize("viewer", NON_MODERATORS)
def test_the_authors_comment_list_leaves_a_hidden_comment_out(request, client_for, hidden, viewer):
    html = client_for(viewer_for(request, viewer)).get("/users/editor/").content.decode()
    assert f'href="/discussion/comments/{hidden.pk}/"' not in html
    assert_nothing_hidden_in(html)


def test_moderators_see_the_hidden_comment_in_the_authors_list(client_for, hidden, moderator):
    html = client_for(moderator).get("/users/editor/").content.decode()
    assert f'href="/discussion/comments/{hidden.pk}/"' in html and " · hidden" in html


def test_the_mention_email_carries_no_comment_text_that_could_later_be_hidden(hidden, mailoutbox):
    # The mentioned, and the thread's starter who watches it: neither mail holds the text.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["reader@example.com", "reviewer@example.com"]
    for other in mailoutbox:
        assert_nothing_hidden_in(other.subject + other.body)
    (mail,) = [mail for mail in mailoutbox if mail.to == ["reviewer@example.com"]]
    assert f"/discussion/comments/{hidden.pk}/" in mail.body
    assert_nothing_hidden_in(mail.subject + mail.body)
