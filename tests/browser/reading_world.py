"""One small wiki for the reading-side browser tests: the seed book, a chapter that tries to
break the layout, a second version, a thread with a mention, a change request waiting."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from notes.models import ChangeRequest, Chapter, Thread
from notes.services.reviews import change_request_approve
from tests.factories import load_seed, make_chapter, make_thread, make_user, propose_chapter_edit

SLUG = "designing-ml-systems"
BOOK = f"/books/{SLUG}"
LONG_URL = "https://example.com/" + "very-long-path-segment/" * 12 + "?query=" + "x" * 80
STRESS_BODY = f"""## Reading list

A bare link: {LONG_URL}

A long word: {"Donaudampfschifffahrtsgesellschaftskapitän" * 4}

> A quoted line from the book, with `inline code` in it.

```
{"a_very_long_line_of_code = compute(" + ", ".join(f"argument_{index}" for index in range(40)) + ")"}
```

### A typed table

| one | two | three | four | five | six | seven | eight |
|---|---|---|---|---|---|---|---|
| {"wide-cell-" * 8} | b | c | d | e | f | g | h |
"""


@dataclass
class World:
    lead: object
    thread: Thread
    change_request: ChangeRequest
    chapter_one_versions: list[int]

    def pages(self, *, signed_in: bool) -> list[str]:
        """Every page a reader or a team member reaches without the admin."""
        table = f"{BOOK}/chapters/3/tables/row-wise-versus-column-wise-storage"
        first, newest = self.chapter_one_versions[0], self.chapter_one_versions[-1]
        pages = [
            "/",
            "/recent/",
            "/search/?q=data",
            f"{BOOK}/",
            f"{BOOK}/changelog/",
            f"{BOOK}/history/",
            f"{BOOK}/chapters/1/",
            f"{BOOK}/chapters/3/",
            f"{BOOK}/chapters/4/",
            f"{BOOK}/chapters/1/history/",
            f"{BOOK}/chapters/1/history/?version={first}",
            f"{BOOK}/chapters/1/history/?from={first}&to={newest}",
            f"{table}/",
            f"{table}/history/",
            f"{BOOK}/chapters/3/discussion/",
            f"{BOOK}/chapters/3/discussion/{self.thread.pk}/",
            "/domains/machine-learning/",
            "/users/editor/",
            "/books/no-such-book/",
        ]
        if signed_in:
            pages += [
                "/notifications/",
                "/reviews/",
                "/reviews/?status=mine",
                f"/reviews/{self.change_request.pk}/",
                "/moderation/log/",
                f"{BOOK}/chapters/3/discussion/new/",
                f"{BOOK}/chapters/1/edit/",
                "/books/new/",
            ]
        else:
            pages.append("/accounts/login/")
        return pages


def build_world() -> World:
    book = load_seed()
    editor = make_user("editor", role="Editor")
    reviewer = make_user("reviewer", role="Reviewer")
    lead = make_user("lead", role="Editor")
    for role in ("Reviewer", "Moderator"):
        lead.groups.add(Group.objects.get_or_create(name=role)[0])
    make_chapter(book=book, number=4, title="Odds and ends that must not break the page", body=STRESS_BODY)
    chapter_one = Chapter.objects.get(book=book, number=1)
    edit = propose_chapter_edit(editor, chapter_one, chapter_one.body + "\n\nA line added in version two.")
    change_request_approve(change_request=edit, reviewer=reviewer)
    thread = make_thread(
        chapter=Chapter.objects.get(book=book, number=3),
        author=editor,
        title="Which storage for training data?",
        body="@lead row-wise or column-wise for feature reads? See https://parquet.apache.org/docs/",
        anchor="table:row-wise-versus-column-wise-storage",
    )
    waiting = propose_chapter_edit(
        editor,
        Chapter.objects.get(book=book, number=2),
        "A rewritten chapter two, with a long line " + "that keeps going " * 20,
        summary="Rewrote chapter 2 for the reading group",
    )
    versions = list(chapter_one.history.order_by("history_id").values_list("history_id", flat=True))
    return World(lead=lead, thread=thread, change_request=waiting, chapter_one_versions=versions)
