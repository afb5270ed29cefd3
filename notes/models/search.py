"""The search index: one stored document per searchable place of the wiki.

A document is what a search result shows and links to: a book, one section of a chapter
(its text up to the next heading, so a result links to the heading), a comparison table,
a discussion thread's title, or a comment. ``notes.services.search`` writes them in the
same transaction as the content they describe; nothing else does.

On PostgreSQL ``vector`` holds the document's tsvector (title weight A, body weight B)
and the GIN index ``search_document_vector`` answers the queries. On SQLite the FTS5
table ``notes_search_fts`` (made by migration 0010, kept in step by triggers on this
table) does. Drafts and unpublished change requests are never documents.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from notes.lib.limits import MAX_VOCABULARY_WORD_LENGTH


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        BOOK = "book", "Books"
        CHAPTER = "chapter", "Chapters"
        TABLE = "table", "Tables"
        THREAD = "thread", "Threads"
        COMMENT = "comment", "Comments"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    book = models.ForeignKey("notes.Book", on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(
        "notes.Chapter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The id of the book, chapter, table, thread or comment; ``part`` numbers a chapter's
    # sections (0 before the first heading).
    object_id = models.PositiveBigIntegerField()
    part = models.PositiveIntegerField(default=0)
    # Searched with weight A (titles rank above bodies); may be empty (comments).
    title = models.CharField(max_length=500, blank=True, default="")
    # Searched with weight B: plain text, cut to fit PostgreSQL's tsvector limit.
    body = models.TextField(blank=True, default="")
    # What the result is called, and where it sits ("Chapter 3 - Data" for a table).
    label = models.CharField(max_length=500)
    context = models.CharField(max_length=500, blank=True, default="")
    # The page and fragment the result links to.
    url = models.CharField(max_length=500)
    # A hidden comment: found by moderators and admins only.
    is_hidden = models.BooleanField(default=False)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["kind", "object_id", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "part"], name="search_document_unique_place"
            ),
        ]
        indexes = [
            # Made on PostgreSQL only (migration 0010); SQLite searches its FTS5 table.
            GinIndex(fields=["vector"], name="search_document_vector", fastupdate=False),
            # One book's documents of a kind in the order the search takes its candidates:
            # a search in one book reads that book's places, never a word's every match.
            models.Index(fields=["book", "kind", "object_id", "part"], name="search_document_book_place"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


class SearchWord(models.Model):
    """One word of the published notes (books, chapters, tables), for "did you mean".

    Written with the documents (``notes.services.search``); only published notes give
    words, never a discussion, so a suggestion cannot reveal a hidden comment or a thread
    folded for the reader. Words are not removed when an edit drops them: a suggestion that
    finds nothing is harmless, and the table only grows with the vocabulary.
    """

    word = models.CharField(max_length=MAX_VOCABULARY_WORD_LENGTH, unique=True)
    # What a typo is looked up by (bounded candidates): the first letter and the length.
    first = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["word"]
        indexes = [models.Index(fields=["first", "length"], name="search_word_first_length")]

    def __str__(self) -> str:
        return self.word
