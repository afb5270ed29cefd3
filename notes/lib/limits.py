"""Every size and length limit, so the forms, the notes formats, the importer and the
services refuse the same input. The models' ``max_length`` values are the same numbers
(a test holds them equal), written out there so no migration depends on this module."""

MAX_CHAPTER_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 1024 * 1024  # a notes file uploaded in the browser

MAX_TITLE_LENGTH = 200  # a book's title, a chapter's title
MAX_TABLE_TITLE_LENGTH = 300
MAX_BOOK_AUTHOR_LENGTH = 200
MAX_BOOK_DOMAINS_LENGTH = 300  # the domains joined with ", "
MAX_SLUG_LENGTH = 120  # a book's address, a table's slug
MAX_SUMMARY_LENGTH = 200  # a change request's changelog line

# Chapter numbers are typed and read by people; four digits keep them short in addresses
# and headings, and every path (form, notes files, services) takes the same range.
MIN_CHAPTER_NUMBER = 1
MAX_CHAPTER_NUMBER = 9999

# The table grid form: beyond these a posted grid is cut, not read.
MAX_GRID_COLUMNS = 50
MAX_GRID_ROWS = 500


def chapter_size_refusal(text: str) -> str:
    """Why ``text`` is too large for one chapter, or '' when it fits."""
    size = len(text.encode("utf-8"))
    if size <= MAX_CHAPTER_BYTES:
        return ""
    return (
        f"The text is {size:,} bytes, larger than 1 MB ({MAX_CHAPTER_BYTES:,} bytes), the most a chapter holds. "
        "Split it into several chapters."
    )


def chapter_number_refusal(number: int) -> str:
    """Why ``number`` cannot number a chapter, or '' when it can."""
    if MIN_CHAPTER_NUMBER <= number <= MAX_CHAPTER_NUMBER:
        return ""
    return f"Chapter numbers run from {MIN_CHAPTER_NUMBER} to {MAX_CHAPTER_NUMBER}; {number} is not one."
