"""Fixtures shared by the search tests (the /search/ page and its index).

None yet: each of this folder's fixtures serves one module and lives in it. The cast of
users, ``book``, ``chapter`` and ``seed`` come from tests/conftest.py.
"""
