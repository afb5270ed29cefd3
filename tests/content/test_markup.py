"""The one renderer: Markdown features we promise, and every hostile vector comes out inert."""

import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from notes.lib.markup import render_inline, render_markdown, render_table
from tests.paths import XSS_VECTORS

VECTORS = json.loads(XSS_VECTORS.read_text())
# <details> is allowed raw HTML (a fold); what made it dangerous, ``ontoggle``, is an on* attribute.
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "svg", "math", "body", "base", "form",
                  "link", "meta", "noscript", "xmp", "textarea", "title", "button", "select"}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No script-capable element, no event handler, no dangerous URL, no style attribute hack."""
    collector = _Collector()
    collector.feed(html)
    for tag, attributes in collector.elements:
        assert tag not in DANGEROUS_TAGS, (tag, html)
        if tag == "input":  # only the renderer's own task checkboxes, which cannot be changed
            assert attributes.get("type") == "checkbox" and "disabled" in attributes, html
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, html)
            if name == "style":
                assert value and value.replace(" ", "").startswith("text-align:") and "(" not in value, html
            if name in {"href", "src", "background", "action", "formaction", "xlink:href", "data"}:
                compact = "".join(ch for ch in (value or "") if ch > " ").lower()
                assert not compact.startswith(DANGEROUS_SCHEMES), (tag, name, value)


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['group']}-{i}" for i, v in enumerate(VECTORS)])
def test_every_xss_vector_is_inert_through_the_renderer(vector):
    assert_inert(render_markdown(vector["payload"]))


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['group']}-{i}" for i, v in enumerate(VECTORS)])
def test_every_xss_vector_is_inert_in_a_table_cell_and_title(vector):
    table = SimpleNamespace(
        slug="t", title=vector["payload"], headers=[vector["payload"]], rows=[[vector["payload"]]]
    )
    assert_inert(render_table(table))
    assert_inert(render_markdown("[[table:t]]", {"t": table}))
    assert_inert(render_inline(vector["payload"]))


def test_the_checker_itself_catches_a_live_vector():
    with pytest.raises(AssertionError):
        assert_inert('<img src="x" onerror="alert(1)">')
    with pytest.raises(AssertionError):
        assert_inert('<a href="javascript:alert(1)">x</a>')


def test_a_raw_script_tag_is_removed_and_its_text_shown_as_text():
    assert render_markdown("before <script>alert(1)</script> after") == "<p>before alert(1) after</p>\n"


def test_gfm_tables_strikethrough_and_heading_anchors():
    html = render_markdown("## Feature stores\n\n~~old~~\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert '<h2 id="feature-stores">Feature stores</h2>' in html
    assert "<s>old</s>" in html
    assert "<td>1</td>" in html


def test_headings_can_be_rendered_without_ids_for_text_shown_among_other_content():
    assert (
        render_markdown("# comment 3\n\n## Storage")
        == '<h1 id="comment-3">comment 3</h1>\n<h2 id="storage">Storage</h2>\n'
    )
    assert (
        render_markdown("# comment 3\n\n## Storage", heading_ids=False)
        == "<h1>comment 3</h1>\n<h2>Storage</h2>\n"
    )


def test_line_breaks_are_kept_like_the_notes_format():
    assert render_markdown("first line\nsecond line") == "<p>first line<br>\nsecond line</p>\n"


def test_links_get_rel_and_safe_schemes_survive():
    html = render_markdown("[docs](https://example.com/a) [mail](mailto:a@example.com)")
    assert 'href="https://example.com/a" rel="noopener noreferrer nofollow"' in html
    assert 'href="mailto:a@example.com"' in html


def test_a_percent_encoded_javascript_scheme_is_dropped():
    html = render_markdown("[XSS](jav&#x0D;ascript:alert('XSS');)")
    assert "href" not in html


def test_a_placeholder_expands_the_table_at_its_place():
    table = SimpleNamespace(
        slug="rows", title="Row vs column", headers=["Aspect", "Row"], rows=[["Speed", "fast"]]
    )
    html = render_markdown("Before\n[[table:rows]]\nAfter", {"rows": table})
    assert html.index("Before") < html.index('id="table-rows"') < html.index("After")
    assert "<figcaption>Row vs column</figcaption>" in html


def test_an_unknown_placeholder_shows_a_visible_notice():
    assert "Missing comparison table: nope" in render_markdown("[[table:nope]]", {})


def test_an_unindented_line_after_a_bullet_is_not_folded_into_the_bullet():
    html = render_markdown(
        "User input data\n- Direct user input\n- Not formatted\nSystem generated data\n- Logs"
    )
    assert html.count("<ul>") == 2
    assert "<li>Not formatted</li>" in html
    assert "<p>System generated data</p>" in html


def test_indented_continuations_and_code_fences_are_left_as_commonmark_reads_them():
    html = render_markdown("- an item\n  still the item\n\n```\n- in code\nnot a paragraph\n```")
    assert "<li>an item<br>\nstill the item</li>" in html
    assert "<pre><code>- in code\nnot a paragraph\n</code></pre>" in html


def test_heading_ids_are_the_anchors_plugins_found_in_linear_time():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    text = "\n".join(
        f"{'#' * (1 + n % 5)} {title}"
        for n, title in enumerate(["a", "a", "a-1", "a", "B c", "b-c", "`x`"] * 3)
    )
    reference = MarkdownIt("commonmark").use(anchors_plugin, min_level=1, max_level=4).render(text)
    ours = render_markdown(text)
    assert re.findall(r'id="([^"]*)"', ours) == re.findall(r'id="([^"]*)"', reference)
    many = render_markdown("\n".join("## Same" for _ in range(20_000)))  # took the plugin minutes
    assert 'id="same-19999"' in many
