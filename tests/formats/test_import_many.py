"""import_notes with several files or a folder: one book per file, atomic per file, a summary."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from notes.models import Book, Chapter
from tests.paths import NOTES_FILES, SEED_SOURCE

pytestmark = pytest.mark.django_db

DATA = NOTES_FILES
SEED = SEED_SOURCE


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_notes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


THREE = ["data-engineering-notes.md", "ddia-reading-notes.md", "system-design-interview.md"]


@pytest.fixture
def folder(tmp_path):
    """A folder of three whole-book notes files from the corpus."""
    for name in THREE:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_a_folder_imports_one_book_per_file_with_a_summary_and_a_progress_bar(folder):
    out, err = run(str(folder))

    assert sorted(Book.objects.values_list("slug", flat=True)) == [
        "designing-data-intensive-applications",
        "fundamentals-of-data-engineering",
        "system-design-interview",
    ]
    assert Chapter.objects.filter(book__slug="designing-data-intensive-applications").count() == 6
    assert out.splitlines()[-1] == "Imported 3 of 3 files: 3 books, 15 chapters, 4 tables; 0 failed."
    assert f"[..............................] 0/3 {folder / 'data-engineering-notes.md'}" in err
    assert "[####################..........] 2/3" in err
    assert "[##############################] 3/3 done" in err


def test_a_bad_file_is_skipped_and_named_while_the_others_are_imported(tmp_path):
    shutil.copy(SEED, tmp_path / "a-seed.txt")
    (tmp_path / "b-broken.md").write_text("# Broken\n\n## Chapter 1 - One\n\n## Chapter 1 - Again\n")
    shutil.copy(DATA / "system-design-interview.md", tmp_path / "c-sdi.md")

    with pytest.raises(CommandError) as error:
        run(str(tmp_path))

    assert str(error.value) == (
        f"not imported:\n{tmp_path / 'b-broken.md'}: line 5: chapter 1 appears twice (first on line 3); "
        "expected each chapter number once"
    )
    assert sorted(Book.objects.values_list("slug", flat=True)) == [
        "designing-ml-systems",
        "system-design-interview",
    ]


def test_a_file_refused_late_writes_nothing_of_that_file_only(tmp_path):
    run(str(SEED))
    shutil.copy(SEED, tmp_path / "again.txt")
    shutil.copy(DATA / "ddia-reading-notes.md", tmp_path / "ddia.md")

    with pytest.raises(CommandError, match="a book with the slug 'designing-ml-systems' exists"):
        run(str(tmp_path / "again.txt"), str(tmp_path / "ddia.md"))

    assert Book.objects.count() == 2
    assert Chapter.objects.filter(book__slug="designing-ml-systems").count() == 3


def test_the_summary_counts_the_failures(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_notes", str(SEED), str(tmp_path / "empty.txt"), stdout=out, stderr=io.StringIO())
    assert (
        out.getvalue().splitlines()[-1] == "Imported 1 of 2 files: 1 books, 3 chapters, 5 tables; 1 failed."
    )


def test_slug_is_refused_with_several_files(folder):
    with pytest.raises(CommandError, match="^--slug names one book; 3 files were given$"):
        run(str(folder), "--slug", "x")
    assert not Book.objects.exists()


def test_a_folder_without_notes_files_is_an_error(tmp_path):
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    with pytest.raises(CommandError, match="the folder holds no notes files"):
        run(str(tmp_path))
