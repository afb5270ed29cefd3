"""Bringing a team in from /people/: an admin invites an editor and a reviewer, each accepts
from the e-mailed link, the editor proposes a change to the seed book, the reviewer approves
it, and the admin makes the editor a Reader, who can then no longer propose."""

import re

import pytest
from django.core import mail

from tests.factories import import_seed, make_user
from tests.paths import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 1"


def _link(address: str) -> str:
    """The invitation link of the last e-mail to ``address`` (the task ran after the commit)."""
    messages = [message for message in mail.outbox if message.to == [address]]
    assert len(messages) == 1, f"expected one e-mail to {address}, got {len(messages)}"
    return re.search(r"https?://\S+/invitations/\S+/", messages[0].body).group(0)


def _accept(page, live_server, link: str, username: str, display_name: str) -> None:
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]  # the e-mail names WIKI_SITE_URL
    page.goto(live_server.url + path)
    page.fill("#id_username", username)
    page.fill("#id_display_name", display_name)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.click("text=Create my account")
    page.wait_for_url(f"{live_server.url}/")
    assert f"Welcome to Chapterwise, {display_name}!" in page.locator(".messages").inner_text()


def test_an_admin_brings_in_an_editor_and_a_reviewer_who_then_work_together(live_server, new_page, log_in):
    import_seed()
    make_user("admin", staff=True)
    mail.outbox.clear()

    admin = new_page()
    log_in(admin, "admin")
    admin.goto(f"{live_server.url}/")
    admin.click(".nav >> text=People")
    admin.fill("#id_emails", "edna@example.com")
    admin.select_option("#id_role", "Editor")
    admin.click("text=Send invitations")
    assert "Invited edna@example.com as Editor." in admin.locator(".messages").inner_text()
    admin.fill("#id_emails", "rex@example.com")
    admin.select_option("#id_role", "Reviewer")
    admin.click("text=Send invitations")
    assert admin.locator(".invitations-table tbody tr").count() == 2

    editor = new_page()
    _accept(editor, live_server, _link("edna@example.com"), "edna", "Edna Editor")
    editor.goto(f"{live_server.url}/books/{SEED_SLUG}/chapters/1/edit/")
    body = editor.input_value("textarea[name=body]")
    editor.fill("textarea[name=body]", body + "\n\nA note added by the new editor.")
    editor.fill("input[name=summary]", "A note from the new editor")
    editor.click("button[value=submit]")
    editor.wait_for_url("**/reviews/*/")
    assert "Submitted for review" in editor.locator(".messages").inner_text()

    reviewer = new_page()
    _accept(reviewer, live_server, _link("rex@example.com"), "rex", "Rex Reviewer")
    reviewer.click(".nav >> text=Reviews")
    reviewer.click("text=A note from the new editor")
    assert "Edna Editor" in reviewer.locator("main").inner_text()
    reviewer.click("text=Approve and publish")
    assert "Approved and published." in reviewer.locator(".messages").inner_text()

    admin.goto(f"{live_server.url}/people/")
    assert admin.locator(".invitations-table").count() == 0  # both accepted
    row = admin.locator("tr", has_text="edna@example.com")
    row.locator("select[name=role]").select_option("Reader")
    row.locator("text=Change role").click()
    assert "Edna Editor is now Reader." in admin.locator(".messages").inner_text()
    assert "changed the role of Edna Editor" in admin.locator(".people-log").inner_text()

    response = editor.goto(f"{live_server.url}/books/{SEED_SLUG}/chapters/1/edit/")
    assert response.status == 403
    editor.goto(f"{live_server.url}/books/{SEED_SLUG}/chapters/1/")
    assert editor.locator('.chapter-links a:text-is("Edit")').count() == 0


def test_the_people_page_is_refused_to_an_editor_and_read_only_for_a_moderator(live_server, new_page, log_in):
    make_user("admin", staff=True)
    make_user("editor", role="Editor")
    make_user("moderator", role="Moderator")

    editor = new_page()
    log_in(editor, "editor")
    assert editor.goto(f"{live_server.url}/people/").status == 403
    assert editor.locator(".nav >> text=People").count() == 0

    moderator = new_page()
    log_in(moderator, "moderator")
    moderator.click(".nav >> text=People")
    assert moderator.locator(".people-table tbody tr").count() == 3
    assert moderator.locator("main form").count() == 0
    assert moderator.locator("button", has_text="Change role").count() == 0
