"""Django admin, one module per domain; importing them here is what registers them."""

from notes.admin import books, discussions, following, groups, people, reviews  # noqa: F401
