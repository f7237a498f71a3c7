"""Every page type passes axe-core (node_modules/axe-core, installed by `make test` from
package-lock.json) with no serious or critical violation, on a wide screen and on a phone, in
headless Chromium against the site served with production settings (the `site` fixture)."""

import os
from pathlib import Path

import pytest

from tests.helpers import show_every_chart

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

PAGES = {
    "home": "/",
    "project list, searched and faceted": "/projects/?q=maths&area=derby",
    "project detail, long": "/projects/bradford-school-to-school-support/",
    "project detail, with a chart": "/projects/stoke-ks2-science-across-the-city/",
    "area list": "/areas/",
    "area detail": "/areas/hastings/",
    "area briefing": "/areas/stoke-on-trent/briefing/",
    "theme list": "/themes/",
    "theme detail": "/themes/assessment/",
    "phase list": "/phases/",
    "phase detail": "/phases/ks2/",
    "source list": "/sources/",
    "source detail": "/sources/000_1f1c3d470389f224/",
    "compare": "/compare/?projects=blackpool-ks3-literacy,hastings-maths-project,derby-ks2-maths",
    "explore": "/explore/",
    "downloads": "/data/",
    "change log": "/data/changes/",
    "evidence rubric": "/evidence-ratings/",
    "about": "/about/",
    "licence": "/licence/",
    "accessibility": "/accessibility/",
    "cookies": "/cookies/",
    "left out": "/left-out/",
    "not found": "/no-such-page/",
    "API docs (Swagger UI)": "/api/v1/docs/",
    "browsable API root": "/api/v1/",
    "browsable API list": "/api/v1/projects/?area=derby",
    "browsable API detail": "/api/v1/projects/bradford-school-to-school-support/",
}
PHONE_PAGES = ["home", "project list, searched and faceted", "project detail, long", "project detail, with a chart",
               "compare", "explore", "API docs (Swagger UI)"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test` installs it with npm ci")
        pytest.skip(f"{AXE} is missing (run `make install-node`)")
    return AXE.read_text()


def settled(page) -> None:
    """Waits until the page has drawn what scripts draw: every chart, or Swagger UI's operations."""
    page.wait_for_load_state("load")
    if page.url.endswith("/api/v1/docs/"):
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    show_every_chart(page)


def serious_violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per rule,
    with the nodes it found. Evaluated, not added as a script tag, which the CSP would refuse."""
    page.evaluate(axe_source)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): " + "; ".join(
                " ".join(node["target"]) for node in v["nodes"][:10])
            for v in violations if v["impact"] in FAILING_IMPACTS]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(site, page, axe_source, name):
    response = page.goto(site + PAGES[name])
    assert response.status == (404 if name == "not found" else 200)
    settled(page)
    violations = serious_violations(page, axe_source)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_page_on_a_phone_has_no_serious_accessibility_violation(site, browser, axe_source, name):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site + PAGES[name])
    settled(page)
    violations = serious_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    context.close()


def test_api_docs_with_an_operation_tried_out_and_the_schemas_open(site, page, axe_source):
    """What axe meets only once a reader opens things: parameter inputs, code samples, a live
    response and the schema models."""
    page.goto(site + "/api/v1/docs/")
    settled(page)
    operation = page.locator("#operations-projects-projects_list")
    operation.locator(".opblock-summary-control").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    page.wait_for_selector("#operations-projects-projects_list .live-responses-table", timeout=15000)
    operation.locator(".tablinks[data-name=model]").first.click()  # a response's schema
    page.locator("#model-Project .model-box-control").click()  # the Schemas section is open already
    page.wait_for_selector("#model-Project .model-box .inner-object")
    assert operation.locator("select").count() > 0 and page.locator("pre.microlight").count() > 0
    violations = serious_violations(page, axe_source)
    assert not violations, "\n".join(violations)
