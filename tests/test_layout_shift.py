"""The search page does not jump while it loads: its cumulative layout shift (CLS), measured in
headless Chromium with a PerformanceObserver, against the site served by gunicorn."""

import pytest

pytestmark = pytest.mark.browser

# Every layout shift since the page started (buffered), not caused by input, summed: CLS as
# Lighthouse counts it for a page that loads and is left alone.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) { total += entry.value; } }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def layout_shift(browser, url: str, width: int) -> float:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(LAYOUT_SHIFT)
    context.close()
    return shift


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/projects/", "/projects/?q=phonics&area=derby"])
def test_the_search_page_does_not_shift_as_it_loads(site, browser, path, width):
    # Before: 0.668 at 390 px, the filter panel folding after DOMContentLoaded (static/js/filters.js).
    assert layout_shift(browser, site + path, width) < 0.1


def test_on_a_phone_the_folded_filters_still_open_and_close_from_their_button(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site + "/projects/")
    assert not page.locator("#id_min_cost").is_visible()
    page.locator(".filters-panel > summary").click()
    assert page.locator("#id_min_cost").is_visible()
    page.locator(".filters-panel > summary").click()
    assert not page.locator("#id_min_cost").is_visible()
    context.close()


def test_on_a_wide_screen_the_filters_are_open_from_the_start(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site + "/projects/")
    assert page.locator("#id_min_cost").is_visible()
    assert page.evaluate("document.documentElement.classList.contains('js')")
    context.close()
