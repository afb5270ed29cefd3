"""Keeping the search index current: every write of searchable content calls these.

``search_document_refresh`` rewrites the documents of one book, chapter, table, thread or
comment from what is stored now; the publishing, history and discussion services call it
in their own transaction, so a search never finds what was not published and always
finds what was. Deleted comments lose their document; a hidden comment keeps it, marked
hidden, for moderators. On PostgreSQL the documents' tsvectors are computed here (cut to
the 1 MB limit by ``fit_body``); on SQLite triggers copy them into the FTS5 table.
"""

from collections.abc import Iterable

from django.db import connection, models, transaction

from notes.lib import search_documents as documents
from notes.models import Book, Chapter, Comment, ComparisonTable, SearchDocument, SearchWord, Thread

Kind = SearchDocument.Kind

VECTOR_SQL = (
    "UPDATE notes_searchdocument SET vector = "
    "setweight(to_tsvector(%s::regconfig, title), 'A') || setweight(to_tsvector(%s::regconfig, body), 'B') "
    "WHERE id = ANY(%s)"
)


@transaction.atomic
def search_document_refresh(*, obj: models.Model) -> None:
    """Rewrite the search documents of ``obj`` (a Book, Chapter, ComparisonTable, Thread or Comment)."""
    if isinstance(obj, Book):
        _replace(Kind.BOOK, [obj.pk], documents.book_documents(obj))
    elif isinstance(obj, Chapter):
        chapter = Chapter.objects.select_related("book").get(pk=obj.pk)
        _replace(Kind.CHAPTER, [chapter.pk], documents.chapter_documents(chapter, chapter.book))
        # Tables, threads and comments name their chapter: keep that name current.
        SearchDocument.objects.filter(chapter_id=chapter.pk).exclude(kind=Kind.CHAPTER).exclude(
            context=documents.chapter_label(chapter)
        ).update(context=documents.chapter_label(chapter))
    elif isinstance(obj, ComparisonTable):
        table = ComparisonTable.objects.select_related("chapter__book").get(pk=obj.pk)
        _replace(Kind.TABLE, [table.pk], documents.table_documents(table, table.chapter, table.chapter.book))
    elif isinstance(obj, Thread):
        search_documents_refresh_thread(thread=obj)
    elif isinstance(obj, Comment):
        comment = Comment.objects.select_related("author", "thread__chapter__book").get(pk=obj.pk)
        thread = comment.thread
        _replace(
            Kind.COMMENT,
            [comment.pk],
            documents.comment_documents(
                comment, thread, thread.chapter, thread.chapter.book, comment.author.get_username()
            ),
        )
    else:
        raise TypeError(f"{type(obj).__name__} is not searchable")


@transaction.atomic
def search_documents_refresh_thread(*, thread: Thread, with_comments: bool = True) -> None:
    """The thread's document and, after a move or rename, those of all its comments."""
    thread = Thread.objects.select_related("chapter__book").get(pk=thread.pk)
    chapter, book = thread.chapter, thread.chapter.book
    _replace(Kind.THREAD, [thread.pk], documents.thread_documents(thread, chapter, book))
    if not with_comments:
        return
    comments = list(Comment.objects.filter(thread=thread).select_related("author"))
    _replace(
        Kind.COMMENT,
        [comment.pk for comment in comments],
        [
            doc
            for comment in comments
            for doc in documents.comment_documents(
                comment, thread, chapter, book, comment.author.get_username()
            )
        ],
    )


@transaction.atomic
def search_reindex(*, batch_size: int = 200) -> dict[str, int]:
    """Rebuild every document from the stored content; returns how many of each kind."""
    SearchDocument.objects.all().delete()
    counts = {}
    for model, build in (
        (Book, lambda book: documents.book_documents(book)),
        (Chapter, lambda chapter: documents.chapter_documents(chapter, chapter.book)),
        (ComparisonTable, lambda table: documents.table_documents(table, table.chapter, table.chapter.book)),
        (Thread, lambda thread: documents.thread_documents(thread, thread.chapter, thread.chapter.book)),
        (
            Comment,
            lambda comment: documents.comment_documents(
                comment,
                comment.thread,
                comment.thread.chapter,
                comment.thread.chapter.book,
                comment.author.get_username(),
            ),
        ),
    ):
        related = {
            Book: [],
            Chapter: ["book"],
            ComparisonTable: ["chapter__book"],
            Thread: ["chapter__book"],
            Comment: ["author", "thread__chapter__book"],
        }[model]
        queryset = model.objects.select_related(*related).order_by("pk")
        created = 0
        for batch in _batches(queryset, batch_size):
            created += len(_insert([doc for obj in batch for doc in build(obj)]))
        counts[model._meta.verbose_name_plural] = created
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO notes_search_fts(notes_search_fts) VALUES ('rebuild')")
    return counts


def _batches(queryset, size: int) -> Iterable[list]:
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _replace(kind: str, object_ids: list[int], docs: list[documents.Doc]) -> None:
    SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).delete()
    _insert(docs)


def _insert(docs: list[documents.Doc]) -> list[SearchDocument]:
    if not docs:
        return []
    is_postgresql = connection.vendor == "postgresql"
    if is_postgresql:
        with connection.cursor() as cursor:
            for doc in docs:
                doc.body = documents.fit_body(cursor, doc.body)
    rows = SearchDocument.objects.bulk_create(SearchDocument(**vars(doc)) for doc in docs)
    _add_words(documents.vocabulary(docs))
    if is_postgresql:
        with connection.cursor() as cursor:
            config = documents.SEARCH_CONFIG
            cursor.execute(VECTOR_SQL, [config, config, [row.pk for row in rows]])
    return rows


def _add_words(words: set[str]) -> None:
    """Add the words "did you mean" does not know yet: the known ones are skipped by the
    unique index, in batches (no list of words goes into one query's parameters)."""
    if not words:
        return
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, first=word[0], length=len(word)) for word in sorted(words)),
        batch_size=500,
        ignore_conflicts=True,
    )
