"""A keyboard user on the search page and a project page, in headless Chromium against the site
served by gunicorn (the `site` fixture): a few Tabs reach the first result, a citation jump moves
focus to the quote and back, and every citation link is a target of at least 24 by 24 pixels."""

import re

import pytest

pytestmark = pytest.mark.browser

FIRST_RESULT = ".cards h3 a"
PROJECT = "/projects/bradford-school-to-school-support/"


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tabs_to_first_result(page, *, use_skip_link: bool, limit: int = 250) -> int:
    """Presses Tab from the top of the page until the first result's link has focus; Enter on
    "Skip to results" when it comes and `use_skip_link` is on. Returns the number of Tabs."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if _focused(page, FIRST_RESULT):
            return count
        if use_skip_link and _focused(page, "a.skip-to-results"):
            page.keyboard.press("Enter")
    raise AssertionError(f"the first result never took focus in {limit} Tabs")


@pytest.mark.parametrize("path", ["/projects/", "/projects/?q=phonics"])
def test_skip_to_results_reaches_the_first_result_in_a_few_tabs(site, sized_page, path):
    # Before: 105 Tabs at 1280 px on /projects/ (past the header and every filter).
    page = sized_page
    page.goto(site + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.goto(site + path)
    assert tabs_to_first_result(page, use_skip_link=True) <= 4


def test_a_citation_jump_moves_focus_to_the_quote_and_back_to_text_returns_it(site, sized_page):
    page = sized_page
    page.goto(site + PROJECT)
    ref = page.locator("p.meta a.ref").first
    target = ref.get_attribute("href")
    ref.focus()
    page.keyboard.press("Enter")
    quote = page.locator(target)
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target[1:])
    assert quote.get_attribute("tabindex") == "-1"
    assert quote.is_visible()
    back = quote.locator("a.back-to-text")
    assert back.is_visible() and back.inner_text() == "Back to text"
    page.keyboard.press("Tab")  # the next stop after the quote is the way back
    assert _focused(page, f"{target} a.back-to-text")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('p.meta a.ref')")
    assert page.evaluate("document.activeElement.getAttribute('href')") == target
    assert ref.is_visible()


def test_a_citation_jump_by_mouse_also_focuses_the_quote_even_into_a_folded_list(site, page):
    # A project with more than 20 quotes folds them into "Show all ... quotes".
    page.goto(site + "/projects/")
    for href in page.locator(FIRST_RESULT).evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        page.goto(site + href)
        if page.locator("#all-sources").count():
            break
    else:
        pytest.skip("no project has more than 20 quotes")
    ref = page.locator("a.ref").last
    target = ref.get_attribute("href")
    ref.click()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target[1:])
    assert page.locator("#all-sources").evaluate("d => d.open")


TARGET_SIZES = """() => [...document.querySelectorAll('a.ref, a.back-to-text')].filter(a => a.getClientRects().length)
  .map(a => { const box = a.getBoundingClientRect();
              return {text: a.textContent, width: box.width, height: box.height}; })"""


@pytest.mark.parametrize("path", [PROJECT, "/projects/derby-ks1-phonics/"])
def test_every_citation_link_is_at_least_24_pixels_square(site, sized_page, path):
    # WCAG 2.5.8 Target Size (Minimum). Before: 19 by 15 px at 1280.
    page = sized_page
    page.goto(site + path)
    page.locator("a.ref").first.click()  # shows a "Back to text" link too
    page.wait_for_selector("a.back-to-text")
    sizes = page.evaluate(TARGET_SIZES)
    assert len(sizes) > 5 and any(re.fullmatch(r"Back to text", size["text"]) for size in sizes)
    small = [size for size in sizes if size["width"] < 24 or size["height"] < 24]
    assert small == []
