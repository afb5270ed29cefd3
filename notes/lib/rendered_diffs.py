"""The rendered diff: a version's HTML with what changed marked in <ins> and <del>.

Blocks (paragraphs, headings, lists, tables) are matched first and paired by likeness
within a changed stretch; inside a pair lxml's ``htmldiff`` marks the words, and a
comparison table is matched row by row and column by column with the table diff's own
matching (``notes.lib.table_diffs.table_alignment``), so an inserted row is one inserted
row and an edited cell one marked cell. Both inputs are
sanitized HTML from ``notes.lib.markup``; the result is sanitized again before it is stored.
"""

import difflib
from html import escape

from lxml import html as lxml_html
from lxml.html.diff import htmldiff

from notes.lib.diffs import paired_by_similarity
from notes.lib.markup import sanitize_diff
from notes.lib.table_diffs import table_alignment

# A pair of blocks longer than this is shown removed and added whole: htmldiff's word
# matching grows quadratically and a page must be ready in well under a second.
MAX_BLOCK_CHARACTERS = 20_000
# Past this much HTML on a side the rendered diff is not made; the source diff still is.
MAX_RENDERED_CHARACTERS = 600_000
# Unchanged blocks (paragraphs, lists, tables) left open beside each change.
CONTEXT_BLOCKS = 1
TOO_LONG = (
    '<p class="diff-cut">The text is too long for a rendered diff; the source diff shows the changes.</p>'
)


def rendered_diff(old_html: str, new_html: str) -> str:
    """``new_html`` with what changed since ``old_html`` marked, sanitized."""
    if len(old_html) > MAX_RENDERED_CHARACTERS or len(new_html) > MAX_RENDERED_CHARACTERS:
        return TOO_LONG
    old_blocks, new_blocks = _blocks(old_html), _blocks(new_html)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_blocks, b=new_blocks, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (operation, a1, a2, b1, b2) in enumerate(opcodes):
        if operation == "equal":
            parts += _folded(new_blocks[b1:b2], keep_head=index > 0, keep_tail=index < len(opcodes) - 1)
            continue
        old_texts = [_text(block) for block in old_blocks[a1:a2]]
        new_texts = [_text(block) for block in new_blocks[b1:b2]]
        for a, b in paired_by_similarity(old_texts, new_texts):
            if a is not None and b is not None:
                parts.append(_block_diff(old_blocks[a1 + a], new_blocks[b1 + b]))
            elif a is not None:
                parts.append(f"<del>{old_blocks[a1 + a]}</del>")
            else:
                parts.append(f"<ins>{new_blocks[b1 + b]}</ins>")
    if not parts:
        return '<p class="empty">Nothing to show.</p>'
    return sanitize_diff("\n".join(parts))


def _folded(blocks: list[str], *, keep_head: bool, keep_tail: bool) -> list[str]:
    """Unchanged blocks, those between changes folded into a <details> but the one beside
    each change, so a one-line edit at the end of a long chapter is found at a glance."""
    head = blocks[:CONTEXT_BLOCKS] if keep_head else []
    tail = blocks[len(blocks) - CONTEXT_BLOCKS :] if keep_tail and len(blocks) > len(head) else []
    hidden = blocks[len(head) : len(blocks) - len(tail)]
    if len(hidden) < 3:
        return blocks
    count = len(hidden)
    fold = (
        f'<details class="fold"><summary>{count} unchanged block{"s" if count != 1 else ""}</summary>'
        f"{''.join(hidden)}</details>"
    )
    return [*head, fold, *tail]


def _blocks(html: str) -> list[str]:
    """The top-level elements of ``html``, each serialized (bare text becomes a paragraph)."""
    if not html.strip():
        return []
    blocks = []
    for fragment in lxml_html.fragments_fromstring(html):
        if isinstance(fragment, str):
            if fragment.strip():
                blocks.append(f"<p>{escape(fragment)}</p>")
            continue
        fragment.tail = None
        blocks.append(lxml_html.tostring(fragment, encoding="unicode"))
    return blocks


def _text(block: str) -> str:
    return lxml_html.fragment_fromstring(block, create_parent="div").text_content()


def _block_diff(old: str, new: str) -> str:
    if len(old) > MAX_BLOCK_CHARACTERS or len(new) > MAX_BLOCK_CHARACTERS:
        return f"<del>{old}</del><ins>{new}</ins>"
    old_tree = lxml_html.fragment_fromstring(old, create_parent="div")
    new_tree = lxml_html.fragment_fromstring(new, create_parent="div")
    if "<table" in old and "<table" in new:
        marked = _table_marked(old_tree, new_tree)
        if marked is not None:
            return marked
    [old_root], [new_root] = list(old_tree), list(new_tree)
    if old_root.tag == new_root.tag and "<table" not in old + new:
        # The same kind of block: mark the words inside, keep the new block's own tag
        # (a heading whose words changed has a new id; htmldiff would replace it whole).
        return _marked_inside(new_tree, [(old_root, new_root)])
    return htmldiff(old, new)


def _table_marked(old_tree, new_tree) -> str | None:
    """The new block with its one table rebuilt: rows and columns matched by identity,
    inserted ones in <ins>, removed ones struck out where they stood, moved rows marked and
    changed cells marked word by word. None if either block holds other than one table."""
    old_tables, new_tables = old_tree.findall(".//table"), new_tree.findall(".//table")
    if len(old_tables) != 1 or len(new_tables) != 1:
        return None
    old_header, old_rows = _grid(old_tables[0])
    new_header, new_rows = _grid(new_tables[0])
    alignment = table_alignment(
        [cell.text_content() for cell in old_header],
        [[cell.text_content() for cell in row] for row in old_rows],
        [cell.text_content() for cell in new_header],
        [[cell.text_content() for cell in row] for row in new_rows],
    )
    column_kinds = [
        "removed" if new is None else "added" if old is None else "" for old, new, _m in alignment.columns
    ]

    def row_html(old_cells, new_cells, row_kind: str, tag: str, *, note: str = "") -> str:
        cells = []
        for (old, new, _moved), column_kind in zip(alignment.columns, column_kinds, strict=True):
            old_cell = old_cells[old] if old is not None and old < len(old_cells) else None
            new_cell = new_cells[new] if new is not None and new < len(new_cells) else None
            kind = row_kind or column_kind
            if kind == "removed" or new_cell is None:
                inner = _inner(old_cell) if old_cell is not None else ""
                content = f"<del>{inner}</del>" if inner else ""
            elif kind == "added" or old_cell is None:
                inner = _inner(new_cell)
                content = f"<ins>{inner}</ins>" if inner else ""
            else:
                before, after = _inner(old_cell), _inner(new_cell)
                content = after if before == after else htmldiff(before, after)
            classes = [new_cell.get("class")] if new_cell is not None and new_cell.get("class") else []
            if column_kind:
                classes.append(f"diff-column-{column_kind}")
            scope = ' scope="col"' if tag == "th" else ""
            class_attribute = f' class="{" ".join(classes)}"' if classes else ""
            if note and not cells:
                content = f'<span class="diff-note">{note}</span> {content}'
            cells.append(f"<{tag}{scope}{class_attribute}>{content}</{tag}>")
        return "".join(cells)

    head = row_html(old_header, new_header, "", "th")
    body = []
    for old, new, is_moved in alignment.rows:
        kind = "removed" if new is None else "added" if old is None else ""
        cells = row_html(
            old_rows[old] if old is not None else [],
            new_rows[new] if new is not None else [],
            kind,
            "td",
            note=f"moved from row {old + 1}" if is_moved else "",
        )
        state = kind or ("moved" if is_moved else "")
        body.append(f'<tr class="diff-row-{state}">{cells}</tr>' if state else f"<tr>{cells}</tr>")
    token = "cw-table-mark-"  # noqa: S105 - a placeholder, no table text holds it
    # A table written without a header row (raw HTML in the Markdown) gets none here either.
    head = f"<thead><tr>{head}</tr></thead>" if old_header or new_header else ""
    marks = {token: f"<table>{head}<tbody>{''.join(body)}</tbody></table>"}
    table = new_tables[0]
    table.getparent().replace(table, lxml_html.fromstring(f"<span>{token}</span>"))
    old_captions, new_captions = old_tree.findall(".//figcaption"), new_tree.findall(".//figcaption")
    if len(old_captions) == len(new_captions) == 1 and _inner(old_captions[0]) != _inner(new_captions[0]):
        marks["cw-caption-mark-"] = htmldiff(_inner(old_captions[0]), _inner(new_captions[0]))
        for child in list(new_captions[0]):
            new_captions[0].remove(child)
        new_captions[0].text = "cw-caption-mark-"
    shown = "".join(lxml_html.tostring(child, encoding="unicode") for child in new_tree)
    shown = shown.replace(f"<span>{token}</span>", token)
    for mark, marked in marks.items():
        shown = shown.replace(mark, marked)
    return shown


def _grid(table) -> tuple[list, list[list]]:
    """A table's header cells and its body rows' cells (a table without <thead> has none)."""
    rows = list(table.iter("tr"))
    header: list = []
    if rows and rows[0].getparent().tag == "thead":
        header = rows.pop(0).findall("./th")
    return header, [row.findall("./th") + row.findall("./td") for row in rows]


def _marked_inside(new_tree, pairs: list[tuple]) -> str:
    """``new_tree`` serialized with each pair's new element holding the words marked."""
    marks = {}
    for number, (old_cell, new_cell) in enumerate(pairs):
        before, after = _inner(old_cell), _inner(new_cell)
        if before == after:
            continue
        token = f"cw-cell-mark-{number}-"  # no cell text holds it: nh3 has no such tag
        marks[token] = htmldiff(before, after)
        for child in list(new_cell):
            new_cell.remove(child)
        new_cell.text = token
    shown = "".join(lxml_html.tostring(child, encoding="unicode") for child in new_tree)
    for token, marked in marks.items():
        shown = shown.replace(token, marked)
    return shown


def _inner(element) -> str:
    return (escape(element.text, quote=False) if element.text else "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in element
    )
