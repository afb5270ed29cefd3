"""Who may do what in the review workflow: every role against every action, cell by cell.

"ok" means the action ran (a page or a redirect that is not the login page), "403" that
it was refused, "login" that an anonymous visitor was sent to log in. The change request
acted on belongs to ``other_editor``, who is not in the matrix: authors-only actions
(withdraw, revise) are tested for the author in test_review_pages and test_review_services.
"""

import pytest

from notes.models import ChangeRequest, Chapter
from notes.services.reviews import change_request_create

ROLES = ["anonymous", "reader", "editor", "reviewer", "moderator", "admin_user"]

# action: (method, url, data, expected per role in ROLES order)
PROPOSE = ["login", "403", "ok", "ok", "403", "ok"]
REVIEW = ["login", "403", "403", "ok", "403", "ok"]
AUTHOR_ONLY = ["login", "403", "403", "403", "403", "403"]
READ = ["ok", "ok", "ok", "ok", "ok", "ok"]
ACTIONS = {
    "review queue": ("get", "/reviews/", {}, PROPOSE),
    "change request page": ("get", "/reviews/{request}/", {}, PROPOSE),
    "chapter editor": ("get", "/books/test-book/chapters/1/edit/", {}, PROPOSE),
    "propose chapter edit": (
        "post",
        "/books/test-book/chapters/1/edit/",
        {"title": "T", "body": "B", "summary": "S", "action": "submit"},
        PROPOSE,
    ),
    "propose new chapter": ("get", "/books/test-book/chapters/new/", {}, PROPOSE),
    "edit book details": ("get", "/books/test-book/edit/", {}, PROPOSE),
    "edit table": ("get", "/books/test-book/chapters/1/tables/table-1/edit/", {}, PROPOSE),
    "new table": ("get", "/books/test-book/chapters/1/new-table/", {}, PROPOSE),
    "live preview": ("post", "/preview/markdown/", {"content": "*x*"}, PROPOSE),
    "approve": ("post", "/reviews/{request}/approve/", {"revision": 1}, REVIEW),
    "request changes": (
        "post",
        "/reviews/{request}/request-changes/",
        {"revision": 1, "comment": "c"},
        REVIEW,
    ),
    "reject": ("post", "/reviews/{request}/reject/", {"revision": 1, "comment": "c"}, REVIEW),
    "withdraw": ("post", "/reviews/{request}/withdraw/", {}, AUTHOR_ONLY),
    "revise": ("get", "/reviews/{request}/revise/", {}, AUTHOR_ONLY),
    "submit draft": ("post", "/reviews/{request}/submit/", {}, AUTHOR_ONLY),
    "history": ("get", "/books/test-book/chapters/1/history/", {}, READ),
    "compare versions": ("get", "/books/test-book/chapters/1/history/?from={first}&to={first}", {}, READ),
    "revert": ("post", "/books/test-book/chapters/1/history/{first}/revert/", {}, PROPOSE),
    "recent feed": ("get", "/recent/feed.atom", {}, READ),
    "changelog feed": ("get", "/books/test-book/changelog/feed.atom", {}, READ),
}
CELLS = [
    pytest.param(action, role, expected[index], id=f"{action}-{role}")
    for action, (_, _, _, expected) in ACTIONS.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_permission_matrix(request, client_for, other_editor, book, action, role, expected):
    chapter = book.chapters.get(number=1)
    change_request = change_request_create(
        author=other_editor,
        book=book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary="A change",
        content={"title": chapter.title, "body": "Changed\n"},
        submit=True,
    )
    # A second version so "revert to the first" has something to undo.
    chapter.body = "Later\n"
    chapter.save()
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id").history_id
    user = None if role == "anonymous" else request.getfixturevalue(role)
    method, url, data, _ = ACTIONS[action]
    url = url.format(request=change_request.pk, first=first)

    response = getattr(client_for(user), method)(url, data)

    if expected == "login":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif expected == "403":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith("/accounts/login/")
