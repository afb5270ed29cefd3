"""Django admin, one module per domain; importing them here is what registers them."""

from notes.admin import api, books, discussions, following, groups, people, reviews  # noqa: F401
