"""scripts/chapterwise_push.py, run as CI runs it (a subprocess, stdlib only) against the
live server: the notes file becomes change requests and the script prints their review links."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from notes.models import ChangeRequest
from notes.services.api_tokens import api_token_create
from tests.factories import make_user

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "chapterwise_push.py"
NOTES = """# Notes as Code

## Chapter 1 - Why

Because notes in Git are reviewed twice.

## Chapter 2 - How

A CI step pushes them.
"""

pytestmark = pytest.mark.django_db(transaction=True)


def run(live_server, token: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHAPTERWISE_URL": live_server.url, "CHAPTERWISE_TOKEN": token}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_script_pushes_a_notes_file_as_change_requests_and_prints_the_review_links(live_server, tmp_path):
    editor = make_user("ci-editor", role="Editor")
    _token, text = api_token_create(user=editor, name="CI", scopes=["read", "write"])
    notes = tmp_path / "notes-as-code.md"
    notes.write_text(NOTES)

    result = run(live_server, text, str(notes))

    assert result.returncode == 0, result.stderr
    change_request = ChangeRequest.objects.get(author=editor)
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert change_request.kind == ChangeRequest.Kind.BOOK_FROM_FILE
    assert f"Review: {live_server.url}/reviews/{change_request.pk}/" in result.stdout
    assert text not in result.stdout + result.stderr


def test_the_script_says_why_when_the_token_may_not_propose(live_server, tmp_path):
    reader = make_user("ci-reader", role="Reader")
    _token, text = api_token_create(user=reader, name="CI", scopes=["read"])
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)

    result = run(live_server, text, str(notes))

    assert result.returncode == 1
    assert "Chapterwise refused the file (403)" in result.stderr
    assert not ChangeRequest.objects.exists()
    assert text not in result.stdout + result.stderr


def test_the_script_needs_its_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "x.md")],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "CHAPTERWISE_URL" in result.stderr
