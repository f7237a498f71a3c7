"""The comparator filter: projects compared with a comparator (national, similar schools) before
and after, or at one point only, stored per project by every load and offered as a facet on the
search page and a filter in the API."""

import re

import pytest
from django.db import connection

from outcomes.figures import ComparatorCoverage, comparator_coverage
from outcomes.models import OutcomeMeasure
from projects.models import Project, ProjectFigures

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
BOTH, ONE = ComparatorCoverage.BEFORE_AND_AFTER, ComparatorCoverage.ONE_POINT


def test_the_definition_puts_each_project_in_one_group_at_most():
    assert comparator_coverage(measures=[]) == ""
    assert comparator_coverage(measures=[(None, None)]) == ""  # a comparator named without values
    assert comparator_coverage(measures=[(1, None)]) == ONE
    assert comparator_coverage(measures=[(None, 2)]) == ONE
    assert comparator_coverage(measures=[(1, None), (None, 2)]) == ONE  # never both on one measure
    assert comparator_coverage(measures=[(1, None), (1, 2)]) == BOTH


def expected_groups() -> tuple[set[str], set[str]]:
    """Straight from the outcome measures: projects with a measure compared at both points, and
    those with a comparator value at some point but no measure with both."""
    measures = OutcomeMeasure.objects.values_list("project__slug", "comparator_baseline_value",
                                                  "comparator_followup_value")
    both = {slug for slug, baseline, followup in measures if baseline is not None and followup is not None}
    some = {slug for slug, baseline, followup in measures if baseline is not None or followup is not None}
    return both, some - both


def stored(value: str) -> set[str]:
    return set(ProjectFigures.objects.filter(comparator_coverage=value).values_list("project__slug", flat=True))


def test_the_load_stores_each_projects_group_as_the_measures_give_it():
    both, one_point = expected_groups()
    assert stored(BOTH) == both and stored(ONE) == one_point
    assert not both & one_point
    # The curated corpus today: 5 compared before and after; 2 at baseline only and 2 at follow-up only.
    assert len(both) == 5 and len(one_point) == 4
    assert {"blackpool-ks3-literacy", "hampshire-hias-ks2-english-support"} <= one_point
    # A comparator named as a change ("an increase of zero") with no value at either point: in neither.
    assert "derby-ks2-reading-writing" not in both | one_point
    assert Project.objects.with_figures().get(slug="derby-ks2-reading-writing").has_comparator_outcome


def test_the_filter_reads_one_indexed_column():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ProjectFigures._meta.db_table)
    assert any(c["columns"] == ["comparator_coverage"] and c["index"] for c in constraints.values())


def facet_counts(html: str) -> dict[str, int]:
    return {key: int(count) for key, count in re.findall(r'data-facet-count="comparator-([^"]+)">(\d+)<', html)}


def test_the_search_page_offers_both_groups_with_their_counts(client):
    both, one_point = expected_groups()
    html = client.get("/projects/").content.decode()
    assert facet_counts(html) == {BOTH: len(both), ONE: len(one_point)}
    assert "Compared before and after" in html and "Comparator at one point only" in html
    assert "never both on one outcome" in html  # the definition, beside the boxes
    chosen = client.get("/projects/", {"comparator": ONE}).content.decode()
    assert f"{len(one_point)} projects</h2>" in chosen
    assert set(re.findall(r'<h3><a href="/projects/([^/]+)/">', chosen)) == one_point
    assert "Comparator: Comparator at one point only" in chosen  # the chip
    # Counts follow the other filters.
    derby = client.get("/projects/", {"area": "derby"}).content.decode()
    assert facet_counts(derby)[BOTH] == len({slug for slug in both if slug.startswith("derby-")})


def test_the_api_filters_on_either_group_and_rejects_unknown_ones(client):
    both, one_point = expected_groups()
    rows = client.get("/api/v1/projects/", {"comparator": BOTH, "page_size": 100}, **JSON).json()["results"]
    assert {row["slug"] for row in rows} == both
    assert {row["comparator_coverage"] for row in rows} == {BOTH}
    either = client.get("/api/v1/projects/", {"comparator": [BOTH, ONE], "page_size": 100}, **JSON).json()
    assert either["count"] == len(both | one_point)
    bad = client.get("/api/v1/projects/", {"comparator": "national"}, **JSON)
    assert bad.status_code == 400 and "comparator" in bad.json()["errors"]
    page = client.get("/projects/", {"comparator": "national"}).content.decode()
    assert "Some of the filters could not be used" in page
