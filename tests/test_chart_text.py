"""No chart clips its text: every tick label, axis title, legend entry and annotation lies inside
its chart's SVG, and no axis title or legend entry lies over other text, on a wide screen and on
a phone, in headless Chromium (the `site` fixture)."""

import pytest

from tests.helpers import show_every_chart

pytestmark = pytest.mark.browser

CHART_PAGES = [
    "/projects/stoke-ks2-science-across-the-city/",  # costs by period
    "/projects/bradford-school-to-school-support/",  # millions of pounds; outcome labels of 100+ characters
    "/projects/hastings-maths-project/",  # six cost categories, three outcome measures
    "/areas/stoke-on-trent/",
    "/themes/maths/",
    "/phases/ks2/",
    "/compare/?projects=hastings-maths-project,bradford-school-to-school-support,stoke-ks2-science-across-the-city,"
    "blackpool-ks3-literacy,derby-primary-school-improvement",
    "/compare/?areas=stoke-on-trent,hastings,bradford",
    "/explore/",
]

# Each non-empty text of each drawn chart whose box leaves its SVG's box by more than 1 px.
OVERFLOWING_TEXT = """() => [...document.querySelectorAll('.chart-canvas.drawn')].flatMap(chart =>
  [...chart.querySelectorAll('svg.main-svg text')].flatMap(text => {
    const svg = text.closest('svg.main-svg').getBoundingClientRect();
    const box = text.getBoundingClientRect();
    if (!text.textContent.trim() || !box.width) return [];
    const outside = box.left < svg.left - 1 || box.right > svg.right + 1
      || box.top < svg.top - 1 || box.bottom > svg.bottom + 1;
    return outside ? [`${chart.id}: "${text.textContent}" at x ${Math.round(box.left - svg.left)}…`
      + `${Math.round(box.right - svg.left)}, y ${Math.round(box.top - svg.top)}…${Math.round(box.bottom - svg.top)}`
      + ` in ${Math.round(svg.width)}×${Math.round(svg.height)}`] : [];
  }))"""

# Each axis title or legend entry whose box meets another text's box by more than 1 px each way.
# (Tick labels are left out: plotly tilts crowded ones, and the boxes of tilted neighbours meet
# while their letters do not.)
TEXT_UNDER_A_TITLE_OR_LEGEND = """() => [...document.querySelectorAll('.chart-canvas.drawn')].flatMap(chart => {
  const texts = [...chart.querySelectorAll('svg.main-svg text')].filter(t => t.textContent.trim()
    && t.getBoundingClientRect().width);
  const labels = texts.filter(t => t.closest('.g-xtitle, .g-ytitle, .legend'));
  return labels.flatMap(label => texts.filter(other => other !== label).flatMap(other => {
    const a = label.getBoundingClientRect(), b = other.getBoundingClientRect();
    const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return across > 1 && down > 1 ? [`${chart.id}: "${label.textContent}" over "${other.textContent}"`] : [];
  }));
})"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_stays_inside_the_chart_and_clear_of_titles_and_legends(site, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + path)
    assert page.locator("[data-chart]").count() > 0
    show_every_chart(page)
    assert page.locator(".chart-canvas svg.main-svg text").count() > 0
    overflowing, overlapping = page.evaluate(OVERFLOWING_TEXT), page.evaluate(TEXT_UNDER_A_TITLE_OR_LEGEND)
    context.close()
    assert not overflowing, f"{len(overflowing)} labels overflow:\n" + "\n".join(overflowing)
    assert not overlapping, f"{len(overlapping)} overlaps:\n" + "\n".join(overlapping)
