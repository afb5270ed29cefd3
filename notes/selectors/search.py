"""The search page's reads: counts per kind, one page of ranked results, their snippets.

At most four queries whatever the data: the books (for the filter), the counts per
kind, the page's ids, and their labels with highlighted snippets (made for that page
only). Hidden comments are found by moderators and admins only.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from notes import permissions
from notes.models import Book, SearchDocument
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


@dataclass
class Group:
    kind: str
    name: str
    count: int
    results: list[Result]

    @property
    def has_more(self) -> bool:
        return self.count > len(self.results)

    @property
    def noun(self) -> str:
        return SINGULAR[self.kind] + ("" if self.count == 1 else "s")


@dataclass
class SearchPage:
    query: ParsedQuery
    books: list[Book]
    book: Book | None = None
    kind: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    messages: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def kinds(self) -> list[tuple[str, str, int]]:
        """(kind, name, count) of every kind, for the filter links."""
        return [(kind, name, self.counts.get(kind, 0)) for kind, name in Kind.choices]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search_page(*, user, text: str, book_slug: str = "", kind: str = "", page: str = "1") -> SearchPage:
    query = parse(text)
    books = list(Book.objects.only("id", "slug", "title").order_by("title"))
    result = SearchPage(query=query, books=books)
    if query.was_cut:
        result.messages.append("Your search was long: only its beginning was searched.")
    if book_slug:
        result.book = next((book for book in books if book.slug == book_slug), None)
        if result.book is None:
            result.messages.append("There is no such book; every book was searched.")
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
    result.counts = {
        kind: count for kind, count in search.counts(query, filters).items() if kind in Kind.values
    }
    if not result.total:
        return result
    if result.kind:
        count = result.counts.get(result.kind, 0)
        result.pages = max(1, -(-count // PER_PAGE))
        result.page = min(max(_page_number(page), 1), result.pages)
        ids = (
            search.page(query, filters, offset=(result.page - 1) * PER_PAGE, limit=PER_PAGE) if count else []
        )
    else:
        ids = search.best_per_kind(query, filters, per_kind=PER_KIND)
    details = search.details(query, ids)
    by_kind: dict[str, list[Result]] = {}
    for pk in ids:
        detail = details.get(pk)
        if detail is not None:
            by_kind.setdefault(detail["kind"], []).append(_result(detail))
    result.groups = [
        Group(kind=kind, name=name, count=result.counts.get(kind, 0), results=by_kind[kind])
        for kind, name in Kind.choices
        if by_kind.get(kind)
    ]
    return result


def _page_number(text: str) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 7 else 1


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
