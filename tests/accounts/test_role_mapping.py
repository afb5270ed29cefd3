"""The role map: read from SSO_ROLE_MAP, applied to a provider's claims, given to a user."""

import pytest
from django.contrib.auth.models import Group

from notes.lib.sso import parse_role_map, roles_from_claims
from notes.services.accounts import user_roles_apply
from tests.factories import make_user

MAP = {"wiki-editors": "Editor", "wiki-reviewers": "Reviewer"}


def test_the_map_reads_group_equals_role_pairs():
    assert parse_role_map(" wiki-editors=Editor, wiki-reviewers = reviewer ,") == MAP
    assert parse_role_map("") == {}


def test_a_group_name_may_itself_contain_an_equals_sign():
    assert parse_role_map("cn=editors=Editor") == {"cn=editors": "Editor"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("wiki-editors", "each entry must read group=Role; got 'wiki-editors'"),
        ("=Editor", "each entry must read group=Role; got '=Editor'"),
        ("wiki-admins=admin", "'admin' is not a role; use one of Reader, Editor, Reviewer, Moderator"),
        ("wiki-editors=Editr", "'Editr' is not a role; use one of Reader, Editor, Reviewer, Moderator"),
    ],
)
def test_a_bad_map_is_refused_naming_the_entry(raw, message):
    with pytest.raises(ValueError) as error:
        parse_role_map(raw)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("claim_value", "roles"),
    [
        (["wiki-editors", "staff"], {"Editor"}),
        (["wiki-editors", "wiki-reviewers"], {"Editor", "Reviewer"}),
        (["/wiki-reviewers"], {"Reviewer"}),  # Keycloak's group paths
        ("wiki-editors wiki-reviewers", {"Editor", "Reviewer"}),
        ("wiki-editors,wiki-reviewers", {"Editor", "Reviewer"}),
        ([], set()),
        (None, set()),
        (42, set()),
        ([{"name": "wiki-editors"}], set()),
    ],
)
def test_roles_come_from_the_named_claim(claim_value, roles):
    assert roles_from_claims({"groups": claim_value}, claim="groups", role_map=MAP) == roles


def test_no_claim_or_no_map_grants_nothing():
    assert roles_from_claims({"groups": ["wiki-editors"]}, claim="", role_map=MAP) == set()
    assert roles_from_claims({"groups": ["wiki-editors"]}, claim="groups", role_map={}) == set()
    assert roles_from_claims({}, claim="groups", role_map=MAP) == set()


@pytest.mark.django_db
def test_applying_roles_adds_them_and_reader():
    user = make_user("sam", role="Moderator")
    user_roles_apply(user=user, roles={"Editor"}, replace=False)
    assert set(user.groups.values_list("name", flat=True)) == {"Moderator", "Editor", "Reader"}


@pytest.mark.django_db
def test_replacing_roles_takes_away_what_the_provider_no_longer_grants_but_never_admin():
    user = make_user("sam", role="Editor", staff=True)
    user_roles_apply(user=user, roles={"Reviewer"}, replace=True)
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {"Reader", "Reviewer"}
    assert user.is_staff


@pytest.mark.django_db
def test_an_unknown_role_is_refused_and_changes_nothing():
    user = make_user("sam", role="Editor")
    with pytest.raises(ValueError, match="Not roles: Admin"):
        user_roles_apply(user=user, roles={"Admin"}, replace=True)
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert Group.objects.filter(name="Admin").count() == 0
