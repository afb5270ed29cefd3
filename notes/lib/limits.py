"""Every size and length limit, so the forms, the notes formats, the importer and the
services refuse the same input. The models' ``max_length`` values are the same numbers
(a test holds them equal), written out there so no migration depends on this module."""

import re

# --- Books, chapters, tables and change requests --------------------------------------------------
MAX_CHAPTER_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 1024 * 1024  # a notes file uploaded in the browser

# A bundle: a folder or a .zip of per-chapter Markdown files and their images. The zip is
# capped as uploaded and as unpacked (a zip bomb unpacks a few KB into gigabytes); entries
# are counted before any is read, so a zip of a million empty files costs nothing.
MAX_BUNDLE_UPLOAD_BYTES = 20 * 1024 * 1024  # the .zip file itself
MAX_BUNDLE_BYTES = 50 * 1024 * 1024  # every file in it, unpacked
MAX_BUNDLE_FILES = 1000  # entries in the zip or files in the folder, folders aside
# Each image is decoded and encoded again, a second or so for a large photo: a bundle
# brings at most this many; the rest stay as written, with a warning.
MAX_BUNDLE_IMAGES = 200
STAGED_UPLOAD_SECONDS = 60 * 60  # an upload waits this long on its preview page to be proposed

MAX_TITLE_LENGTH = 200  # a book's title, a chapter's title
MAX_TABLE_TITLE_LENGTH = 300
# A plain (not bold) line just above a table is its caption only up to this length; a longer
# one is a lead-in sentence and stays text.
MAX_PLAIN_CAPTION_LENGTH = 100
MAX_BOOK_AUTHOR_LENGTH = 200
MAX_BOOK_DOMAINS_LENGTH = 300  # the domains joined with ", "
MAX_SLUG_LENGTH = 120  # a book's address, a table's slug, a reading group's address
MAX_SUMMARY_LENGTH = 200  # a change request's changelog line

# Chapter numbers are typed and read by people; four digits keep them short in addresses
# and headings, and every path (form, notes files, services) takes the same range.
MIN_CHAPTER_NUMBER = 1
MAX_CHAPTER_NUMBER = 9999

# The table grid form: beyond these a posted grid is cut, not read.
MAX_GRID_COLUMNS = 50
MAX_GRID_ROWS = 500

# --- Discussions and moderation -------------------------------------------------------------------
MAX_THREAD_TITLE_LENGTH = 200
MAX_COMMENT_BYTES = 64 * 1024  # of UTF-8 Markdown
MAX_REASON_LENGTH = 500  # a moderator's reason, shown with a hidden comment and in the log
MAX_ANCHOR_LABEL_LENGTH = 300  # the heading or table a thread is about, as its list shows it
MAX_MODERATION_DETAILS_LENGTH = 500  # what a moderation log entry says was done
# People notified (in-app and by e-mail) per comment, the first mentioned first; later
# mentions are still linked. One comment naming 300 people must not send 300 e-mails.
MAX_NOTIFIED_MENTIONS = 20
# A quote needs a few characters to be found again; longer selections than the most are
# cut (and told so).
MIN_QUOTE_LENGTH = 3
MAX_QUOTE_LENGTH = 1000
# The words around a selection the form accepts; the quote keeps fewer of them
# (notes.lib.quotes.CONTEXT_LENGTH), so a browser sending more is not refused.
MAX_QUOTE_CONTEXT_LENGTH = 200

# --- Reading groups -------------------------------------------------------------------------------
MAX_GROUP_NAME_LENGTH = 200
MAX_GROUP_DESCRIPTION_LENGTH = 5000  # also a meeting's notes
MAX_MEETING_PLACE_LENGTH = 300  # a meeting's place or link
# People: a display name, and the addresses one invitation form may hold.
MAX_DISPLAY_NAME_LENGTH = 100
MAX_INVITATIONS_AT_ONCE = 50

DEFAULT_MEETING_MINUTES = 90
MIN_MEETING_MINUTES = 5
MAX_MEETING_MINUTES = 24 * 60  # a day: longer is not one meeting
MAX_GROUP_MEMBERS_AT_ONCE = 500  # usernames typed into the group form

# --- Images in notes ------------------------------------------------------------------------------
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Decoding is bounded by pixels, not bytes: a small PNG can hold a huge blank picture.
MAX_IMAGE_PIXELS = 40_000_000

# --- The editor's live preview --------------------------------------------------------------------
# Rendering takes about a second and a half at this size; past it the preview says so.
MAX_PREVIEW_BYTES = 160 * 1024

# --- Rendering ------------------------------------------------------------------------------------
# What one text (a chapter, a summary, a comment) may hold, whatever its size: rendering, the
# table of contents, the thread form's list of places and the search rows all grow with these.
# A chapter of 225,000 one-letter headings fits in 1 MB and took 82 s to publish.
MAX_HEADINGS_PER_TEXT = 1000
# Headings with an id (levels 1-4) and placed comparison tables: each is an entry of the
# chapter's contents and a place a thread can be about.
MAX_ANCHORS_PER_TEXT = 1000
MAX_TABLE_ROWS_PER_TEXT = 5000  # rows of the Markdown (pipe) tables written in the text
# Bare addresses (``https://...``) linked per text; past it they stay plain text, with a note.
# Each costs a parse of its URL: 64 KB of addresses is about 5,000 of them.
MAX_LINKED_ADDRESSES = 1000
# Times a "[" is read ahead as a link or an image per text (nested ones included); past
# it, brackets are text, with a note. A chapter's links and images use a few hundred.
MAX_BRACKETS_READ = 20_000


# --- Search ---------------------------------------------------------------------------------------
MAX_SEARCH_QUERY_LENGTH = 200  # characters; a longer query is cut, and told so
MAX_SEARCH_TERMS = 16
MIN_SEARCH_PREFIX_LENGTH = 3  # the last word matches as a prefix from this many letters
MAX_SEARCH_SUGGESTIONS = 8  # titles under the header's search box as one types
# The search page ranks at most this many documents of each kind (the first found), and
# counts past it as "more than": a common word costs the same in a wiki of any size.
SEARCH_CANDIDATES_PER_KIND = 200
# "Did you mean": words of the vocabulary weighed for one typo, at most (same first letter,
# a similar length), and the vocabulary's word lengths.
MAX_SPELLING_CANDIDATES = 5000
MIN_VOCABULARY_WORD_LENGTH, MAX_VOCABULARY_WORD_LENGTH = 3, 40
MAX_SEARCH_LABEL_LENGTH = 500  # a search document's title, label and context columns
MAX_SEARCH_URL_LENGTH = 500

# --- Publishing part of a request ----------------------------------------------------------------
# A request of more changes than this is taken whole (or sent back): a list of thousands of
# boxes helps nobody, and the page would carry every one.
MAX_PART_CHANGES = 300
# Each change on the list shows at most this many of its lines, then how many more it holds.
MAX_PART_LINES_SHOWN = 12

# --- E-mail ---------------------------------------------------------------------------------------
MAX_EMAIL_SUBJECT_LENGTH = 150  # one line, short enough for every mail client


def size_text(size: int) -> str:
    """A limit in bytes as people read it: "1 MB", "64 KB"."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"


def chapter_size_refusal(text: str) -> str:
    """Why ``text`` is too large for one chapter, or '' when it fits."""
    size = len(text.encode("utf-8"))
    if size <= MAX_CHAPTER_BYTES:
        return ""
    return (
        f"The text is {size:,} bytes, larger than {size_text(MAX_CHAPTER_BYTES)} ({MAX_CHAPTER_BYTES:,} bytes), the most a chapter holds. "
        "Split it into several chapters."
    )


def chapter_number_refusal(number: int) -> str:
    """Why ``number`` cannot number a chapter, or '' when it can."""
    if MIN_CHAPTER_NUMBER <= number <= MAX_CHAPTER_NUMBER:
        return ""
    return f"Chapter numbers run from {MIN_CHAPTER_NUMBER} to {MAX_CHAPTER_NUMBER}; {number} is not one."


# Lines that may be headings, table rows or code fences, inside quotes and list items too.
# Counting lines is an upper bound of what the renderer makes (an indented "# a" is code),
# found in one pass at a fraction of a render's cost, so a refusal costs little.
# Possessive quantifiers: a line of spaces must not be tried split every way.
_CONTAINERS = r"^(?:[ \t]*+(?:>|(?:[-+*]|[0-9]{1,9}[.)])[ \t]))*+[ \t]*+"
_HEADING_LINE = re.compile(_CONTAINERS + r"(#{1,6})(?:[ \t]|$)", re.MULTILINE)
# "- " is a list item and an underline both: try the line as it stands too.
_UNDERLINE = re.compile(rf"(?:{_CONTAINERS}|^[ \t]*+)(?:=+|-+)[ \t]*$", re.MULTILINE)
_FENCE_LINE = re.compile(_CONTAINERS + r"(?:```|~~~)", re.MULTILINE)
_DELIMITER_ROW = re.compile(r"\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?")
_PLACEHOLDER_LINE = re.compile(r"^[ \t]*\[\[table:[a-z0-9][a-z0-9-]*\]\][ \t]*$", re.MULTILINE)


def text_structure(text: str) -> dict[str, int]:
    """At most how many headings, anchors (headings of levels 1-4, which get an id, and
    placed tables) and table rows rendering ``text`` makes.

    Lines inside code fences are not counted, but table placeholders are: the renderer
    places a table wherever its line stands. Text without a fence is counted by regular
    expressions alone.
    """
    headings, anchors, table_rows = _structure_outside_fences(text)
    placed = sum(1 for _ in _PLACEHOLDER_LINE.finditer(text))
    return {"headings": headings, "anchors": anchors + placed, "table_rows": table_rows}


def _structure_outside_fences(text: str) -> tuple[int, int, int]:
    if _FENCE_LINE.search(text) is None:
        levels = [len(match.group(1)) for match in _HEADING_LINE.finditer(text)]
        underlines = sum(1 for _ in _UNDERLINE.finditer(text))
        table_rows = text.count("|") and _table_rows(text.split("\n"))
        return len(levels) + underlines, sum(level <= 4 for level in levels) + underlines, table_rows
    outside: list[str] = []
    fence = ""
    for line in text.split("\n"):
        match = _FENCE_LINE.match(line)
        marker = line[match.end() - 3 : match.end()] if match else ""
        if fence:
            if marker == fence:
                fence = ""
        elif marker:
            fence = marker
        else:
            outside.append(line)
    return _structure_outside_fences("\n".join(outside)) if outside else (0, 0, 0)


def _table_rows(lines: list[str]) -> int:
    """Lines of pipe tables: a delimiter row starts one, a blank line ends it."""
    rows = 0
    in_table = False
    for index, line in enumerate(lines):
        if not line.strip():
            in_table = False
        elif in_table:
            rows += 1
        elif (
            "-" in line and index and "|" in lines[index - 1] and _DELIMITER_ROW.fullmatch(line.strip(" \t>"))
        ):
            in_table = True
            rows += 2  # the header and the delimiter row
    return rows


def text_structure_refusal(text: str, *, what: str = "The text") -> str:
    """Why ``text`` holds more structure than one text may, or '' when it fits."""
    structure = text_structure(text)
    for name, limit, words in (
        ("headings", MAX_HEADINGS_PER_TEXT, "headings"),
        ("anchors", MAX_ANCHORS_PER_TEXT, "headings and tables for its contents"),
        ("table_rows", MAX_TABLE_ROWS_PER_TEXT, "table rows"),
    ):
        if structure[name] > limit:
            return (
                f"{what} has {structure[name]:,} {words}; the most is {limit:,}. "
                "Split it, or write some of them as plain text."
            )
    return ""
