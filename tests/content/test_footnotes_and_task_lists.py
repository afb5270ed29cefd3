"""Footnotes and task lists: rendered by mdit-py-plugins, with ids that cannot collide."""

import re

import pytest

from notes.lib.markup import render_markdown
from notes.services.reviews import change_request_approve
from tests.factories import propose_chapter_edit

NOTES = "Feature stores[^store] help.\n\n[^store]: See chapter 5."


def test_a_footnote_reference_links_to_its_note_and_back():
    html = render_markdown(NOTES)
    ref = re.search(r'<sup class="footnote-ref"><a href="#(fn\.[^"]+)" id="(fnref\.[^"]+)"', html)
    assert ref, html
    note_id, ref_id = ref.groups()
    assert f'<li id="{note_id}" class="footnote-item"><p>See chapter 5.' in html
    assert f'<a href="#{ref_id}" class="footnote-backref" aria-label="Back to the text"' in html
    assert '<section class="footnotes">' in html


def test_footnote_ids_never_take_a_heading_id():
    html = render_markdown("## fn 1\n\n## fnref 1\n\nText[^1]\n\n[^1]: Note.")
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), ids
    headings = re.findall(r'<h2 id="([^"]+)"', html)
    assert headings == ["fn-1", "fnref-1"]


def test_two_texts_on_one_page_number_their_footnotes_apart():
    chapter = render_markdown("Chapter text[^1]\n\n[^1]: Chapter note.")
    comment = render_markdown("A comment[^1]\n\n[^1]: Comment note.", heading_ids=False)
    chapter_ids = set(re.findall(r'id="([^"]+)"', chapter))
    comment_ids = set(re.findall(r'id="([^"]+)"', comment))
    assert chapter_ids and comment_ids and not chapter_ids & comment_ids


def test_the_same_text_gets_the_same_footnote_ids_so_versions_compare_cleanly():
    assert render_markdown(NOTES) == render_markdown(NOTES)


def test_footnotes_across_a_table_placeholder_are_one_list():
    html = render_markdown("Before[^a]\n[[table:missing]]\nAfter[^b]\n\n[^a]: First.\n[^b]: Second.")
    assert html.count('<section class="footnotes">') == 1
    assert html.count('class="footnote-item"') == 2
    assert html.index("Missing comparison table") < html.index("After")


def test_a_reference_without_a_note_stays_text():
    assert render_markdown("Text[^nothing]") == "<p>Text[^nothing]</p>\n"


def test_task_list_items_are_disabled_checkboxes_labelled_by_their_text():
    html = render_markdown("- [ ] Read chapter 6\n- [x] Read chapter 5\n- plain item")
    assert '<ul class="contains-task-list">' in html
    assert (
        '<li class="task-list-item"><label><input class="task-list-item-checkbox" type="checkbox" '
        'disabled="disabled"> Read chapter 6</label></li>'
    ) in html
    assert 'disabled="disabled" checked="checked"> Read chapter 5</label></li>' in html
    assert "<li>plain item</li>" in html


def test_brackets_that_are_not_a_task_stay_text():
    html = render_markdown("- [y] not a task\n- [] neither")
    assert "<input" not in html
    assert "[y] not a task" in html


def test_a_given_prefix_names_the_footnotes():
    html = render_markdown(NOTES, footnote_prefix="c3")
    assert 'id="fn.c3.1"' in html and 'href="#fnref.c3.1"' in html


@pytest.mark.django_db
def test_a_chapters_footnote_ids_stay_put_across_versions_and_differ_between_chapters(
    client, book, editor, reviewer
):
    first, second = book.chapters.get(number=1), book.chapters.get(number=2)
    for chapter, text in ((first, "One[^a]\n\n[^a]: A."), (second, "Two[^a]\n\n[^a]: B.")):
        request = propose_chapter_edit(editor, chapter, text)
        assert f'id="fn.c{chapter.number}.1"' in request.rendered_html
        assert change_request_approve(change_request=request, reviewer=reviewer).published
    edit = propose_chapter_edit(editor, first, "One, edited[^a]\n\n[^a]: A.")
    assert "Link:" not in edit.rendered_diff_html  # only the words changed, not the ids
    export = client.get(f"/books/{book.slug}/download/html/").content.decode()
    ids = re.findall(r'id="(fn[^"]*)"', export)
    assert len(ids) == 4 and len(set(ids)) == 4
