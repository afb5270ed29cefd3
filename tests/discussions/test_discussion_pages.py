"""Discussion pages: thread lists and filters, the comment tree, edits, deletes, hiding,
the moderation log, refused input, resent forms, counts on the chapter and book pages,
notifications. Long threads and query counts are in test_discussion_queries."""

import importlib
import re

import pytest
from django.apps import apps

from notes.lib.limits import MAX_COMMENT_BYTES
from notes.models import Comment, ModerationLog, Notification, Thread
from notes.services import moderation
from notes.services.discussions import comment_delete, comment_edit, comment_post, thread_resolve
from notes.services.history import chapter_render
from tests.factories import make_chapter, make_table, make_thread

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def thread_url(thread) -> str:
    return f"{CHAPTER}discussion/{thread.pk}/"


def first_comment(thread) -> Comment:
    return thread.comments.get(path="000001")


def comment_ids_in_page(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


# --- Lists and the tree -------------------------------------------------------------------------


def test_the_thread_list_filters_open_resolved_and_all(client, chapter, reader):
    make_thread(chapter=chapter, author=reader, title="Still open")
    done = make_thread(chapter=chapter, author=reader, title="All settled")
    thread_resolve(thread=done, actor=reader)

    def titles(query: str) -> set[str]:
        html = client.get(f"{CHAPTER}discussion/{query}").content.decode()
        return set(re.findall(r'class="thread-title"[^>]*>([^<]+)<', html))

    assert titles("") == {"Still open"}
    assert titles("?filter=open") == {"Still open"}
    assert titles("?filter=resolved") == {"All settled"}
    assert titles("?filter=all") == {"Still open", "All settled"}
    assert titles("?filter=bogus") == {"Still open"}


def test_the_thread_list_filters_by_place(client, chapter, reader):
    make_thread(chapter=chapter, author=reader, title="About the table", anchor="table:table-1")
    make_thread(chapter=chapter, author=reader, title="General")
    html = client.get(f"{CHAPTER}discussion/?filter=all&anchor=table:table-1").content.decode()
    assert "About the table" in html and "General" not in html
    assert f'href="{CHAPTER}#table-table-1"' in html


def test_replies_are_shown_as_a_nested_tree(client, thread, reader, editor):
    top = first_comment(thread)
    second = comment_post(thread=thread, author=editor, body="Second top-level.")
    reply = comment_post(thread=thread, author=editor, body="A reply.", parent_id=top.pk)
    nested = comment_post(thread=thread, author=reader, body="A nested reply.", parent_id=reply.pk)

    html = client.get(thread_url(thread)).content.decode()
    assert comment_ids_in_page(html) == [top.pk, reply.pk, nested.pk, second.pk]
    for comment, depth in ((top, 0), (reply, 1), (nested, 2), (second, 0)):
        assert re.search(rf'<li class="comment depth-{depth}[^"]*" id="comment-{comment.pk}"', html)
    assert "in reply to" not in html  # every reply sits right under its parent


def test_replies_past_the_depth_limit_are_flat_and_say_whom_they_answer(client, thread, reader, editor):
    chain = [first_comment(thread)]
    for level in range(6):
        author = editor if level % 2 else reader
        chain.append(
            comment_post(thread=thread, author=author, body=f"Level {level + 1}", parent_id=chain[-1].pk)
        )
    html = client.get(thread_url(thread)).content.decode()
    assert comment_ids_in_page(html) == [comment.pk for comment in chain]
    depths = [int(found) for found in re.findall(r'<li class="comment depth-(\d)', html)]
    assert depths == [0, 1, 2, 3, 4, 4, 4]
    assert html.count('class="meta in-reply-to"') == 2


def test_a_heading_in_a_comment_cannot_take_another_comments_anchor(client, thread, reader, editor):
    target = comment_post(thread=thread, author=reader, body="The real target.")
    impostor = comment_post(
        thread=thread, author=editor, body=f"# comment {target.pk}\n\n## reply body {target.pk}"
    )
    assert impostor.body_html == f"<h1>comment {target.pk}</h1>\n<h2>reply body {target.pk}</h2>\n"
    comment_edit(comment=impostor, editor=editor, body=f"# comment {target.pk}\n\nStill trying.")
    html = client.get(thread_url(thread)).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert ids.count(f"comment-{target.pk}") == 1


def test_the_migration_takes_heading_ids_out_of_stored_comments(thread, reader):
    strip_heading_ids = importlib.import_module(
        "notes.migrations.0009_comment_headings_without_ids"
    ).strip_heading_ids
    comment = first_comment(thread)
    stored = '<h1 id="comment-3">comment 3</h1>\n<p id="x">Text with id="kept".</p>\n<h4 id="a">A</h4>\n'
    Comment.objects.filter(pk=comment.pk).update(body_html=stored)
    strip_heading_ids(apps, None)
    assert Comment.objects.get(pk=comment.pk).body_html == (
        '<h1>comment 3</h1>\n<p id="x">Text with id="kept".</p>\n<h4>A</h4>\n'
    )


def test_an_edited_comment_says_edited_and_its_history_shows_every_version(client, thread, reader):
    comment = first_comment(thread)
    comment_edit(comment=comment, editor=reader, body="Second **version**.")
    html = client.get(thread_url(thread)).content.decode()
    assert f'href="/discussion/comments/{comment.pk}/history/">edited</a>' in html
    history = client.get(f"/discussion/comments/{comment.pk}/history/").content.decode()
    assert "Second <strong>version</strong>." in history
    assert "First comment." in history
    assert "replaced by reader" in history


def test_a_deleted_comment_shows_deleted_and_keeps_its_replies(client_for, thread, reader, editor, moderator):
    comment = first_comment(thread)
    reply = comment_post(thread=thread, author=editor, body="Still here.", parent_id=comment.pk)
    comment_delete(comment=comment, actor=reader)

    html = client_for(editor).get(thread_url(thread)).content.decode()
    assert comment_ids_in_page(html) == [comment.pk, reply.pk]
    assert '<p class="comment-removed">deleted</p>' in html
    assert "First comment." not in html and "Still here." in html
    assert client_for(editor).get(f"/discussion/comments/{comment.pk}/history/").status_code == 403
    assert (
        "First comment."
        in client_for(moderator).get(f"/discussion/comments/{comment.pk}/history/").content.decode()
    )


def test_a_hidden_comment_shows_its_text_and_reason_to_moderators_only(client_for, thread, editor, moderator):
    reply = comment_post(thread=thread, author=editor, body="Buy cheap watches.")
    moderation.comment_hide(comment=reply, moderator=moderator, reason="Spam link")

    for viewer in (None, editor):
        html = client_for(viewer).get(thread_url(thread)).content.decode()
        assert "Hidden by a moderator." in html
        assert "Buy cheap watches." not in html and "Spam link" not in html
    html = client_for(moderator).get(thread_url(thread)).content.decode()
    assert "Buy cheap watches." in html and "Spam link" in html and "Hidden by moderator" in html


def test_the_moderation_log_shows_who_what_when_and_why(client_for, thread, moderator):
    moderation.thread_lock(thread=thread, moderator=moderator, reason="Going in circles")
    html = client_for(moderator).get("/moderation/log/").content.decode()
    row = re.search(r"<tbody>(.*)</tbody>", html, re.DOTALL).group(1)
    assert "moderator" in row and "Locked a thread" in row and "Going in circles" in row
    assert "Why columns?" in row and "<time datetime=" in row


def test_a_locked_thread_says_so_and_offers_no_reply_form(client_for, thread, reader, moderator):
    moderation.thread_lock(thread=thread, moderator=moderator)
    html = client_for(reader).get(thread_url(thread)).content.decode()
    assert "This thread is locked: it takes no more replies." in html
    assert "/reply/" not in html


def test_a_moved_threads_old_address_leads_to_the_new_one(client, thread, book, moderator):
    moderation.thread_move(thread=thread, moderator=moderator, chapter=book.chapters.get(number=3))
    response = client.get(thread_url(thread))
    assert response.status_code == 302
    assert response.url == f"/books/test-book/chapters/3/discussion/{thread.pk}/"


# --- Refused input: a clear message, nothing written -----------------------------------------------


def counts() -> tuple[int, int]:
    return Thread.objects.count(), Comment.objects.count()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "A comment cannot be empty."),
        ("x" * (MAX_COMMENT_BYTES + 1), "A comment can be at most 64 KB; this one is 65 KB."),
    ],
    ids=["empty", "over-64-KB"],
)
def test_a_bad_reply_is_refused_with_its_message(client_for, thread, reader, body, message):
    before = counts()
    response = client_for(reader).post(f"/discussion/threads/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("body", ["", "x" * (MAX_COMMENT_BYTES + 1)], ids=["empty", "over-64-KB"])
def test_a_bad_first_comment_or_edit_is_refused_with_its_message(client_for, thread, reader, body):
    client = client_for(reader)
    before = counts()
    response = client.post(f"{CHAPTER}discussion/new/", {"title": "T", "body": body})
    assert response.status_code == 400 and "A comment can" in response.content.decode()
    comment = first_comment(thread)
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": body})
    assert response.status_code == 400 and "A comment can" in response.content.decode()
    assert counts() == before
    assert Comment.objects.get(pk=comment.pk).body == "First comment."


def test_a_reply_to_a_comment_of_another_thread_is_refused(client_for, thread, chapter, reader):
    other = make_thread(chapter=chapter, author=reader, title="Other")
    before = counts()
    response = client_for(reader).post(
        f"/discussion/threads/{thread.pk}/reply/", {"body": "Hi", "parent": first_comment(other).pk}
    )
    assert response.status_code == 400
    assert "You can only reply to a comment of this thread." in response.content.decode()
    assert counts() == before


def test_a_reply_to_a_deleted_comment_is_refused(client_for, thread, reader, editor):
    target = comment_post(thread=thread, author=editor, body="Gone soon.")
    comment_delete(comment=target, actor=editor)
    before = counts()
    response = client_for(reader).post(
        f"/discussion/threads/{thread.pk}/reply/", {"body": "Hi", "parent": target.pk}
    )
    assert response.status_code == 400
    assert "That comment was deleted; reply to the thread instead." in response.content.decode()
    assert counts() == before


def test_an_anchor_that_is_not_in_the_chapter_is_refused(client_for, book, reader):
    response = client_for(reader).post(
        f"{CHAPTER}discussion/new/", {"title": "T", "body": "B", "anchor": "table:no-such-table"}
    )
    assert response.status_code == 400
    assert (
        "That heading or table is not in this chapter; choose one from the list." in response.content.decode()
    )
    assert counts() == (0, 0)


def test_hiding_without_a_reason_is_refused(client_for, thread, moderator):
    response = client_for(moderator).post(
        f"/discussion/comments/{first_comment(thread).pk}/hide/", {"reason": ""}
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert ModerationLog.objects.count() == 0 and not first_comment(thread).is_hidden


@pytest.mark.parametrize("action", ["lock", "unlock", "pin", "unpin", "unhide"])
def test_a_moderation_reason_over_500_characters_is_refused_with_a_400_and_changes_nothing(
    client_for, thread, moderator, action
):
    comment = first_comment(thread)
    setup = {"unlock": moderation.thread_lock, "unpin": moderation.thread_pin}.get(action)
    if setup:
        setup(thread=thread, moderator=moderator)
    if action == "unhide":
        moderation.comment_hide(comment=comment, moderator=moderator, reason="Rude")
    target = f"/discussion/comments/{comment.pk}/unhide/" if action == "unhide" else None
    url = target or f"/discussion/threads/{thread.pk}/{action}/"
    before = (
        Thread.objects.filter(pk=thread.pk).values("is_locked", "is_pinned").get(),
        Comment.objects.get(pk=comment.pk).is_hidden,
        ModerationLog.objects.count(),
    )

    response = client_for(moderator).post(url, {"reason": "r" * 501})

    assert response.status_code == 400
    assert (
        "A reason can be at most 500 characters; this one has 501. Nothing was changed."
        in response.content.decode()
    )
    after = (
        Thread.objects.filter(pk=thread.pk).values("is_locked", "is_pinned").get(),
        Comment.objects.get(pk=comment.pk).is_hidden,
        ModerationLog.objects.count(),
    )
    assert after == before


def test_unhiding_a_deleted_comment_is_refused_with_a_message(client_for, thread, reader, moderator):
    comment = first_comment(thread)
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Spam")
    comment_delete(comment=comment, actor=reader)
    response = client_for(moderator).post(f"/discussion/comments/{comment.pk}/unhide/", follow=True)
    assert "This comment was deleted; there is no text to show again." in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).is_hidden
    assert not ModerationLog.objects.filter(action="unhide").exists()


def test_a_reply_form_sent_twice_posts_once(client_for, thread, reader):
    client = client_for(reader)
    page = client.get(thread_url(thread)).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f-]+)"', page).group(1)
    form = {"body": "Posted once.", "submission_token": token}

    first = client.post(f"/discussion/threads/{thread.pk}/reply/", form)
    second = client.post(f"/discussion/threads/{thread.pk}/reply/", form, follow=True)

    assert first.status_code == 302
    assert Comment.objects.filter(body="Posted once.").count() == 1
    assert "This form was already sent; the second submission was ignored." in second.content.decode()


TOKEN_RE = r'name="submission_token" value="([0-9a-f-]+)"'


def test_a_reply_form_resent_with_new_text_comes_back_with_the_text_and_a_fresh_token(
    client_for, thread, reader
):
    client = client_for(reader)
    token = re.search(TOKEN_RE, client.get(thread_url(thread)).content.decode()).group(1)
    client.post(
        f"/discussion/threads/{thread.pk}/reply/", {"body": "First reply.", "submission_token": token}
    )
    before = counts()

    # Back, type something else in the same form, send it.
    second = "A different, longer second thought."
    response = client.post(
        f"/discussion/threads/{thread.pk}/reply/", {"body": second, "submission_token": token}
    )

    assert response.status_code == 400 and counts() == before
    html = response.content.decode()
    assert "This form was already sent once, so this new text was not posted." in html
    form = re.search(r'<section class="reply-to-thread">.*?</form>', html, re.DOTALL).group(0)
    assert re.search(rf">\s*{second}</textarea>", form)
    fresh = re.search(TOKEN_RE, form).group(1)
    assert fresh != token
    resent = client.post(
        f"/discussion/threads/{thread.pk}/reply/", {"body": second, "submission_token": fresh}
    )
    assert resent.status_code == 302
    assert Comment.objects.filter(body=second).count() == 1


def test_a_nested_reply_resent_with_new_text_reopens_under_its_comment(client_for, thread, reader):
    client = client_for(reader)
    parent = first_comment(thread)
    token = re.search(TOKEN_RE, client.get(thread_url(thread)).content.decode()).group(1)
    form = {"body": "First answer.", "parent": parent.pk, "submission_token": token}
    client.post(f"/discussion/threads/{thread.pk}/reply/", form)

    response = client.post(f"/discussion/threads/{thread.pk}/reply/", {**form, "body": "Second answer."})

    assert response.status_code == 400
    html = response.content.decode()
    reply_box = re.search(r'<details class="reply" open>.*?</details>', html, re.DOTALL).group(0)
    assert "This form was already sent once" in reply_box and re.search(
        r">\s*Second answer.</textarea>", reply_box
    )
    assert re.search(TOKEN_RE, reply_box).group(1) != token
    assert not Comment.objects.filter(body="Second answer.").exists()


def test_a_thread_form_resent_with_new_text_comes_back_with_it_and_a_fresh_token(client_for, book, reader):
    client = client_for(reader)
    token = re.search(TOKEN_RE, client.get(f"{CHAPTER}discussion/new/").content.decode()).group(1)
    form = {"title": "Once", "body": "Only once.", "anchor": "", "submission_token": token}
    client.post(f"{CHAPTER}discussion/new/", form)

    response = client.post(f"{CHAPTER}discussion/new/", {**form, "title": "Twice", "body": "Another idea."})

    assert response.status_code == 400 and counts() == (1, 1)
    html = response.content.decode()
    assert "This form was already sent once, so this thread was not started." in html
    assert 'value="Twice"' in html and re.search(r">\s*Another idea.</textarea>", html)
    assert re.search(TOKEN_RE, html).group(1) != token


def test_a_thread_form_sent_twice_starts_one_thread(client_for, book, reader):
    client = client_for(reader)
    page = client.get(f"{CHAPTER}discussion/new/").content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f-]+)"', page).group(1)
    form = {"title": "Once", "body": "Only once.", "anchor": "", "submission_token": token}
    assert client.post(f"{CHAPTER}discussion/new/", form).status_code == 302
    assert client.post(f"{CHAPTER}discussion/new/", form).status_code == 302
    assert counts() == (1, 1)


# --- The starter's and the moderator's buttons ----------------------------------------------------


def test_the_starter_sees_resolve_and_others_do_not(client_for, thread, reader, editor):
    assert "Mark resolved" in client_for(reader).get(thread_url(thread)).content.decode()
    assert "Mark resolved" not in client_for(editor).get(thread_url(thread)).content.decode()
    client_for(reader).post(f"/discussion/threads/{thread.pk}/resolve/")
    html = client_for(reader).get(thread_url(thread)).content.decode()
    assert "Reopen" in html and '<span class="flag ok">resolved</span>' in html


def test_moderators_see_the_moderation_buttons_and_readers_do_not(client_for, thread, reader, moderator):
    buttons = ("Lock</button>", "Pin</button>", ">Move…</button>", ">Hide</a>")
    reader_html = client_for(reader).get(thread_url(thread)).content.decode()
    moderator_html = client_for(moderator).get(thread_url(thread)).content.decode()
    assert not any(button in reader_html for button in buttons)
    assert all(button in moderator_html for button in buttons)


def _action_form(html: str, action: str) -> str:
    """The form that posts ``action``: by its own address, or by a button's (the thread's
    moderation menu is one form whose buttons each post to their action)."""
    for found in re.finditer(r'<form method="post" action="[^"]*"[^>]*>.*?</form>', html, re.DOTALL):
        form = found.group(0)
        if re.search(rf'(?:action|formaction)="[^"]*/{action}/"', form):
            return form
    raise AssertionError(f"no {action} form")


def test_every_moderator_button_carries_an_optional_reason_that_is_logged(client_for, thread, moderator):
    client = client_for(moderator)
    comment = first_comment(thread)
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Rude")
    html = client.get(thread_url(thread)).content.decode()
    for action in ("lock", "pin", "unhide"):
        assert re.search(r'<input type="text" name="reason"[^>]*maxlength="500"', _action_form(html, action))

    for action, reason in (("lock", "Going in circles"), ("pin", "Reading list for everyone")):
        client.post(f"/discussion/threads/{thread.pk}/{action}/", {"reason": reason})
    html = client.get(thread_url(thread)).content.decode()
    for action in ("unlock", "unpin"):
        assert re.search(r'<input type="text" name="reason"[^>]*maxlength="500"', _action_form(html, action))

    client.post(f"/discussion/threads/{thread.pk}/unlock/", {"reason": "Calmer now"})
    client.post(f"/discussion/threads/{thread.pk}/unpin/", {"reason": ""})
    client.post(f"/discussion/comments/{comment.pk}/unhide/", {"reason": "Apology received"})
    assert dict(ModerationLog.objects.exclude(action="hide").values_list("action", "reason")) == {
        "lock": "Going in circles",
        "pin": "Reading list for everyone",
        "unlock": "Calmer now",
        "unpin": "",
        "unhide": "Apology received",
    }


def test_a_moderator_resolving_anothers_thread_is_asked_why_and_the_starter_is_not(
    client_for, thread, chapter, moderator
):
    client = client_for(moderator)
    html = client.get(thread_url(thread)).content.decode()
    assert 'name="reason"' in _action_form(html, "resolve")
    own = make_thread(chapter=chapter, author=moderator, title="My own question")
    assert 'name="reason"' not in _action_form(client.get(thread_url(own)).content.decode(), "resolve")

    client.post(f"/discussion/threads/{thread.pk}/resolve/", {"reason": "Answered below"})
    assert 'name="reason"' in _action_form(client.get(thread_url(thread)).content.decode(), "reopen")
    client.post(f"/discussion/threads/{thread.pk}/reopen/", {"reason": "Not answered after all"})
    response = client.post(f"/discussion/threads/{thread.pk}/resolve/", {"reason": "r" * 501})
    assert (
        response.status_code == 400 and "A reason can be at most 500 characters" in response.content.decode()
    )

    assert list(ModerationLog.objects.values_list("action", "reason")) == [
        ("reopen", "Not answered after all"),
        ("resolve", "Answered below"),
    ]
    assert not Thread.objects.get(pk=thread.pk).is_resolved


# --- Counts on the chapter and book pages -----------------------------------------------------------


def test_the_chapter_page_counts_threads_at_each_table_and_heading(client, book, reader):
    chapter = make_chapter(book=book, number=7, body="## Storage\n\nText.\n\n[[table:table-1]]", tables=0)
    make_table(chapter=chapter, slug="table-1", title="Row versus column")
    chapter_render(chapter)
    chapter.save_without_historical_record(update_fields=["body_html", "contents"])
    make_thread(chapter=chapter, author=reader, title="On the table", anchor="table:table-1")
    make_thread(chapter=chapter, author=reader, title="Also the table", anchor="table:table-1")
    resolved = make_thread(chapter=chapter, author=reader, title="On storage", anchor="heading:storage")
    thread_resolve(thread=resolved, actor=reader)

    html = client.get("/books/test-book/chapters/7/").content.decode()
    assert '<span class="thread-count">2 open threads</span></a> <span class="meta">of 3</span>' in html
    table_badge = re.search(
        r'</figure><p class="discussed-place" data-anchor="table:table-1">(.*?)</p>', html
    )
    assert table_badge and "2 threads" in table_badge.group(1)
    assert (
        'href="/books/test-book/chapters/7/discussion/?filter=all&amp;anchor=table%3Atable-1"'
        in table_badge.group(1)
    )
    heading = re.search(
        r'<h2 id="storage">Storage<a class="permalink" href="#storage" aria-label="Link to this section">#</a>'
        r'</h2><p class="discussed-place" data-anchor="heading:storage">(.*?)</p>',
        html,
    )
    assert heading and "1 thread<" in heading.group(1)
    # The thread page links back to the place.
    thread = Thread.objects.get(title="On the table")
    page = client.get(f"/books/test-book/chapters/7/discussion/{thread.pk}/").content.decode()
    assert 'href="/books/test-book/chapters/7/#table-table-1">Row versus column</a>' in page


def test_the_chapter_page_offers_to_discuss_a_table_to_those_who_can(client_for, book, reader):
    assert "Discuss this table" not in client_for(None).get(CHAPTER).content.decode()
    html = client_for(reader).get(CHAPTER).content.decode()
    assert (
        'href="/books/test-book/chapters/1/discussion/new/?anchor=table%3Atable-1">Discuss this table</a>'
        in html
    )
    form = client_for(reader).get(f"{CHAPTER}discussion/new/?anchor=table:table-1").content.decode()
    assert '<option value="table:table-1" selected>Table: Table table-1</option>' in form


def test_the_book_page_counts_threads_per_chapter(client, book, chapter, reader):
    make_thread(chapter=chapter, author=reader, title="One")
    done = make_thread(chapter=chapter, author=reader, title="Two")
    thread_resolve(thread=done, actor=reader)
    html = client.get("/books/test-book/").content.decode()
    assert "1 open of 2 threads" in html
    assert html.count('class="meta thread-count"') == 1  # chapters without threads show nothing


# --- Notifications ---------------------------------------------------------------------------------


def test_my_notifications_list_mentions_and_mark_them_read(client_for, thread, editor, reviewer):
    comment = comment_post(thread=thread, author=editor, body="@reviewer have a look")
    client = client_for(reviewer)
    html = client.get("/notifications/").content.decode()
    assert "<strong>editor</strong> mentioned you" in html
    assert f'href="/discussion/comments/{comment.pk}/"' in html
    assert 'class="notification unread"' in html
    client.post("/notifications/read/")
    assert Notification.objects.get(recipient=reviewer).read_at is not None
    assert 'class="notification unread"' not in client.get("/notifications/").content.decode()
    assert "Nothing yet. Watch a book" in client_for(editor).get("/notifications/").content.decode()


def test_the_nav_counts_unread_mentions_on_every_page_until_they_are_read(
    client_for, thread, editor, reviewer
):
    badge = '<span class="badge" title="new notifications">'
    comment_post(thread=thread, author=editor, body="@reviewer have a look")
    comment_post(thread=thread, author=editor, body="@reviewer and this one")
    client = client_for(reviewer)
    assert f"{badge}2</span>" in client.get("/").content.decode()
    assert badge not in client_for(editor).get("/").content.decode()  # the author was not mentioned
    client.post("/notifications/read/")
    assert badge not in client.get("/").content.decode()


def test_a_mention_links_to_the_users_page(client, thread, editor, reviewer):
    comment_post(thread=thread, author=editor, body="@reviewer have a look")
    html = client.get("/users/editor/").content.decode()
    assert "Why columns?" in html
    assert client.get("/users/nobody/").status_code == 404
