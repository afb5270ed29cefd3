"""Forms of the review workflow. They only shape input; the services decide what is allowed."""

from django import forms
from django.urls import reverse
from markdownx.widgets import MarkdownxWidget

from notes.lib.limits import (
    MAX_BOOK_AUTHOR_LENGTH,
    MAX_BOOK_DOMAINS_LENGTH,
    MAX_CHAPTER_NUMBER,
    MAX_GRID_COLUMNS,
    MAX_GRID_ROWS,
    MAX_SLUG_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_TABLE_TITLE_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_CHAPTER_NUMBER,
    chapter_number_refusal,
)
from notes.lib.numbers import MAX_ID, NumberField, int_or_default
from notes.models import ChangeRequest
from notes.models.reviews import PROPOSED_FIELDS, TARGET_FIELDS

Kind = ChangeRequest.Kind


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
    title = forms.CharField(max_length=MAX_TITLE_LENGTH)
    body = forms.CharField(required=False, strip=False, label="Notes (Markdown)")

    field_order = ["title", "body", "summary"]

    def __init__(self, *args, chapter_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = PreviewMarkdownWidget(chapter_id=chapter_id, attrs={"rows": 18})


class NewChapterForm(ChapterForm):
    # The range is checked in clean_number with the rule's own message, so the form refuses
    # chapter 10000 in the words the importer and the upload use.
    number = NumberField(min_value=-MAX_ID, label="The chapter number")

    field_order = ["number", "title", "body", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(min=MIN_CHAPTER_NUMBER, max=MAX_CHAPTER_NUMBER)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        refusal = chapter_number_refusal(number)
        if refusal:
            raise forms.ValidationError(refusal, code="out_of_range")
        return number


class BookForm(ChangeForm):
    title = forms.CharField(max_length=MAX_TITLE_LENGTH)
    book_author = forms.CharField(max_length=MAX_BOOK_AUTHOR_LENGTH, required=False, label="Author")
    book_domains = forms.CharField(
        max_length=MAX_BOOK_DOMAINS_LENGTH, required=False, label="Domains", help_text="Comma-separated."
    )
    body = forms.CharField(required=False, strip=False, label="About the book (Markdown)")

    field_order = ["title", "book_author", "book_domains", "body", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = PreviewMarkdownWidget(attrs={"rows": 8})


class NewBookForm(BookForm):
    slug = forms.CharField(
        max_length=MAX_SLUG_LENGTH,
        required=False,
        label="Address",
        help_text="Where the book will live: /books/<address>/. Left empty, it is made from the title.",
    )

    field_order = ["title", "book_author", "book_domains", "slug", "body", "summary"]


# What the text editors post for each kind of request (tables post their grid instead).
def text_fields(change_request) -> tuple[str, ...]:
    """What the text editor changes in a request of this kind: the fields the editor's form
    posts, whether the author saves it, autosaves it or revises it (tables have the grid).

    A book from a notes file keeps the address made from its file: its form has no Address
    field. A revert is revised like an edit of what it restores.
    """
    if change_request.kind in (Kind.BOOK_FROM_FILE, Kind.REVERT):
        return TARGET_FIELDS[change_request.target_kind]
    return PROPOSED_FIELDS[change_request.kind]


class TableMetaForm(ChangeForm):
    title = forms.CharField(max_length=MAX_TABLE_TITLE_LENGTH, required=False)
    slug = forms.SlugField(max_length=MAX_SLUG_LENGTH, required=False)

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
    columns = min(int_or_default(data.get("columns", 0), 0), MAX_GRID_COLUMNS)
    row_count = min(int_or_default(data.get("rows", 0), 0), MAX_GRID_ROWS)
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
