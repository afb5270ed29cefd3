"""The form that uploads a notes file. It only shapes input; the service decides."""

from django import forms

from notes.lib.limits import MAX_BUNDLE_UPLOAD_BYTES, MAX_UPLOAD_BYTES, size_text
from notes.models import Book

NOTES_SUFFIXES = (".md", ".markdown", ".txt")
BUNDLE_SUFFIXES = (".zip",)


class NotesUploadForm(forms.Form):
    notes_file = forms.FileField(
        label="Notes file",
        help_text=(
            f"Markdown (.md) or text (.txt) notes, UTF-8, at most {size_text(MAX_UPLOAD_BYTES)}; or a .zip of "
            f"one Markdown file per chapter with a README.md and their images, at most "
            f"{size_text(MAX_BUNDLE_UPLOAD_BYTES)}."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".md,.markdown,.txt,.zip,text/markdown,text/plain,application/zip"}
        ),
    )
    book = forms.ModelChoiceField(
        queryset=Book.objects.only("id", "slug", "title").order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label="A new book",
        label="The file proposes",
        help_text="A new book, or changes to a book already in the wiki (one request per changed chapter or table).",
    )

    def clean_notes_file(self):
        """Refuse a file by its size before it is read: a zip may be larger than a notes file."""
        upload = self.cleaned_data["notes_file"]
        name = upload.name.lower()
        limit = MAX_BUNDLE_UPLOAD_BYTES if name.endswith(BUNDLE_SUFFIXES) else MAX_UPLOAD_BYTES
        if name.endswith(NOTES_SUFFIXES + BUNDLE_SUFFIXES) and upload.size > limit:
            kind = "zip" if name.endswith(BUNDLE_SUFFIXES) else "notes file"
            raise forms.ValidationError(
                f"The {kind} is {upload.size / 1024 / 1024:.1f} MB; the limit is {size_text(limit)}."
            )
        return upload
