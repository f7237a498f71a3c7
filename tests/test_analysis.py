"""Compare and explore: the right figures, incomparable measures flagged, CSV equal to the charts."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from costs.models import CostLine
from outcomes.models import OutcomeMeasure
from projects.models import Project
from tests.helpers import queries_for
from web.analysis import COST_PER_PUPIL_BANDS, compare_projects, explore_frames
from web.similar import similar_projects
from web.spend import spend_by, spend_total

pytestmark = pytest.mark.django_db

THREE = "blackpool-ks3-literacy,hastings-maths-project,derby-ks2-maths"


def chart_data(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, chart_id
    return json.loads(match.group(1))


def csv_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_comparison_shows_the_figures_of_each_project(client):
    html = client.get(f"/compare/?projects={THREE}").content.decode()
    assert "Comparing 3 projects" in html
    assert "£1,230,000" in html and "£588,079" in html  # totals from the fixtures' lines
    assert "£865,000" in html  # Blackpool's stated OA funding
    assert "about £187.79" in html  # 1,230,000 / about 6,550 pupils over the project, derived
    assert "about £117.14" in html  # 1,230,000 / 3 years / about 3,500 pupils a year
    assert "about ££ Low" in html


def test_incomparable_measures_are_flagged_and_not_plotted_together(client):
    html = client.get(f"/compare/?projects={THREE}").content.decode()
    assert "not comparable: measured by only one of these projects" in html
    figure = chart_data(html, "outcome-change-chart")
    labels = figure["data"][0]["x"]
    assert len(labels) == 2  # KS2 maths, all pupils, 2016→2019: Hastings and Derby only
    assert all("2016→2019" in label for label in labels)
    assert not any("Blackpool" in label for label in labels)


def test_comparison_rows_are_comparable_only_for_the_same_years():
    comparison = compare_projects(THREE.split(","))
    maths = next(r for r in comparison.outcome_rows if r["subject"] == "maths" and r["phase"] == "ks2"
                 and r["group"] == "All pupils")
    assert maths["comparable"]
    assert [len(cell) for cell in maths["cells"]] == [0, 1, 1]


def test_compare_csv_equals_the_chart_data(client):
    html = client.get(f"/compare/?projects={THREE}").content.decode()
    figure = chart_data(html, "compare-costs-chart")
    rows = csv_rows(client, f"/compare/data/costs.csv?projects={THREE}")
    from_csv = {(row["project"], row["category"]): float(row["amount"]) for row in rows}
    from_chart = {(x, trace["name"]): y for trace in figure["data"] for x, y in zip(trace["x"], trace["y"], strict=True)
                  if y is not None}
    assert from_csv == from_chart
    hastings = sum(v for (project, _), v in from_csv.items() if project == "Hastings Maths Project")
    assert Decimal(str(hastings)) == sum(CostLine.objects.filter(project__slug="hastings-maths-project")
                                         .values_list("amount", flat=True))


def test_explore_csv_equals_the_chart_data(client):
    html = client.get("/explore/").content.decode()
    bands = chart_data(html, "cost-change-chart")["data"][0]
    rows = csv_rows(client, "/explore/data/cost_vs_change.csv")
    assert [r["cost_per_pupil"] for r in rows] == bands["x"]
    assert [float(r["average_change"]) for r in rows] == bands["y"]
    area = chart_data(html, "explore-area-chart")["data"][0]
    area_rows = csv_rows(client, "/explore/data/spend_by_area.csv")
    assert [r["area"] for r in area_rows] == area["y"]
    assert [float(r["spend"]) for r in area_rows] == area["x"]
    running = chart_data(html, "timeline-chart")["data"]
    running_rows = csv_rows(client, "/explore/data/timeline.csv")
    assert sum(sum(trace["y"]) for trace in running) == sum(int(r["projects"]) for r in running_rows)


def test_outcome_change_by_cost_band_summarises_each_percentage_measure_of_a_costed_project(client):
    """The bands against a hand count: every percentage measure with both values, of a project
    with a stored cost per pupil, falls in the band of that cost."""
    expected = {}
    for measure in OutcomeMeasure.objects.filter(unit="percent", baseline_value__isnull=False,
                                                 followup_value__isnull=False,
                                                 project__stored_figures__cost_per_pupil__isnull=False):
        cost = measure.project.stored_figures.cost_per_pupil
        low = max(edge for edge in COST_PER_PUPIL_BANDS if cost >= edge)
        expected.setdefault(low, []).append((measure.project_id, measure.followup_value - measure.baseline_value))
    assert expected, "the curated corpus has costed projects with percentage measures"
    rows = csv_rows(client, "/explore/data/cost_vs_change.csv")
    assert [int(r["from"]) for r in rows] == sorted(expected)
    for row in rows:
        changes = [change for _, change in expected[int(row["from"])]]
        assert int(row["measures"]) == len(changes)
        assert int(row["projects"]) == len({project for project, _ in expected[int(row["from"])]})
        assert Decimal(row["average_change"]) == round(sum(changes) / len(changes), 2)
        assert (Decimal(row["lowest_change"]), Decimal(row["highest_change"])) == (min(changes), max(changes))


def test_each_cost_band_links_to_the_search_page_for_its_projects(client):
    bands = chart_data(client.get("/explore/?area=blackpool").content.decode(), "cost-change-chart")["data"][0]
    for label, link in zip(bands["x"], bands["customdata"], strict=True):
        assert link.startswith("/projects/?area=blackpool&min_cost_per_pupil=")
        low = Decimal(re.search(r"min_cost_per_pupil=([\d.]+)", link).group(1))
        high = re.search(r"max_cost_per_pupil=([\d.]+)", link)
        listed = client.get(link).content.decode()
        in_band = Project.objects.filter(area__slug="blackpool", stored_figures__cost_per_pupil__gte=low)
        if high:
            in_band = in_band.filter(stored_figures__cost_per_pupil__lte=Decimal(high.group(1)))
        assert in_band.exists(), label
        assert all(f'href="/projects/{slug}/"' in listed for slug in in_band.values_list("slug", flat=True))


def test_projects_running_each_year_count_every_year_a_project_touches(client):
    rows = csv_rows(client, "/explore/data/timeline.csv?area=derby")
    counted = {int(r["year"]): int(r["projects"]) for r in rows}
    expected = {}
    for start, end in Project.objects.filter(area__slug="derby", start_year__isnull=False).values_list(
            "start_year", "end_year"):
        for year in range(start, (end or start) + 1):
            expected[year] = expected.get(year, 0) + 1
    assert counted == expected


@pytest.mark.parametrize("dimension", ["area", "theme", "phase"])
def test_spend_by_counts_each_group_as_spend_total_counts_its_projects(dimension):
    """The one aggregate query gives each group what `spend_total` gives that group's projects."""
    field = {"area": "area", "theme": "themes", "phase": "phases"}[dimension]
    groups = spend_by(projects=Project.objects.all(), dimension=dimension)
    assert len(groups) > 3
    for group in groups:
        own = spend_total(projects=Project.objects.filter(**{f"{field}__slug": group["slug"]}).distinct())
        assert (group["total"], group["projects"], group["counted"], group["uncosted"], group["oa_total"],
                group["oa_known"]) == (own.total, own.costed, own.counted, own.uncosted, own.oa_total, own.oa_known)
    assert [group["total"] for group in groups] == sorted((group["total"] for group in groups), reverse=True)


def test_explore_filters_narrow_the_data(client):
    everything = csv_rows(client, "/explore/data/timeline.csv")
    derby = csv_rows(client, "/explore/data/timeline.csv?area=derby")
    assert {row["area"] for row in derby} == {"Derby"}
    assert 0 < len(derby) < len(everything)
    spend = csv_rows(client, "/explore/data/spend_by_area.csv?area=derby")
    assert Decimal(spend[0]["spend"]) == spend_total(projects=Project.objects.filter(area__slug="derby")).total


def test_explore_frames_count_each_project_once_per_theme():
    frames = explore_frames(Project.objects.filter(area__slug="stoke-on-trent"))
    maths = frames["spend_by_theme"].set_index("slug").loc["maths"]
    expected = {row["slug"]: row for row in spend_by(projects=Project.objects.filter(area__slug="stoke-on-trent"),
                                                     dimension="theme")}["maths"]
    assert maths["projects"] == expected["projects"]
    assert Decimal(str(maths["spend"])) == expected["total"]


def test_selection_round_trips_through_the_url(client):
    response = client.get("/compare/?projects=blackpool-ks3-literacy&projects=hastings-maths-project")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?projects=blackpool-ks3-literacy,hastings-maths-project"
    html = client.get(response["Location"]).content.decode()
    assert 'href="/compare/?projects=hastings-maths-project"' in html  # remove Blackpool
    assert 'href="/projects/?compare=blackpool-ks3-literacy,hastings-maths-project"' in html  # add more
    listing = client.get("/projects/?compare=blackpool-ks3-literacy,hastings-maths-project").content.decode()
    assert re.search(r'value="blackpool-ks3-literacy" id="compare-blackpool-ks3-literacy" checked', listing)


def test_bad_selections_show_a_message(client):
    html = client.get("/compare/?projects=blackpool-ks3-literacy,atlantis").content.decode()
    assert "No project with the slug &#x27;atlantis&#x27;" in html
    seven = ",".join(Project.objects.values_list("slug", flat=True)[:7])
    assert "Compare at most 6 projects" in client.get(f"/compare/?projects={seven}").content.decode()
    assert "not both" in client.get("/compare/?projects=a&areas=b").content.decode()
    assert client.get("/compare/data/costs.csv?projects=atlantis").status_code == 400
    assert client.get("/explore/data/nothing.csv").status_code == 404


def test_area_comparison(client):
    html = client.get("/compare/?areas=derby,hastings").content.decode()
    assert "Comparing 2 areas" in html
    assert "£345,859" in html and "£588,079" in html


def test_query_count_is_constant_as_the_selection_grows(client):
    with_cost = list(Project.objects.filter(cost_lines__isnull=False, outcomes__isnull=False)
                     .values_list("slug", flat=True).distinct()[:6])
    assert len(with_cost) == 6
    two = queries_for(client, f"/compare/?projects={','.join(with_cost[:2])}")
    six = queries_for(client, f"/compare/?projects={','.join(with_cost)}")
    assert two == six <= 12


def test_query_count_of_explore_is_constant(client):
    client.get("/explore/?area=blackpool")  # the areas' slugs, read once per process
    assert queries_for(client, "/explore/?area=oldham") == queries_for(client, "/explore/?area=stoke-on-trent") <= 14


def test_cost_band_on_lists_pages_api_and_filters(client):
    assert "££ Low" in client.get("/projects/?area=blackpool").content.decode()
    body = client.get("/api/v1/projects/?cost_band=low", HTTP_ACCEPT="application/json").json()
    assert [row["slug"] for row in body["results"]] == ["blackpool-ks3-literacy"]
    assert body["results"][0]["cost_band"] == "low"
    assert body["results"][0]["cost_band_note"] == "about"
    page = client.get("/projects/hastings-maths-project/").content.decode()
    assert "the documents give no count of pupils for this money" in page  # says why no band


def test_similar_projects_share_themes_and_say_why():
    project = Project.objects.get(slug="derby-ks2-maths")
    similar = similar_projects(project)
    assert similar and all("maths" in item["reason"].lower() or "Maths" in item["reason"] for item in similar)
    assert project.slug not in [item["project"].slug for item in similar]
    assert project.parent.slug not in [item["project"].slug for item in similar]


def test_pages_print_as_briefings(client):
    html = client.get("/projects/blackpool-ks3-literacy/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert "Data version" in html and "Printed" in html


def test_explore_filters_are_checkboxes_that_show_what_is_chosen(client):
    html = client.get("/explore/?area=derby&theme=maths").content.decode()
    assert "<select" not in html
    assert re.search(r'<input type="checkbox" name="area" value="derby" id="[^"]+" checked>', html)
    assert re.search(r'<input type="checkbox" name="theme" value="maths" id="[^"]+" checked>', html)
