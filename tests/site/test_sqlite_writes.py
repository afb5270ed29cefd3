"""On SQLite (the development default) simultaneous writers queue up instead of failing.

SQLite has no row locks; in its default (deferred) mode a transaction that read first
fails with "database is locked" when another one writes. The settings begin write
transactions IMMEDIATE, and this runs real threads against a real SQLite file.
"""

import os
import subprocess
import sys

from tests.paths import SCRIPTS

SCRIPT = SCRIPTS / "sqlite_writers.py"


def test_eight_simultaneous_writers_all_succeed_on_a_sqlite_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:-1] == ["ok"] * 8, result.stdout
    assert lines[-1] == "requests: 8"
