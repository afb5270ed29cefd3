"""With WIKI_PUBLIC_READ off, an anonymous visitor learns nothing, not even what exists.

Views that look an object up before checking the user's role answered 404 for a book,
chapter, thread or comment that does not exist and a redirect to log in for one that
does: an oracle for book slugs, chapter numbers and ids. Every such URL must send the
visitor to log in either way.
"""

import pytest

from tests.factories import make_thread

URLS = [
    "/books/{book}/chapters/{number}/discussion/new/",
    "/discussion/threads/{thread}/move/",
    "/discussion/threads/{thread}/rename/",
    "/discussion/comments/{comment}/edit/",
    "/discussion/comments/{comment}/hide/",
]
POST_URLS = [
    "/discussion/threads/{thread}/reply/",
    "/discussion/threads/{thread}/resolve/",
    "/discussion/threads/{thread}/lock/",
    "/discussion/comments/{comment}/delete/",
    "/discussion/comments/{comment}/unhide/",
]


@pytest.fixture
def existing_thread(chapter, reader):
    return make_thread(chapter=chapter, author=reader)


def _filled(url, *, exists: bool, thread):
    if exists:
        ids = {"book": "test-book", "number": 1, "thread": thread.pk, "comment": thread.comments.get().pk}
    else:
        ids = {"book": "no-such-book", "number": 99, "thread": 99999, "comment": 99999}
    return url.format(**ids)


@pytest.mark.parametrize("url", URLS + POST_URLS)
def test_anonymous_visitors_are_sent_to_log_in_whether_or_not_the_object_exists(
    client_for, settings, existing_thread, url
):
    settings.WIKI_PUBLIC_READ = False
    client = client_for(None)
    send = client.post if url in POST_URLS else client.get
    for exists in (True, False):
        response = send(_filled(url, exists=exists, thread=existing_thread))
        assert response.status_code == 302, (exists, response.status_code)
        assert response["Location"].startswith("/accounts/login/")
