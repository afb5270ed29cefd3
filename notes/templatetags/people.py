"""``{{ user|display_name }}``: the one way templates name a person (their display name when
set, else their username). Lists select ``profile`` with the user so it costs no query."""

from django import template

from notes.models.people import display_name as display_name_of

register = template.Library()


@register.filter
def display_name(user) -> str:
    return display_name_of(user)
