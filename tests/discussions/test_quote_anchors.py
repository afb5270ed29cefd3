"""Threads on a quote of a chapter: started from a selection, highlighted on the chapter
page, re-anchored by each published version, orphaned (never dropped) when the passage goes."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.lib.limits import MAX_QUOTE_LENGTH
from notes.lib.quotes import locate, plain_text
from notes.models import QuoteAnchor, Thread
from notes.services import moderation
from notes.services.discussions import DiscussionError, thread_start
from notes.services.quotes import QuoteSelection
from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_chapter, propose_chapter_edit

pytestmark = pytest.mark.django_db

FIRST = "Batch features are computed periodically, for example once a day."
SECOND = "Streaming features are computed as events arrive, within seconds."
THIRD = "Both kinds end up in the same model, which is where the trouble starts."
INTRO = "Features come in two kinds."
BODY = f"## Feature kinds\n\n{INTRO}\n\n{FIRST} {SECOND}\n\n{THIRD}\n"


@pytest.fixture
def quoted_chapter(book):
    return make_chapter(book=book, number=4, title="Features", body=BODY)


def start_quote(chapter, author, exact, *, prefix="", suffix="", start=None, title="On this passage"):
    return thread_start(
        chapter=chapter,
        author=author,
        title=title,
        body="What does this mean?",
        quote=QuoteSelection(exact=exact, prefix=prefix, suffix=suffix, start=start),
    )


def publish(chapter, body, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, body)
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    chapter.refresh_from_db()
    return chapter


def anchor_of(thread) -> QuoteAnchor:
    return QuoteAnchor.objects.get(thread=thread)


def words_at(chapter, anchor) -> str:
    return plain_text(chapter.body_html)[anchor.start : anchor.end]


# --- The plain text and the selector ---------------------------------------------------------


def test_the_plain_text_is_the_html_text_with_whitespace_collapsed():
    html = '<h2 id="a">Title</h2>\n<p>One &amp; <strong>two</strong>\nthree</p>\n<ul>\n<li>four</li>\n</ul>\n'
    assert plain_text(html) == "Title One & two three four"


def test_a_quote_thread_stores_the_words_their_context_and_position(quoted_chapter, reader):
    thread = start_quote(quoted_chapter, reader, SECOND)
    anchor = anchor_of(thread)
    text = plain_text(quoted_chapter.body_html)
    assert (anchor.exact, anchor.status) == (SECOND, QuoteAnchor.Status.ANCHORED)
    assert text[anchor.start : anchor.end] == SECOND
    assert anchor.prefix == text[anchor.start - 32 : anchor.start] and anchor.prefix.endswith("a day. ")
    assert anchor.suffix == text[anchor.end : anchor.end + 32] and anchor.suffix.startswith(" Both kinds")
    assert anchor.original_exact == SECOND and anchor.made_on_version == 1
    assert thread.anchor_kind == ""


def test_the_selection_is_found_by_its_context_when_its_words_occur_twice(book, reader):
    chapter = make_chapter(book=book, number=5, body="The same words here.\n\nThen the same words here.\n")
    thread = start_quote(chapter, reader, "the same words", prefix="Then ", suffix=" here.")
    anchor = anchor_of(thread)
    assert anchor.start == plain_text(chapter.body_html).index("the same words") == 26


# --- Re-anchoring when a new version is published ----------------------------------------------


def test_text_inserted_before_the_quote_moves_it_with_its_words(quoted_chapter, reader, editor, reviewer):
    anchor = anchor_of(start_quote(quoted_chapter, reader, SECOND))
    old_start = anchor.start
    chapter = publish(
        quoted_chapter, BODY.replace(INTRO, INTRO + " A long new sentence goes here first."), editor, reviewer
    )
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ANCHORED
    assert anchor.start == old_start + len(" A long new sentence goes here first.")
    assert words_at(chapter, anchor) == SECOND == anchor.exact
    assert anchor.last_anchored_version == 2 and anchor.made_on_version == 1


def test_a_word_changed_inside_the_quote_re_anchors_on_the_new_words(
    quoted_chapter, reader, editor, reviewer
):
    anchor = anchor_of(start_quote(quoted_chapter, reader, SECOND))
    changed = SECOND.replace("within seconds", "within a few seconds")
    chapter = publish(quoted_chapter, BODY.replace(SECOND, changed), editor, reviewer)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ANCHORED
    assert anchor.exact == changed == words_at(chapter, anchor)
    assert anchor.original_exact == SECOND


def test_a_moved_paragraph_takes_its_quote_along(quoted_chapter, reader, editor, reviewer):
    anchor = anchor_of(start_quote(quoted_chapter, reader, FIRST))
    moved = f"## Feature kinds\n\n{INTRO}\n\n{THIRD}\n\n{FIRST} {SECOND}\n"
    chapter = publish(quoted_chapter, moved, editor, reviewer)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ANCHORED
    assert words_at(chapter, anchor) == FIRST
    assert (
        anchor.start
        == plain_text(chapter.body_html).index(FIRST)
        > plain_text(chapter.body_html).index(THIRD)
    )


def test_a_duplicate_of_the_quoted_sentence_does_not_take_the_quote(quoted_chapter, reader, editor, reviewer):
    anchor = anchor_of(start_quote(quoted_chapter, reader, SECOND))
    # The same sentence now also stands earlier, in a new paragraph, and later, at the end.
    duplicated = (
        BODY.replace(f"{INTRO}\n\n", f"{INTRO}\n\nAs the saying goes: {SECOND}\n\n") + f"\nAgain: {SECOND}\n"
    )
    chapter = publish(quoted_chapter, duplicated, editor, reviewer)
    anchor.refresh_from_db()
    text = plain_text(chapter.body_html)
    occurrences = [match.start() for match in re.finditer(re.escape(SECOND), text)]
    assert len(occurrences) == 3
    assert anchor.status == QuoteAnchor.Status.ANCHORED
    assert anchor.start == occurrences[1]  # the one after "once a day.", as quoted
    assert text[anchor.start - 7 : anchor.start] == "a day. "


def test_a_deleted_passage_orphans_the_thread_and_keeps_it(quoted_chapter, reader, editor, reviewer):
    thread = start_quote(quoted_chapter, reader, SECOND)
    anchor = anchor_of(thread)
    chapter = publish(quoted_chapter, BODY.replace(f" {SECOND}", ""), editor, reviewer)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ORPHANED
    assert (
        anchor.original_exact == SECOND and anchor.made_on_version == 1 and anchor.last_anchored_version == 1
    )
    assert Thread.objects.filter(pk=thread.pk).exists()
    assert SECOND not in plain_text(chapter.body_html)


def test_a_passage_rewritten_beyond_recognition_is_orphaned_not_moved(
    quoted_chapter, reader, editor, reviewer
):
    anchor = anchor_of(start_quote(quoted_chapter, reader, SECOND))
    rewritten = "Real-time signals show up at once and are folded in on the spot."
    publish(quoted_chapter, BODY.replace(SECOND, rewritten), editor, reviewer)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ORPHANED
    assert anchor.exact == SECOND  # where it was last found, not the new words


def test_an_orphaned_quote_anchors_again_when_its_passage_comes_back(
    quoted_chapter, reader, editor, reviewer
):
    anchor = anchor_of(start_quote(quoted_chapter, reader, SECOND))
    publish(quoted_chapter, BODY.replace(f" {SECOND}", ""), editor, reviewer)
    chapter = publish(quoted_chapter, BODY, editor, reviewer)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ANCHORED and words_at(chapter, anchor) == SECOND
    assert anchor.last_anchored_version == 3


def test_a_short_quote_stays_with_its_sentence_rather_than_jump_to_the_same_words_elsewhere():
    old = "Intro. We call these streaming features in our notes today. Later on: streaming features matter."
    start = old.index("streaming features")
    new = old.replace("these streaming features", "these streaming-features")
    found = locate(
        new,
        "streaming features",
        prefix=old[max(0, start - 32) : start],
        suffix=old[start + 18 : start + 50],
        near=start,
    )
    assert found is not None and found.start == new.index("streaming-features")


def test_a_table_edit_re_anchors_quotes_in_the_text_after_the_table(chapter, reader, editor, reviewer):
    from tests.factories import propose_table_edit

    anchor = anchor_of(start_quote(chapter, reader, "The end."))
    table = chapter.tables.get()
    request = propose_table_edit(
        editor, table, [["Speed", "much much faster", "slow"], ["Cost", "low", "high"]]
    )
    change_request_approve(change_request=request, reviewer=reviewer)
    chapter.refresh_from_db()
    anchor.refresh_from_db()
    assert "much much faster" in plain_text(chapter.body_html)
    assert words_at(chapter, anchor) == "The end." and anchor.status == QuoteAnchor.Status.ANCHORED


def test_a_thread_moved_to_another_chapter_has_its_quote_orphaned_there(
    quoted_chapter, chapter, reader, moderator
):
    thread = start_quote(quoted_chapter, reader, SECOND)
    moderation.thread_move(thread=thread, moderator=moderator, chapter=chapter)
    assert anchor_of(thread).status == QuoteAnchor.Status.ORPHANED


# --- Starting a thread on a quote, with bad input ------------------------------------------------


def start_url(chapter) -> str:
    return f"/books/{chapter.book.slug}/chapters/{chapter.number}/discussion/new/"


def test_the_start_form_shows_the_selected_quote_with_hidden_fields(client_for, quoted_chapter, reader):
    response = client_for(reader).get(
        start_url(quoted_chapter), {"quote_exact": SECOND, "quote_prefix": "once a day. ", "quote_start": "5"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<blockquote class="quoted-passage">{SECOND}</blockquote>' in html
    assert 'type="hidden" name="quote_exact"' in html and 'name="anchor"' not in html
    assert 'name="quote_suffix" value=" Both kinds end up' in html


def test_posting_the_form_starts_a_thread_on_the_quote(client_for, quoted_chapter, reader):
    response = client_for(reader).post(
        start_url(quoted_chapter),
        {"title": "Seconds?", "body": "How fast exactly?", "quote_exact": SECOND, "quote_start": "40"},
    )
    thread = Thread.objects.get(title="Seconds?")
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert anchor_of(thread).exact == SECOND
    page = client_for(reader).get(thread.get_absolute_url()).content.decode()
    assert f'<blockquote class="quoted-passage">{SECOND}</blockquote>' in page


def test_a_quote_that_is_not_in_the_chapter_is_refused_and_nothing_is_created(
    client_for, quoted_chapter, reader
):
    client = client_for(reader)
    data = {"title": "Hm", "body": "Hm?", "quote_exact": "Words that were never written here."}
    response = client.post(start_url(quoted_chapter), data)
    assert response.status_code == 400
    assert "Those words are not in the current text of this chapter" in response.content.decode()
    assert not Thread.objects.exists() and not QuoteAnchor.objects.exists()
    shown = client.get(start_url(quoted_chapter), {"quote_exact": "Words that were never written here."})
    assert shown.status_code == 400 and "Those words are not in the current text" in shown.content.decode()


def test_a_quote_too_short_or_with_a_bad_position_is_refused(client_for, quoted_chapter, reader):
    client = client_for(reader)
    short = client.get(start_url(quoted_chapter), {"quote_exact": "Ba"})
    assert short.status_code == 400 and "Select at least 3 characters" in short.content.decode()
    bad = client.post(
        start_url(quoted_chapter), {"title": "x", "body": "y", "quote_exact": SECOND, "quote_start": "²"}
    )
    assert bad.status_code == 400 and "whole number" in bad.content.decode()
    assert not Thread.objects.exists()


def test_a_quote_cannot_also_name_a_heading(quoted_chapter, reader):
    with pytest.raises(DiscussionError, match="not both"):
        thread_start(
            chapter=quoted_chapter,
            author=reader,
            title="t",
            body="b",
            anchor="heading:feature-kinds",
            quote=QuoteSelection(exact=SECOND),
        )
    assert not Thread.objects.exists()


def test_an_over_long_quote_is_cut_and_the_reader_told(client_for, book, reader):
    long_sentence = " ".join(f"word{index}" for index in range(400))  # about 2,700 characters
    chapter = make_chapter(book=book, number=6, body=long_sentence)
    client = client_for(reader)
    shown = client.get(start_url(chapter), {"quote_exact": long_sentence}).content.decode()
    assert f"longer than {MAX_QUOTE_LENGTH} characters" in shown
    response = client.post(
        start_url(chapter), {"title": "Long", "body": "Long!", "quote_exact": long_sentence}, follow=True
    )
    anchor = QuoteAnchor.objects.get()
    assert len(anchor.exact) <= MAX_QUOTE_LENGTH and long_sentence.startswith(anchor.exact)
    assert anchor.end - anchor.start == len(anchor.exact)
    assert f"the quote keeps its first {MAX_QUOTE_LENGTH}" in response.content.decode()


def test_only_members_with_a_role_may_start_a_quote_thread(client_for, quoted_chapter, outsider):
    assert client_for(outsider).get(start_url(quoted_chapter), {"quote_exact": SECOND}).status_code == 403
    anonymous = Client().post(start_url(quoted_chapter), {"title": "t", "body": "b", "quote_exact": SECOND})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert not Thread.objects.exists()


# --- The chapter page ---------------------------------------------------------------------------


def chapter_url(chapter) -> str:
    return f"/books/{chapter.book.slug}/chapters/{chapter.number}/"


def highlights(html: str) -> list[dict]:
    found = re.search(r'<div class="prose" id="chapter-text" data-quotes="([^"]*)"', html)
    return json.loads(unescape(found.group(1)))


def test_the_chapter_page_lists_each_passage_once_with_its_thread_count(client_for, quoted_chapter, reader):
    one = start_quote(quoted_chapter, reader, SECOND, title="First")
    start_quote(quoted_chapter, reader, SECOND, title="Second")
    third = start_quote(quoted_chapter, reader, FIRST, title="Third")
    html = client_for(reader).get(chapter_url(quoted_chapter)).content.decode()
    passages = {passage["exact"]: passage for passage in highlights(html)}
    second = anchor_of(one)
    assert passages[SECOND]["threads"] == 2
    assert passages[SECOND]["url"].endswith(f"discussion/?filter=all&quote={second.start}-{second.end}")
    assert passages[FIRST] == {
        "start": anchor_of(third).start,
        "end": anchor_of(third).end,
        "exact": FIRST,
        "threads": 1,
        "url": third.get_absolute_url(),
    }
    assert f'data-quote-start="{start_url(quoted_chapter)}"' in html
    listed = client_for(reader).get(passages[SECOND]["url"]).content.decode()
    assert ">First</a>" in listed and ">Second</a>" in listed and ">Third</a>" not in listed


def test_visitors_who_cannot_post_get_highlights_but_no_discuss_button(quoted_chapter, reader):
    start_quote(quoted_chapter, reader, SECOND)
    html = Client().get(chapter_url(quoted_chapter)).content.decode()
    assert len(highlights(html)) == 1 and "data-quote-start" not in html


def test_orphaned_quotes_are_listed_on_the_chapter_page_and_the_thread_page(
    client_for, quoted_chapter, reader, editor, reviewer
):
    thread = start_quote(quoted_chapter, reader, SECOND, title="Is it seconds?")
    publish(quoted_chapter, BODY.replace(f" {SECOND}", ""), editor, reviewer)
    client = client_for(reader)
    html = client.get(chapter_url(quoted_chapter)).content.decode()
    section = re.search(r'<section class="orphaned-quotes".*?</section>', html, re.DOTALL).group(0)
    assert "Orphaned quotes" in section and SECOND in section and "Is it seconds?" in section
    assert "quoted from" in section and "version 1</a>" in section
    assert highlights(html) == []
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "orphaned quote" in page and "This passage is no longer in the chapter" in page and SECOND in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_chapter_page_runs_the_same_queries_for_2_and_20_quotes(
    client_for, reader, editor, reviewer, signed_in
):
    book = make_book(slug="quotes")
    sentences = [f"Sentence number {index} says something." for index in range(20)]
    body = "\n\n".join(sentences)
    few, many = (make_chapter(book=book, number=number, body=body) for number in (1, 2))
    for index in range(2):
        start_quote(few, reader, sentences[index], title=f"Few {index}")
    for index in range(20):
        start_quote(many, reader, sentences[index], title=f"Many {index}")
    publish(many, body.replace(sentences[3], ""), editor, reviewer)  # one orphaned among them
    client = client_for(reader if signed_in else None)
    client.get("/")  # a signed-in reader's snapshot (roles, progress, watches) is built once
    # The first visit builds the chapter's shared part: the chapter, its siblings, the thread
    # counts and the quotes (4); signed in adds the session (the user, their watches and
    # progress come from the cache). Later visits read the part from the cache.
    expected = 5 if signed_in else 4
    assert _queries(client, chapter_url(few)) == _queries(client, chapter_url(many)) == expected
    if signed_in:
        assert _queries(client, chapter_url(few)) == _queries(client, chapter_url(many)) == expected - 4


def test_starting_and_re_anchoring_expire_the_cached_anonymous_page(
    quoted_chapter, reader, editor, reviewer, django_capture_on_commit_callbacks
):
    anonymous = Client()
    assert highlights(anonymous.get(chapter_url(quoted_chapter)).content.decode()) == []
    with django_capture_on_commit_callbacks(execute=True):
        thread = start_quote(quoted_chapter, reader, SECOND)
    cached = highlights(anonymous.get(chapter_url(quoted_chapter)).content.decode())
    assert [passage["exact"] for passage in cached] == [SECOND]
    with django_capture_on_commit_callbacks(execute=True):
        chapter = publish(quoted_chapter, BODY.replace(INTRO, "A new first line. " + INTRO), editor, reviewer)
    passage = highlights(anonymous.get(chapter_url(quoted_chapter)).content.decode())[0]
    assert passage["start"] == anchor_of(thread).start == cached[0]["start"] + len("A new first line. ")
    assert plain_text(chapter.body_html)[passage["start"] : passage["end"]] == SECOND


def test_a_quote_of_markup_like_text_stays_text_in_the_page(client_for, book, reader):
    chapter = make_chapter(
        book=book, number=7, body='Write `<script>alert("x")</script>` and "quotes" & more.'
    )
    exact = '<script>alert("x")</script> and "quotes" & more.'
    thread = start_quote(chapter, reader, exact)
    client = client_for(reader)
    html = client.get(chapter_url(chapter)).content.decode()
    assert "<script>alert" not in html
    assert highlights(html)[0]["exact"] == exact
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; and &quot;quotes&quot; &amp; more." in page
