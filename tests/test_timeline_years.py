"""Projects whose documents give no end year are drawn over the years their own money covers, or
marked "end year unknown" on the chart and the page, never silently as a one-year project."""

import csv
import io

import pytest

from projects.models import Project

pytestmark = pytest.mark.django_db


def timeline(client, area: str) -> dict[int, dict]:
    response = client.get(f"/explore/data/timeline.csv?area={area}")
    assert response.status_code == 200
    return {int(r["year"]): r for r in csv.DictReader(io.StringIO(response.content.decode()))}


def test_oldham_runs_over_the_years_its_money_covers(client):
    assert Project.objects.get(slug="oldham-school-to-school-support").end_year is None
    rows = timeline(client, "oldham")
    assert sorted(rows) == [2017, 2018, 2019, 2020, 2021]  # costing money: 2017 to 2021
    assert all(r["end_year_unknown"] == "0" for r in rows.values())


def test_a_project_with_no_end_year_and_no_dated_money_is_marked_unknown(client):
    project = Project.objects.get(slug="stoke-closing-the-word-gap")
    assert project.end_year is None and project.start_year == 2018
    rows = timeline(client, "stoke-on-trent")
    assert int(rows[2018]["end_year_unknown"]) >= 1
    html = client.get("/explore/").content.decode()
    assert "(end year unknown)" in html and "counted in the start year only" in html


def test_the_project_page_says_the_end_year_is_unknown(client):
    html = client.get("/projects/oldham-school-to-school-support/").content.decode()
    assert "2017 onwards (end year unknown)" in html
