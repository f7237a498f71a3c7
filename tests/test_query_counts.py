"""Each page and endpoint runs a fixed list of queries, named here by the table each reads, on
small data the tests build themselves: a project with one row of each kind and one with nine,
an area with one project and one with five. An N+1 would add queries to the larger case."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import forget_kept
from projects.models import Organisation
from tests import factories
from web.models import StoredPage

pytestmark = pytest.mark.django_db

PROJECT = [
    "projects_project",  # the project, its figures, area, parent, evidence, headline, money (joins)
    "projects_theme", "projects_phase",
    "projects_citation", "projects_citation",  # the evidence's and the headline's citations
    "projects_project",  # sub-projects
    "projects_citation", "projects_citation",  # the project's and its reach's citations
    "projects_projectorganisation",
    "projects_intervention",
    "projects_finding", "projects_citation",
    "costs_costline", "projects_citation",
    "costs_costtotal", "costs_costcount",
    "outcomes_outcomemeasure", "projects_citation",
]
# Every request first reads which load it is built from (its label and cache key).
VERSION = ["projects_dataversion"]
# A project's page is the one the load rendered and stored (web/stored.py).
PROJECT_PAGE = [*VERSION, "web_storedpage"]
# Rendered live (stored by other code): the stored page is looked for, then everything is read.
PROJECT_PAGE_LIVE = [*VERSION, "web_storedpage", *PROJECT,
                # similar projects: the top five scored in the database (one query over the through
                # tables), those projects with their areas, the themes, phases and programmes they share
                "projects_project_themes", "projects_project", "projects_project_themes"]
API_DETAIL = [*VERSION, "web_projectdocument"]  # the document the load stored
SEARCH_PAGE = [
    *VERSION,
    "projects_area",  # validating ?area=
    "projects_project",  # every match's id, in the page's order: the count, the page and the facets
    "projects_project",  # the page's projects (title, area, years), each with its card's stored figures
    "projects_facetvalue",  # each facet value's projects (web/facets.py), kept per process and data version
]
API_LIST = [*VERSION, "projects_area",  # validating ?area=
            "projects_project", "projects_project"]  # COUNT for the paginator, the page's stored rows
# Spend, charts, outcomes and sources: the summary the load rendered and stored (web/stored.py).
AREA_SUMMARY = [
    "projects_project_themes", "projects_project_phases", "projects_project",  # spend by theme, phase; total
    "outcomes_outcomemeasure", "projects_citation", "outcomes_outcomemeasure",  # outcomes, quotes, count
    "projects_source",
]
AREA_PAGE = [
    *VERSION,
    "projects_area",
    "projects_project",  # count
    "projects_areafigure",
    "web_storedpage",  # the summary
    "projects_project", "projects_project",  # the page's ids; its projects, each with its card's figures
]
CARDS_LIVE = ["projects_project", "projects_theme", "projects_phase"]  # the projects with figures, and their tags
# With the stored pages from other code: the summary and cards are rendered now.
AREA_PAGE_LIVE = [*AREA_PAGE[:-2], *AREA_SUMMARY,
                  "projects_project", "projects_project",  # cards' figures not found …
                  *CARDS_LIVE]  # … so they are rendered from the projects
SEARCH_PAGE_LIVE = [*SEARCH_PAGE[:-1], *CARDS_LIVE, SEARCH_PAGE[-1]]
AREA_BRIEFING = [
    *VERSION,
    "projects_area",
    "projects_project", "projects_theme", "projects_phase",  # every project with figures and headline; tags
    "projects_project",  # the recorded spend
    "projects_source",  # the documents cited
]

# The gap map: the themes, every project's themes, every project's rating and kinds measured.
GAP_MAP = [*VERSION, "projects_theme", "projects_project_themes", "projects_projectfigures"]
EXPLORE_FRAMES = [
    "projects_project",  # spend by area
    "projects_project_themes", "projects_project_phases",  # spend by theme, spend by phase
    "projects_phase",  # projects by phase
    "projects_project",  # projects running each year: counts by area and (start, end)
    "outcomes_outcomemeasure",  # outcome change by cost-per-pupil band
]
EXPLORE_PAGE = [*VERSION, "projects_area",  # validating ?area=
                *EXPLORE_FRAMES,
                "projects_area", "projects_theme", "projects_phase"]  # the filter's checkboxes
EXPLORE_CSV = [*VERSION, "projects_area", *EXPLORE_FRAMES]


def tables_read(client, url: str) -> list[str]:
    """The table each query of one GET reads (its outermost FROM), in order."""
    cache.clear()
    forget_kept()
    accept = "application/json" if url.startswith("/api/") else "text/html"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200, url
    return [_table_read(query["sql"]) for query in captured.captured_queries]


def _table_read(sql: str) -> str:
    """The table after the outermost FROM; when that is a subquery (`COUNT(*) FROM (SELECT …)`)
    or the query starts WITH named subqueries, the first table it reads. A subquery among the
    selected columns does not count."""
    first = re.search(r'FROM\s+"?(\w+)"?', sql).group(1)
    if sql.lstrip().upper().startswith("WITH"):
        return first
    depth = 0
    for match in re.finditer(r'[()]|\bFROM\s+"?(\w+)"?', sql):
        if match.group(0) in "()":
            depth += 1 if match.group(0) == "(" else -1
        elif depth == 0:
            return match.group(1)
    return first


@pytest.fixture
def small_and_large():
    small_area, large_area = factories.area(), factories.area()
    small = factories.project(small_area, lines=1, outcomes=1, findings=1)
    large = factories.project(large_area, lines=9, outcomes=9, findings=9)
    for _ in range(4):
        factories.project(large_area)
    factories.finish()
    return {"small": small, "large": large, "small_area": small_area, "large_area": large_area}


def test_project_page(client, small_and_large):
    for name in ("small", "large"):
        assert tables_read(client, small_and_large[name].get_absolute_url()) == PROJECT_PAGE


def test_project_page_rendered_live(client, small_and_large):
    StoredPage.objects.update(code="other code")
    for name in ("small", "large"):
        assert tables_read(client, small_and_large[name].get_absolute_url()) == PROJECT_PAGE_LIVE


def test_project_api_detail(client, small_and_large):
    for name in ("small", "large"):
        assert tables_read(client, f"/api/v1/projects/{small_and_large[name].slug}/") == API_DETAIL


def test_search_page(client, small_and_large):
    for name in ("small_area", "large_area"):
        assert tables_read(client, f"/projects/?area={small_and_large[name].slug}") == SEARCH_PAGE


def test_search_page_with_cards_stored_by_other_code(client, small_and_large):
    StoredPage.objects.update(code="other code")
    for name in ("small_area", "large_area"):
        assert tables_read(client, f"/projects/?area={small_and_large[name].slug}") == SEARCH_PAGE_LIVE


def test_search_page_with_a_query(client, small_and_large):
    # A search that finds something costs no query more than a filter: its matches' ids decide.
    # One that finds nothing asks whether any project has the words, and when none has, looks for
    # close matches of a misspelt word. Close matches also read the corpus's words once per data
    # version, for "did you mean", and on SQLite the words of titles, themes and organisations,
    # for the close words.
    postgres = connection.vendor == "postgresql"
    exact = SEARCH_PAGE
    close = [*SEARCH_PAGE[:3],
             "projects_project",  # does any project have the words?
             *([] if postgres else ["projects_project"]),
             "projects_project",  # every close match's id
             "projects_project",  # the corpus's words, for "did you mean"
             *SEARCH_PAGE[3:]]
    for query, expected in [("factory", exact), ("factroy", close)]:
        for name in ("small_area", "large_area"):
            assert tables_read(client, f"/projects/?q={query}&area={small_and_large[name].slug}") == expected


def test_search_page_whose_filters_leave_no_match_asks_once_whether_any_project_has_the_words(client,
                                                                                         small_and_large):
    # The facets then count the projects matching the words alone; the filterset's search has
    # already asked whether any has them, so listing those is one query, not two.
    expected = [*VERSION, "projects_project",  # every match's id: none started in 2099
                "projects_project",  # does any project have the words?
                "projects_project",  # the projects matching the words alone, for the facets
                "projects_project",  # the corpus's words, for "did you mean"
                "projects_facetvalue"]
    assert tables_read(client, "/projects/?q=factory&start_year=2099") == expected


VOCABULARIES = {"projects_area", "projects_theme", "projects_phase", "projects_organisation"}


def _slug_lookups(client, url: str, status: int = 200) -> set[str]:
    """The vocabularies one GET looks chosen slugs up in (`… FROM projects_area WHERE slug IN …`)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == status, url
    return {table for query in captured.captured_queries
            if (table := _table_read(query["sql"])) in VOCABULARIES and '."slug" IN' in query["sql"]}


def test_chosen_slugs_are_checked_without_a_query_once_the_vocabularies_are_read(client, small_and_large):
    # Each process reads the areas, themes, phases and organisations once per data version; later
    # requests check ?area=, ?theme=, ?phase= and ?organisation= against what it keeps.
    small, large = small_and_large["small_area"].slug, small_and_large["large_area"].slug
    organisations = list(Organisation.objects.order_by("slug").values_list("slug", flat=True)[:2])
    first = f"/projects/?area={small}&theme=literacy&phase=ks2&organisation={organisations[0]}"
    assert VOCABULARIES <= set(tables_read(client, first))  # cold: each vocabulary read once
    later = f"/projects/?area={large}&theme=maths&phase=ks3&organisation={organisations[1]}"
    assert _slug_lookups(client, later) == set()
    assert _slug_lookups(client, f"/api/v1/projects/?area={large}&theme=maths&phase=ks1") == set()
    # An unknown slug is still refused, naming it, without asking the database either.
    assert _slug_lookups(client, "/api/v1/projects/?area=atlantis", status=400) == set()
    assert "atlantis" in client.get("/api/v1/projects/?area=atlantis").json()["errors"]["area"][0]


def test_a_refresh_forgets_the_kept_vocabularies(client):
    assert client.get("/api/v1/projects/?area=new-area").status_code == 400  # the areas are now kept
    factories.area(slug="new-area")
    factories.finish()  # what a load does after writing its rows (the version may stay the same)
    assert client.get("/api/v1/projects/?area=new-area").status_code == 200


def test_the_stored_figures_are_joined_only_when_a_filter_or_sort_compares_one(client, small_and_large):
    def ids_query(url: str) -> str:  # the list's first query of the projects: every match's id
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        return next(query["sql"] for query in captured.captured_queries
                    if _table_read(query["sql"]) == "projects_project")

    for base in ("/projects/", "/api/v1/projects/"):
        assert "projects_projectfigures" not in ids_query(f"{base}?q=factory&area={small_and_large['large_area'].slug}")
        assert "projects_projectfigures" not in ids_query(f"{base}?q=factory&ordering=-start_year")
        for figure in ("min_cost=1", "max_cost_per_pupil=100", "cost_band=low", "evidence_rating=2",
                       "has_comparator=false", "ordering=-total_cost", "ordering=evidence_rating"):
            assert "projects_projectfigures" in ids_query(f"{base}?q=factory&{figure}"), figure


def test_project_api_list(client, small_and_large):
    for name in ("small_area", "large_area"):
        assert tables_read(client, f"/api/v1/projects/?area={small_and_large[name].slug}") == API_LIST


def test_project_api_search_with_a_cost_sort_filters_once(client, small_and_large):
    """The headers (close matches, projects without a cost) reuse the list's filterset: ?area= is
    read once, and the matches are listed once for the count and the page (which, having found
    some, need not ask whether any project has the words), not counted in a second scan."""
    expected = [*VERSION, "projects_area",  # validating ?area=
                "projects_project",  # every match's id, ranked once: the count and the page
                "web_projectdocument",  # the page's stored rows, by id
                "projects_project"]  # how many the cost sort puts last (X-Projects-Without-Cost)
    for name in ("small_area", "large_area"):
        url = f"/api/v1/projects/?q=factory&ordering=-total_cost&area={small_and_large[name].slug}"
        assert tables_read(client, url) == expected


def test_area_page(client, small_and_large):
    for name in ("small_area", "large_area"):
        assert tables_read(client, small_and_large[name].get_absolute_url()) == AREA_PAGE


def test_area_page_rendered_live(client, small_and_large):
    StoredPage.objects.update(code="other code")
    for name in ("small_area", "large_area"):
        assert tables_read(client, small_and_large[name].get_absolute_url()) == AREA_PAGE_LIVE


def test_area_briefing(client, small_and_large):
    for name in ("small_area", "large_area"):
        assert tables_read(client, f"/areas/{small_and_large[name].slug}/briefing/") == AREA_BRIEFING


def test_evidence_gap_map(client, small_and_large):
    assert tables_read(client, "/evidence-ratings/gap-map/") == GAP_MAP
    for _ in range(5):  # more projects, themes and measures: the same queries
        factories.project(small_and_large["small_area"], outcomes=3)
    factories.finish()
    assert tables_read(client, "/evidence-ratings/gap-map/") == GAP_MAP


def test_explore_page_and_its_csv(client, small_and_large):
    for name in ("small_area", "large_area"):
        slug = small_and_large[name].slug
        assert tables_read(client, f"/explore/?area={slug}") == EXPLORE_PAGE
        assert tables_read(client, f"/explore/data/timeline.csv?area={slug}") == EXPLORE_CSV

