"""The one way to read a number that came from a URL, a query string or a form.

``str.isdigit`` accepts ``²`` (which ``int`` then refuses), ``int`` accepts ``٣`` and
``1_000`` and refuses anything over 4,300 digits, and a number too large for the
database column fails deep in a query. Every number a visitor sends goes through
``parse_int`` instead: ASCII digits only, a bounded length and a range, or
``BadNumber`` with a message that names what was wrong.
"""

import re

from django import forms

# Ids are BigAutoField; nothing we count reaches further.
MAX_ID = 2**63 - 1
_MAX_DIGITS = 19
_NUMBER_RE = re.compile(rf"-?[0-9]{{1,{_MAX_DIGITS}}}", re.ASCII)


class BadNumber(ValueError):
    """A value that is not a number in the range asked for; ``str()`` says why."""


def parse_int(value: object, *, what: str = "The number", minimum: int = 0, maximum: int = MAX_ID) -> int:
    """Read ``value`` as a whole number from ``minimum`` to ``maximum``, or raise BadNumber."""
    if isinstance(value, bool):
        raise BadNumber(f"{what} must be a whole number.")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip(" \t\r\n")
        if not _NUMBER_RE.fullmatch(text):
            raise BadNumber(f"{what} must be a whole number written with the digits 0-9.")
        number = int(text)
    if not minimum <= number <= maximum:
        raise BadNumber(f"{what} must be from {minimum} to {maximum}.")
    return number


def parse_optional_int(value: object, **bounds) -> int | None:
    """``parse_int``, with None for a missing or empty value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_int(value, **bounds)


def int_or_default(value: object, default: int, **bounds) -> int:
    """``parse_int`` for values a bad one may silently replace (``?page=junk`` is page 1)."""
    try:
        return parse_int(value, **bounds)
    except BadNumber:
        return default


class NumberField(forms.IntegerField):
    """A form's IntegerField that reads its value with ``parse_int``.

    Django's own accepts non-ASCII digits and any length; its bounds default to the
    range of an id, so a form never hands a service a number no column can hold.
    """

    def __init__(self, *, min_value: int = 0, max_value: int = MAX_ID, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            # Only the form of the number here; the range is checked by the field's own
            # validators (min_value, max_value), or by the form where a rule has its own words.
            return parse_int(value, what=self.label or "The number", minimum=-MAX_ID, maximum=MAX_ID)
        except BadNumber as error:
            raise forms.ValidationError(str(error), code="invalid") from None
