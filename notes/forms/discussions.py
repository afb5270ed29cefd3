"""Discussion forms: they only shape input; every rule is checked by the services.

Forms that post carry a one-time ``submission_token`` made when the form is shown, so
a form sent twice (a double click, a resent request) posts once.
"""

import uuid

from django import forms

from notes.lib.limits import (
    MAX_NOTIFIED_MENTIONS,
    MAX_QUOTE_CONTEXT_LENGTH,
    MAX_REASON_LENGTH,
    MAX_THREAD_TITLE_LENGTH,
)
from notes.lib.numbers import NumberField
from notes.models import Chapter
from notes.services.quotes import QuoteSelection

BODY_HELP = (
    "Markdown. Mention someone with @username: the first "
    f"{MAX_NOTIFIED_MENTIONS} people mentioned in a comment are notified, later ones are only linked."
)


def _body_field(label: str = "Comment") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={"required": "A comment cannot be empty."},
    )


class _TokenForm(forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())


class ThreadStartForm(_TokenForm):
    title = forms.CharField(
        max_length=MAX_THREAD_TITLE_LENGTH, error_messages={"required": "A thread needs a title."}
    )
    anchor = forms.ChoiceField(
        label="About",
        required=False,
        error_messages={
            "invalid_choice": "That heading or table is not in this chapter; choose one from the list."
        },
    )
    body = _body_field("First comment")
    # A quote of the chapter's text (notes.lib.quotes), chosen by selecting it on the chapter
    # page: the words, some words before and after them, and where they start.
    quote_exact = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    quote_prefix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=MAX_QUOTE_CONTEXT_LENGTH
    )
    quote_suffix = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=MAX_QUOTE_CONTEXT_LENGTH
    )
    quote_start = NumberField(widget=forms.HiddenInput, required=False, label="The quote's position")

    field_order = ["title", "anchor", "body", "submission_token"]

    def __init__(self, *args, anchors=(), quoting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if quoting:  # a thread on a quote is about that quote, not a heading or table
            del self.fields["anchor"]
            return
        self.fields["anchor"].choices = [("", "The whole chapter")] + [
            (anchor.key, f"{'Table' if anchor.kind == 'table' else 'Heading'}: {anchor.label}")
            for anchor in anchors
        ]

    def quote_selection(self) -> QuoteSelection | None:
        """The quote the form carries (cleaned), or None."""
        data = self.cleaned_data
        if not data.get("quote_exact"):
            return None
        return QuoteSelection(
            exact=data["quote_exact"],
            prefix=data.get("quote_prefix") or "",
            suffix=data.get("quote_suffix") or "",
            start=data.get("quote_start"),
        )


class CommentForm(_TokenForm):
    body = _body_field()
    parent = NumberField(widget=forms.HiddenInput, required=False, label="The comment replied to")


class CommentEditForm(forms.Form):
    body = _body_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason: readers of the moderation log need to know why."},
    )


class OptionalReasonForm(forms.Form):
    """The reason of a moderator's one-click action (lock, pin, unhide...); it may be empty."""

    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "optional", "size": 24}),
        error_messages={
            "max_length": (
                f"A reason can be at most {MAX_REASON_LENGTH} characters; this one has %(show_value)d. "
                "Nothing was changed."
            )
        },
    )


class ThreadMoveForm(forms.Form):
    chapter = forms.ModelChoiceField(queryset=None, label="Move to", empty_label=None)
    reason = forms.CharField(max_length=MAX_REASON_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["chapter"]
        field.queryset = Chapter.objects.select_related("book").only("id", "number", "title", "book__title")
        field.label_from_instance = lambda chapter: f"{chapter.book.title}: {chapter}"


class ThreadRenameForm(forms.Form):
    title = forms.CharField(
        label="New title",
        max_length=MAX_THREAD_TITLE_LENGTH,
        error_messages={"required": "A thread needs a title."},
    )
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the moderation log with the old title; only moderators read it.",
        error_messages={"required": "Give a reason: readers of the moderation log need to know why."},
    )
