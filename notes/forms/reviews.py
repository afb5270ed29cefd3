"""Forms of the review workflow. They only shape input; the services decide what is allowed."""

from django import forms
from django.urls import reverse
from markdownx.widgets import MarkdownxWidget

from notes.lib.numbers import NumberField, int_or_default
from notes.services.reviews import MAX_CHAPTER_NUMBER, MAX_SUMMARY_LENGTH, TITLE_LIMITS, Kind


class PreviewMarkdownWidget(MarkdownxWidget):
    """django-markdownx's editor, posting its live preview to our own endpoint.

    The endpoint renders with ``notes.lib.markup.render_markdown`` behind login; passing the
    chapter lets the preview expand that chapter's table placeholders.
    """

    template_name = "notes/widgets/markdown_editor.html"

    class Media:
        js = ["js/editor.js"]  # after markdownx.js: keys, toolbar, tabs, autosave

    def __init__(self, *args, chapter_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter_id = chapter_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["aria-describedby"] = f"{widget_attrs['id']}-keys"
        return context

    def add_markdownx_attrs(self, attrs):
        attrs = MarkdownxWidget.add_markdownx_attrs(attrs)
        url = reverse("notes:markdown-preview")
        if self.chapter_id is not None:
            url += f"?chapter={self.chapter_id}"
        attrs["data-markdownx-urls-path"] = url
        # No uploads in the wiki: markdownx's upload URL is not mounted.
        attrs.pop("data-markdownx-upload-urls-path", None)
        return attrs


class ChangeForm(forms.Form):
    summary = forms.CharField(
        max_length=MAX_SUMMARY_LENGTH,
        help_text="One line for the changelog, e.g. “Added notes on feature stores”.",
    )
    base_version = NumberField(required=False, widget=forms.HiddenInput, label="The base version")


class ChapterForm(ChangeForm):
    title = forms.CharField(max_length=TITLE_LIMITS[Kind.CHAPTER_EDIT])
    body = forms.CharField(required=False, strip=False, label="Notes (Markdown)")

    field_order = ["title", "body", "summary"]

    def __init__(self, *args, chapter_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = PreviewMarkdownWidget(chapter_id=chapter_id, attrs={"rows": 18})


class NewChapterForm(ChapterForm):
    number = NumberField(min_value=1, max_value=MAX_CHAPTER_NUMBER, label="The chapter number")

    field_order = ["number", "title", "body", "summary"]


class BookForm(ChangeForm):
    title = forms.CharField(max_length=TITLE_LIMITS[Kind.BOOK_EDIT])
    book_author = forms.CharField(max_length=200, required=False, label="Author")
    book_domains = forms.CharField(
        max_length=300, required=False, label="Domains", help_text="Comma-separated."
    )
    body = forms.CharField(required=False, strip=False, label="About the book (Markdown)")

    field_order = ["title", "book_author", "book_domains", "body", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = PreviewMarkdownWidget(attrs={"rows": 8})


class NewBookForm(BookForm):
    slug = forms.CharField(
        max_length=120,
        required=False,
        label="Address",
        help_text="Where the book will live: /books/<address>/. Left empty, it is made from the title.",
    )

    field_order = ["title", "book_author", "book_domains", "slug", "body", "summary"]


# What the text editors post for each kind of request (tables post their grid instead).
BOOK_NEW_FIELDS = ("title", "body", "book_author", "book_domains", "slug")


def text_fields(change_request) -> tuple[str, ...]:
    """What the text editor changes in a request of this kind: the fields the editor's form
    posts, whether the author saves it, autosaves it or revises it."""
    if change_request.kind == Kind.BOOK_NEW:
        return BOOK_NEW_FIELDS
    if change_request.target_kind == "book":
        return ("title", "body", "book_author", "book_domains")
    return ("number", "title", "body") if change_request.kind == Kind.CHAPTER_NEW else ("title", "body")


class TableMetaForm(ChangeForm):
    title = forms.CharField(max_length=300, required=False)
    slug = forms.SlugField(max_length=120, required=False)

    field_order = ["slug", "title", "summary"]


class VerdictForm(forms.Form):
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Comment (required to request changes or reject)"}
        ),
    )
    revision = NumberField(widget=forms.HiddenInput, label="The revision")


def _one_line(text: str) -> str:
    """A cell is one line of inline Markdown: the grid's text areas wrap, they do not break rows."""
    return " ".join(text.splitlines())


def _moved(items: list, index: int, step: int) -> list:
    """``items`` with the one at ``index`` swapped with its neighbour ``step`` away (if any)."""
    target = index + step
    if not (0 <= index < len(items) and 0 <= target < len(items)):
        return items
    items = list(items)
    items[index], items[target] = items[target], items[index]
    return items


# Grid buttons: name prefix -> (what moves, step).
GRID_MOVES = {
    "move-row-up-": ("row", -1),
    "move-row-down-": ("row", 1),
    "move-column-left-": ("column", -1),
    "move-column-right-": ("column", 1),
}


def grid_from_post(data) -> tuple[list[str], list[list[str]], str | None]:
    """Read the table grid (``header-<c>``, ``cell-<r>-<c>``) and apply a grid button:
    add, remove or move a row or a column.

    Returns headers, rows and the grid action asked for (None when the form was sent to
    be saved). A row missing cells keeps only the cells sent, so the service refuses it
    by name instead of padding it silently.
    """
    columns = min(int_or_default(data.get("columns", 0), 0), 50)
    row_count = min(int_or_default(data.get("rows", 0), 0), 500)
    headers = [_one_line(data.get(f"header-{column}", "")) for column in range(columns)]
    rows = []
    for row in range(row_count):
        cells = [data.get(f"cell-{row}-{column}") for column in range(columns)]
        rows.append([_one_line(cell) for cell in cells if cell is not None])
    action = data.get("grid")
    move = next(
        ((prefix, *how) for prefix, how in GRID_MOVES.items() if (action or "").startswith(prefix)), None
    )
    if action == "redraw":
        pass  # Enter in a field: the grid as typed, nothing added or removed, nothing saved.
    elif action == "add-row":
        rows.append([""] * columns)
    elif action == "add-column":
        headers.append("")
        rows = [[*row, ""] for row in rows]
    elif move:
        prefix, what, step = move
        index = int_or_default(action.removeprefix(prefix), -1)
        if what == "row":
            rows = _moved(rows, index, step)
        else:
            headers = _moved(headers, index, step)
            rows = [_moved(row, index, step) for row in rows]
    elif action and action.startswith("remove-row-"):
        index = int_or_default(action.removeprefix("remove-row-"), -1)
        rows = [row for position, row in enumerate(rows) if position != index]
    elif action and action.startswith("remove-column-"):
        index = int_or_default(action.removeprefix("remove-column-"), -1)
        headers = [cell for position, cell in enumerate(headers) if position != index]
        rows = [[cell for position, cell in enumerate(row) if position != index] for row in rows]
    else:
        action = None
    return headers, rows, action
