from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from core.versioning import current_data_version


def queries_for(client, url: str) -> int:
    """How many SQL queries one GET of `url` runs (the response must be 200).

    The data version is looked up first: it is cached across requests, so which request of a
    test happens to pay for it should not change the count."""
    current_data_version()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def show_every_chart(page, timeout: float = 15000) -> None:
    """Scrolls to each chart as a reader would (a chart loads plotly and draws only when it nears
    the viewport) and waits until every chart on the page has drawn."""
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()
    # A selector, not wait_for_function: polling a string predicate is an eval, which the CSP refuses.
    expect(page.locator("[data-chart]:not(.drawn)")).to_have_count(0, timeout=timeout)
