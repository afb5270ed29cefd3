"""The full-text search expression for chapters, defined once for the query and its index.

On PostgreSQL a chapter's title (weight A) and its stored HTML (weight B: the notes with
their comparison tables; the parser skips the tags) are searched as one English tsvector; migration 0005 builds a GIN index on exactly this expression, so the
planner answers ``@@`` from the index instead of reading every chapter.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import QuerySet

SEARCH_CONFIG = "english"
CHAPTER_SEARCH_INDEX = "chapter_search"


def chapter_search_vector() -> SearchVector:
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body_html", weight="B", config=SEARCH_CONFIG
    )


def chapters_matching(chapters: QuerySet, query: str) -> QuerySet:
    """``chapters`` whose search document matches the web-search ``query``, best first."""
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        chapters.annotate(document=chapter_search_vector())
        .filter(document=search_query)  # "@@", answered by the chapter_search GIN index
        .annotate(rank=SearchRank(chapter_search_vector(), search_query))
        .order_by("-rank")
    )
