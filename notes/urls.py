from django.urls import path

from notes.views import editing, feeds, history, reading, reviews

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

# Review workflow (issue #3).
_chapter = "books/<slug:book_slug>/chapters/<int:number>/"
urlpatterns += [
    path("books/<slug:book_slug>/edit/", editing.book_edit, name="book-edit"),
    path("books/<slug:book_slug>/chapters/new/", editing.chapter_new, name="chapter-new"),
    path("books/<slug:book_slug>/changelog/feed.atom", feeds.book_changelog_feed, name="book-changelog-feed"),
    path(f"{_chapter}edit/", editing.chapter_edit, name="chapter-edit"),
    path(f"{_chapter}history/", history.chapter_history, name="chapter-history"),
    path(f"{_chapter}history/<int:history_id>/revert/", history.chapter_revert, name="chapter-revert"),
    path(f"{_chapter}new-table/", editing.table_new, name="table-new"),
    path(f"{_chapter}tables/<slug:table_slug>/edit/", editing.table_edit, name="table-edit"),
    path(f"{_chapter}tables/<slug:table_slug>/history/", history.table_history, name="table-history"),
    path("preview/markdown/", editing.markdown_preview, name="markdown-preview"),
    path("recent/feed.atom", feeds.recent_feed, name="recent-feed"),
    path("reviews/", reviews.queue, name="review-queue"),
    path("reviews/<int:request_id>/", reviews.detail, name="review-detail"),
    path("reviews/<int:request_id>/approve/", reviews.approve, name="review-approve"),
    path("reviews/<int:request_id>/request-changes/", reviews.request_changes, name="review-request-changes"),
    path("reviews/<int:request_id>/reject/", reviews.reject, name="review-reject"),
    path("reviews/<int:request_id>/submit/", reviews.submit, name="review-submit"),
    path("reviews/<int:request_id>/withdraw/", reviews.withdraw, name="review-withdraw"),
    path("reviews/<int:request_id>/revise/", editing.request_revise, name="review-revise"),
]
