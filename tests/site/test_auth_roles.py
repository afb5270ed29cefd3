"""Each request's user is read with their roles in one query, and a role taken away counts
on the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def _role_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith('SELECT "auth_group"')]


def test_a_signed_in_page_reads_the_roles_with_the_user(
    chapter, client_for, editor, django_assert_max_num_queries
):
    client = client_for(editor)
    client.get(CHAPTER)
    with django_assert_max_num_queries(20) as queries:
        page = client.get(CHAPTER).content.decode()
    assert _role_queries(queries) == []
    assert ">Edit</a>" in page  # the Editor role is known


def test_a_role_taken_away_counts_on_the_next_request(chapter, client_for, editor):
    client = client_for(editor)
    assert ">Edit</a>" in client.get(CHAPTER).content.decode()
    editor.groups.remove(Group.objects.get(name="Editor"))
    assert ">Edit</a>" not in client.get(CHAPTER).content.decode()
    assert client.get("/books/test-book/chapters/1/edit/").status_code == 403


def test_a_deactivated_user_is_signed_out(chapter, client_for, editor):
    client = client_for(editor)
    editor.is_active = False
    editor.save()
    assert "Log out" not in client.get(CHAPTER).content.decode()


def test_sessions_made_with_djangos_own_backend_stay_signed_in(chapter, editor):
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(CHAPTER).content.decode()
    assert "Log out" in page and ">Edit</a>" in page


def test_logging_in_with_a_password_uses_the_roles_backend(chapter, client):
    make_user("pat", role="Reader", password="a long password")
    response = client.post("/accounts/login/", {"username": "pat", "password": "a long password"})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "wiki.auth.UserWithRolesBackend"
