"""Full-text search over the stored documents: the query language and the two engines.

Queries use web-search syntax: words (all must match), "quoted phrases", ``-word`` or
``-"a phrase"`` to leave out, and ``or`` between alternatives. The last word also matches
as a prefix (from MIN_SEARCH_PREFIX_LENGTH letters), so a word typed halfway finds. The
syntax is parsed here and rebuilt from its words only (letters and digits), so no user
text is ever query syntax: on PostgreSQL as a ``to_tsquery`` expression (each word
quoted, ``:*`` on the prefix) answered from the GIN index on
``notes_searchdocument.vector``, titles (weight A) above bodies (B); on SQLite as an FTS5
expression, each word double-quoted (``*`` after the prefix), bm25 ranking titles ten
times above bodies.

Snippets are made only for the page of results, from a bounded window of the text: the
engine marks matches with the control characters \\x02 and \\x03, which stored text never
holds (``search_documents.clean`` removes them); ``highlight`` escapes everything else.
"""

import re
from dataclasses import dataclass, field, replace

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from notes.lib.limits import (
    MAX_SEARCH_QUERY_LENGTH,
    MAX_SEARCH_TERMS,
    MIN_SEARCH_PREFIX_LENGTH,
    SEARCH_CANDIDATES_PER_KIND,
)
from notes.lib.search_documents import SEARCH_CONFIG
from notes.models import SearchDocument

SEARCH_KINDS = tuple(SearchDocument.Kind.values)

START, STOP = "\x02", "\x03"
# Characters of a long body around the first match that ts_headline reads.
HEADLINE_WINDOW = 2400
HEADLINE_LEAD = 300
TITLE_WEIGHT = 10.0

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
_UNSEARCHABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    is_negated: bool = False
    # The query's last word, typed perhaps halfway: matched as the start of a word.
    is_prefix: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.is_prefix else "")

    def tsquery(self) -> str:
        words = [f"'{word}'" for word in self.words]
        if self.is_prefix:
            words[-1] += ":*"
        phrase = " <-> ".join(words)
        return f"!({phrase})" if self.is_negated else f"({phrase})"


@dataclass
class ParsedQuery:
    text: str
    groups: list[list[Term]] = field(default_factory=list)
    was_cut: bool = False

    @property
    def is_searchable(self) -> bool:
        return bool(self.groups)

    @property
    def probe(self) -> str:
        """The first word to find: where a long text's snippet is taken from."""
        return self.groups[0][0].words[0] if self.groups else ""

    def fts5(self) -> str:
        """The query as an FTS5 expression made only of quoted words and operators."""
        alternatives = []
        for group in self.groups:
            expression = " AND ".join(term.fts5() for term in group if not term.is_negated)
            negated = [term.fts5() for term in group if term.is_negated]
            if negated:
                expression = f"({expression}) NOT ({' OR '.join(negated)})"
            alternatives.append(f"({expression})")
        return " OR ".join(alternatives)

    def tsquery(self) -> str:
        """The query as a ``to_tsquery`` expression of quoted words (letters and digits only,
        see ``_WORD``) and operators; the database stems each word as it stems the text."""
        return " | ".join("(" + " & ".join(term.tsquery() for term in group) + ")" for group in self.groups)

    @property
    def words(self) -> list[str]:
        """Every word to find, in order (what "did you mean" checks)."""
        return [word for group in self.groups for term in group if not term.is_negated for word in term.words]


def parse(raw: str) -> ParsedQuery:
    """Clean the visitor's text and read its web-search syntax.

    Control characters and NUL become spaces, the text is cut to MAX_SEARCH_QUERY_LENGTH
    characters and MAX_SEARCH_TERMS terms. An alternative made only of words to leave out is
    dropped (it cannot be answered from an index); a query left with nothing to find is
    not searchable.
    """
    text = " ".join(_UNSEARCHABLE.sub(" ", raw or "").split())
    was_cut = len(text) > MAX_SEARCH_QUERY_LENGTH
    text = text[:MAX_SEARCH_QUERY_LENGTH]
    groups: list[list[Term]] = [[]]
    count = 0
    for match in _CHUNK.finditer(text):
        if count >= MAX_SEARCH_TERMS:
            was_cut = True
            break
        negated_quote, phrase, plain = match.groups()
        if plain is not None and plain.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        if plain is not None:
            is_negated = plain.startswith("-") and len(plain) > 1
            words = _WORD.findall(plain.lower())
        else:
            is_negated = bool(negated_quote)
            words = _WORD.findall(phrase.lower())
        if words:
            groups[-1].append(Term(tuple(words), is_negated))
            count += 1
    groups = [group for group in groups if any(not term.is_negated for term in group)]
    if groups and _ends_with_word(text):
        last = groups[-1][-1]
        if not last.is_negated and len(last.words[-1]) >= MIN_SEARCH_PREFIX_LENGTH:
            groups[-1][-1] = Term(last.words, is_prefix=True)
    return ParsedQuery(text=text, groups=groups, was_cut=was_cut)


def _ends_with_word(text: str) -> bool:
    """The text ends in the middle of a word or an open quote (still being typed), not after a
    closed "phrase" (which asks for those words exactly)."""
    return bool(text) and text.count('"') % 2 == 0 and _WORD.fullmatch(text[-1]) is not None


def highlight(marked: str) -> SafeString:
    """Escape the engine's text, turning only its own match markers into <mark>."""
    parts = re.split(f"({START}|{STOP})", marked or "")
    html, is_open = [], False
    for part in parts:
        if part == START and not is_open:
            html.append("<mark>")
            is_open = True
        elif part == STOP and is_open:
            html.append("</mark>")
            is_open = False
        elif part not in (START, STOP):
            html.append(escape(part))
    if is_open:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 (every piece of text was escaped above)


@dataclass(frozen=True)
class Filters:
    book_id: int | None = None
    kind: str | None = None
    # Several kinds at once (the suggestions under the search box).
    kinds: tuple[str, ...] = ()
    include_hidden: bool = False
    # (book id, last chapter read) of each book whose threads and comments past that
    # chapter are folded for the searcher (a reading group member): left out.
    spoiler_limits: tuple[tuple[int, int], ...] = ()
    # The searcher: the threads they started, commented in or were mentioned in, and those
    # threads' comments, are found past their progress all the same.
    involved_user_id: int | None = None


# The thread a thread's or comment's document belongs to, and the threads a user is in
# (the rule of ``notes.selectors.discussions.involvement_filter``, in SQL).
_THREAD_OF_DOCUMENT = (
    "(CASE WHEN d.kind = 'thread' THEN d.object_id "
    "ELSE (SELECT cm.thread_id FROM notes_comment cm WHERE cm.id = d.object_id) END)"
)
_INVOLVED_THREADS = (
    "SELECT t.id FROM notes_thread t WHERE t.author_id = %s "
    "UNION SELECT cm.thread_id FROM notes_comment cm WHERE cm.author_id = %s "
    "UNION SELECT n.thread_id FROM notes_notification n WHERE n.recipient_id = %s "
    "AND n.kind = 'mention' AND n.thread_id IS NOT NULL"
)


def engine():
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()


class _Engine:
    """SQL for one database; every method is one query."""

    source = ""
    rank_order = ""

    def _query_params(self, query: ParsedQuery) -> list:
        raise NotImplementedError

    def _where(self, filters: Filters, params: list) -> str:
        sql = ""
        if filters.book_id is not None:
            sql += " AND d.book_id = %s"
            params.append(filters.book_id)
        if filters.kind:
            sql += " AND d.kind = %s"
            params.append(filters.kind)
        if filters.kinds:
            sql += f" AND d.kind IN ({', '.join(['%s'] * len(filters.kinds))})"
            params += list(filters.kinds)
        if not filters.include_hidden:
            sql += " AND NOT d.is_hidden"
        for book_id, last_read in filters.spoiler_limits:
            sql += (
                " AND NOT (d.kind IN ('thread', 'comment') AND d.book_id = %s AND d.chapter_id IN "
                "(SELECT c.id FROM notes_chapter c WHERE c.book_id = %s AND c.number > %s)"
            )
            params += [book_id, book_id, last_read]
            if filters.involved_user_id is not None:
                sql += f" AND {_THREAD_OF_DOCUMENT} NOT IN ({_INVOLVED_THREADS})"
                params += [filters.involved_user_id] * 3
            sql += ")"
        return sql

    def counts_sql(self, query: ParsedQuery, filters: Filters) -> tuple[str, list]:
        params = self._query_params(query)
        where = self._where(
            Filters(
                book_id=filters.book_id,
                include_hidden=filters.include_hidden,
                spoiler_limits=filters.spoiler_limits,
                involved_user_id=filters.involved_user_id,
            ),
            params,
        )
        return f"SELECT d.kind, COUNT(*) FROM {self.source}{where} GROUP BY d.kind", params  # noqa: S608 (constant SQL; user text only in params)

    def page_sql(self, query: ParsedQuery, filters: Filters, *, offset: int, limit: int) -> tuple[str, list]:
        """One kind's page of ids, best first."""
        params = self._query_params(query)
        where = self._where(filters, params)
        params += [limit, offset]
        return (
            f"SELECT d.id FROM {self.source}{where} ORDER BY {self.rank_order}, d.id LIMIT %s OFFSET %s",  # noqa: S608 (constant SQL; user text only in params)
            params,
        )

    def best_per_kind_sql(self, query: ParsedQuery, filters: Filters, *, per_kind: int) -> tuple[str, list]:
        """The best ``per_kind`` ids of each kind."""
        params = self._query_params(query)
        where = self._where(filters, params)
        params.append(per_kind)
        return (
            "SELECT id FROM (SELECT d.id AS id, d.kind AS kind, ROW_NUMBER() OVER "  # noqa: S608 (constant SQL; user text only in params)
            f"(PARTITION BY d.kind ORDER BY {self.rank_order}, d.id) AS place FROM {self.source}{where}) ranked "
            "WHERE place <= %s ORDER BY kind, place",
            params,
        )

    def suggestions_sql(self, query: ParsedQuery, filters: Filters, *, limit: int) -> tuple[str, list]:
        """The best ``limit`` documents' label, context, link and book title."""
        params = self._query_params(query)
        where = self._where(filters, params)
        params.append(limit)
        return (
            "SELECT d.label, d.context, d.url, (SELECT b.title FROM notes_book b WHERE b.id = d.book_id) "  # noqa: S608 (constant SQL; user text only in params)
            f"FROM {self.source}{where} ORDER BY {self.rank_order}, d.id LIMIT %s",
            params,
        )

    def suggestions(
        self, query: ParsedQuery, filters: Filters, *, limit: int
    ) -> list[tuple[str, str, str, str]]:
        return self._fetch(*self.suggestions_sql(query, filters, limit=limit))

    def counts(self, query: ParsedQuery, filters: Filters) -> dict[str, int]:
        return dict(self._fetch(*self.counts_sql(query, filters)))

    def page(self, query: ParsedQuery, filters: Filters, *, offset: int, limit: int) -> list[int]:
        return [row[0] for row in self._fetch(*self.page_sql(query, filters, offset=offset, limit=limit))]

    def best_per_kind(self, query: ParsedQuery, filters: Filters, *, per_kind: int) -> list[int]:
        return [row[0] for row in self._fetch(*self.best_per_kind_sql(query, filters, per_kind=per_kind))]

    def details(self, query: ParsedQuery, ids: list[int]) -> dict[int, dict]:
        """Label, place, link and highlighted title and snippet of each of ``ids``."""
        raise NotImplementedError

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _detail_rows(self, sql: str, params: list) -> dict[int, dict]:
        names = (
            "id",
            "kind",
            "label",
            "context",
            "url",
            "is_hidden",
            "book_title",
            "title",
            "snippet",
            "cut",
        )
        rows = {}
        for row in self._fetch(sql, params):
            detail = dict(zip(names, row, strict=True))
            rows[detail["id"]] = detail
        return rows


class PostgresEngine(_Engine):
    source = "notes_searchdocument d, to_tsquery(%s::regconfig, %s) query WHERE d.vector @@ query"
    # Weights D, C, B, A: a title (A) hit outranks any number of body (B) hits, since
    # ts_rank's sum over a word's positions stays below 1.7 times one position's weight.
    rank_order = "ts_rank('{0.05, 0.1, 0.2, 1.0}', d.vector, query) DESC"

    def _query_params(self, query: ParsedQuery) -> list:
        return [SEARCH_CONFIG, query.tsquery()]

    # A common word matches most of a big wiki: ranking every match would grow with it.
    # Each kind's first ``SEARCH_CANDIDATES_PER_KIND`` matches in the order of its places
    # are counted and ranked; a kind with more counts as "more than".
    _rank = "ts_rank('{0.05, 0.1, 0.2, 1.0}', d.vector, query)"
    # The order of two btree indexes (``search_document_unique_place``, and
    # ``search_document_book_place`` with a book): that order and LIMIT let PostgreSQL choose,
    # from the word's statistics, between walking a kind's places and stopping at the first
    # matches (a common word: the GIN index would hand over every match before LIMIT, a cost
    # that grows with the wiki) and the GIN index then sorting the few matches (a rare word,
    # wherever it is). The same order makes the counted and the ranked candidates one set.
    _candidate_order = "d.object_id, d.part"

    def _candidates(self, query: ParsedQuery, filters: Filters, *, select: str, kinds, limit: int):
        parts, params = [], []
        for kind in kinds:
            part_params = self._query_params(query)
            where = self._where(replace(filters, kind=kind, kinds=()), part_params)
            parts.append(
                f"(SELECT {select} FROM {_kind_source(kind, in_one_book=filters.book_id is not None)}{where} ORDER BY {self._candidate_order} LIMIT %s)"  # noqa: S608 (constant SQL; user text only in params)
            )
            params += [*part_params, limit]
        return " UNION ALL ".join(parts), params

    def counts_sql(self, query: ParsedQuery, filters: Filters) -> tuple[str, list]:
        """Each kind's count, up to one past the candidates (more is "more than")."""
        candidates, params = self._candidates(
            query,
            replace(filters, kind=None, kinds=()),
            select="d.kind",
            kinds=SEARCH_KINDS,
            limit=SEARCH_CANDIDATES_PER_KIND + 1,
        )
        return f"SELECT c.kind, COUNT(*) FROM ({candidates}) c GROUP BY c.kind", params  # noqa: S608

    def page_sql(self, query: ParsedQuery, filters: Filters, *, offset: int, limit: int) -> tuple[str, list]:
        candidates, params = self._candidates(
            query,
            filters,
            select=f"d.id, {self._rank} AS rank",
            kinds=[filters.kind] if filters.kind else SEARCH_KINDS,
            limit=SEARCH_CANDIDATES_PER_KIND,
        )
        params += [limit, offset]
        return f"SELECT c.id FROM ({candidates}) c ORDER BY c.rank DESC, c.id LIMIT %s OFFSET %s", params  # noqa: S608

    def suggestions_sql(self, query: ParsedQuery, filters: Filters, *, limit: int) -> tuple[str, list]:
        candidates, params = self._candidates(
            query,
            filters,
            select=f"d.id, d.label, d.context, d.url, d.book_id, {self._rank} AS rank",
            kinds=list(filters.kinds) or ([filters.kind] if filters.kind else SEARCH_KINDS),
            limit=SEARCH_CANDIDATES_PER_KIND,
        )
        params.append(limit)
        return (
            "SELECT c.label, c.context, c.url, (SELECT b.title FROM notes_book b WHERE b.id = c.book_id) "  # noqa: S608
            f"FROM ({candidates}) c ORDER BY c.rank DESC, c.id LIMIT %s",
            params,
        )

    def best_per_kind_sql(self, query: ParsedQuery, filters: Filters, *, per_kind: int) -> tuple[str, list]:
        candidates, params = self._candidates(
            query,
            filters,
            select=f"d.id, d.kind, {self._rank} AS rank",
            kinds=[filters.kind] if filters.kind else SEARCH_KINDS,
            limit=SEARCH_CANDIDATES_PER_KIND,
        )
        params.append(per_kind)
        return (
            "SELECT id FROM (SELECT c.id, c.kind, ROW_NUMBER() OVER (PARTITION BY c.kind "  # noqa: S608
            f"ORDER BY c.rank DESC, c.id) AS place FROM ({candidates}) c) ranked "
            "WHERE place <= %s ORDER BY kind, place",
            params,
        )

    def details(self, query: ParsedQuery, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        marks = f'StartSel="{START}", StopSel="{STOP}"'
        sql = (
            "WITH found AS (SELECT d.id, d.kind, d.label, d.context, d.url, d.is_hidden, d.book_id, d.title, "
            "d.body, GREATEST(1, COALESCE(NULLIF(strpos(lower(d.body), "
            "COALESCE((ts_lexize('english_stem', %s))[1], %s)), 0), 1) - %s) AS start "
            "FROM notes_searchdocument d WHERE d.id = ANY(%s)) "
            # The book's title by its key, row by row: a join let the planner hash every book.
            "SELECT found.id, found.kind, found.label, found.context, found.url, found.is_hidden, "
            "(SELECT b.title FROM notes_book b WHERE b.id = found.book_id), "
            "CASE WHEN found.title = '' THEN '' ELSE ts_headline(%s::regconfig, found.title, query, %s) END, "
            "ts_headline(%s::regconfig, substr(found.body, found.start::int, %s), query, %s), "
            "(found.start > 1)::int + 2 * (length(found.body) >= found.start + %s)::int "
            "FROM found, to_tsquery(%s::regconfig, %s) query"
        )
        params = [
            query.probe,
            query.probe,
            HEADLINE_LEAD,
            ids,
            SEARCH_CONFIG,
            f"{marks}, HighlightAll=true",
            SEARCH_CONFIG,
            HEADLINE_WINDOW,
            f'{marks}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "',
            HEADLINE_WINDOW,
            SEARCH_CONFIG,
            query.tsquery(),
        ]
        return self._detail_rows(sql, params)


def _kind_source(kind: str, *, in_one_book: bool) -> str:
    """One kind's matches on PostgreSQL, through the expression of that kind's GIN index
    (migration 0036): the expression's statistics, gathered over that kind alone, tell the
    planner how common the words are among its documents, so a word common elsewhere but
    rare in this kind is looked up in the index, not searched for place by place.

    In one book the match is the function behind ``@@``, which no index answers: the book's
    places are read in order (``search_document_book_place``), a cost bounded by the book
    whatever the word. Left to choose, the planner sometimes took a common word for a rare
    one (a prefix's frequency is a guess) and read its every match in the wiki."""
    if kind not in SEARCH_KINDS:
        raise ValueError(f"Not a kind of search document: {kind!r}")
    match = (
        "ts_match_vq(d.vector, query)"
        if in_one_book
        else f"(CASE WHEN d.kind = '{kind}' THEN d.vector END) @@ query"
    )
    return f"notes_searchdocument d, to_tsquery(%s::regconfig, %s) query WHERE {match}"


class SqliteEngine(_Engine):
    source = (
        "notes_search_fts JOIN notes_searchdocument d ON d.id = notes_search_fts.rowid "
        "WHERE notes_search_fts MATCH %s"
    )
    rank_order = f"bm25(notes_search_fts, {TITLE_WEIGHT}, 1.0)"

    def _query_params(self, query: ParsedQuery) -> list:
        return [query.fts5()]

    def details(self, query: ParsedQuery, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "SELECT d.id, d.kind, d.label, d.context, d.url, d.is_hidden, b.title, "  # noqa: S608 (constant SQL; user text only in params)
            "highlight(notes_search_fts, 0, %s, %s), snippet(notes_search_fts, 1, %s, %s, '…', 24), 0 "
            "FROM notes_search_fts JOIN notes_searchdocument d ON d.id = notes_search_fts.rowid "
            "JOIN notes_book b ON b.id = d.book_id "
            f"WHERE notes_search_fts MATCH %s AND notes_search_fts.rowid IN ({placeholders})"
        )
        return self._detail_rows(sql, [START, STOP, START, STOP, query.fts5(), *ids])
