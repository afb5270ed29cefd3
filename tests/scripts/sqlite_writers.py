"""Eight threads propose changes at the same moment on a SQLite file (see test_sqlite_writes.py)."""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "wiki.test_settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from notes.models import ChangeRequest  # noqa: E402
from notes.services.reviews import change_request_create  # noqa: E402
from tests.factories import make_book, make_user  # noqa: E402

WRITERS = 8

call_command("migrate", verbosity=0)
editor = make_user("editor", role="Editor")
chapter = make_book(chapters=1).chapters.get()
barrier = threading.Barrier(WRITERS)
outcomes: list[str] = []


def write(index: int) -> None:
    try:
        barrier.wait()
        change_request_create(
            author=editor,
            book=chapter.book,
            kind=ChangeRequest.Kind.CHAPTER_EDIT,
            chapter=chapter,
            summary=f"Change {index}",
            content={"title": chapter.title, "body": f"Text {index}"},
            submit=True,
        )
        outcomes.append("ok")
    except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
        outcomes.append(f"{type(error).__name__}: {error}")
    finally:
        connections.close_all()


threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("\n".join(outcomes))
print(f"requests: {ChangeRequest.objects.count()}")
