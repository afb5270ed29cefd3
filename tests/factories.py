"""Small builders for test data; every content write goes through the services."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from notes.formats import parse
from notes.lib.placeholders import table_placeholder
from notes.models import Book, Chapter, ComparisonTable
from notes.services.books import book_import
from notes.services.discussions import thread_start
from notes.services.history import book_render, chapter_render, save_rendering, save_version, table_render
from tests.paths import SEED_SLUG, SEED_SOURCE

_sequence = itertools.count(1)


def make_user(username: str | None = None, *, role: str | None = None, staff: bool = False, password="pw"):
    """A user in the group ``role`` (Reader, Editor, Reviewer, Moderator); ``staff`` makes an admin."""
    User = get_user_model()
    user = User.objects.create_user(
        username=username or f"user{next(_sequence)}",
        password=password,
        email=f"{username or 'user'}@example.com",
        is_staff=staff,
        is_superuser=staff,
    )
    if role:
        # get_or_create: transactional tests flush the groups the data migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_book(
    *, slug: str | None = None, title: str | None = None, chapters: int = 0, tables: int = 0
) -> Book:
    """A book with ``chapters`` chapters, each placing ``tables`` comparison tables."""
    number = next(_sequence)
    book = Book(
        slug=slug or f"book-{number}",
        title=title or f"Book {number}",
        author="An Author",
        domains="Testing, Books",
        summary="A *book*.",
    )
    book_render(book)
    save_version(book, summary="Added the book")
    for chapter_number in range(1, chapters + 1):
        make_chapter(book=book, number=chapter_number, tables=tables)
    return book


def make_chapter(
    *, book: Book, number: int, title: str | None = None, body: str | None = None, tables: int = 0
):
    """A chapter whose body places ``tables`` tables, each 3 columns by 2 rows."""
    table_slugs = [f"table-{index}" for index in range(1, tables + 1)]
    if body is None:
        body = "\n".join([f"Notes for chapter {number}.", *map(table_placeholder, table_slugs), "The end."])
    chapter = Chapter(book=book, number=number, title=title or f"Chapter title {number}", body=body)
    chapter_render(chapter, tables=[])
    save_version(chapter, summary=f"Added notes for Chapter {number}")
    for position, slug in enumerate(table_slugs):
        make_table(chapter=chapter, slug=slug, position=position)
    if table_slugs:
        chapter_render(chapter)
        save_rendering(chapter, "body_html", "contents")
    return chapter


def make_table(
    *, chapter: Chapter, slug: str, position: int = 0, title: str | None = None
) -> ComparisonTable:
    table = ComparisonTable(
        chapter=chapter,
        slug=slug,
        title=title if title is not None else f"Table {slug}",
        headers=["Aspect", "Left", "Right"],
        rows=[["Speed", "fast", "slow"], ["Cost", "low", "high"]],
        position=position,
    )
    table_render(table)
    save_version(table)
    return table


def make_thread(
    *, chapter: Chapter, author, title: str = "A question", body: str = "What do you think?", anchor=""
):
    """A thread started through the service, with its first comment."""
    return thread_start(chapter=chapter, author=author, title=title, body=body, anchor=anchor)


def propose_chapter_edit(author, chapter, body: str, summary: str = "Edited the notes", *, submit=True):
    """An edit of ``chapter``'s text, written through the service and submitted for review."""
    from notes.models import ChangeRequest
    from notes.services.reviews import change_request_create

    return change_request_create(
        author=author,
        book=chapter.book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary=summary,
        content={"title": chapter.title, "body": body},
        submit=submit,
    )


def propose_table_edit(author, table, rows, *, title=None, summary="Edited the cells"):
    """New cells (and optionally a new title) for ``table``, submitted for review."""
    from notes.models import ChangeRequest
    from notes.services.reviews import change_request_create

    return change_request_create(
        author=author,
        book=table.chapter.book,
        chapter=table.chapter,
        table=table,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        summary=summary,
        content={"title": table.title if title is None else title, "headers": table.headers, "rows": rows},
        submit=True,
    )


def paragraphs(count: int, changed: dict[int, str] | None = None) -> str:
    """A text of ``count`` paragraphs, some of them replaced: edits that merge line by line."""
    changed = changed or {}
    return "\n\n".join(changed.get(index, f"Paragraph {index}.") for index in range(count)) + "\n"


def load_seed() -> Book:
    """The seed book as its fixture stores it (``make fixture`` builds the fixture from the seed
    notes file); the one builder here that writes without the services, as ``loaddata`` does."""
    call_command("loaddata", SEED_SLUG, verbosity=0)
    return Book.objects.get(slug=SEED_SLUG)


def import_seed() -> Book:
    """The seed book imported from its notes file by the importer service."""
    return book_import(document=parse(SEED_SOURCE.read_text(), "text").book, slug=SEED_SLUG)
