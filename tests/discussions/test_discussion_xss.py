"""Every XSS vector of tests/data/xss-vectors.json is inert in a comment, a thread title and
an edit: in the HTML stored at save time and in every page that shows it, the mentioned
user's notifications included."""

import re
from html.parser import HTMLParser

import pytest

from notes.models import Comment, Thread
from notes.services import moderation
from notes.services.discussions import comment_post, thread_start
from tests.content.test_markup import VECTORS, assert_inert

pytestmark = pytest.mark.django_db

DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "xlink:href", "data", "poster"}


class _PageCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


# The layout's own same-origin scripts (static/js/, allowed by the CSP's script-src 'self');
# user HTML never reaches the page unescaped in this exact form.
OWN_SCRIPT = re.compile(r'<script src="/static/js/[\w-]+\.js" defer></script>')


def assert_page_inert(html: str) -> None:
    """A whole page: no script element but the layout's own, no on* attribute, no script-capable URL."""
    html = OWN_SCRIPT.sub("", html)
    assert "<script" not in html.lower()
    collector = _PageCollector()
    collector.feed(html)
    for tag, attributes in collector.elements:
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "base"}, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in URL_ATTRIBUTES and value:
                assert not DANGEROUS_URL.match(re.sub(r"[\x00-\x20]+", "", value)), (tag, name, value)


def test_the_page_checker_catches_a_live_vector():
    for live in (
        '<img src=x onerror="alert(1)">',
        '<a href=" javascript:alert(1)">x</a>',
        "<SCRIPT>x</SCRIPT>",
    ):
        with pytest.raises(AssertionError):
            assert_page_inert(live)


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['group']}-{i}" for i, v in enumerate(VECTORS)])
def test_a_vector_is_inert_in_a_title_a_comment_and_an_edit(client_for, book, reader, moderator, vector):
    payload = vector["payload"]
    client = client_for(reader)
    chapter_url = "/books/test-book/chapters/1/"

    # A refused form echoes what was typed: that page must be inert too.
    refused = client.post(f"{chapter_url}discussion/new/", {"title": payload, "body": ""})
    assert refused.status_code == 400
    assert_page_inert(refused.content.decode())

    title = payload[:200]  # longer titles are refused; the cut vector must still be inert
    response = client.post(f"{chapter_url}discussion/new/", {"title": title, "body": payload})
    assert response.status_code == 302, response.content.decode()[:500]
    thread = Thread.objects.get()
    assert thread.title == " ".join(title.split())
    first = thread.comments.get()
    assert_inert(first.body_html)

    client.post(f"/discussion/threads/{thread.pk}/reply/", {"body": payload, "parent": first.pk})
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert_inert(reply.body_html)

    client.post(f"/discussion/comments/{first.pk}/edit/", {"body": f"Edited: {payload}"})
    first.refresh_from_db()
    assert_inert(first.body_html)
    assert_inert(first.revisions.get().body_html)

    client_for(moderator).post(f"/discussion/comments/{reply.pk}/hide/", {"reason": payload[:500]})
    assert Comment.objects.get(pk=reply.pk).is_hidden

    pages = [
        f"{chapter_url}discussion/?filter=all",
        f"{chapter_url}discussion/{thread.pk}/",
        f"/discussion/comments/{first.pk}/history/",
        f"/discussion/comments/{first.pk}/edit/",
        chapter_url,
        "/books/test-book/",
        "/users/reader/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert_page_inert(html)
    for url in (
        f"{chapter_url}discussion/{thread.pk}/",
        "/moderation/log/",
        f"/discussion/comments/{reply.pk}/hide/",
    ):
        assert_page_inert(client_for(moderator).get(url).content.decode())


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['group']}-{i}" for i, v in enumerate(VECTORS)])
def test_a_vector_is_inert_in_the_notifications_page(
    client_for, chapter, editor, reviewer, moderator, vector
):
    payload = vector["payload"]
    thread = thread_start(chapter=chapter, author=editor, title=payload[:200], body=f"@reviewer {payload}")
    reply = comment_post(thread=thread, author=editor, body=f"{payload} @reviewer")
    moderation.comment_hide(comment=reply, moderator=moderator, reason=payload[:500])
    html = client_for(reviewer).get("/notifications/").content.decode()
    assert html.count('<li class="notification') == 2  # a visible and a hidden mention
    assert_page_inert(html)
