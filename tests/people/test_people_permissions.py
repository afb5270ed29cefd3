"""Who may do what with people: every role against every action, cell by cell.

Rows are actions, columns the actor. The subject of "change role" and "deactivate" is
another person (an editor) unless the row says otherwise; "self" rows act on the actor.
Each cell is checked both at the permission function and through the page, whose write
must leave the database as it was when refused.
"""

import pytest
from django.contrib.auth import get_user_model

from notes import permissions
from notes.models import PeopleLogEntry
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# fmt: off
ACTORS = ["anonymous", "outsider", "reader", "editor", "reviewer", "moderator", "admin"]
#                       anon   outsider reader editor reviewer moderator admin
SEE_PEOPLE =           [False, False,   False, False, False,   True,     True]
MANAGE_PEOPLE =        [False, False,   False, False, False,   False,    True]
CHANGE_OTHERS_ROLE =   [False, False,   False, False, False,   False,    True]
CHANGE_OWN_ROLE =      [False, False,   False, False, False,   False,    False]
DEACTIVATE_OTHER =     [False, False,   False, False, False,   False,    True]
DEACTIVATE_SELF =      [False, False,   False, False, False,   False,    False]
# fmt: on


@pytest.fixture
def cast(db):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "outsider": make_user("outsider"),
        "reader": make_user("reader", role="Reader"),
        "editor": make_user("editor", role="Editor"),
        "reviewer": make_user("reviewer", role="Reviewer"),
        "moderator": make_user("moderator", role="Moderator"),
        "admin": make_user("admin", staff=True),
    }


def _cells(expected):
    return list(zip(ACTORS, expected, strict=True))


@pytest.mark.parametrize(("actor", "allowed"), _cells(SEE_PEOPLE))
def test_seeing_people_is_for_moderators_and_admins(cast, actor, allowed):
    assert permissions.can_see_people(cast[actor]) is allowed


@pytest.mark.parametrize(("actor", "allowed"), _cells(MANAGE_PEOPLE))
def test_managing_people_is_for_admins_only(cast, actor, allowed):
    assert permissions.can_manage_people(cast[actor]) is allowed


@pytest.mark.parametrize(("actor", "allowed"), _cells(CHANGE_OTHERS_ROLE))
def test_changing_someone_elses_role_is_for_admins(cast, actor, allowed):
    subject = make_user("subject", role="Editor")
    assert permissions.can_change_role(cast[actor], subject) is allowed


@pytest.mark.parametrize(("actor", "allowed"), _cells(CHANGE_OWN_ROLE))
def test_nobody_changes_their_own_role(cast, actor, allowed):
    assert permissions.can_change_role(cast[actor], cast[actor]) is allowed


@pytest.mark.parametrize(("actor", "allowed"), _cells(DEACTIVATE_OTHER))
def test_deactivating_someone_else_is_for_admins(cast, actor, allowed):
    subject = make_user("subject", role="Editor")
    assert permissions.can_deactivate(cast[actor], subject) is allowed


@pytest.mark.parametrize(("actor", "allowed"), _cells(DEACTIVATE_SELF))
def test_nobody_deactivates_themself(cast, actor, allowed):
    assert permissions.can_deactivate(cast[actor], cast[actor]) is allowed


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(cast):
    """An admin acting is itself active, so the rule bites when the actor's account was
    deactivated meanwhile (another admin did it a moment ago) or is a stale object."""
    acting = make_user("acting_admin", staff=True)
    assert permissions.can_change_role(acting, cast["admin"]) is True
    get_user_model().objects.filter(pk=acting.pk).update(is_active=False)
    assert permissions.is_last_active_admin(cast["admin"]) is True
    assert permissions.can_change_role(acting, cast["admin"]) is False
    assert permissions.can_deactivate(acting, cast["admin"]) is False


def test_a_second_admin_can_be_demoted_while_another_remains(cast):
    other = make_user("other_admin", staff=True)
    assert permissions.can_change_role(cast["admin"], other) is True
    assert permissions.can_deactivate(cast["admin"], other) is True


def test_only_a_deactivated_person_can_be_reactivated(cast):
    subject = make_user("subject", role="Editor")
    assert permissions.can_reactivate(cast["admin"], subject) is False
    subject.is_active = False
    assert permissions.can_reactivate(cast["admin"], subject) is True
    assert permissions.can_reactivate(cast["moderator"], subject) is False


# --- The same table through the pages -----------------------------------------------------------

PAGE = {"anonymous": "login", "moderator": 200, "admin": 200}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_people_page_answers_each_role_as_the_table_says(cast, client_for, actor):
    client = client_for(None if actor == "anonymous" else cast[actor])
    response = client.get("/people/")
    expected = PAGE.get(actor, 403)
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("actor", "allowed"), _cells(DEACTIVATE_OTHER))
def test_deactivating_through_the_page_follows_the_table_and_refusal_changes_nothing(
    cast, client_for, actor, allowed
):
    subject = make_user("subject", role="Editor")
    client = client_for(None if actor == "anonymous" else cast[actor])
    response = client.post(f"/people/{subject.pk}/deactivate/")
    subject.refresh_from_db()
    assert subject.is_active is (not allowed)
    assert PeopleLogEntry.objects.exists() is allowed
    if not allowed:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("actor", "allowed"), _cells(CHANGE_OTHERS_ROLE))
def test_changing_a_role_through_the_page_follows_the_table(cast, client_for, actor, allowed):
    subject = make_user("subject", role="Editor")
    client = client_for(None if actor == "anonymous" else cast[actor])
    client.post(f"/people/{subject.pk}/role/", {"role": "Reviewer"})
    assert permissions.account_role(get_user_model().objects.get(pk=subject.pk)) == (
        "Reviewer" if allowed else "Editor"
    )
