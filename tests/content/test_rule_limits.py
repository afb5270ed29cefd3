"""Every size and length limit lives in notes.lib.limits: the models' columns, the forms, the
notes formats and the services all read it there."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from notes.admin.discussions import HideReasonForm, OptionalModerationReasonForm
from notes.formats import FormatError, parse_markdown
from notes.forms.discussions import (
    OptionalReasonForm,
    ReasonForm,
    ThreadMoveForm,
    ThreadRenameForm,
    ThreadStartForm,
)
from notes.forms.groups import GroupForm, MeetingForm
from notes.forms.reviews import BookForm, ChangeForm, ChapterForm, NewBookForm, NewChapterForm, TableMetaForm
from notes.lib import limits
from notes.models import (
    Book,
    ChangeRequest,
    Chapter,
    Comment,
    ComparisonTable,
    Meeting,
    ModerationLog,
    ReadingGroup,
    SearchDocument,
    Thread,
)
from notes.selectors.search_engine import parse
from notes.services.book_proposals import UploadError, notes_upload_read
from notes.services.discussions import DiscussionError, comment_post, thread_start
from notes.services.groups import GroupError, group_create, meeting_create
from notes.services.images import ImageRefused, image_clean
from notes.services.moderation import comment_hide, thread_rename
from notes.services.quotes import QuoteError, QuoteSelection, quote_resolve
from notes.services.reviews import ReviewError, change_request_create
from tests.factories import make_book, make_thread

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind


def max_length(model, name):
    return model._meta.get_field(name).max_length


def test_the_columns_hold_exactly_the_limits():
    assert max_length(Book, "title") == max_length(Chapter, "title") == limits.MAX_TITLE_LENGTH
    assert (
        max_length(Book, "author")
        == max_length(ChangeRequest, "book_author")
        == limits.MAX_BOOK_AUTHOR_LENGTH
    )
    assert (
        max_length(Book, "domains")
        == max_length(ChangeRequest, "book_domains")
        == limits.MAX_BOOK_DOMAINS_LENGTH
    )
    assert (
        max_length(ComparisonTable, "title")
        == max_length(ChangeRequest, "title")
        == limits.MAX_TABLE_TITLE_LENGTH
    )
    assert max_length(Book, "slug") == max_length(ComparisonTable, "slug") == limits.MAX_SLUG_LENGTH
    assert max_length(ChangeRequest, "slug") == limits.MAX_SLUG_LENGTH
    assert max_length(ChangeRequest, "summary") == limits.MAX_SUMMARY_LENGTH


def test_the_forms_take_no_more_than_the_limits():
    def field(form, name):
        return form.base_fields[name]

    assert field(ChangeForm, "summary").max_length == limits.MAX_SUMMARY_LENGTH
    assert (
        field(ChapterForm, "title").max_length
        == field(BookForm, "title").max_length
        == limits.MAX_TITLE_LENGTH
    )
    assert field(BookForm, "book_author").max_length == limits.MAX_BOOK_AUTHOR_LENGTH
    assert field(BookForm, "book_domains").max_length == limits.MAX_BOOK_DOMAINS_LENGTH
    assert (
        field(NewBookForm, "slug").max_length
        == field(TableMetaForm, "slug").max_length
        == limits.MAX_SLUG_LENGTH
    )
    assert field(TableMetaForm, "title").max_length == limits.MAX_TABLE_TITLE_LENGTH
    number = NewChapterForm().fields["number"]
    # The browser is told the range; the form refuses outside it in the rule's own words.
    assert (number.widget.attrs["min"], number.widget.attrs["max"]) == (
        limits.MIN_CHAPTER_NUMBER,
        limits.MAX_CHAPTER_NUMBER,
    )
    for outside in (limits.MIN_CHAPTER_NUMBER - 1, limits.MAX_CHAPTER_NUMBER + 1):
        form = NewChapterForm({"number": str(outside), "title": "T", "body": "", "summary": "s"})
        assert form.errors["number"] == [limits.chapter_number_refusal(outside)]


def test_the_notes_formats_refuse_a_title_one_past_the_limit():
    parse_markdown(f"# {'t' * limits.MAX_TITLE_LENGTH}\n")
    with pytest.raises(FormatError, match=f"expected at most {limits.MAX_TITLE_LENGTH}$"):
        parse_markdown(f"# {'t' * (limits.MAX_TITLE_LENGTH + 1)}\n")


def test_the_service_refuses_a_title_one_past_the_limit(editor):
    book = make_book(chapters=1)
    with pytest.raises(ReviewError, match=f"the limit is {limits.MAX_TITLE_LENGTH}"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_EDIT,
            chapter=book.chapters.get(),
            summary="s",
            content={"title": "t" * (limits.MAX_TITLE_LENGTH + 1), "body": ""},
        )


def test_the_service_refuses_a_summary_one_past_the_limit(editor):
    book = make_book(chapters=1)
    with pytest.raises(ReviewError, match=f"the limit is {limits.MAX_SUMMARY_LENGTH}"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_EDIT,
            chapter=book.chapters.get(),
            summary="s" * (limits.MAX_SUMMARY_LENGTH + 1),
            content={"title": "T", "body": ""},
        )


def test_an_upload_one_byte_past_the_limit_is_refused():
    with pytest.raises(UploadError, match="the limit is 1 MB"):
        notes_upload_read(data=b"# B\n" + b"x" * (limits.MAX_UPLOAD_BYTES - 3), filename="big.md")


# --- Discussions, reading groups, images, the preview and search ------------------------------


def test_the_other_columns_hold_exactly_the_limits():
    assert max_length(Thread, "title") == limits.MAX_THREAD_TITLE_LENGTH
    assert max_length(Thread, "anchor_label") == limits.MAX_ANCHOR_LABEL_LENGTH
    assert max_length(Comment, "hidden_reason") == limits.MAX_REASON_LENGTH
    assert max_length(ModerationLog, "details") == limits.MAX_MODERATION_DETAILS_LENGTH
    assert max_length(ReadingGroup, "name") == limits.MAX_GROUP_NAME_LENGTH
    assert max_length(ReadingGroup, "slug") == limits.MAX_SLUG_LENGTH
    assert max_length(Meeting, "place_or_link") == limits.MAX_MEETING_PLACE_LENGTH
    for name in ("title", "label", "context"):
        assert max_length(SearchDocument, name) == limits.MAX_SEARCH_LABEL_LENGTH
    assert max_length(SearchDocument, "url") == limits.MAX_SEARCH_URL_LENGTH


def test_the_other_forms_take_no_more_than_the_limits():
    def field(form, name):
        return form.base_fields[name].max_length

    assert (
        field(ThreadStartForm, "title") == field(ThreadRenameForm, "title") == limits.MAX_THREAD_TITLE_LENGTH
    )
    assert (
        field(ThreadStartForm, "quote_prefix")
        == field(ThreadStartForm, "quote_suffix")
        == limits.MAX_QUOTE_CONTEXT_LENGTH
    )
    for form in (ReasonForm, OptionalReasonForm, ThreadMoveForm, ThreadRenameForm):
        assert field(form, "reason") == limits.MAX_REASON_LENGTH
    for form in (HideReasonForm, OptionalModerationReasonForm):
        assert field(form, "reason") == limits.MAX_REASON_LENGTH
    assert field(GroupForm, "name") == limits.MAX_GROUP_NAME_LENGTH
    assert field(GroupForm, "slug") == limits.MAX_SLUG_LENGTH
    assert (
        field(GroupForm, "description") == field(MeetingForm, "notes") == limits.MAX_GROUP_DESCRIPTION_LENGTH
    )
    assert field(MeetingForm, "place_or_link") == limits.MAX_MEETING_PLACE_LENGTH


def test_the_service_refuses_a_thread_title_one_past_the_limit(chapter, reader):
    with pytest.raises(DiscussionError, match=f"at most {limits.MAX_THREAD_TITLE_LENGTH} characters"):
        thread_start(
            chapter=chapter, author=reader, title="t" * (limits.MAX_THREAD_TITLE_LENGTH + 1), body="b"
        )
    thread = thread_start(
        chapter=chapter, author=reader, title="t" * limits.MAX_THREAD_TITLE_LENGTH, body="b"
    )
    assert len(thread.title) == limits.MAX_THREAD_TITLE_LENGTH


def test_the_service_refuses_a_comment_one_byte_past_the_limit(chapter, reader):
    thread = make_thread(chapter=chapter, author=reader)
    with pytest.raises(DiscussionError, match="A comment can be at most 64 KB; this one is 65 KB."):
        comment_post(thread=thread, author=reader, body="x" * (limits.MAX_COMMENT_BYTES + 1))
    comment_post(thread=thread, author=reader, body="x" * limits.MAX_COMMENT_BYTES)


def test_the_service_refuses_a_reason_one_past_the_limit(chapter, reader, moderator):
    thread = make_thread(chapter=chapter, author=reader)
    comment = thread.comments.get()
    too_long = f"A reason can be at most {limits.MAX_REASON_LENGTH} characters."
    with pytest.raises(DiscussionError, match=too_long):
        comment_hide(comment=comment, moderator=moderator, reason="r" * (limits.MAX_REASON_LENGTH + 1))
    with pytest.raises(DiscussionError, match=too_long):
        thread_rename(
            thread=thread, moderator=moderator, title="New", reason="r" * (limits.MAX_REASON_LENGTH + 1)
        )
    comment_hide(comment=comment, moderator=moderator, reason="r" * limits.MAX_REASON_LENGTH)


def test_the_service_refuses_a_quote_shorter_than_the_least_and_cuts_one_past_the_most(chapter):
    sentence = "word " * limits.MAX_QUOTE_LENGTH
    body_html = f"<p>{sentence}</p>"
    with pytest.raises(QuoteError, match=f"Select at least {limits.MIN_QUOTE_LENGTH} characters"):
        quote_resolve(
            body_html=body_html, selection=QuoteSelection(exact="w" * (limits.MIN_QUOTE_LENGTH - 1))
        )
    quoted = quote_resolve(
        body_html=body_html, selection=QuoteSelection(exact=sentence[: limits.MAX_QUOTE_LENGTH + 1])
    )
    assert quoted.was_cut and len(quoted.exact) <= limits.MAX_QUOTE_LENGTH


def test_the_service_refuses_a_group_name_one_past_the_limit(book, moderator):
    with pytest.raises(
        GroupError, match=f"A group's name is at most {limits.MAX_GROUP_NAME_LENGTH} characters."
    ):
        group_create(book=book, actor=moderator, name="n" * (limits.MAX_GROUP_NAME_LENGTH + 1))
    group = group_create(book=book, actor=moderator, name="n" * limits.MAX_GROUP_NAME_LENGTH)
    assert len(group.slug) == limits.MAX_SLUG_LENGTH  # the address made from the name is cut to fit


def test_the_service_refuses_a_group_description_one_past_the_limit(book, moderator):
    with pytest.raises(
        GroupError,
        match=f"A group's description is at most {limits.MAX_GROUP_DESCRIPTION_LENGTH} characters.",
    ):
        group_create(
            book=book,
            actor=moderator,
            name="Club",
            description="d" * (limits.MAX_GROUP_DESCRIPTION_LENGTH + 1),
        )


def test_the_service_refuses_a_meeting_place_one_past_the_limit(book, moderator):
    group = group_create(book=book, actor=moderator, name="Club")
    number = book.chapters.first().number
    starts_at = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(
        GroupError, match=f"A place or link is at most {limits.MAX_MEETING_PLACE_LENGTH} characters."
    ):
        meeting_create(
            group=group,
            actor=moderator,
            starts_at=starts_at,
            first_chapter=number,
            last_chapter=number,
            place_or_link="p" * (limits.MAX_MEETING_PLACE_LENGTH + 1),
        )


def test_the_service_refuses_an_image_one_byte_past_the_limit():
    with pytest.raises(ImageRefused, match=f"images are at most 5 MB \\({limits.MAX_IMAGE_BYTES:,} bytes\\)"):
        image_clean(data=b"\x89PNG" + b"\0" * (limits.MAX_IMAGE_BYTES - 3))


def test_the_service_refuses_an_image_past_the_pixel_limit():
    width = 8000
    height = limits.MAX_IMAGE_PIXELS // width + 1  # one row past the limit
    out = BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    with pytest.raises(
        ImageRefused, match=f"images are at most {limits.MAX_IMAGE_PIXELS // 1_000_000} megapixels"
    ):
        image_clean(data=out.getvalue())


def test_the_preview_declines_a_text_one_byte_past_its_limit(chapter, editor, client_for):
    content = "x" * (limits.MAX_PREVIEW_BYTES + 1)
    response = client_for(editor).post("/preview/markdown/", {"content": content})
    assert response.status_code == 200
    assert "The live preview shows texts up to 160 KB; this one is 160 KB." in response.content.decode()


def test_a_search_one_character_or_one_term_past_the_limits_is_cut_and_says_so():
    assert not parse("q" * limits.MAX_SEARCH_QUERY_LENGTH).was_cut
    longer = parse("q" * (limits.MAX_SEARCH_QUERY_LENGTH + 1))
    assert longer.was_cut and len(longer.text) == limits.MAX_SEARCH_QUERY_LENGTH
    words = [f"word{index}" for index in range(limits.MAX_SEARCH_TERMS + 1)]
    assert not parse(" ".join(words[:-1])).was_cut
    more = parse(" ".join(words))
    assert more.was_cut and sum(len(group) for group in more.groups) == limits.MAX_SEARCH_TERMS


def test_the_messages_name_the_limits_in_bytes_as_people_read_them():
    assert limits.size_text(limits.MAX_UPLOAD_BYTES) == "1 MB"
    assert limits.size_text(limits.MAX_IMAGE_BYTES) == "5 MB"
    assert limits.size_text(limits.MAX_COMMENT_BYTES) == "64 KB"
    assert limits.size_text(limits.MAX_PREVIEW_BYTES) == "160 KB"
