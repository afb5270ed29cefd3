from notes.models.books import Book, Chapter, ComparisonTable
from notes.models.reviews import ChangeRequest, Review

__all__ = ["Book", "ChangeRequest", "Chapter", "ComparisonTable", "Review"]
