"""The form that uploads a notes file. It only shapes input; the service decides."""

from django import forms

from notes.lib.limits import MAX_UPLOAD_BYTES, size_text
from notes.models import Book


class NotesUploadForm(forms.Form):
    notes_file = forms.FileField(
        label="Notes file",
        help_text=f"Markdown (.md) or text (.txt) notes, UTF-8, at most {size_text(MAX_UPLOAD_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}),
    )
    book = forms.ModelChoiceField(
        queryset=Book.objects.only("id", "slug", "title").order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label="A new book",
        label="The file proposes",
        help_text="A new book, or changes to a book already in the wiki (one request per changed chapter or table).",
    )
