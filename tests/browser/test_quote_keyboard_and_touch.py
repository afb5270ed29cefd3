"""Quoting without a mouse: each paragraph of a chapter has a "Quote this" button, shown when
the keyboard reaches it, that selects the paragraph; Shift+arrows narrow the selection and
Tab then Enter start a thread on it. On a touch phone (390 px) a selection's button is tapped."""

import pytest

from tests.browser.test_quotes import SELECT, SENTENCE
from tests.factories import import_seed, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAPTER = "/books/designing-ml-systems/chapters/3/"


def _signed_in(browser, live_server, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def test_quote_this_selects_a_paragraph_that_shift_arrows_narrow_and_tab_enter_quotes(browser, live_server):
    import_seed()
    make_user("mia", role="Reader")
    context, page = _signed_in(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{CHAPTER}")
    quote_this = page.locator("#chapter-text li", has_text=SENTENCE).locator("button.quote-this")
    assert quote_this.evaluate("button => button.getBoundingClientRect().width") <= 1  # out of sight
    quote_this.focus()
    assert quote_this.evaluate("button => button.getBoundingClientRect().width") > 20  # shown on focus
    assert quote_this.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("window.getSelection().toString().trim()") == SENTENCE
    for _ in range(len(" applications.")):
        page.keyboard.press("Shift+ArrowLeft")
    narrowed = page.evaluate("window.getSelection().toString().trim()")
    assert narrowed == SENTENCE[: -len(" applications.")]
    page.locator(".quote-tools a.quote-discuss").wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('quote-discuss')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("input[name=quote_exact]").get_attribute("value") == narrowed
    context.close()


def test_on_a_touch_phone_a_selection_s_button_is_tapped(browser, live_server):
    import_seed()
    make_user("mia", role="Reader")
    context, page = _signed_in(
        browser, live_server, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page.goto(f"{live_server.url}{CHAPTER}")
    # What a long press leaves behind: a selection of the sentence.
    assert page.evaluate(SELECT, SENTENCE)
    button = page.locator(".quote-tools a.quote-discuss")
    button.wait_for(state="visible")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        button.tap()
    assert page.locator("blockquote.quoted-passage").inner_text() == SENTENCE
    context.close()
