"""Figures the documents give are stored with their quotes, or listed in UNRESOLVED.md with why;
hand-set headlines agree with the stored measures."""

from decimal import Decimal

import pytest
from django.conf import settings

from outcomes.models import Headline, OutcomeMeasure
from projects.models import AreaFigure

pytestmark = pytest.mark.django_db


def unresolved() -> str:
    return (settings.FIXTURES_DIR / "UNRESOLVED.md").read_text(encoding="utf-8")


def test_oldham_headline_is_the_ofsted_before_and_after_it_stores(client):
    headline = Headline.objects.select_related("outcome").get(project__slug="oldham-school-to-school-support")
    assert headline.direction == "improved"
    assert headline.outcome.metric == "Ofsted inspections of supported schools resulting in an improved outcome"
    assert headline.outcome.baseline_value == 7
    assert "No measure has two points" not in headline.statement
    html = client.get("/projects/oldham-school-to-school-support/").content.decode()
    assert "No measure has two points" not in html
    assert "7 of them had an improved outcome" in html


def test_smile_headline_names_the_three_quarters_and_unresolved_says_why_it_is_not_a_measure(client):
    headline = Headline.objects.get(project__slug="stoke-smile")
    assert not headline.statement.startswith("Not measured")
    assert "three quarters of children attending make progress" in headline.statement
    assert "`Three quarters of children attending sessions make progress over the 6 weeks" in unresolved()


@pytest.mark.parametrize("metric, value", [
    ("Questions answered correctly in one week in the Year 5 and 6 maths competitions", Decimal("8400000")),
    ("CPD sessions held during the OA Maths project", Decimal("171")),
    ("Participants attending the OA Maths project's CPD sessions", Decimal("850")),
])
def test_stoke_maths_figures_are_stored(metric, value):
    measure = OutcomeMeasure.objects.get(project__slug="stoke-ks2-maths-excellence-partnership", metric=metric)
    assert measure.baseline_value == value
    assert measure.citations.exists()


@pytest.mark.parametrize("label, value", [("Total no. in area: No. secondary", 3),
                                          ("Total no. in area: Total no. beneficiaries", 26)])
def test_hastings_schools_in_the_area_are_stored(label, value):
    assert AreaFigure.objects.get(area__slug="hastings", label=label).value == value


@pytest.mark.parametrize("text", [
    "In Wave 1 of the project 10 schools participated involving 192 young people",  # which project is unclear
    "`116` / `342`",  # two numbers before two labels
    "the figure is very likely 204",  # a drop capital split the number
    "challenged to read one billion words",  # in words
])
def test_figures_that_cannot_be_stored_are_listed_with_a_reason(text):
    assert text in unresolved()
