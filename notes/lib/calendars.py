"""A reading group's meetings as RFC 5545 iCalendar, written by the ``icalendar`` package."""

import datetime

from django.urls import reverse
from icalendar import Calendar, Event, vText

PRODUCT_ID = "-//Chapterwise//Reading groups//EN"


def meeting_uid(meeting, host: str) -> str:
    """The same for a meeting in every feed and every download: calendar apps update it."""
    return f"meeting-{meeting.pk}@{host}"


def meetings_calendar(request, group, meetings) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    # An X- property is written as given unless typed as text: a line feed in a group name
    # or a book title failed every calendar of it, and a bare CR started a new property.
    calendar.add("x-wr-calname", vText(f"{group.name} ({group.book.title})"))
    host = request.get_host().split(":")[0] or "chapterwise"
    for meeting in meetings:
        url = request.build_absolute_uri(
            reverse("notes:meeting-detail", kwargs={"group_slug": group.slug, "meeting_id": meeting.pk})
        )
        chapters = ", ".join(
            request.build_absolute_uri(
                reverse("notes:chapter-detail", kwargs={"book_slug": group.book.slug, "number": number})
            )
            for number in meeting.chapter_numbers
        )
        description = f"{meeting.chapters_label} of {group.book.title}: {chapters}"
        if meeting.notes:
            description += f"\n\n{meeting.notes}"
        event = Event()
        event.add("uid", meeting_uid(meeting, host))
        event.add("dtstamp", meeting.created_at.astimezone(datetime.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"{group.name}: {meeting.chapters_label}")
        if meeting.place_or_link:
            event.add("location", meeting.place_or_link)
        event.add("url", url)
        event.add("description", description)
        calendar.add_component(event)
    return calendar.to_ical()
