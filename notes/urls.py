from django.urls import path

from notes.views import reading

app_name = "notes"

urlpatterns = [
    path("books/<slug:book_slug>/", reading.book_detail, name="book-detail"),
    path("books/<slug:book_slug>/changelog/", reading.book_changelog, name="book-changelog"),
    path("books/<slug:book_slug>/chapters/<int:number>/", reading.chapter_detail, name="chapter-detail"),
    path(
        "books/<slug:book_slug>/chapters/<int:number>/tables/<slug:table_slug>/",
        reading.table_detail,
        name="table-detail",
    ),
    path("recent/", reading.recent_changes, name="recent"),
]
