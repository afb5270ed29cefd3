"""Fixtures shared by the reviews tests (change requests, review pages, services, permissions, concurrency, the editor, conflicts, diffs).

None yet: each of this folder's fixtures serves one module and lives in it. The cast of
users, ``book``, ``chapter`` and ``seed`` come from tests/conftest.py.
"""
