"""Small things in the browser: on a 390 px phone the header is one row with a menu and the
action bars stay one row; the table page says its title once; the upload form preselects
the book a file is about."""

import pytest

from tests.browser.reading_world import BOOK, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TABLE = f"{BOOK}/chapters/3/tables/row-wise-versus-column-wise-storage/"


def _signed_in(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "lead")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _height(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("element => element.getBoundingClientRect().height")


def test_on_a_phone_the_header_is_one_row_with_a_menu_and_action_bars_stay_short(browser, live_server):
    world = build_world()
    context, page = _signed_in(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{BOOK}/chapters/3/discussion/{world.thread.pk}/")
    assert _height(page, ".site-header") <= 64
    links = page.locator(".nav-links")
    assert links.is_hidden()
    page.locator(".nav-menu > summary").focus()
    page.keyboard.press("Enter")
    assert links.is_visible() and page.locator(".nav-links a", has_text="Recent changes").is_visible()
    page.keyboard.press("Escape")
    assert links.is_hidden()
    assert _height(page, ".actions") <= 64
    for path in (f"{BOOK}/chapters/3/", f"{BOOK}/"):
        page.goto(f"{live_server.url}{path}")
        assert _height(page, ".site-header") <= 64, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_on_a_laptop_the_links_show_without_a_menu_button(browser, live_server):
    build_world()
    context, page = _signed_in(browser, live_server, {"width": 1280, "height": 800})
    assert page.locator(".nav-menu > summary").is_hidden()
    assert page.locator(".nav-links a", has_text="Recent changes").is_visible()
    context.close()


def test_the_table_page_shows_its_title_once(browser, live_server):
    build_world()
    context, page = _signed_in(browser, live_server, PHONE)
    page.goto(f"{live_server.url}{TABLE}")
    assert page.locator("main").inner_text().count("Row-wise versus Column-wise Storage") == 1
    context.close()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("designing-ml-systems.md", "# Something else\n", "designing-ml-systems"),
        ("notes.txt", "\nDesigning ML Systems\n\nBook Details\n", "designing-ml-systems"),
        ("unrelated.md", "# A book nobody has\n", ""),
    ],
)
def test_the_upload_form_preselects_the_book_a_file_is_about(browser, live_server, name, text, expected):
    build_world()
    context, page = _signed_in(browser, live_server, {"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/import/")
    page.set_input_files(
        "input[name=notes_file]", files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    if expected:
        page.wait_for_function("document.querySelector('[data-book-match]').textContent !== ''")
    assert page.locator("select[name=book]").input_value() == expected
    context.close()


def test_a_book_chosen_by_hand_is_kept(browser, live_server):
    build_world()
    context, page = _signed_in(browser, live_server, {"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/import/")
    page.select_option("select[name=book]", "")
    page.set_input_files(
        "input[name=notes_file]",
        files=[{"name": "designing-ml-systems.md", "mimeType": "text/plain", "buffer": b"# x\n"}],
    )
    page.wait_for_timeout(300)
    assert page.locator("select[name=book]").input_value() == ""
    context.close()
