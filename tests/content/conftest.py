"""Fixtures shared by the content tests (books, chapters, tables, history, renderings, reading pages)."""

import pytest


@pytest.fixture
def table(chapter):
    """Chapter 1's comparison table (the ``book`` fixture gives each chapter one)."""
    return chapter.tables.get(slug="table-1")
