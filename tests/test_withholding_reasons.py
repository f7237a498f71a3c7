"""The reasons a derived cost figure is not given are true to the documents."""

from decimal import Decimal

import pytest

from costs.figures import project_cost_figures
from projects.models import Project

pytestmark = pytest.mark.django_db


def figures_of(slug):
    return project_cost_figures(project=Project.objects.with_figures().get(slug=slug))


def page_of(client, slug) -> str:
    return client.get(f"/projects/{slug}/").content.decode()


def test_curriculum_partnerships_are_oa_funded_as_the_final_report_says(client):
    # Source 004: "the OA-funded three curriculum partnerships"; no line says other money paid for it.
    figures = figures_of("stoke-curriculum-excellence-partnerships")
    assert figures["oa_cost"].value == figures["total_cost"].value == Decimal("2169731")
    for slug in ("stoke-ks2-english-excellence-partnership", "stoke-ks2-maths-excellence-partnership",
                 "stoke-ks2-science-across-the-city"):
        assert figures_of(slug)["oa_cost"].value == figures_of(slug)["total_cost"].value
    html = page_of(client, "stoke-curriculum-excellence-partnerships")
    assert "mix OA and other funding" not in html


def test_small_grants_name_the_3000_per_project_instead_of_no_costs(client):
    figures = figures_of("stoke-small-grants")
    for name in ("total_cost", "oa_cost", "cost_per_school", "cost_per_pupil", "cost_per_pupil_per_year"):
        assert figures[name].value is None
        assert "No costs are reported" not in figures[name].reason
        assert "Small pots of seed funding (per project), 2018 – 2019: £3,000" in figures[name].reason
    html = page_of(client, "stoke-small-grants")
    assert "No costs are reported" not in html
    assert "not the money spent in total" in html


def test_oldham_pupils_are_said_to_be_the_pupils_in_the_supported_schools(client):
    reason = figures_of("oldham-school-to-school-support")["cost_per_pupil_per_year"].reason
    assert "over the life of the project" not in reason
    assert "11,273 pupils counted are pupils in the 27 supported schools" in reason
    assert "no count of pupils in one year" in reason
    html = page_of(client, "oldham-school-to-school-support")
    assert "counted over the life of the project" not in html
