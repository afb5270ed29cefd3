"""Cursor pagination: each list answers ``items`` and ``next``, the URL of the next page
(None on the last). The cursor is opaque to clients: it holds the id the page ended at,
so a page is one indexed query however deep it is, and rows written meanwhile neither
repeat nor vanish."""

import base64
import binascii
import json

from django.http import HttpRequest
from django.utils.http import urlencode

from notes.api.core import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Problem(
            400, "Bad cursor", "This cursor is not one the API gave; start again without it."
        ) from None
    if not isinstance(value, int):
        raise Problem(400, "Bad cursor", "This cursor is not one the API gave; start again without it.")
    return value


def _encode(value: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": value}).encode()).decode().rstrip("=")


def paginate(
    request: HttpRequest,
    rows,
    *,
    cursor: str | None,
    limit: int | None,
    field: str = "pk",
    descending: bool = False,
):
    """(the page's rows, the next page's URL or None) of ``rows`` ordered by ``field``."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    if cursor:
        after = _decode(cursor)
        rows = rows.filter(**{f"{field}__{'lt' if descending else 'gt'}": after})
    page = list(rows.order_by(f"-{field}" if descending else field)[: limit + 1])
    next_url = None
    if len(page) > limit:
        page = page[:limit]
        query = request.GET.copy()
        query["cursor"] = _encode(getattr(page[-1], field))
        query["limit"] = str(limit)
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")
    return page, next_url
