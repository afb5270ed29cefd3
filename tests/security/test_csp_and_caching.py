"""The Content-Security-Policy allows no outside images by default and no form posting away;
pages for signed-in users are private to their browser."""

import importlib
import os

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_images_come_from_this_site_only_and_forms_post_to_it(client, book):
    directives = _directives(client.get(f"/books/{book.slug}/"))
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["form-action"] == ["'self'"]


def test_a_setting_allows_outside_images(monkeypatch):
    import wiki.settings

    monkeypatch.setenv("WIKI_ALLOW_OUTSIDE_IMAGES", "1")
    try:
        reloaded = importlib.reload(wiki.settings)
        assert reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:", "https:"]
    finally:
        monkeypatch.delenv("WIKI_ALLOW_OUTSIDE_IMAGES")
        importlib.reload(wiki.settings)
    assert "https:" not in wiki.settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert os.environ.get("WIKI_ALLOW_OUTSIDE_IMAGES") is None


@pytest.mark.parametrize("path", ["/", "/books/test-book/", "/reviews/", "/admin/"])
def test_pages_for_signed_in_users_are_private(client_for, admin_user, book, path):
    response = client_for(admin_user).get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_pages_for_anonymous_visitors_are_not_marked_private(client, book):
    response = client.get(f"/books/{book.slug}/")
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("page", ["history", "version"])
def test_django_admin_history_pages_hold_no_inline_style_or_script(client_for, admin_user, chapter, page):
    import re

    path = f"/admin/notes/chapter/{chapter.pk}/history/"
    if page == "version":
        path += f"{chapter.history.first().history_id}/"
    html = client_for(admin_user).get(path).text
    assert chapter.title in html
    assert " style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_the_policy_built_once_is_the_one_django_csp_builds_and_follows_the_settings(client, book, settings):
    from csp.constants import NONCE
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from wiki.middleware import ContentSecurityPolicy

    request = RequestFactory().get("/")
    theirs = CSPMiddleware(lambda request: HttpResponse()).process_response(request, HttpResponse())
    ours = ContentSecurityPolicy(lambda request: HttpResponse())
    for _ in range(3):  # built by django-csp the first time, reused after
        response = ours.process_response(RequestFactory().get("/"), HttpResponse())
        assert response["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert client.get(f"/books/{book.slug}/")["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    # A response django-csp's decorators marked, or a nonce asked, goes through django-csp.
    marked = HttpResponse()
    marked._csp_update = {"img-src": ["https://example.org"]}
    assert (
        "https://example.org"
        in ours.process_response(RequestFactory().get("/"), marked)["Content-Security-Policy"]
    )
    # Other settings build their own.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"], "script-src": [NONCE]}}
    assert _directives(ours.process_response(RequestFactory().get("/"), HttpResponse())) == {
        "default-src": ["'none'"],
        "script-src": [],
    }
    with_nonce = RequestFactory().get("/")
    ours.process_request(with_nonce)
    nonce = str(with_nonce.csp_nonce)
    assert _directives(ours.process_response(with_nonce, HttpResponse()))["script-src"] == [
        f"'nonce-{nonce}'"
    ]
