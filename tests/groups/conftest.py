"""Fixtures shared by the reading-group tests (groups, meetings, spoilers)."""

import pytest

from notes.services.groups import group_create


@pytest.fixture
def club(book, moderator, reader):
    """The reading group "Club" on the book, made by the moderator, with the reader as member."""
    return group_create(book=book, actor=moderator, name="Club", members=[reader])
