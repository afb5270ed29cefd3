"""django-markdownx's own upload and markdownify views stay unmounted (CVE-2024-2319)."""

import pytest
from django.urls import Resolver404, resolve

from tests.security.test_url_walk import all_patterns


def test_no_url_leads_to_a_markdownx_view():
    views = {pattern.callback.__module__ for pattern in all_patterns()}
    assert not [module for module in views if module.startswith("markdownx")]


@pytest.mark.parametrize("path", ["/markdownx/upload/", "/markdownx/markdownify/"])
def test_markdownx_addresses_resolve_to_nothing(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_editor_posts_its_preview_to_our_own_view(client_for, editor, chapter):
    html = client_for(editor).get(f"/books/{chapter.book.slug}/chapters/1/edit/").text
    assert f'data-markdownx-urls-path="/preview/markdown/?chapter={chapter.pk}"' in html
    assert "data-markdownx-upload-urls-path" not in html
