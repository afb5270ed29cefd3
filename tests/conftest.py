"""The cast of users every test module can use, and shared fixtures."""

import pytest
from django.test import Client

from tests.factories import load_seed, make_book, make_user


@pytest.fixture
def reader(db):
    return make_user("reader", role="Reader")


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editor")


@pytest.fixture
def other_editor(db):
    return make_user("other_editor", role="Editor")


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", role="Reviewer")


@pytest.fixture
def other_reviewer(db):
    return make_user("other_reviewer", role="Reviewer")


@pytest.fixture
def moderator(db):
    return make_user("moderator", role="Moderator")


@pytest.fixture
def admin_user(db):
    return make_user("admin", staff=True)


@pytest.fixture
def outsider(db):
    """Signed in, but in no group."""
    return make_user("outsider")


@pytest.fixture
def book(db):
    return make_book(slug="test-book", title="Test Book", chapters=3, tables=1)


@pytest.fixture
def chapter(book):
    return book.chapters.get(number=1)


@pytest.fixture
def seed(db):
    """The seed book (designing-ml-systems) loaded from its fixture."""
    return load_seed()


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as ``user`` (anonymous for None)."""

    def build(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and diffs of one test's data must
    not answer the next test's requests for the same URLs."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
