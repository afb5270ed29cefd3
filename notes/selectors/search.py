"""The search page's reads: counts per kind, one page of ranked results, their snippets.

At most four queries whatever the data: the book the filter names (by its address; a
title typed instead takes one or two more), the counts per kind, the page's ids, and their
labels with highlighted snippets (made for that page only); a search that finds nothing
asks one more, for "did you mean". Hidden comments
are found by moderators and admins only.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process

from notes import permissions
from notes.lib.limits import (
    MAX_SEARCH_SUGGESTIONS,
    MAX_SPELLING_CANDIDATES,
    MAX_VOCABULARY_WORD_LENGTH,
    SEARCH_CANDIDATES_PER_KIND,
)
from notes.lib.numbers import int_or_default
from notes.models import Book, SearchDocument, SearchWord
from notes.selectors.search_engine import Filters, ParsedQuery, engine, highlight, parse

Kind = SearchDocument.Kind
PER_PAGE = 20
PER_KIND = 5
SINGULAR = {
    Kind.BOOK: "book",
    Kind.CHAPTER: "chapter",
    Kind.TABLE: "table",
    Kind.THREAD: "thread",
    Kind.COMMENT: "comment",
}


@dataclass
class Result:
    kind: str
    url: str
    label_html: SafeString
    context: str
    book_title: str
    snippet_html: SafeString
    is_hidden: bool


def count_label(count: int, more: bool) -> str:
    """ "12", or "200+" for a kind with more matches than are ranked; "" for none."""
    return f"{count}+" if more else (str(count) if count else "")


@dataclass
class Group:
    kind: str
    name: str
    count: int
    results: list[Result]
    more: bool = False  # more matches than were ranked

    @property
    def count_label(self) -> str:
        return count_label(self.count, self.more)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.results)

    @property
    def noun(self) -> str:
        return SINGULAR[self.kind] + ("" if self.count == 1 else "s")


@dataclass
class SearchPage:
    query: ParsedQuery
    book: Book | None = None
    book_text: str = ""  # the book asked for, as typed
    kind: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    # The kinds with more matches than are ranked (their count is the number ranked).
    more: set[str] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    messages: list[str] = field(default_factory=list)
    # "Did you mean": the query with its unknown words spelled as the notes spell them.
    did_you_mean: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def total_label(self) -> str:
        return count_label(self.total, bool(self.more))

    @property
    def kinds(self) -> list[tuple[str, str, str]]:
        """(kind, name, count as shown: "" for none) of every kind, for the filter links."""
        return [
            (kind, name, count_label(self.counts.get(kind, 0), kind in self.more))
            for kind, name in Kind.choices
        ]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search_page(*, user, text: str, book_slug: str = "", kind: str = "", page: str = "1") -> SearchPage:
    query = parse(text)
    result = SearchPage(query=query, book_text=book_slug.strip()[:300])
    if query.was_cut:
        result.messages.append("Your search was long: only its beginning was searched.")
    if result.book_text:
        result.book, found = _book_named(result.book_text)
        if result.book is None:
            result.messages.append(
                "More than one book's title begins so; every book was searched. Type more of the title."
                if found > 1
                else "There is no such book; every book was searched."
            )
    if kind in Kind.values:
        result.kind = kind
    elif kind:
        result.messages.append("There is no such kind of result; every kind was searched.")
    if not query.is_searchable:
        if query.text:
            result.messages.append(
                'Nothing to search for: type a word or a "phrase" to find (a word after - is left out).'
            )
        return result

    search = engine()
    filters = Filters(
        book_id=result.book.pk if result.book else None,
        kind=result.kind or None,
        include_hidden=permissions.can_moderate(user),
        spoiler_limits=tuple(sorted(permissions.spoiler_limits(user).items())),
        involved_user_id=user.pk if user.is_authenticated else None,
    )
    if filters.spoiler_limits:
        result.messages.append(
            "Threads and comments on chapters past your reading progress are left out, but for those you are in."
        )
    counts = {kind: count for kind, count in search.counts(query, filters).items() if kind in Kind.values}
    result.more = {kind for kind, count in counts.items() if count > SEARCH_CANDIDATES_PER_KIND}
    if result.more:
        result.messages.append(
            f"Many notes match: the first {SEARCH_CANDIDATES_PER_KIND} found of each kind are ranked. "
            "Add words or name a book to find fewer."
        )
    result.counts = {kind: min(count, SEARCH_CANDIDATES_PER_KIND) for kind, count in counts.items()}
    if not result.total:
        result.did_you_mean = spelling_suggestion(query)
        return result
    if result.kind:
        count = result.counts.get(result.kind, 0)
        result.pages = max(1, -(-count // PER_PAGE))
        result.page = min(max(_page_number(page), 1), result.pages)
        offset = (result.page - 1) * PER_PAGE
        # Never past the ranked set: its count is all the pages promise.
        limit = min(PER_PAGE, count - offset)
        ids = search.page(query, filters, offset=offset, limit=limit) if limit > 0 else []
    else:
        ids = search.best_per_kind(query, filters, per_kind=PER_KIND)
    details = search.details(query, ids)
    by_kind: dict[str, list[Result]] = {}
    for pk in ids:
        detail = details.get(pk)
        if detail is not None:
            by_kind.setdefault(detail["kind"], []).append(_result(detail))
    result.groups = [
        Group(
            kind=kind,
            name=name,
            count=result.counts.get(kind, 0),
            results=by_kind[kind],
            more=kind in result.more,
        )
        for kind, name in Kind.choices
        if by_kind.get(kind)
    ]
    return result


# How like the typed word a known word must be (rapidfuzz ratio, 0-100) to be offered.
SPELLING_CUTOFF = 75
# Lengths of the known words weighed for a typed word: a typo adds or drops a letter or two.
SPELLING_LENGTH_REACH = 2
_LETTERS = re.compile(r"[^\W\d_]+")


def spelling_suggestion(query: ParsedQuery) -> str:
    """The query text with each word the notes do not hold replaced by the most similar one
    they do, or "" when every word is known or nothing similar is. One query: the known
    words of the typed words' first letters and similar lengths, at most
    MAX_SPELLING_CANDIDATES of them."""
    typed = list(
        dict.fromkeys(
            word
            for word in query.words
            if _LETTERS.fullmatch(word) and len(word) <= MAX_VOCABULARY_WORD_LENGTH
        )
    )
    if not typed:
        return ""
    wanted = Q()
    for word in typed:
        wanted |= Q(
            first=word[0],
            length__gte=len(word) - SPELLING_LENGTH_REACH,
            length__lte=len(word) + SPELLING_LENGTH_REACH,
        )
    known = list(SearchWord.objects.filter(wanted).values_list("word", flat=True)[:MAX_SPELLING_CANDIDATES])
    known_set = set(known)
    replacements = {}
    for word in typed:
        if word in known_set:
            continue
        choices = [
            candidate
            for candidate in known
            if candidate[0] == word[0] and abs(len(candidate) - len(word)) <= SPELLING_LENGTH_REACH
        ]
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF)
        if best is not None:
            replacements[word] = best[0]
    if not replacements:
        return ""
    return re.sub(
        r"[^\W_]+",
        lambda match: replacements.get(match.group(0).lower(), match.group(0)),
        query.text,
    )


@dataclass
class Suggestion:
    label: str
    context: str
    url: str


def search_suggestions(*, user, text: str) -> list[Suggestion]:
    """What the header's search box offers as one types: the best titles (books, chapters,
    tables, threads) for the words so far, the last one as a prefix. One query, none for
    text with nothing to find; the search page's rules (hidden, spoilers) hold."""
    query = parse(text)
    if not query.is_searchable:
        return []
    filters = Filters(
        kinds=SUGGESTED_KINDS,
        include_hidden=False,
        spoiler_limits=tuple(sorted(permissions.spoiler_limits(user).items())),
        involved_user_id=user.pk if user.is_authenticated else None,
    )
    return [
        Suggestion(label=label, context=" · ".join(part for part in (book_title, context) if part), url=url)
        for label, context, url, book_title in engine().suggestions(
            query, filters, limit=MAX_SEARCH_SUGGESTIONS
        )
    ]


SUGGESTED_KINDS = (Kind.BOOK, Kind.CHAPTER, Kind.TABLE, Kind.THREAD)


def book_suggestions(*, text: str) -> list[Suggestion]:
    """What the search page's book filter offers as one types: up to eight titles holding the
    text, those that begin with it first (one query, bounded whatever the number of books).
    The label is what the filter takes back: the title."""
    text = text.strip()
    if not text:
        return []
    books = (
        Book.objects.filter(title__icontains=text)
        .annotate(begins=Case(When(title__istartswith=text, then=Value(0)), default=Value(1)))
        .only("slug", "title", "author")
        .order_by("begins", "title", "pk")[:MAX_SEARCH_SUGGESTIONS]
    )
    return [Suggestion(label=book.title, context=book.author, url=book.get_absolute_url()) for book in books]


def _book_named(text: str) -> tuple[Book | None, int]:
    """The book ``text`` names: its address's name (the links the page makes, one query
    through the slug's unique index), its title, or the one title it begins (three queries
    at most); and how many titles begin so. The slug is asked alone: asked with the title
    in one query, PostgreSQL walked the books in order until one matched, a cost that grew
    with the book's place in the wiki."""
    fields = ("id", "slug", "title")
    by_slug = Book.objects.filter(slug=text).only(*fields).first()
    if by_slug is not None:
        return by_slug, 1
    exact = list(Book.objects.filter(title__iexact=text).only(*fields).order_by("pk")[:1])
    if exact:
        return exact[0], 1
    begun = list(Book.objects.filter(title__istartswith=text).only(*fields).order_by("pk")[:2])
    return (begun[0] if len(begun) == 1 else None), len(begun)


def _page_number(text: str) -> int:
    """The page asked for; anything but a page number (``²``, ``-1``, ``1e9``) is page 1."""
    return int_or_default(text, 1, what="The page", minimum=1)


def _result(detail: dict) -> Result:
    return Result(
        kind=detail["kind"],
        url=detail["url"],
        label_html=_label(detail["label"], detail["title"]),
        context=detail["context"],
        book_title=detail["book_title"],
        snippet_html=_snippet(detail["snippet"], detail["cut"]),
        is_hidden=detail["is_hidden"],
    )


def _label(label: str, marked_title: str) -> SafeString:
    """The label, with the words of its title that matched highlighted."""
    plain_title = (marked_title or "").replace("\x02", "").replace("\x03", "")
    if not plain_title or plain_title not in label:
        return escape(label)
    before, _, after = label.rpartition(plain_title)
    return mark_safe(escape(before) + highlight(marked_title) + escape(after))  # noqa: S308 (escaped)


def _snippet(marked: str, cut: int) -> SafeString:
    html = highlight(marked)
    if not html:
        return html
    return mark_safe(("… " if cut & 1 else "") + html + (" …" if cut & 2 else ""))  # noqa: S308 (escaped)
