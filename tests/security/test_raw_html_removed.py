"""Raw HTML outside the allow-list is removed by the one sanitizer, whatever its spelling."""

import pytest

from notes.lib.markup import render_inline, render_markdown, sanitize


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        "<style>body{display:none}</style>",
        '<iframe src="https://example.com/"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<form action="/logout" method="post"><button>Go</button></form>',
        '<input type="text" name="q">',
        '<input type="checkbox">',
        "<textarea>t</textarea>",
        "<select><option>1</option></select>",
        "<svg><circle r=4 /></svg>",
        "<math><mi>x</mi></math>",
        '<link rel="stylesheet" href="/x.css">',
        '<meta http-equiv="refresh" content="0;url=/">',
        '<base href="https://evil.example/">',
        "<video src=x></video>",
        "<marquee>old</marquee>",
    ],
)
def test_a_tag_outside_the_allow_list_is_removed(source):
    html = render_markdown(f"Before\n\n{source}\n\nAfter")
    tag = source[1:].split(" ")[0].split(">")[0].split("/")[0].lower()
    assert f"<{tag}" not in html.lower()
    assert "<p>Before</p>" in html and "<p>After</p>" in html  # the text around survives


@pytest.mark.parametrize(
    "source",
    [
        '<b onclick="alert(1)">x</b>',
        '<p style="color:red">x</p>',
        '<span style="background:url(javascript:alert(1))">x</span>',
        '<img src="/media/images/a.png" onerror="alert(1)">',
        '<details ontoggle="alert(1)" open><summary>s</summary></details>',
        '<a href="/x" target="_blank" ping="https://t.example/">x</a>',
        '<td background="javascript:alert(1)">x</td>',
        '<kbd class="evil" id="main">x</kbd>',
        '<h2 id="content">x</h2>',
    ],
)
def test_attributes_outside_the_allow_list_are_removed(source):
    html = render_markdown(source)
    for attribute in (
        "onclick",
        "onerror",
        "ontoggle",
        "style",
        "target",
        "ping",
        "background",
        "class",
        "id=",
    ):
        assert attribute not in html, (attribute, html)


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,x"]
)
def test_a_raw_link_with_a_script_scheme_loses_its_href(href):
    assert "href" not in render_markdown(f'<a href="{href}">x</a>')


def test_raw_html_in_a_table_cell_or_title_is_held_to_the_same_list():
    assert render_inline('<b>ok</b><script>x</script><input type="checkbox">') == "<b>ok</b>x"


def test_a_typed_task_checkbox_does_not_pass_for_the_renderers_own():
    forged = '<ul class="contains-task-list"><li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled="disabled" data-own="1"></li></ul>'
    assert "<input" not in render_markdown(forged)


def test_stored_html_passed_through_the_sanitizer_again_is_unchanged():
    html = render_markdown(
        "# Notes\n\n- [x] done[^1]\n\n[^1]: A note.\n\n<details><summary>s</summary>b</details>"
    )
    assert sanitize(html) == html


def test_an_unclosed_script_tag_does_not_take_the_text_after_it():
    html = render_markdown("<SCRIPT SRC=http://xss.rocks/xss.js?< B > @reviewer, see this")
    assert "<script" not in html.lower()
    assert "@reviewer, see this" in html
