"""`manage.py benchmark` runs at the small scale inside the suite, so it cannot rot.

Nothing here judges a time: the run must finish, count every page, and write the report.
"""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PAGES = [
    "home, anonymous",
    "home, signed in",
    "book, anonymous (cache hit)",
    "book, anonymous, cold (after an edit)",
    "changelog",
    "chapter, anonymous (cache hit)",
    "chapter, anonymous, cold (after an edit)",
    "chapter, signed in",
    "chapter, signed in, cold (after an edit)",
    "history, long chapter",
    "history, 10-version chapter",
    "compare first with last, long",
    "review queue",
    "one request",
    "long thread, anonymous",
    "search, common words",
    "search, one book",
    "recent changes",
]


def test_a_small_run_measures_every_page_and_writes_the_report(tmp_path, capsys):
    output = tmp_path / "PERFORMANCE.md"
    call_command(
        "benchmark",
        "--scale",
        "small",
        "--large-scale",
        "small",
        "--in-place",
        "--no-load",
        "--rounds",
        "2",
        "--repeat",
        "1",
        "--huge-kb",
        "32",
        "--output",
        output,
    )
    report = output.read_text()
    for page in PAGES:
        assert f"| {page} |" in report
    for figure in (
        "32 KB chapter: review page",
        "import of a",
        "diff of two 100 KB versions",
        "## Reproduce",
    ):
        assert figure in report
    assert "Failed" not in report
    assert "Load average" in report and "ms at 3 books" in report
    assert "Written to" in capsys.readouterr().out


def test_an_in_place_run_refuses_the_load_test_it_cannot_do(tmp_path):
    with pytest.raises(CommandError, match="--in-place needs --no-load"):
        call_command("benchmark", "--in-place", "--output", tmp_path / "x.md")
