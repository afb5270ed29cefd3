"""A book's address, /books/<address>/: the one rule every way of making a book asks.

The fixed segments right under ``books/`` in the URL patterns (the new-book form at
``books/new/``) are pages: a book given one of them as its address could never be reached.
They are listed here rather than read from the URLconf, so this module stays pure; a test
walks the URL patterns and fails when a page under /books/ is missing from the list.
"""

from django.utils.text import slugify

from notes.lib.limits import MAX_SLUG_LENGTH

RESERVED_BOOK_ADDRESSES = frozenset({"new"})


class AddressRefused(ValueError):
    """No book may have this address; the message says why, in words a user can read."""


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
    if address in RESERVED_BOOK_ADDRESSES:
        raise AddressRefused(
            f"'{address}' cannot be a book's address: /books/{address}/ is a page of the wiki."
        )
    return address


def book_address(text: str) -> str:
    """The address made from a title or a typed address (made URL-safe), checked."""
    return book_address_checked(slugify(text))
