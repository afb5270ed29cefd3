"""Personal access tokens: the page that makes and revokes them, and how they are kept."""

import hashlib

import pytest

from notes.models import ApiToken
from notes.services.api_tokens import ApiTokenError, api_token_authenticate, api_token_create


def test_the_token_page_needs_a_signed_in_user(client_for):
    response = client_for(None).get("/account/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client_for, editor):
    client = client_for(editor)
    response = client.post(
        "/account/tokens/", {"name": "CI", "scopes": ["read", "write"], "lifetime_days": 30}
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=editor)
    text = response.context["created"]
    assert text.startswith(f"cw_{token.prefix}_")
    assert text in response.content.decode()
    secret = text.split("_", 2)[2]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.scopes == ["read", "write"]
    listed = client.get("/account/tokens/").content.decode()
    assert f"cw_{token.prefix}_…" in listed
    assert secret not in listed


def test_a_token_cannot_hold_a_scope_the_role_lacks(client_for, editor):
    response = client_for(editor).post(
        "/account/tokens/", {"name": "x", "scopes": ["review"], "lifetime_days": 30}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    with pytest.raises(ApiTokenError, match="does not allow the scope review"):
        api_token_create(user=editor, name="x", scopes=["review"])


def test_a_token_needs_a_name(editor):
    with pytest.raises(ApiTokenError, match="Give the token a name"):
        api_token_create(user=editor, name="  ", scopes=["read"])


def test_revoking_takes_a_post_and_only_ones_own_token(client_for, editor, other_editor):
    token, _text = api_token_create(user=editor, name="CI", scopes=["read"])
    assert client_for(editor).get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    client_for(other_editor).post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client_for(editor).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_revoke_form_carries_the_csrf_token(client_for, editor):
    api_token_create(user=editor, name="CI", scopes=["read"])
    page = client_for(editor).get("/account/tokens/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # the make form and each revoke


def test_last_used_is_written_at_most_once_a_minute(editor, django_assert_num_queries):
    _token, text = api_token_create(user=editor, name="CI", scopes=["read"])
    with django_assert_num_queries(2):  # read the token, write its first use
        api_token_authenticate(token_text=text)
    with django_assert_num_queries(1):  # within the minute: no write
        api_token_authenticate(token_text=text)


def test_the_admin_shows_no_secret(client_for, admin_user, editor):
    token, text = api_token_create(user=editor, name="CI", scopes=["read"])
    page = client_for(admin_user).get(f"/admin/notes/apitoken/{token.pk}/change/").content.decode()
    assert token.prefix in page
    assert token.secret_hash not in page
    assert text.split("_", 2)[2] not in page
