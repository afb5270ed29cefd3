"""What the tests of concurrent writes share: they need PostgreSQL's row locks (SQLite
serializes every write, so nothing would race), and they start their calls at one moment."""

import threading

import pytest
from django.db import connection, connections

# For a module's ``pytestmark``: real transactions, on PostgreSQL only (skipped with the reason).
ON_POSTGRESQL_WITH_TRANSACTIONS = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; set DATABASE_URL=postgres://... to run",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(calls):
    """Run each call in its own thread, all released by one barrier; return results or errors.

    Threads touch the database only after the barrier: the connection pool holds fewer
    connections than there are threads, and a thread waiting at the barrier with a
    connection would starve the others. Each thread gives its connection back at the end.
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # returned to the test, which checks its kind
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def calls_in_order(monkeypatch, **watched) -> list[str]:
    """The order in which the named functions are called: ``calls_in_order(monkeypatch,
    render=(module, "render_markdown"), lock=(module, "_locked"))`` records "render" and
    "lock" as they happen, each call still doing what it did (render before a lock, never
    under it)."""
    seen: list[str] = []

    def recording(name, original):
        def call(*args, **kwargs):
            seen.append(name)
            return original(*args, **kwargs)

        return call

    for name, (module, attribute) in watched.items():
        monkeypatch.setattr(module, attribute, recording(name, getattr(module, attribute)))
    return seen
