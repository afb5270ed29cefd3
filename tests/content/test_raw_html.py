"""Raw HTML in Markdown: the formatting tags a writer may type render, and keep only their
allowed attributes."""

import pytest
from django.test import override_settings

from notes.lib.markup import render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<b>bold</b>", "<b>bold</b>"),
        ("<strong>strong</strong>", "<strong>strong</strong>"),
        ("<i>italic</i>", "<i>italic</i>"),
        ("<em>emphasis</em>", "<em>emphasis</em>"),
        ("<u>underlined</u>", "<u>underlined</u>"),
        ("<s>struck</s>", "<s>struck</s>"),
        ("<del>deleted</del>", "<del>deleted</del>"),
        ("one<br>two", "one<br>two"),
        ("x<sup>2</sup>", "x<sup>2</sup>"),
        ("H<sub>2</sub>O", "H<sub>2</sub>O"),
        ("<kbd>Ctrl</kbd>", "<kbd>Ctrl</kbd>"),
        ("<code>a &lt; b</code>", "<code>a &lt; b</code>"),
    ],
)
def test_each_allowed_inline_tag_renders(source, expected):
    assert render_markdown(f"Text {source} end") == f"<p>Text {expected} end</p>\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<h1>One</h1>", "<h1>One</h1>"),
        ("<h6>Six</h6>", "<h6>Six</h6>"),
        ("<p>A paragraph</p>", "<p>A paragraph</p>"),
        ("<ul><li>item</li></ul>", "<ul><li>item</li></ul>"),
        ('<ol start="3"><li>third</li></ol>', '<ol start="3"><li>third</li></ol>'),
        ("<blockquote>quoted</blockquote>", "<blockquote>quoted</blockquote>"),
        ("<hr>", "<hr>"),
        (
            "<details><summary>More</summary>hidden</details>",
            "<details><summary>More</summary>hidden</details>",
        ),
        ("<details open><summary>S</summary>x</details>", '<details open=""><summary>S</summary>x</details>'),
    ],
)
def test_each_allowed_block_tag_renders(source, expected):
    assert render_markdown(source).strip() == expected


def test_a_table_keeps_colspan_rowspan_and_align():
    html = render_markdown(
        '<table><thead><tr><th colspan="2" align="center">Both</th></tr></thead>'
        '<tbody><tr><td rowspan="2" align="right">R</td><td align="left">L</td></tr></tbody></table>'
    )
    assert '<th colspan="2" align="center">Both</th>' in html
    assert '<td rowspan="2" align="right">R</td>' in html
    assert '<td align="left">L</td>' in html


def test_a_table_cell_loses_an_align_or_span_that_is_not_a_plain_value():
    html = render_markdown('<table><tr><td align="justify" colspan="2;x" rowspan="0">c</td></tr></table>')
    assert "<td>c</td>" in html


def test_markdown_inside_a_details_fold_is_rendered():
    html = render_markdown("<details>\n<summary>Why</summary>\n\n**Because** it is.\n\n</details>")
    assert "<summary>Why</summary>" in html
    assert "<p><strong>Because</strong> it is.</p>" in html


def test_an_image_keeps_src_alt_title_width_and_height():
    html = render_markdown(
        '<img src="/media/images/a.png" alt="A chart" title="Chart" width="320" height="200">'
    )
    assert '<img src="/media/images/a.png" alt="A chart" title="Chart" width="320" height="200">' in html


def test_an_image_size_that_is_not_a_number_is_dropped():
    html = render_markdown('<img src="/media/images/a.png" width="100%" height="1e9">')
    assert html.strip() == '<img src="/media/images/a.png">'


@override_settings(WIKI_ALLOW_OUTSIDE_IMAGES=False)
def test_a_raw_image_from_another_site_loses_its_src_like_a_markdown_image():
    assert render_markdown('<img src="https://tracker.example/p.png" alt="x">').strip() == '<img alt="x">'
    assert render_markdown("![x](https://tracker.example/p.png)").strip() == '<p><img alt="x"></p>'


def test_a_raw_link_gets_rel_and_keeps_a_safe_href():
    html = render_markdown('<a href="https://example.com/" title="Ex">site</a>')
    assert '<a href="https://example.com/" title="Ex" rel="noopener noreferrer nofollow">site</a>' in html


def test_a_raw_heading_gets_no_id_and_a_typed_id_is_removed():
    html = render_markdown('<h2 id="comment-3">Raw</h2>\n\n## Markdown')
    assert "<h2>Raw</h2>" in html
    assert '<h2 id="markdown">Markdown</h2>' in html
