"""No input gives a server error: every page and API parameter, and every path slug, swept with
values that have broken parsers before (punctuation-only searches, runs of operators, NUL, digits
from other scripts, huge numbers)."""

import pytest

pytestmark = pytest.mark.django_db

NASTY = ["'", '"', "\\", "%", "-" * 40, "²", "١٢", "\x00", "a" * 2000, "-1", "1e999", "NaN", "9" * 30,
         "<script>", "☃", "a--------------------------------b", '"unclosed', "or or or", "!!!"]
# The heavier pages get the values that broke parsers before; the rest get every value.
SHORT = ["'", "%", "-" * 40, "²", "\x00", "1e999", "a" * 2000, '"unclosed']
HEAVY = {"/projects/", "/explore/"}
FILTERS = ["q", "area", "theme", "phase", "stage", "organisation", "evidence_type", "outcome_kind", "cost_band",
           "evidence_rating", "headline_direction", "has_comparator", "comparator", "missing", "min_cost", "max_cost",
           "min_cost_per_pupil", "max_cost_per_pupil", "start_year", "end_year", "started", "ordering", "page"]
ENDPOINTS = {
    "/projects/": FILTERS + ["compare"],
    "/api/v1/projects/": FILTERS + ["page_size", "format"],
    "/api/v1/outcomes/": ["area", "project", "theme", "phase", "subject", "group", "evidence_type", "unit", "page",
                          "page_size", "format"],
    "/api/v1/costs/": ["area", "project", "category", "funding_source", "start_year", "end_year", "page"],
    "/explore/": FILTERS,
    "/explore/data/timeline.csv": ["area", "q", "min_cost"],
    "/compare/": ["projects", "areas"],
    "/compare/data/costs.csv": ["projects", "areas"],
    "/areas/derby/": ["page"],
}
PATHS = ["/projects/{}/", "/areas/{}/", "/areas/{}/briefing/", "/themes/{}/", "/phases/{}/", "/sources/{}/",
         "/api/v1/projects/{}/", "/api/v1/areas/{}/", "/api/v1/sources/{}/", "/compare/data/{}.csv",
         "/explore/data/{}.csv", "/data/{}"]


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_no_parameter_value_gives_a_server_error(client, endpoint):
    failures = []
    for parameter in ENDPOINTS[endpoint]:
        for value in SHORT if endpoint in HEAVY else NASTY:
            response = client.get(endpoint, {parameter: value})
            if response.status_code >= 500:
                failures.append((parameter, value[:20], response.status_code))
    assert failures == []


def test_no_path_slug_gives_a_server_error(client):
    failures = []
    for pattern in PATHS:
        for value in NASTY:
            url = pattern.format(value.replace("/", ""))
            status = client.get(url).status_code
            if status >= 500 or status == 200:
                failures.append((url[:40], status))
    assert failures == []


def test_a_nul_byte_is_a_clear_400(client):
    response = client.get("/compare/", {"projects": "\x00"})
    assert response.status_code == 400 and b"NUL" in response.content
    api = client.get("/api/v1/projects/", {"q": "\x00"}, HTTP_ACCEPT="application/json")
    assert api.status_code == 400 and "NUL" in api.json()["errors"]["detail"][0]


def test_unicode_digits_in_page_numbers_are_a_400_naming_the_parameter(client):
    for parameter in ("page", "page_size"):
        response = client.get("/api/v1/projects/", {parameter: "²"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and parameter in response.json()["errors"]


def test_a_punctuation_only_search_finds_nothing_rather_than_failing(client):
    for query in ("'", '"', "\\", "%", "-" * 40):
        page = client.get("/projects/", {"q": query})
        assert page.status_code == 200 and b"No projects match" in page.content
        api = client.get("/api/v1/projects/", {"q": query}, HTTP_ACCEPT="application/json")
        assert api.status_code == 200 and api.json()["count"] == 0
