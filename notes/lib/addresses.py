"""A book's address, /books/<address>/: the one rule every way of making a book asks.

The fixed segments right under ``books/`` in the URL patterns (the new-book form at
``books/new/``) are pages: a book given one of them as its address could never be reached.
They are read from the patterns themselves, so a page added under /books/ is reserved
with it.
"""

from django.urls import URLResolver, get_resolver
from django.utils.text import slugify

from notes.lib.limits import MAX_SLUG_LENGTH

BOOKS_PREFIX = "books/"


class AddressRefused(ValueError):
    """No book may have this address; the message says why, in words a user can read."""


def reserved_book_addresses() -> frozenset[str]:
    """The addresses under /books/ that the URL patterns give to pages, not books."""
    reserved: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith(BOOKS_PREFIX):
                segment = route.removeprefix(BOOKS_PREFIX).split("/", 1)[0]
                if segment and "<" not in segment:
                    reserved.add(segment)

    walk(get_resolver().url_patterns, "")
    return frozenset(reserved)


def book_address_checked(address: str) -> str:
    """``address`` itself when a book may take it; AddressRefused otherwise."""
    if not address:
        raise AddressRefused(
            "The book needs an address made of letters, digits and hyphens (e.g. designing-data-apps)."
        )
    if len(address) > MAX_SLUG_LENGTH:
        raise AddressRefused(
            f"The address '{address[:40]}…' is {len(address)} characters long; the limit is {MAX_SLUG_LENGTH}."
        )
    if address in reserved_book_addresses():
        raise AddressRefused(
            f"'{address}' cannot be a book's address: /books/{address}/ is a page of the wiki."
        )
    return address


def book_address(text: str) -> str:
    """The address made from a title or a typed address (made URL-safe), checked."""
    return book_address_checked(slugify(text))
