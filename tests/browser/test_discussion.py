"""A reader discusses a comparison table of the seed book, another user replies, a moderator
hides the reply, and the reader no longer sees its text."""

import pytest

from notes.models import Comment, ModerationLog
from tests.factories import import_seed, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "row-wise-versus-column-wise-storage"
TABLE_TITLE = "Row-wise versus Column-wise Storage"
REPLY = "Parquet is the column-wise example; CSV the row-wise one."


def test_a_thread_on_a_table_gets_a_reply_that_a_moderator_hides(live_server, new_page, log_in):
    import_seed()
    make_user("alice", role="Reader")
    make_user("bob", role="Editor")
    make_user("mo", role="Moderator")
    chapter_url = f"{live_server.url}/books/designing-ml-systems/chapters/3/"

    # Alice opens chapter 3 and starts a thread from the table itself.
    alice = new_page()
    log_in(alice, "alice")
    alice.goto(chapter_url)
    place = alice.locator(f'p.discussed-place[data-anchor="table:{TABLE}"]')
    # The offer sits right under its own table.
    assert place.locator("xpath=preceding-sibling::*[1]").get_attribute("id") == f"table-{TABLE}"
    place.locator("text=Discuss this table").click()
    alice.wait_for_url("**/chapters/3/discussion/new/**")
    assert alice.locator("select[name=anchor] option:checked").inner_text() == f"Table: {TABLE_TITLE}"
    alice.fill("input[name=title]", "Which storage for training data?")
    alice.fill("textarea[name=body]", "Row-wise or **column-wise** for feature reads?")
    alice.click("button:text-is('Start thread')")
    alice.wait_for_url("**/chapters/3/discussion/*/")
    assert "Thread started." in alice.locator(".messages").inner_text()
    thread_url = alice.url
    anchor = alice.locator("a.thread-anchor")
    assert anchor.inner_text() == TABLE_TITLE
    assert anchor.get_attribute("href") == f"/books/designing-ml-systems/chapters/3/#table-{TABLE}"

    # The table now shows its thread count, linking to the threads about it.
    alice.goto(chapter_url)
    assert place.locator("a.anchor-threads").inner_text() == "1 thread"

    # Bob finds the thread from the chapter and replies to Alice's comment.
    bob = new_page()
    log_in(bob, "bob")
    bob.goto(chapter_url)
    bob.click("a.chapter-discussion")
    bob.click("text=Which storage for training data?")
    first = bob.locator("li.comment").first
    first.locator("summary:text-is('Reply')").click()
    first.locator("textarea[name=body]").fill(REPLY)
    first.locator("button:text-is('Post reply')").click()
    bob.wait_for_url("**#comment-*")
    reply = bob.locator("li.comment.depth-1")
    assert REPLY in reply.inner_text()
    reply_id = reply.get_attribute("id")

    # Alice sees the reply, nested under her comment.
    alice.goto(thread_url)
    assert REPLY in alice.locator(f"#{reply_id}").inner_text()

    # A moderator hides it with a reason.
    mo = new_page()
    log_in(mo, "mo")
    mo.goto(thread_url)
    mo.locator(f"#{reply_id} a:text-is('Hide')").click()
    mo.wait_for_url("**/hide/")
    mo.fill("textarea[name=reason]", "Spoils next week's exercise")
    mo.click("button:text-is('Hide comment')")
    mo.wait_for_url("**#comment-*")
    hidden_for_mo = mo.locator(f"#{reply_id}").inner_text()
    assert "Spoils next week's exercise" in hidden_for_mo and REPLY in hidden_for_mo

    # Alice reloads: the reply's place is kept, its text is gone, and she is told why not.
    alice.reload()
    hidden_for_alice = alice.locator(f"#{reply_id}").inner_text()
    assert "Hidden by a moderator." in hidden_for_alice
    assert REPLY not in alice.content()
    assert "Spoils next week's exercise" not in alice.content()

    # The moderation log, for moderators, says who hid what and why.
    mo.click(".nav >> text=Moderation log")
    row = mo.locator("table.moderation-log tbody tr").first.inner_text()
    assert "mo" in row and "Hid a comment" in row and "Spoils next week's exercise" in row
    assert ModerationLog.objects.get().comment == Comment.objects.get(body=REPLY)
