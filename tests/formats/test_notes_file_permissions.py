"""Who may download a book and who may upload a notes file: every role, cell by cell.

Downloads follow reading (``WIKI_PUBLIC_READ``); uploading follows proposing changes. The
"private-" columns run with ``WIKI_PUBLIC_READ = False``.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from notes import permissions
from notes.models import ChangeRequest
from tests.factories import make_book, make_user

pytestmark = pytest.mark.django_db

# fmt: off
ROLES =    ["anonymous", "outsider", "reader", "editor", "reviewer", "moderator", "admin", "private-anonymous", "private-reader"]
DOWNLOAD = ["ok",        "ok",       "ok",     "ok",     "ok",       "ok",        "ok",    "login",             "ok"]
UPLOAD =   ["login",     "403",      "403",    "ok",     "ok",       "403",       "ok",    "login",             "403"]
# fmt: on
GROUPS = {"reader": "Reader", "editor": "Editor", "reviewer": "Reviewer", "moderator": "Moderator"}


def user_for(role: str):
    name = role.removeprefix("private-")
    if name == "anonymous":
        return None
    if name == "admin":
        return make_user("admin", staff=True)
    return make_user(name, role=GROUPS.get(name))


def client_as(client, settings, role):
    settings.WIKI_PUBLIC_READ = not role.startswith("private-")
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    return user


def outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return {200: "ok", 302: "ok", 403: "403"}.get(response.status_code, str(response.status_code))


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, DOWNLOAD, strict=True)))
@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_who_may_download_a_book(client, settings, role, expected, format):
    book = make_book(slug="b", chapters=1)
    user = client_as(client, settings, role)

    assert outcome(client.get(f"/books/{book.slug}/download/{format}/")) == expected
    assert permissions.can_download_book(user or AnonymousUser()) == (expected == "ok")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, UPLOAD, strict=True)))
def test_who_may_upload_a_notes_file(client, settings, role, expected):
    user = client_as(client, settings, role)
    data = b"# A Book\n\n## Chapter 1 - One\n\nText.\n"

    assert outcome(client.get("/import/")) == expected
    response = client.post("/import/", {"notes_file": SimpleUploadedFile("a.md", data)})
    assert outcome(response) == expected
    if expected == "ok":
        assert outcome(client.post(response["Location"], {"action": "propose"})) == "ok"
    assert ChangeRequest.objects.exists() == (expected == "ok")
    assert permissions.can_upload_notes(user or AnonymousUser()) == (expected == "ok")
