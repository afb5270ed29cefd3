"""One wiki for the review-path browser tests: the seed book and a request in each state.

A conflict whose lines are long and unbroken (they used to widen the page past 2,400 px),
a request revised after a "changes requested" round, a draft, an approved one and a table
edit, and chapter 1 with two versions to compare.
"""

from dataclasses import dataclass

from notes.models import ChangeRequest, Chapter
from notes.services.reviews import (
    change_request_approve,
    change_request_request_changes,
    change_request_revise,
)
from tests.factories import load_seed, make_user, propose_chapter_edit, propose_table_edit

SLUG = "designing-ml-systems"
BOOK = f"/books/{SLUG}"
LONG_WORD = "feature_store_" * 30


@dataclass
class ReviewWorld:
    requests: dict[str, ChangeRequest]
    chapter_one_versions: list[int]

    def pages(self) -> dict[str, str]:
        """Every page of the review path, by name."""
        first, newest = self.chapter_one_versions[0], self.chapter_one_versions[-1]
        pages = {
            "queue": "/reviews/",
            "queue-conflicts": "/reviews/?status=conflict",
            "compare": f"{BOOK}/chapters/1/history/?from={first}&to={newest}",
            "changelog": f"{BOOK}/changelog/",
            "recent": "/recent/",
            "book": f"{BOOK}/",
            "revise-conflict": f"/reviews/{self.requests['conflict'].pk}/revise/",
        }
        pages.update({f"request-{state}": f"/reviews/{cr.pk}/" for state, cr in self.requests.items()})
        return pages


def build_review_world() -> ReviewWorld:
    book = load_seed()
    editor = make_user("editor", role="Editor")
    other = make_user("other", role="Editor")
    reviewer = make_user("reviewer", role="Reviewer")
    chapter_one = Chapter.objects.get(book=book, number=1)
    chapter_two = Chapter.objects.get(book=book, number=2)
    chapter_three = Chapter.objects.get(book=book, number=3)

    approved = propose_chapter_edit(
        editor, chapter_one, chapter_one.body + "\n\nA line added in version two."
    )
    change_request_approve(change_request=approved, reviewer=reviewer)

    # Two edits of the same first line of chapter 2: the second one's approval conflicts.
    body = chapter_two.body
    first_line, rest = body.split("\n", 1) if "\n" in body else (body, "")
    published = propose_chapter_edit(other, chapter_two, f"{first_line} Published {LONG_WORD}\n{rest}")
    conflict = propose_chapter_edit(
        editor, chapter_two, f"{first_line} Mine {LONG_WORD}\n{rest}", summary="My take on chapter 2"
    )
    change_request_approve(change_request=published, reviewer=reviewer)
    change_request_approve(change_request=conflict, reviewer=reviewer)
    conflict.refresh_from_db()
    assert conflict.status == ChangeRequest.Status.CONFLICT

    # Changes requested on revision 1, then revised: a second round waiting.
    revised = propose_chapter_edit(editor, chapter_three, chapter_three.body + "\n\nA first try.")
    change_request_request_changes(
        change_request=revised, reviewer=reviewer, comment="Say more.", revision=revised.revision
    )
    revised.refresh_from_db()
    changes_requested = propose_chapter_edit(editor, chapter_three, chapter_three.body + "\n\nTry two.")
    change_request_request_changes(
        change_request=changes_requested, reviewer=reviewer, comment="Not yet.", revision=1
    )
    change_request_revise(
        change_request=revised,
        user=editor,
        summary=revised.summary,
        content={"title": chapter_three.title, "body": chapter_three.body + "\n\nA second, longer try."},
        submit=True,
    )
    draft = propose_chapter_edit(editor, chapter_one, chapter_one.body + "\n\nA draft line.", submit=False)
    table = chapter_three.tables.first()
    table_request = propose_table_edit(
        editor, table, [[*row[:-1], row[-1] + " (edited)"] for row in table.rows], summary="Cells"
    )
    versions = list(chapter_one.history.order_by("history_id").values_list("history_id", flat=True))
    requests = {
        "submitted": revised,
        "changes-requested": changes_requested,
        "conflict": conflict,
        "draft": draft,
        "approved": approved,
        "table": table_request,
    }
    for change_request in requests.values():
        change_request.refresh_from_db()
    return ReviewWorld(requests=requests, chapter_one_versions=versions)
