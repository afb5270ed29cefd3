"""Reading groups: a book's groups, one group with its members and meetings, and marking
one's progress. A private group is invisible to outsiders: absent from lists and 404 on its
own address, exactly as on the pages (``notes.selectors.groups``)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from notes import permissions
from notes.api.core import Problem, require_read, require_scope
from notes.api.schemas import GroupDetailOut, GroupList, ProgressIn, ProgressOut
from notes.selectors import books as book_selectors
from notes.selectors import groups as group_selectors
from notes.services import groups as services

router = Router(tags=["groups"])


def group_out(group, is_member: bool) -> dict:
    return {
        "slug": group.slug,
        "name": group.name,
        "book": group.book.slug,
        "description": group.description,
        "is_private": group.is_private,
        "is_member": is_member,
        "url": group.get_absolute_url(),
    }


@router.get("/books/{book_slug}/groups", response=GroupList, summary="The book's reading groups you may see")
def group_list(request: HttpRequest, book_slug: str):
    require_read(request)
    book = book_selectors.book_get(slug=book_slug)
    groups = group_selectors.book_groups(book=book, user=request.user)
    for group in groups:
        group.book = book
    return {"items": [group_out(group, group.is_member) for group in groups]}


@router.get(
    "/groups/{group_slug}", response=GroupDetailOut, summary="One reading group with members and meetings"
)
def group_detail(request: HttpRequest, group_slug: str):
    require_read(request)
    group, is_member = group_selectors.visible_group_get(slug=group_slug, user=request.user)
    page = group_selectors.group_page(group=group)
    meetings = sorted([*page.past, *page.upcoming], key=lambda meeting: meeting.starts_at)
    return {
        **group_out(group, is_member),
        "members": [membership.user.username for membership in page.memberships],
        "meetings": [
            {
                "id": meeting.pk,
                "starts_at": meeting.starts_at,
                "place_or_link": meeting.place_or_link,
                "first_chapter": meeting.first_chapter,
                "last_chapter": meeting.last_chapter,
                "notes": meeting.notes,
            }
            for meeting in meetings
        ],
    }


@router.post("/books/{book_slug}/progress", response=ProgressOut, summary="Mark how far you have read")
def progress_mark(request: HttpRequest, book_slug: str, data: ProgressIn):
    require_scope(request, permissions.API_SCOPE_WRITE, request.user.is_authenticated)
    book = book_selectors.book_get(slug=book_slug)
    try:
        services.progress_mark(user=request.user, book=book, chapter_number=data.chapter)
    except PermissionDenied as error:
        raise Problem(403, "Forbidden", str(error)) from None
    except services.GroupError as error:
        raise Problem(422, "Refused", str(error)) from None
    return {"book": book.slug, "progress": data.chapter}
