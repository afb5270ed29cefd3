"""Fixtures shared by the formats tests (import and export, notes files, uploads, downloads, the text and Markdown formats, the seed).

None yet: each of this folder's fixtures serves one module and lives in it. The cast of
users, ``book``, ``chapter`` and ``seed`` come from tests/conftest.py.
"""
