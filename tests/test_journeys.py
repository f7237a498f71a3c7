"""Journeys on the list pages, as a new user takes them in headless Chromium at a desktop and a
phone width, against the site served by gunicorn with production settings (the `site` fixture)."""

import re

import pytest

pytestmark = pytest.mark.browser

# The search page, and the lists the theme and area pages link to ("Search and filter ...").
LISTS = ("/projects/", "/projects/?theme=literacy", "/projects/?area=stoke-on-trent")


def _open_filters(page):
    """On a phone the filter panel starts folded: open it as a user would."""
    if not page.locator("#id_min_cost").is_visible():
        page.locator(".filters-panel > summary").click()


# Every facet label's box on the page, and whether a click at its centre would land on it.
LABEL_GEOMETRY = """() => {
  const page = box => ({left: box.left + scrollX, right: box.right + scrollX, top: box.top + scrollY,
                        bottom: box.bottom + scrollY});
  const results = page(document.querySelector('.results').getBoundingClientRect());
  const labels = [...document.querySelectorAll('.facet label')].map(label => {
    const box = page(label.getBoundingClientRect());
    return {...box, id: label.htmlFor, text: label.innerText, height: box.bottom - box.top,
            overResults: box.right > results.left && box.left < results.right && box.bottom > results.top
                         && box.top < results.bottom};
  });
  document.querySelectorAll('.facet label').forEach((label, index) => {
    label.scrollIntoView({block: 'center'});
    const now = label.getBoundingClientRect();
    const hit = document.elementFromPoint(now.x + now.width / 2, now.y + now.height / 2);
    labels[index].hitsItself = !!hit && (hit === label || label.contains(hit));
  });
  return labels;
}"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("path", LISTS)
def test_every_facet_label_sits_in_the_sidebar_on_its_own_line(site, sized_page, path):
    page = sized_page
    page.goto(site + path)
    _open_filters(page)
    labels = page.evaluate(LABEL_GEOMETRY)
    assert len(labels) > 20
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.facet label')).lineHeight)")
    for label in labels:
        assert 0 <= label["left"] and label["right"] <= page.width, label  # on screen
        assert not label["overResults"], label  # before the fix: over the results at 1280 px
        assert label["hitsItself"], label  # a click at its centre reaches it, not the results
        # Before: squeezed to 62 px beside a full-width checkbox, one word a line, 144 px tall.
        assert label["right"] - label["left"] > 150 and label["height"] <= 4 * line, label
    for index, label in enumerate(labels):
        for other in labels[index + 1:]:
            assert not _overlap(label, other), (label, other)


@pytest.mark.parametrize("path", LISTS)
def test_clicking_every_facet_label_ticks_its_checkbox(site, sized_page, path):
    page = sized_page
    page.goto(site + path)
    _open_filters(page)
    # Ticking a box applies the filter at once (static/js/filters.js navigates); here each click
    # only ticks, so one page load checks every label: the change events stop before the listeners.
    page.evaluate("window.addEventListener('change', event => event.stopPropagation(), true)")
    boxes = page.locator(".facet input[type=checkbox]")
    assert boxes.count() > 20
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box_id = box.get_attribute("id")
        if box.is_disabled():  # a sub-theme included by its ticked broader theme
            assert box.is_checked()
            continue
        before = box.is_checked()
        # Playwright refuses a click that another element would intercept; fail fast.
        page.locator(f'label[for="{box_id}"]').click(timeout=3000)
        assert box.is_checked() != before, box_id


def test_ticking_a_facet_by_its_label_applies_the_filter_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site + "/projects/")
    _open_filters(page)
    page.get_by_text(re.compile(r"^Key Stage 3 \d+$")).click(timeout=3000)
    page.wait_for_url(re.compile(r"phase=ks3"))
    assert page.locator("#facet-phase-ks3").is_checked()
    context.close()
