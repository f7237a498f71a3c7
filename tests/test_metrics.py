"""Derived figures: computed from reported ones, with their formulas, in one place."""

from decimal import Decimal

import pytest

from outcomes.models import OutcomeMeasure
from projects.loader import load_evidence
from projects.metrics import outcome_figures, project_cost_band, project_cost_figures
from projects.models import Project
from projects.querysets import cost_band_for, refresh_project_figures
from tests.minimal import project, write_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def derby(tmp_path):
    # 9 lines adding up to £345,859; 25 schools; pupils given here only to exercise the formulas.
    load_evidence(write_tree(tmp_path, [project(reach=None)]))
    Project.objects.filter(slug="derby-primary").update(schools_reached=25, pupils_reached=1000)
    refresh_project_figures()  # what every load does after writing
    return Project.objects.with_figures().get(slug="derby-primary")


def test_total_cost_is_the_sum_of_the_lines(derby):
    figures = project_cost_figures(project=derby)
    assert figures["total_cost"].value == Decimal("345859.00")
    assert "sum of the project's cost lines" in figures["total_cost"].formula


def test_cost_per_school_pupil_and_year(derby):
    figures = project_cost_figures(project=derby)
    assert figures["cost_per_school"].value == Decimal("13834.36")  # 345859 / 25
    assert figures["cost_per_pupil"].value == Decimal("345.86")  # 345859 / 1000
    assert figures["duration_years"].value == 4  # 2018 to 2022
    assert figures["cost_per_pupil_per_year"].value == Decimal("86.46")  # 345859 / 1000 / 4


def test_cost_band_uses_the_eef_scale(derby):
    band = project_cost_band(project=derby)
    assert band["available"] and band["slug"] == "low"  # £86.46 is between £80 and £200
    assert band["symbol"] == "££"


def test_no_band_without_reach_says_why(tmp_path):
    load_evidence(write_tree(tmp_path, [project(reach=None)]))
    derby = Project.objects.with_figures().get(slug="derby-primary")
    band = project_cost_band(project=derby)
    assert band == {"available": False, "reason": "Not reported: pupils reached"}
    assert project_cost_figures(project=derby)["cost_per_pupil"].value is None


def test_oa_cost_and_sub_project_lines_count_in_the_parent(tmp_path):
    child = project(slug="derby-child", title="Child", parent="derby-primary", reach=None)
    parent = project(reach=None, costs={"tables": []})
    load_evidence(write_tree(tmp_path, [parent, child]))
    figures = Project.objects.with_figures()
    assert figures.get(slug="derby-primary").total_cost == Decimal("345859")
    assert figures.get(slug="derby-primary").oa_cost == Decimal("345859")
    assert figures.get(slug="derby-child").total_cost == Decimal("345859")


def test_outcome_change_and_gaps(tmp_path):
    load_evidence(write_tree(tmp_path))
    measure = OutcomeMeasure.objects.get(project__slug="derby-primary")
    figures = outcome_figures(measure=measure)
    assert figures["change"].value == Decimal("12")  # 64 -> 76
    assert figures["comparator_change"].value == Decimal("9")  # 70 -> 79
    assert figures["gap_before"].value == Decimal("-6")  # 64 - 70
    assert figures["gap_after"].value == Decimal("-3")  # 76 - 79


@pytest.mark.parametrize("per_pupil_per_year, band", [
    ("79.99", "very_low"), ("80", "low"), ("200", "low"), ("200.01", "moderate"), ("720", "moderate"),
    ("1200", "high"), ("1200.01", "very_high"),
])
def test_cost_band_boundaries_follow_the_eef_scale(per_pupil_per_year, band):
    assert cost_band_for(Decimal(per_pupil_per_year)) == band
