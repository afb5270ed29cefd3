"""Text and comfort: linked URLs, the site's own error pages also under DEBUG, the favicon,
notifications read once seen, `make run PORT=`."""

import subprocess

import pytest
from django.conf import settings as django_settings

from notes.lib.markup import render_inline, render_markdown
from notes.models import Notification
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_a_bare_url_becomes_a_sanitized_link():
    html = render_markdown("Read https://example.com/path_(x)?a=1&b=2 today.")
    assert (
        '<a href="https://example.com/path_(x)?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        "https://example.com/path_(x)?a=1&amp;b=2</a> today." in html
    )


def test_a_url_in_a_table_cell_becomes_a_link():
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">' in render_inline(
        "see https://example.com"
    )


@pytest.mark.parametrize(
    "text", ["notes.md", "model.py", "www.example.com", "someone@example.com", "javascript:alert(1)"]
)
def test_names_without_a_scheme_and_unsafe_schemes_stay_text(text):
    assert "<a " not in render_markdown(f"Open {text} now")


def test_a_url_in_code_stays_code():
    html = render_markdown("`https://example.com`")
    assert html == "<p><code>https://example.com</code></p>\n"


def test_a_missing_page_is_the_sites_404_page_also_with_debug_on(client, settings, book):
    settings.DEBUG = True
    response = client.get("/books/test-book/chapters/99/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and "<code>/books/test-book/chapters/99/</code>" in html
    unrouted = client.get("/no/such/page/")
    assert unrouted.status_code == 404 and 'class="site-header"' in unrouted.content.decode()


def test_djangos_technical_404_stays_reachable_with_debug_404(client, settings, book):
    settings.DEBUG = True
    response = client.get("/no/such/page/?debug-404")
    assert response.status_code == 404
    assert "Using the URLconf defined in" in response.content.decode()


def test_the_server_error_and_bad_request_pages_use_the_stylesheet_not_inline_styles():
    for name in ("500.html", "400.html"):
        text = (django_settings.BASE_DIR / "templates" / name).read_text()
        assert "style=" not in text and "css/site.css" in text and 'class="site-header"' in text, name


def test_the_layout_has_a_skip_link_and_a_favicon(client, book):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#content">Skip to content</a>' in html
    assert '<main class="page" id="content" tabindex="-1">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_the_notification_badge_clears_once_the_notifications_page_is_seen(client_for, book, reader, editor):
    thread = make_thread(chapter=book.chapters.get(number=1), author=editor, body="Hello @reader")
    assert Notification.objects.filter(recipient=reader, read_at=None).count() == 1
    client = client_for(reader)
    assert 'title="new notifications">1</span>' in client.get("/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert '<span class="flag">new</span>' in page  # the page still shows what was new
    assert 'title="new notifications"' not in client.get("/").content.decode()  # seen: the badge is gone
    assert thread.pk


@pytest.mark.parametrize(
    ("arguments", "address"), [([], "127.0.0.1:8000"), (["PORT=8001"], "127.0.0.1:8001")]
)
def test_make_run_serves_on_the_port_asked_for(arguments, address):
    dry_run = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", "run", *arguments],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"manage.py runserver {address}" in dry_run
