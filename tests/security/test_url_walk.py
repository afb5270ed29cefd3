"""Every URL pattern, Django admin's included, answers hostile input without a server error.

The walk resolves the URLconf, builds each pattern's address from real objects, then
puts each hostile value in turn into each path parameter and each query parameter, as an
anonymous visitor and as an admin; the wiki's own pages are also posted the hostile
values in every form field they read. Anything answered 500 fails the test.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from notes.models import ChangeRequest, Comment, ComparisonTable, Invitation, WebhookDelivery, WebhookEndpoint
from notes.services.api_tokens import api_token_create
from notes.services.groups import group_create, meeting_create
from notes.services.people import invitation_create
from tests.factories import make_book, make_thread, make_user, propose_chapter_edit

pytestmark = pytest.mark.django_db

# Percent-encoded, as they travel in a URL or a form body.
HOSTILE = {
    "superscript two": quote("²"),
    "Arabic-Indic digits": quote("١٢"),
    "fullwidth digits": quote("１２"),
    "25 digits": "9" * 25,
    "5,000 digits": "9" * 5000,
    "negative": "-1",
    "empty": "",
    "NUL": "%00",
    "invalid UTF-8": "%FF%FE",
    "10 KB string": "a" * 10240,
}

# Every query parameter a view of ours reads (a test below checks that the list covers
# every ``request.GET`` read in the wiki's source), and those Django admin reads.
WIKI_QUERY = [
    "page",
    "version",
    "from",
    "to",
    "chapter",
    "status",
    "filter",
    "anchor",
    "order",
    "q",
    "next",
    "book",
    "kind",
    # A quoted passage: the thread list's filter, and the thread start form's quote.
    "quote",
    "quote_exact",
    "quote_prefix",
    "quote_suffix",
    "quote_start",
    # Reading groups.
    "spoilers",
    "token",
    "date",
    # The editor: the published text rather than the author's draft.
    "published",
    # The API's lists and diffs.
    "cursor",
    "limit",
    # The download by query (``?format=epub``).
    "format",
]
ADMIN_QUERY = ["_to_field", "_popup", "_changelist_filters", "next"]
ADMIN_LIST_QUERY = [*ADMIN_QUERY, "o", "p", "q", "e", "all"]
# Every form field the wiki's POST views read, all at once per hostile value.
FORM_FIELDS = [
    "summary", "title", "body", "content", "base_version", "number", "revision", "comment", "parent",
    "page", "columns", "rows", "header-0", "cell-0-0", "slug", "book_author", "book_domains", "reason",
    "anchor", "token", "chapter", "action", "username", "password",
    "quote_exact", "quote_prefix", "quote_suffix", "quote_start",
    "name", "description", "members", "is_private", "starts_at", "place_or_link", "first_chapter",
    "last_chapter", "notes", "show_spoilers",
    "emails", "role", "display_name", "time_zone", "password_again", "email",
]  # fmt: skip
GRID_ACTIONS = ["remove-row-{}", "remove-column-{}"]

INT_MARKER, TEXT_MARKER = "424242424242", "zzmarkerzz"


@dataclass
class Pattern:
    name: str
    parts: list  # the URLPattern/URLResolver patterns from the root down
    callback: object

    @property
    def params(self) -> list[tuple[str | int, object]]:
        """(name or position, converter or None) of every path parameter."""
        found = []
        for part in self.parts:
            converters = getattr(part, "converters", {})
            regex = part.regex
            names = list(regex.groupindex)
            found += [(name, converters.get(name)) for name in names]
            found += [(index, None) for index in range(regex.groups - len(names))]
        return found


def all_patterns() -> list[Pattern]:
    found = []

    def walk(patterns, prefix_parts, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                child_namespace = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, [*prefix_parts, entry.pattern], child_namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append(Pattern(name, [*prefix_parts, entry.pattern], entry.callback))

    walk(get_resolver().url_patterns, [], "")
    return found


@pytest.fixture
def url_objects(db):
    """Real objects for every kind of id the URLs carry."""
    admin = make_user("walker", staff=True)
    editor = make_user("walk-editor", role="Editor")
    book = make_book(slug="walk-book", chapters=2, tables=1)
    chapter = book.chapters.get(number=1)
    thread = make_thread(chapter=chapter, author=editor)
    change_request = propose_chapter_edit(editor, chapter, "New text.")
    table = ComparisonTable.objects.get(chapter=chapter)
    group = group_create(book=book, actor=admin, name="Walkers", members=[admin])
    meeting = meeting_create(
        group=group, actor=admin, starts_at=timezone.now(), first_chapter=1, last_chapter=2
    )
    endpoint = WebhookEndpoint.objects.create(url="https://hooks.example.com/walk", events=["thread.started"])
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="thread.started")
    invitation_create(actor=admin, emails="walk-invited@example.com", role="Reader")
    return {
        "admin": admin,
        "book_slug": book.slug,
        "number": 1,
        "table_slug": table.slug,
        "thread_id": thread.pk,
        "comment_id": Comment.objects.filter(thread=thread).first().pk,
        "request_id": change_request.pk,
        "history_id": chapter.history.first().history_id,
        "username": editor.username,
        "chapter": chapter,
        "change_request": change_request,
        # Following (watch/unwatch a chapter), downloads, domains, notifications, mail links.
        "kind": "chapter",
        "target_id": chapter.pk,
        "format": "markdown",
        "domain_slug": "testing",
        "notification_id": 1,
        "token": "x",
        "group_slug": group.slug,
        "meeting_id": meeting.pk,
        "token_id": api_token_create(user=admin, name="walk", scopes=["read"])[0].pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        # People: a person and an invitation.
        "user_id": editor.pk,
        "invitation_id": Invitation.objects.get().pk,
    }


def _model_of(pattern: Pattern):
    """The model an admin URL is about (``admin:notes_chapter_change``), else None."""
    match = re.fullmatch(r"admin:(\w+?)_(\w+?)_(\w+)", pattern.name)
    if not match:
        return None
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == f"{match[1]}_{match[2]}":
            return model
    return None


def _valid_value(pattern: Pattern, key, world) -> str:
    model = _model_of(pattern)
    if key == "app_label":
        return "notes"
    if key in ("object_id", 0) and model is not None:
        obj = model._default_manager.order_by("pk").first()
        return str(obj.pk) if obj else "1"
    if key == 1 and model is not None:  # simple-history's version id
        obj = model._default_manager.order_by("pk").first()
        return str(obj.history.first().history_id) if obj else "1"
    if key == "content_type_id":
        from django.contrib.contenttypes.models import ContentType

        return str(ContentType.objects.get_for_model(ChangeRequest).pk)
    if key == "object_id":
        return str(world["request_id"])
    if key in world and isinstance(world[key], str | int):
        return str(world[key])
    return "x"


def _url(pattern: Pattern, world, *, hostile_key=None, hostile_value="") -> str:
    keyword, positional = {}, []
    marker = None
    for key, converter in pattern.params:
        if key == hostile_key:
            marker = INT_MARKER if converter is not None and converter.regex == "[0-9]+" else TEXT_MARKER
            value = marker
        else:
            value = _valid_value(pattern, key, world)
        if isinstance(key, int):
            positional.append(value)
        else:
            keyword[key] = value
    try:
        url = reverse(pattern.name, args=positional or None, kwargs=keyword or None)
    except NoReverseMatch:  # a parameter with fixed choices (admin's app_label): swap it in
        valid = _valid_value(pattern, hostile_key, world)
        keyword[hostile_key] = valid
        url = reverse(pattern.name, kwargs=keyword).replace(f"/{valid}/", f"/{marker}/", 1)
    if marker is not None:
        url = url.replace(marker, hostile_value)
    return url


@pytest.fixture(scope="module")
def patterns():
    return all_patterns()


def test_the_walk_covers_the_wiki_and_django_admin(patterns):
    names = {pattern.name for pattern in patterns}
    assert {"notes:chapter-history", "notes:markdown-preview", "notes:table-edit", "login"} <= names
    assert {"admin:notes_chapter_simple_history", "admin:notes_chapter_history", "admin:login"} <= names
    assert len(patterns) > 100


def test_every_query_parameter_the_wiki_reads_is_walked():
    from pathlib import Path

    source = "".join(path.read_text() for folder in ("notes", "wiki") for path in Path(folder).rglob("*.py"))
    read = set(re.findall(r"request\.GET\.get\(\s*\"(\w+)\"", source))
    assert read and read <= set(WIKI_QUERY)


def query_groups(pattern: Pattern) -> list[list[str]]:
    """The query parameters sent together. A view reads ``version`` before ``from`` and
    ``to``, so those go alone; the others are read independently of each other."""
    if not pattern.name.startswith("admin:"):
        alone = ["version", "from", "to"]
        return [["version"], ["from"], ["to"], ["from", "to"], [p for p in WIKI_QUERY if p not in alone]]
    if pattern.name.endswith("_changelist"):
        return [[parameter] for parameter in ADMIN_LIST_QUERY]
    return [ADMIN_QUERY]


def _walk(client: Client, patterns, world, label: str) -> tuple[int, int, list[str]]:
    """Send every hostile value to every parameter; return the (pattern, parameter, value)
    triples tried, the requests sent and the server errors met."""
    tried: set[tuple] = set()
    requests, failures = 0, []

    def check(method, url, data=None):
        nonlocal requests
        requests += 1
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data, content_type="application/x-www-form-urlencoded")
        if response.status_code >= 500:
            failures.append(f"{label} {method.upper()} {url[:140]} -> {response.status_code}")

    for pattern in patterns:
        base = _url(pattern, world)
        for key, _converter in pattern.params:
            for name, value in HOSTILE.items():
                tried.add((pattern.name, f"path {key}", name))
                check("get", _url(pattern, world, hostile_key=key, hostile_value=value))
        for group in query_groups(pattern):
            for name, value in HOSTILE.items():
                tried.update((pattern.name, f"query {parameter}", name) for parameter in group)
                check("get", f"{base}?" + "&".join(f"{parameter}={value}" for parameter in group))
        if pattern.name.startswith("notes:") or pattern.name in ("login", "admin:login"):
            for name, value in HOSTILE.items():
                tried.update((pattern.name, f"form {field}", name) for field in [*FORM_FIELDS, "grid"])
                tried.add((pattern.name, "query chapter", name))
                body = "&".join(f"{field}={value}" for field in FORM_FIELDS)
                check("post", f"{base}?chapter={value}", body)
                for action in GRID_ACTIONS:
                    check("post", base, f"{body}&grid={action.format(value)}")
    return len(tried), requests, failures


@pytest.fixture
def quiet_refusals():
    """Thousands of 400s and 404s are the point here: log only errors while walking."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


# The walk is cut in parts (every PARTS-th pattern), so the suite's processes share it.
PARTS = 4


@pytest.mark.usefixtures("quiet_refusals")
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_no_hostile_value_anywhere_gets_a_server_error(patterns, url_objects, who, part, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(raise_request_exception=False)
    if who == "admin":
        client.force_login(url_objects["admin"])
    patterns = patterns[part::PARTS]
    tried, requests, failures = _walk(client, patterns, url_objects, who)
    print(
        f"\nURL walk as {who}, part {part + 1} of {PARTS}: {len(patterns)} patterns, {tried} (pattern, parameter, value) triples "
        f"in {requests} requests, {len(failures)} server errors"
    )
    assert failures == []
