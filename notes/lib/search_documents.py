"""What each searchable thing looks like as a search document (plain data, no queries).

The builders read attributes only, so the service (with the real models) and migration
0010 (with historical ones) build the same documents. ``fit_body`` cuts a body so that
its PostgreSQL tsvector stays under the 1 MB limit.
"""

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote

from django.urls import reverse

from notes.lib.limits import (
    MAX_SEARCH_LABEL_LENGTH,
    MAX_SEARCH_URL_LENGTH,
    MAX_VOCABULARY_WORD_LENGTH,
    MIN_VOCABULARY_WORD_LENGTH,
)

BOOK, CHAPTER, TABLE, THREAD, COMMENT = "book", "chapter", "table", "thread", "comment"
SEARCH_CONFIG = "english"
# PostgreSQL refuses a tsvector over 1,048,575 bytes; keep well under it (the title's
# vector and the concatenation's header come on top of the body's).
TSVECTOR_BUDGET = 1_000_000
# Below this many bytes of text no tsvector can reach the limit (the worst case, short
# distinct hyphenated words, makes about six bytes of tsvector per byte of text).
TEXT_ALWAYS_FITS = 150_000
# The text is measured in pieces of about this size, cut at a space.
MEASURE_PIECE = 32_000

_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Control characters: never searchable, and \x02 / \x03 mark highlights in snippets.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


@dataclass
class Doc:
    kind: str
    book_id: int
    chapter_id: int | None
    object_id: int
    part: int
    title: str
    body: str
    label: str
    context: str
    url: str
    is_hidden: bool = False


def clean(text: str) -> str:
    """Plain text with control characters removed and whitespace collapsed."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def html_text(html: str) -> str:
    """Our own sanitized HTML as plain text, each element's text apart from the next."""
    return clean(unescape(_TAG.sub(" ", html or "")))


def chapter_label(chapter) -> str:
    return clean(f"Chapter {chapter.number} - {chapter.title}")[:MAX_SEARCH_LABEL_LENGTH]


def chapter_url(chapter, book) -> str:
    return reverse("notes:chapter-detail", kwargs={"book_slug": book.slug, "number": chapter.number})


def thread_url(thread, chapter, book) -> str:
    return reverse(
        "notes:thread-detail",
        kwargs={"book_slug": book.slug, "number": chapter.number, "thread_id": thread.pk},
    )


def book_documents(book) -> list[Doc]:
    body = " ".join(part for part in (book.author, book.domains, html_text(book.summary_html)) if part)
    return [
        Doc(
            kind=BOOK,
            book_id=book.pk,
            chapter_id=None,
            object_id=book.pk,
            part=0,
            title=clean(book.title)[:MAX_SEARCH_LABEL_LENGTH],
            body=clean(body),
            label=clean(book.title)[:MAX_SEARCH_LABEL_LENGTH],
            context=clean(f"by {book.author}" if book.author else "")[:MAX_SEARCH_LABEL_LENGTH],
            url=reverse("notes:book-detail", kwargs={"book_slug": book.slug}),
        )
    ]


def chapter_documents(chapter, book) -> list[Doc]:
    """One document per section: the text before the first heading, then one per heading."""
    html = chapter.body_html or ""
    label = chapter_label(chapter)
    url = chapter_url(chapter, book)
    headings = list(_HEADING.finditer(html))
    sections = [(chapter.title, label, url, html[: headings[0].start()] if headings else html)]
    for index, match in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(html)
        heading = html_text(match.group(3))
        fragment = quote(unescape(match.group(2)), safe="-_.~")
        sections.append((heading, f"{label} › {heading}", f"{url}#{fragment}", html[match.end() : end]))
    return [
        Doc(
            kind=CHAPTER,
            book_id=book.pk,
            chapter_id=chapter.pk,
            object_id=chapter.pk,
            part=part,
            title=clean(title)[:MAX_SEARCH_LABEL_LENGTH],
            body=html_text(section_html),
            label=section_label[:MAX_SEARCH_LABEL_LENGTH],
            context="",
            url=section_url[:MAX_SEARCH_URL_LENGTH],
        )
        for part, (title, section_label, section_url, section_html) in enumerate(sections)
    ]


def table_documents(table, chapter, book) -> list[Doc]:
    lines = [" | ".join(str(cell) for cell in table.headers or [])]
    lines += [" | ".join(str(cell) for cell in row) for row in table.rows or []]
    title = clean(table.title or table.slug)[:MAX_SEARCH_LABEL_LENGTH]
    return [
        Doc(
            kind=TABLE,
            book_id=book.pk,
            chapter_id=chapter.pk,
            object_id=table.pk,
            part=0,
            title=title,
            body=clean(" · ".join(line for line in lines if line)),
            label=title,
            context=chapter_label(chapter),
            url=f"{chapter_url(chapter, book)}#table-{quote(table.slug, safe='-_.~')}"[
                :MAX_SEARCH_URL_LENGTH
            ],
        )
    ]


def thread_documents(thread, chapter, book) -> list[Doc]:
    title = clean(thread.title)[:MAX_SEARCH_LABEL_LENGTH]
    return [
        Doc(
            kind=THREAD,
            book_id=book.pk,
            chapter_id=chapter.pk,
            object_id=thread.pk,
            part=0,
            title=title,
            body="",
            label=title,
            context=chapter_label(chapter),
            url=thread_url(thread, chapter, book),
        )
    ]


def comment_documents(comment, thread, chapter, book, author_name: str) -> list[Doc]:
    """A comment's text; a deleted comment has none and is no document."""
    if comment.is_deleted:
        return []
    return [
        Doc(
            kind=COMMENT,
            book_id=book.pk,
            chapter_id=chapter.pk,
            object_id=comment.pk,
            part=0,
            title="",
            body=html_text(comment.body_html),
            label=clean(f"{author_name} in “{thread.title}”")[:MAX_SEARCH_LABEL_LENGTH],
            context=chapter_label(chapter),
            url=reverse("notes:comment-link", kwargs={"comment_id": comment.pk}),
            is_hidden=comment.is_hidden,
        )
    ]


def fit_body(cursor, body: str) -> str:
    """``body`` cut at a space so that its tsvector fits PostgreSQL's limit (PostgreSQL only).

    Short texts are returned as they are. A long one is measured in pieces, each piece's
    tsvector by PostgreSQL itself (one query); the pieces are kept while their sizes add
    up to less than the budget. The sum bounds the whole text's tsvector, which stores
    each word once however many pieces hold it, so the result never exceeds the limit.
    """
    if len(body.encode("utf-8")) <= TEXT_ALWAYS_FITS:
        return body
    ends = []
    start = 0
    while start < len(body):
        end = body.find(" ", start + MEASURE_PIECE)
        end = len(body) if end < 0 else end
        ends.append(end)
        start = end
    pieces = [body[begin:end] for begin, end in zip([0, *ends[:-1]], ends, strict=True)]
    cursor.execute(
        "SELECT pg_column_size(to_tsvector(%s::regconfig, piece)) FROM unnest(%s::text[]) "
        "WITH ORDINALITY AS pieces(piece, position) ORDER BY position",
        [SEARCH_CONFIG, pieces],
    )
    total, kept_end = 0, 0
    for (size,), end in zip(cursor.fetchall(), ends, strict=True):
        total += size
        if total > TSVECTOR_BUDGET:
            break
        kept_end = end
    return body[:kept_end].rstrip()


_VOCABULARY_WORD = re.compile(r"[^\W\d_]+")
VOCABULARY_KINDS = (BOOK, CHAPTER, TABLE)


def vocabulary(docs: list[Doc]) -> set[str]:
    """The words "did you mean" may offer from ``docs``: letters only, lower case, of the
    vocabulary's lengths, from published notes only (``VOCABULARY_KINDS``)."""
    words: set[str] = set()
    for doc in docs:
        if doc.kind not in VOCABULARY_KINDS or doc.is_hidden:
            continue
        for text in (doc.title, doc.body):
            words.update(
                word
                for word in _VOCABULARY_WORD.findall(text.lower())
                if MIN_VOCABULARY_WORD_LENGTH <= len(word) <= MAX_VOCABULARY_WORD_LENGTH
            )
    return words
