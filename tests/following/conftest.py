"""Fixtures shared by the following tests (watching, notifications, e-mail, feeds).

None yet: each of this folder's fixtures serves one module and lives in it. The cast of
users, ``book``, ``chapter`` and ``seed`` come from tests/conftest.py.
"""
