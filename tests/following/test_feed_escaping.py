"""The Atom feeds carry user text (summaries, book titles) safely.

Atom's <summary type="html"> is read as HTML by feed readers, so text that goes into it
must be escaped for HTML as well as for XML; and a control character that XML 1.0 cannot
carry must not turn the feed into a server error for everyone.
"""

from xml.etree import ElementTree

from notes.services.reviews import change_request_approve
from tests.factories import make_book
from tests.factories import propose_chapter_edit as propose

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("/recent/feed.atom", "/books/evil/changelog/feed.atom")


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own feed)


def test_a_book_title_is_escaped_in_the_html_summary(client_for, editor, reviewer):
    book = make_book(slug="evil", title='<img src=x onerror="alert(1)">', chapters=1)
    chapter = book.chapters.get(number=1)
    change_request_approve(change_request=propose(editor, chapter, "new text"), reviewer=reviewer)
    for url in FEEDS:
        summaries = [entry.find(f"{ATOM}summary") for entry in _entries(client_for(None), url)]
        html = [
            summary.text for summary in summaries if summary is not None and summary.get("type") == "html"
        ]
        assert html, url
        # What a feed reader renders as HTML holds the title as text, not as an element.
        assert not any("<img" in text for text in html), html
        assert any("&lt;img" in text for text in html), html


def test_a_control_character_in_a_summary_does_not_break_the_feeds(client_for, editor, reviewer):
    book = make_book(slug="evil", title="Evil\x0bBook", chapters=1)
    chapter = book.chapters.get(number=1)
    change_request_approve(
        change_request=propose(editor, chapter, "new text", summary="Added\x0bnotes\x1b"), reviewer=reviewer
    )
    for url in FEEDS:
        titles = [entry.find(f"{ATOM}title").text for entry in _entries(client_for(None), url)]
        assert any(title.startswith("Added") and "notes" in title for title in titles), titles
