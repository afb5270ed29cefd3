"""Where the suite's files are, named once: a test module's own folder never decides a path,
so modules can move between the domain folders without breaking."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
NOTES_FILES = DATA / "notes"
XSS_VECTORS = DATA / "xss-vectors.json"
SCRIPTS = TESTS / "scripts"
SEED_SLUG = "designing-ml-systems"
SEED_SOURCE = ROOT / "fixtures" / "source" / f"{SEED_SLUG}.txt"
