"""An area's briefing prints on at most two A4 pages, in headless Chromium against the site served
with production settings (the `site` fixture), with no navigation, footer or chart."""

import re

import pytest

pytestmark = pytest.mark.browser

BRIEFING = "/areas/stoke-on-trent/briefing/"  # the area with the most projects (41)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF as Chromium writes it: one `/Type /Page` object each (`/Pages` is the tree)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_briefing_of_the_largest_area_prints_on_two_a4_pages(site, page):
    response = page.goto(site + BRIEFING)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Stoke-on-Trent: evidence briefing"
    assert page.locator(".briefing-table tbody tr").count() == 41
    pages = pdf_pages(page.pdf(format="A4", print_background=True))
    assert 1 <= pages <= 2, pages


def test_the_printed_briefing_leaves_out_the_site_chrome(site, page):
    page.goto(site + BRIEFING)
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".screen-only"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.locator(".briefing-table").is_visible()
    assert "printed" in page.locator(".briefing .meta").inner_text()


def test_the_full_area_page_prints_much_longer(site, page):
    """Why the briefing exists: the area page itself runs to many pages."""
    page.goto(site + "/areas/stoke-on-trent/")
    assert pdf_pages(page.pdf(format="A4")) > 5
