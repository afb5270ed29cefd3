"""A book's domains: free text on the book ("Machine Learning, System Design"), one rule
for how it is split, named in a URL, and kept searchable.

A domain page asks for the books naming one domain; the books keep their domains' slugs in
one column (``|machine-learning|system-design|``), so that is one paginated ``LIKE`` on the
database rather than reading every book of the wiki to compare slugs in Python.
"""

from django.utils.text import slugify


def domain_list(domains: str) -> list[str]:
    """The domains a book names, in its order, without blanks."""
    return [domain.strip() for domain in domains.split(",") if domain.strip()]


def domain_slug(domain: str) -> str:
    """The part of a domain page's URL that names it ("" when nothing of it is URL-safe)."""
    return slugify(domain)


def domain_slugs_key(domains: str) -> str:
    """What a book stores to be found by a domain's slug: ``|a|b|`` (or "" for none)."""
    slugs = [slug for slug in (domain_slug(domain) for domain in domain_list(domains)) if slug]
    return f"|{'|'.join(slugs)}|" if slugs else ""


def domain_slug_pattern(slug: str) -> str:
    """The substring of ``domain_slugs_key`` that marks a book as naming ``slug``."""
    return f"|{slug}|"
