"""A signed-in reader's chapter page is kept once per variant (roles, folding, time zone)
with holes for what is the reader's own: every reader still sees exactly their own page."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe

from notes.lib.skeletons import render_skeleton
from notes.services.groups import group_create, progress_mark
from notes.services.people import profile_update
from notes.services.watching import watch_add
from tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def _same(html: str) -> str:
    # Each page masks its CSRF token afresh; the rest is compared byte for byte.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def kept_and_whole(client) -> tuple[str, str]:
    """The page as served (from the kept skeleton) and as the whole template renders it
    (an address with a query string is never served from a skeleton)."""
    kept = client.get(CHAPTER)
    whole = client.get(CHAPTER + "?whole=1")
    assert kept.status_code == whole.status_code == 200
    return _same(kept.content.decode()), _same(whole.content.decode()).replace("?whole=1", "")


def test_two_readers_of_one_variant_each_see_their_own_page(
    chapter, client_for, reader, editor, moderator, django_capture_on_commit_callbacks
):
    other = make_user("second_reader", role="Reader")
    watch_add(user=other, target=chapter)
    group_create(book=chapter.book, actor=moderator, name="Tuesday club", members=[other])
    progress_mark(user=other, book=chapter.book, chapter_number=2)
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(
            chapter=chapter, author=editor, title="Mentioning", body="What does @second_reader think?"
        )

    first_kept, first_whole = kept_and_whole(client_for(reader))  # builds the skeleton
    second_kept, second_whole = kept_and_whole(client_for(other))  # fills it

    assert first_kept == first_whole
    assert second_kept == second_whole
    assert ">reader</a>" in first_kept and "second_reader" not in first_kept.split("<main")[0]
    assert ">second_reader</a>" in second_kept
    assert 'title="new notifications">1<' in second_kept and 'title="new notifications"' not in first_kept
    assert "Watching · Unwatch" in second_kept and "Watch this chapter" in first_kept
    assert "You have read up to chapter 2" in second_kept and "You have read up to" not in first_kept


def test_the_kept_part_holds_nothing_of_the_reader_who_built_it(chapter, client_for, reader):
    response = client_for(reader).get(CHAPTER + "?whole=1")  # rendered whole: its context is at hand
    context = response.context[0].flatten()
    skeleton = render_skeleton("notes/chapter_detail.html", context, response.wsgi_request)
    kept = "".join(skeleton.parts[0::2])
    assert skeleton.parts[1::2] == (
        "menu-dot",
        "notifications",
        "reviews",
        "account",
        "messages",
        "watch",
        "drafting",
        "progress",
    )
    assert "reader" not in kept and "Log out" not in kept and "csrfmiddlewaretoken" not in kept
    assert chapter.title in kept


def test_roles_and_time_zones_are_variants_of_their_own(chapter, client_for, reader, editor, admin_user):
    late = make_user("late_reader", role="Reader")
    profile_update(user=late, display_name="", time_zone="Pacific/Kiritimati")  # UTC+14
    for user in (reader, editor, admin_user, late):
        kept, whole = kept_and_whole(client_for(user))
        assert kept == whole, user.username
    editor_page, _ = kept_and_whole(client_for(editor))
    reader_page, _ = kept_and_whole(client_for(reader))
    assert "/edit/" in editor_page and "Add a table" in editor_page
    assert "Add a table" not in reader_page


def test_a_flash_message_is_shown_once_on_a_kept_page(chapter, client_for, reader):
    client = client_for(reader)
    client.get(CHAPTER)  # the skeleton is kept
    client.post(f"/watching/chapter/{chapter.pk}/watch/", {"next": CHAPTER})
    assert "You now watch" in client.get(CHAPTER).content.decode()
    assert "You now watch" not in client.get(CHAPTER).content.decode()


def test_a_page_whose_own_text_holds_a_marker_is_rendered_whole(chapter, client_for, reader, monkeypatch):
    # PostgreSQL refuses NUL in text and forms refuse it too, so only a rendering could
    # hold one: a chapter part whose HTML does stands for it.
    from notes.views import reading

    def odd_reading(**kwargs):
        part = real_reading(**kwargs)
        return {**part, "reading_html": mark_safe(part["reading_html"] + "Odd \x00hole:account\x00 text")}  # noqa: S308 (a constant)

    real_reading = reading._chapter_reading
    monkeypatch.setattr(reading, "_chapter_reading", odd_reading)
    client = client_for(reader)
    kept, whole = kept_and_whole(client)
    assert kept == whole
    assert kept.count("Log out") == 1


def test_a_hole_renders_in_place_outside_a_skeleton_and_names_are_checked():
    rendered = Template('{% load holes %}a{% hole "name-1" %}{{ x }}{% endhole %}b').render(
        Context({"x": "X"})
    )
    assert rendered == "aXb"
    for bad in ("{% hole name %}", '{% hole "Name" %}', '{% hole "a" "b" %}', "{% hole \"a' %}"):
        with pytest.raises(TemplateSyntaxError):
            Template("{% load holes %}" + bad + "{% endhole %}")
