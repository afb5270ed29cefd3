"""The checks of proposed content (a change request's summary, text, title, table and
chapter number): pure rules the review service runs before it writes anything.

Each raises ContentRefused with a message a user can read; the service turns it into its
own error. Which fields a kind of request proposes is said by the models
(``notes.models.reviews.PROPOSED_FIELDS``); the limits are in ``notes.lib.limits``.
"""

from notes.lib.limits import (
    MAX_BOOK_AUTHOR_LENGTH,
    MAX_BOOK_DOMAINS_LENGTH,
    MAX_SUMMARY_LENGTH,
    chapter_number_refusal,
    chapter_size_refusal,
    text_structure_refusal,
)

CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")


class ContentRefused(ValueError):
    """Proposed content the wiki cannot take; the message says why."""


def summary_cleaned(summary: str, *, required: bool = True) -> str:
    """The changelog line. A draft may have none yet (the editor autosaves before one is
    typed); submitting needs one."""
    summary = (summary or "").strip()
    if not summary and required:
        raise ContentRefused("A summary is required: one line saying what changed.")
    if "\n" in summary or "\r" in summary:
        raise ContentRefused("The summary must be a single line.")
    if "\x00" in summary:
        raise ContentRefused("The summary holds a NUL character (\\0), which cannot be stored; remove it.")
    if len(summary) > MAX_SUMMARY_LENGTH:
        raise ContentRefused(
            f"The summary is {len(summary)} characters long; the limit is {MAX_SUMMARY_LENGTH}."
        )
    return summary


def body_cleaned(body: str, *, for_submit: bool, whole_book: bool = False) -> str:
    """The Markdown text with Unix line ends; a submitted one holds no conflict markers.

    A ``whole_book`` (a book uploaded as one file) has its structure checked chapter by
    chapter where its file is read; any other text is checked here as one.
    """
    body = (body or "").replace("\r\n", "\n")
    refusal = chapter_size_refusal(body) or ("" if whole_book else text_structure_refusal(body))
    if refusal:
        raise ContentRefused(refusal)
    if for_submit and any(line.startswith(CONFLICT_MARKERS) for line in body.splitlines()):
        raise ContentRefused(
            "The text still holds conflict markers (<<<<<<<, =======, >>>>>>>); resolve them first."
        )
    return body


def nul_characters_refused(content: dict) -> None:
    """A NUL character cannot be stored (PostgreSQL refuses it): say so instead of failing."""

    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            for item in value:
                yield from texts(item)

    for name, value in content.items():
        if any("\x00" in text for text in texts(value)):
            raise ContentRefused(
                f"The {name} holds a NUL character (\\0), which cannot be stored; remove it."
            )


def title_cleaned(title: str, *, limit: int, required: bool) -> str:
    title = (title or "").strip()
    if len(title) > limit:
        raise ContentRefused(f"The title is {len(title)} characters long; the limit is {limit}.")
    if required and not title:
        raise ContentRefused("A title is required.")
    return title


def book_details_checked(content: dict) -> None:
    """A book's author and domains fit their columns."""
    for name, limit in (("book_author", MAX_BOOK_AUTHOR_LENGTH), ("book_domains", MAX_BOOK_DOMAINS_LENGTH)):
        if len(content.get(name) or "") > limit:
            raise ContentRefused(f"The {name.removeprefix('book_')} is longer than {limit} characters.")


def table_cleaned(headers, rows) -> tuple[list[str], list[list[str]]]:
    """Headers and rows with their cells stripped; every row as wide as the headers."""
    headers = [str(cell).strip() for cell in (headers or [])]
    if not headers:
        raise ContentRefused("A table needs at least one column.")
    cleaned = []
    for index, row in enumerate(rows or [], start=1):
        if len(row) != len(headers):
            raise ContentRefused(
                f"Row {index} has {len(row)} cells but the table has {len(headers)} columns."
            )
        cleaned.append([str(cell).strip() for cell in row])
    return headers, cleaned


def chapter_number_checked(number) -> int:
    """A new chapter's number, in the one range every path takes."""
    if number is None or number == "":
        raise ContentRefused("A new chapter needs a number.")
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise ContentRefused(f"The chapter number must be a whole number, not '{number}'.") from None
    refusal = chapter_number_refusal(number)
    if refusal:
        raise ContentRefused(refusal)
    return number
