"""The thread's controls in one place: moderators get one menu with one reason for every
action; a reader who may resolve gets a plain button; Move and Rename carry the reason on."""

import re

from notes.models import ModerationLog, Thread
from tests.factories import make_user


def _page(client, thread) -> str:
    return client.get(thread.get_absolute_url()).content.decode()


def test_a_moderator_gets_one_menu_with_one_reason_field_for_every_action(client_for, thread, moderator):
    html = _page(client_for(moderator), thread)
    menu = html.split('<details class="moderation-menu">')[1].split("</details>")[0]
    assert html.count('<details class="moderation-menu">') == 1
    assert menu.count('name="reason"') == 1
    assert "csrfmiddlewaretoken" in menu
    for action in ("resolve", "lock", "pin", "move", "rename"):
        assert f'formaction="/discussion/threads/{thread.pk}/{action}/"' in menu, action
    # Nothing of moderation outside the menu: no second reason field, no boxed forms.
    assert html.count('name="reason"') == 1


def test_a_reader_who_may_resolve_gets_a_plain_button_and_no_reason(client_for, thread, reader):
    html = _page(client_for(reader), thread)
    assert "moderation-menu" not in html and 'name="reason"' not in html
    form = re.search(
        rf'<form method="post" action="/discussion/threads/{thread.pk}/resolve/" class="inline">.*?</form>',
        html,
        re.S,
    )
    assert form and '<button type="submit">Mark resolved</button>' in form.group(0)


def test_a_reader_who_may_not_resolve_gets_neither(client_for, thread):
    stranger = make_user("stranger", role="Reader")
    html = _page(client_for(stranger), thread)
    assert "Mark resolved" not in html and "moderation-menu" not in html


def test_the_menus_reason_goes_with_the_action_taken(client_for, thread, moderator):
    client = client_for(moderator)
    response = client.post(f"/discussion/threads/{thread.pk}/pin/", {"reason": "Asked every week"})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_pinned
    assert ModerationLog.objects.get(action=ModerationLog.Action.PIN).reason == "Asked every week"


def test_rename_from_the_menu_opens_the_form_with_the_reason_and_changes_nothing_yet(
    client_for, thread, moderator
):
    client = client_for(moderator)
    response = client.post(f"/discussion/threads/{thread.pk}/rename/", {"reason": "Clearer title"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clearer title</textarea>" in html and 'value="Why columns?"' in html
    assert "Give a reason" not in html
    assert Thread.objects.get(pk=thread.pk).title == "Why columns?"
    assert not ModerationLog.objects.exists()


def test_move_from_the_menu_opens_the_form_with_the_reason(client_for, thread, moderator):
    response = client_for(moderator).post(
        f"/discussion/threads/{thread.pk}/move/", {"reason": "Wrong chapter"}
    )
    assert response.status_code == 200
    assert 'value="Wrong chapter"' in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).chapter_id == thread.chapter_id


def test_a_moderators_rename_still_needs_a_reason_on_its_own_page(client_for, thread, moderator):
    response = client_for(moderator).post(
        f"/discussion/threads/{thread.pk}/rename/", {"title": "New", "reason": ""}
    )
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
