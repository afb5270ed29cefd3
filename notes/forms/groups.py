"""Reading group forms: they shape input; the services check every rule."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from notes.lib.limits import (
    DEFAULT_MEETING_MINUTES,
    MAX_CHAPTER_NUMBER,
    MAX_GROUP_DESCRIPTION_LENGTH,
    MAX_GROUP_MEMBERS_AT_ONCE,
    MAX_GROUP_NAME_LENGTH,
    MAX_MEETING_MINUTES,
    MAX_MEETING_PLACE_LENGTH,
    MAX_SLUG_LENGTH,
    MIN_CHAPTER_NUMBER,
    MIN_MEETING_MINUTES,
)
from notes.lib.numbers import NumberField


class GroupForm(forms.Form):
    name = forms.CharField(max_length=MAX_GROUP_NAME_LENGTH)
    slug = forms.SlugField(
        label="Address",
        max_length=MAX_SLUG_LENGTH,
        required=False,
        help_text="/groups/<address>/; made from the name when left empty.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_GROUP_DESCRIPTION_LENGTH
    )
    is_private = forms.BooleanField(
        label="Private: only members, moderators and admins see the group", required=False
    )
    members = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Usernames, separated by spaces or commas.",
    )

    def clean_members(self):
        names = sorted(set(re.split(r"[\s,]+", self.cleaned_data["members"].strip())) - {""})
        if len(names) > MAX_GROUP_MEMBERS_AT_ONCE:
            raise forms.ValidationError(f"At most {MAX_GROUP_MEMBERS_AT_ONCE} members at once.")
        users = list(get_user_model().objects.filter(username__in=names, is_active=True))
        unknown = sorted(set(names) - {user.username for user in users})
        if unknown:
            raise forms.ValidationError(f"No active user is called {unknown[0]}.")
        return users


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = NumberField(
        label="Length in minutes",
        min_value=MIN_MEETING_MINUTES,
        max_value=MAX_MEETING_MINUTES,
        initial=DEFAULT_MEETING_MINUTES,
        required=False,
    )
    place_or_link = forms.CharField(
        label="Place or link", max_length=MAX_MEETING_PLACE_LENGTH, required=False
    )
    first_chapter = NumberField(
        label="First chapter", min_value=MIN_CHAPTER_NUMBER, max_value=MAX_CHAPTER_NUMBER
    )
    last_chapter = NumberField(
        label="Last chapter", min_value=MIN_CHAPTER_NUMBER, max_value=MAX_CHAPTER_NUMBER
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_GROUP_DESCRIPTION_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django reads a datetime typed without a zone in the current one (the viewer's,
        # when they chose one): the form names it, so nobody has to guess.
        self.fields["starts_at"].help_text = f"In your time zone, {timezone.get_current_timezone_name()}."

    def clean_duration_minutes(self) -> int:
        value = self.cleaned_data.get("duration_minutes")
        return DEFAULT_MEETING_MINUTES if value is None else value


class ProgressForm(forms.Form):
    # 0: not started yet.
    chapter = NumberField(label="I've read up to chapter", min_value=0, max_value=MAX_CHAPTER_NUMBER)


class SinceForm(forms.Form):
    date = forms.DateField(
        label="Changes since",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Give the date as YYYY-MM-DD, e.g. 2026-01-31."},
    )
