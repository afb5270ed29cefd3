"""Uploading a notes file in the browser: it becomes change requests for review, never a write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.selectors.books import changelog
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.books import book_document
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_request_changes,
    change_request_revise,
)
from tests.factories import import_seed, make_book, make_table
from tests.paths import NOTES_FILES, SEED_SOURCE

pytestmark = pytest.mark.django_db

DDIA = (NOTES_FILES / "ddia-reading-notes.md").read_bytes()
SEED = SEED_SOURCE.read_bytes()
URL = "/import/"
PREVIEW = "/import/preview/"

Kind = ChangeRequest.Kind


@pytest.fixture(autouse=True)
def memory_storage(settings):
    """Uploads wait for "Propose" in the storage: kept in memory, not in the media folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def upload(client, data: bytes, name: str = "ddia.md", book: str = "", *, propose: bool = True):
    """Upload a file on the page and, unless ``propose`` is False, propose it from the
    outline preview page it leads to (as the uploader's two clicks do)."""
    response = client.post(URL, {"notes_file": SimpleUploadedFile(name, data), "book": book})
    if propose and response.status_code == 302 and response["Location"].startswith(PREVIEW):
        return client.post(response["Location"], {"action": "propose"})
    return response


# --- A new book --------------------------------------------------------------------------------


def test_a_new_book_file_becomes_one_submitted_new_book_request_and_writes_no_book(editor):
    outcome = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md")

    [request] = outcome.requests
    assert request.kind == Kind.BOOK_FROM_FILE
    assert request.status == ChangeRequest.Status.SUBMITTED
    assert request.book is None
    assert request.slug == "designing-data-intensive-applications"
    assert request.title == "Designing Data-Intensive Applications"
    assert request.book_author == "Martin Kleppmann"
    assert request.summary == "Uploaded ddia.md"
    assert outcome.warnings[0].startswith("lines 1-5: text before the '# Designing Data-Intensive")
    assert not Book.objects.exists()


def test_approving_a_new_book_publishes_it_with_its_chapters_tables_and_history(editor, reviewer):
    [request] = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md").requests

    outcome = change_request_approve(change_request=request, reviewer=reviewer)

    assert outcome.published
    book = Book.objects.get(slug="designing-data-intensive-applications")
    assert list(book.chapters.values_list("number", flat=True)) == [1, 2, 3, 5, 6, 11]
    assert ComparisonTable.objects.filter(chapter__book=book).count() == 2
    first_table = ComparisonTable.objects.get(chapter__book=book, chapter__number=1)
    assert first_table.alignments == ["left", "center", "right"]
    assert 'class="align-center"' in first_table.html
    request.refresh_from_db()
    assert request.book == book
    assert request.status == ChangeRequest.Status.APPROVED
    assert request.published_history_id == book.history.latest("history_id").history_id
    [entry] = changelog(book=book)
    assert (entry.summary, entry.author, entry.change_request_id) == ("Uploaded ddia.md", editor, request.pk)
    # What was published is what the file said.
    document = book_document(book=book)
    assert document.summary.startswith("[![License: CC BY 4.0]")


def test_a_new_book_keeps_the_table_slugs_its_file_names_when_published(editor, reviewer):
    data = (
        b"# Slugs\n\n## Chapter 1 - One\n\n**Formats**\n\n<!-- table: storage-formats -->\n"
        b"| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    [request] = notes_upload_propose(author=editor, data=data, filename="slugs.md").requests

    change_request_approve(change_request=request, reviewer=reviewer)

    table = ComparisonTable.objects.get(chapter__book__slug="slugs")
    assert (table.slug, table.title) == ("storage-formats", "Formats")
    assert table.chapter.body == "[[table:storage-formats]]"


def test_a_slug_taken_before_approval_sends_the_new_book_back_to_its_author(editor, reviewer):
    [request] = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md").requests
    make_book(slug="designing-data-intensive-applications", title="Taken meanwhile", chapters=0)

    outcome = change_request_approve(change_request=request, reviewer=reviewer)

    assert not outcome.published
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.CONFLICT
    assert request.conflicts[0]["message"].startswith(
        "A book with the slug 'designing-data-intensive-applications' was added meanwhile"
    )
    assert Chapter.objects.count() == 0


def test_a_second_new_book_with_the_same_slug_is_refused_while_the_first_is_open(editor, other_editor):
    [first] = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md").requests
    with pytest.raises(UploadError, match=rf"^Request #{first.pk} already proposes a book with the slug"):
        notes_upload_propose(author=other_editor, data=DDIA, filename="again.md")


def test_a_new_book_for_an_existing_slug_is_refused_with_a_pointer_to_that_book(editor):
    make_book(slug="designing-data-intensive-applications", title="DDIA", chapters=0)
    with pytest.raises(UploadError, match="exists; open that book and upload the file there"):
        notes_upload_propose(author=editor, data=DDIA, filename="ddia.md")
    assert not ChangeRequest.objects.exists()


def test_the_author_revises_a_new_book_and_an_unreadable_revision_is_refused(editor):
    [request] = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md").requests
    content = {
        "title": "DDIA",
        "body": request.body.replace("Leaders and followers", "Leaders"),
        "slug": request.slug,
    }
    request.status = ChangeRequest.Status.CHANGES_REQUESTED
    request.save()

    revised = change_request_revise(change_request=request, user=editor, summary="Shorter", content=content)
    assert revised.revision == 2 and "Leaders;" in revised.body

    revised.status = ChangeRequest.Status.CHANGES_REQUESTED
    revised.save()
    broken = {**content, "body": "# DDIA\n\n## Chapter 1 - A\n\n## Chapter 1 - B\n"}
    with pytest.raises(
        ReviewError, match=r"^The book's notes cannot be read: line 5: chapter 1 appears twice"
    ):
        change_request_revise(change_request=revised, user=editor, summary="Broken", content=broken)


# --- Changes to an existing book ---------------------------------------------------------------


def test_an_unchanged_file_makes_no_request(editor):
    book = import_seed()
    outcome = notes_upload_propose(author=editor, data=SEED, filename="seed.txt", book=book)

    assert outcome.requests == []
    assert "The file holds nothing that differs from the book: no request was made." in outcome.notes
    assert "The text file has no Summary section: the book's summary was left as it is." in outcome.notes


@pytest.mark.parametrize(("format", "name"), [("text", "b.txt"), ("markdown", "b.md"), ("zip", "b.zip")])
def test_an_unchanged_export_of_tables_whose_slugs_their_titles_do_not_give_makes_no_request(
    client, editor, format, name
):
    # The factory's tables are "table-1" and "table-2", titled "Table table-1" and "Table
    # table-2"; a third was renamed after it was made, a fourth has a slug made unique.
    book = make_book(slug="b", title="B", chapters=1, tables=2)
    chapter = book.chapters.get()
    make_table(chapter=chapter, slug="before-renaming", position=2, title="After renaming")
    make_table(chapter=chapter, slug="storage-2", position=3, title="Storage")
    chapter.body += "\n[[table:before-renaming]]\n[[table:storage-2]]"
    chapter.save()
    client.force_login(editor)
    data = client.get(f"/books/b/download/{format}/").content

    outcome = notes_upload_propose(author=editor, data=data, filename=name, book=book)

    assert outcome.requests == []
    assert "The file holds nothing that differs from the book: no request was made." in outcome.notes
    assert ComparisonTable.objects.filter(chapter=chapter).count() == 4


def test_a_changed_file_becomes_one_request_per_changed_chapter_and_table(editor):
    book = import_seed()
    text = SEED.decode()
    text = text.replace(
        "ML systems consist of a variety of components:", "ML systems consist of many components:"
    )
    text = text.replace("| Requirements | Getting state-of-the-art", "| Needs | Getting state-of-the-art")
    text += "\nChapter 4 - Training Data\nSampling: nonprobability, random, stratified.\n"
    text = text.replace("- Author: Chip Huyen", "- Author: Chip Huyen (O'Reilly)")

    outcome = notes_upload_propose(author=editor, data=text.encode(), filename="seed.txt", book=book)

    kinds = [(request.kind, request.summary) for request in outcome.requests]
    assert kinds == [
        (Kind.BOOK_EDIT, "Uploaded seed.txt: book details"),
        (Kind.CHAPTER_EDIT, "Uploaded seed.txt: Chapter 1 - Overview of Machine Learning Systems"),
        (
            Kind.TABLE_EDIT,
            "Uploaded seed.txt: Chapter 1, table 'ML in research vs production have different requirements'",
        ),
        (Kind.CHAPTER_NEW, "Uploaded seed.txt: Chapter 4 - Training Data"),
    ]
    assert all(request.status == ChangeRequest.Status.SUBMITTED for request in outcome.requests)
    assert outcome.requests[0].body == book.summary  # the text format carries no summary
    assert outcome.requests[2].rows[0][0] == "Needs"
    # Nothing published: the book is as it was.
    assert Chapter.objects.get(book=book, number=1).body.startswith("ML systems consist of a variety")
    assert not Chapter.objects.filter(book=book, number=4).exists()


def test_a_new_chapter_carries_its_tables_inline_and_a_missing_chapter_is_left_alone(editor):
    book = make_book(slug="b", title="B", chapters=2, tables=0)
    data = b"# B\n\n## Chapter 1 - Chapter 1\n\nNew text.\n\n## Chapter 9 - Nine\n\n**Sizes**\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n"

    outcome = notes_upload_propose(author=editor, data=data, filename="b.md", book=book)

    new = next(request for request in outcome.requests if request.kind == Kind.CHAPTER_NEW)
    assert new.body == "**Sizes**\n\n| a | b |\n|:---:|---|\n| 1 | 2 |"
    assert "Chapter 9 is new: its tables are proposed inside its text, as Markdown tables." in outcome.notes
    assert "Chapter 2 is not in the file and stays as it is: an upload never deletes." in outcome.notes


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_written(editor):
    with pytest.raises(UploadError, match=r"^bad\.md: line 5: chapter 1 appears twice \(first on line 3\)"):
        notes_upload_propose(
            author=editor, data=b"# B\n\n## Chapter 1 - A\n\n## Chapter 1 - B\n", filename="bad.md"
        )
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.pdf",
            b"%PDF",
            "'notes.pdf' is not a notes file: upload a Markdown (.md, .markdown) or text (.txt) file, "
            "or a .zip of chapter files.",
        ),
        ("big.md", b"# B\n" + b"x" * (1024 * 1024), "The file is 1.0 MB; the limit is 1 MB."),
        ("binary.txt", "Caf\xe9\x00\n".encode("latin-1"), "binary.txt: line 1: not a UTF-8 text file"),
    ],
)
def test_files_that_are_not_notes_are_refused(editor, name, data, message):
    with pytest.raises(UploadError) as error:
        notes_upload_propose(author=editor, data=data, filename=name)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("role", ["reader", "moderator", "outsider"])
def test_only_proposers_may_upload(request, role):
    with pytest.raises(UploadError, match="^You may not propose changes.$"):
        notes_upload_propose(author=request.getfixturevalue(role), data=DDIA, filename="ddia.md")


# --- The page ----------------------------------------------------------------------------------


def test_the_upload_page_shows_the_warnings_with_their_lines_and_the_requests(client_for, editor):
    client = client_for(editor)
    response = upload(client, DDIA)
    assert response.status_code == 302 and response["Location"] == URL

    page = client.get(URL).content.decode()
    request = ChangeRequest.objects.get()
    assert "ddia.md became 1 change request for review." in page
    assert "Warnings (5)" in page
    assert (
        "<li>lines 68-70: &#x27;## Part 2 Distributed storage&#x27; is not a chapter; kept at the start of chapter 5</li>"
        in page
    )
    assert (
        f'<a href="{reverse("notes:review-detail", args=[request.pk])}">#{request.pk} Uploaded ddia.md</a>'
        in page
    )
    # Shown once: a reload is a fresh form.
    assert "Warnings (5)" not in client.get(URL).content.decode()


def test_the_upload_page_says_a_file_that_changes_nothing_proposed_nothing(client_for, editor):
    book = import_seed()
    client = client_for(editor)

    response = upload(client, SEED, "seed.txt", book=book.slug)

    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert "seed.txt proposed nothing: it holds nothing that differs from the book." in page
    assert "became 0 change requests" not in page
    assert not ChangeRequest.objects.exists()


def test_an_upload_shows_its_outline_and_proposes_nothing_until_asked(client_for, editor):
    client = client_for(editor)
    response = upload(client, DDIA, propose=False)
    assert response.status_code == 302 and response["Location"].startswith(PREVIEW)
    preview = response["Location"]

    page = client.get(preview).content.decode()
    assert not ChangeRequest.objects.exists()
    assert "Read: 6 chapters, 2 tables, 3 images, 5 warnings." in page
    assert "Chapter 5 &ndash; Replication" in page
    assert "A new book, at <code>/books/designing-data-intensive-applications/</code>" in page
    assert "Propose this book" in page

    # Proposing reads the copy kept on the server: content posted with the click is ignored.
    response = client.post(preview, {"action": "propose", "notes_file": "# Other\n"})
    assert response.status_code == 302 and response["Location"] == URL
    assert ChangeRequest.objects.get().title == "Designing Data-Intensive Applications"
    # The kept copy is gone: the same preview cannot propose twice.
    again = client.post(preview, {"action": "propose"}, follow=True)
    assert "That upload is no longer waiting to be proposed" in again.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_a_discarded_an_expired_or_another_persons_upload_proposes_nothing(
    client_for, editor, reviewer, monkeypatch
):
    from notes.services import book_proposals

    client = client_for(editor)
    discarded = upload(client, DDIA, propose=False)["Location"]
    assert client.post(discarded, {"action": "discard"})["Location"] == URL
    assert client.get(discarded)["Location"] == URL

    kept = upload(client, DDIA, propose=False)["Location"]
    # Only the session that uploaded the file knows its address.
    other = client_for(reviewer).post(kept, {"action": "propose"})
    assert other.status_code == 302 and other["Location"] == URL
    monkeypatch.setattr(book_proposals, "STAGED_UPLOAD_SECONDS", -1)
    assert client.post(kept, {"action": "propose"})["Location"] == URL
    assert not ChangeRequest.objects.exists()


def test_a_file_without_chapters_is_shown_with_a_loud_warning_naming_its_headings(client_for, editor):
    client = client_for(editor)
    data = b"# Notes on Things\n\n## Overview\n\nText.\n\n## Part One\n\n### Setup\n\nMore.\n"
    page = client.get(upload(client, data, "things.md", propose=False)["Location"]).content.decode()
    assert "Read: 0 chapters, 0 tables, 0 images, 3 warnings." in page
    assert (
        "No chapters: things.md gives a book with 0 chapters (the headings it has are 1 level-1 heading such as "
        "&#x27;# Notes on Things&#x27;; 2 level-2 headings such as &#x27;## Overview&#x27;; 1 level-3 heading such "
        "as &#x27;### Setup&#x27;)." in page
    )
    client.post(upload(client, data, "things.md", propose=False)["Location"], {"action": "propose"})
    outcome = client.get(URL).content.decode()
    assert 'role="alert"><strong>Warning:</strong> No chapters: things.md' in outcome


def test_an_error_is_shown_on_the_form_with_its_line(client_for, editor):
    response = upload(client_for(editor), b"# B\n\n## Chapter 1 - A\n\n## Chapter 1 - B\n", "bad.md")

    assert response.status_code == 400
    assert "bad.md: line 5: chapter 1 appears twice (first on line 3); expected each chapter number once" in (
        response.content.decode()
    )
    assert not ChangeRequest.objects.exists()


def test_the_form_preselects_the_book_named_in_the_link(client_for, editor, book):
    page = client_for(editor).get(f"{URL}?book={book.slug}").content.decode()
    assert f'<option value="{book.slug}" selected>{book.title}</option>' in page


def test_uploading_to_an_existing_book_from_the_page_makes_its_requests(client_for, editor):
    book = make_book(slug="b", title="B", chapters=1, tables=0)
    response = upload(client_for(editor), b"# B\n\n## Chapter 1 - Chapter 1\n\nNew.\n", "b.md", book="b")
    assert response.status_code == 302
    requests = ChangeRequest.objects.filter(kind=Kind.CHAPTER_EDIT)
    assert list(requests.values_list("book_id", "chapter__number", "body")) == [(book.pk, 1, "New.")]


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("reader", 403), ("moderator", 403), ("editor", 200), ("reviewer", 200)]
)
def test_who_may_open_the_upload_page(request, client_for, role, status):
    user = request.getfixturevalue(role) if role else None
    assert client_for(user).get(URL).status_code == status


def test_the_upload_page_needs_csrf(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, DDIA).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_the_upload_page_runs_a_fixed_number_of_queries(client_for, editor, django_assert_max_num_queries):
    client = client_for(editor)
    make_book(slug="b1", title="B1", chapters=0)
    with django_assert_max_num_queries(8) as first:
        assert client.get(URL).status_code == 200
    make_book(slug="b2", title="B2", chapters=0)
    make_book(slug="b3", title="B3", chapters=0)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(URL).status_code == 200


def test_a_new_book_request_is_listed_and_shown_for_review(client_for, editor, reviewer):
    notes_upload_propose(author=editor, data=DDIA, filename="ddia.md")
    request = ChangeRequest.objects.get()
    client = client_for(reviewer)

    queue = client.get("/reviews/").content.decode()
    assert "New book from a notes file · Designing Data-Intensive Applications" in queue
    detail = client.get(f"/reviews/{request.pk}/").content.decode()
    assert "New book: Designing Data-Intensive Applications" in detail
    assert "/books/designing-data-intensive-applications/" in detail
    assert "Approve and publish" in detail


def test_the_author_revises_a_new_book_on_the_revise_page(client_for, editor, reviewer):
    [request] = notes_upload_propose(author=editor, data=DDIA, filename="ddia.md").requests
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Call it DDIA")
    client = client_for(editor)
    page = client.get(f"/reviews/{request.pk}/revise/").content.decode()
    assert "The whole book (Markdown notes, as uploaded)" in page

    response = client.post(
        f"/reviews/{request.pk}/revise/",
        {
            "title": "DDIA",
            "book_author": "Martin Kleppmann",
            "book_domains": "Databases",
            "body": request.body,
            "summary": "Uploaded ddia.md, shorter title",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.title, request.slug, request.revision) == (
        "DDIA",
        "designing-data-intensive-applications",
        2,
    )
    assert request.status == ChangeRequest.Status.SUBMITTED
