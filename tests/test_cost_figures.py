"""The rules of derived cost figures (costs/figures.py): one test per rule, then the loader's checks
of the curated money and counts, then the three projects an audit found wrong."""

from decimal import Decimal

import pytest

from costs.figures import Count, Money, cost_band_for, derive_cost_figures, project_cost_band, project_cost_figures
from outcomes.figures import outcome_figures
from projects.models import Project
from tests.minimal import cite, load_tree, project, write_tree
from web.loading import FixtureError

LINES = [{"amount": Decimal("600000"), "period_label": "2018-2020", "funding_source": "oa"},
         {"amount": Decimal("300000"), "period_label": "2020-2022", "funding_source": "oa"}]
WHOLE = Money(covers="the whole project, 2018–2022", start_year=2018, end_year=2022)


def derive(money=WHOLE, lines=LINES, stated=(), counts=()):
    return derive_cost_figures(money=money, lines=list(lines), stated=list(stated), counts=list(counts),
                               project_years=(2018, 2022))


def schools(count, **overrides):
    values = {"unit": "schools", "count": count, "per": "project", "covers": "the schools", "start_year": 2018,
              "end_year": 2022}
    return Count(**{**values, **overrides})


def pupils(count, **overrides):
    return Count(**{"unit": "pupils", "count": count, "per": "project", "covers": "the pupils", "start_year": 2018,
                    "end_year": 2022, **overrides})


# --- rules ---------------------------------------------------------------------------------


def test_money_from_lines_is_their_sum():
    total = derive()["total_cost"]
    assert total.value == Decimal("900000") and total.formula == "sum of the cost lines"


def test_money_limited_to_periods_sums_only_those_lines():
    money = Money(periods=("2018-2020",), covers="cohorts 1–3", start_year=2018, end_year=2020)
    assert derive(money)["total_cost"].value == Decimal("600000")


def test_money_from_stated_totals_uses_the_documents_figure_not_the_lines():
    stated = [{"amount": Decimal("550000"), "period_label": "2018-2020", "scope": {"period": "2018-2020"},
               "discrepancy": ""}]
    money = Money(basis="stated", periods=("2018-2020",), covers="cohorts 1–3", start_year=2018, end_year=2020)
    total = derive(money, stated=stated)["total_cost"]
    assert total.value == Decimal("550000") and "stated total" in total.formula


def test_lines_that_contradict_a_stated_total_give_no_total():
    stated = [{"amount": Decimal("250000"), "period_label": "2020-2022", "scope": {"period": "2020-2022"},
               "discrepancy": "the lines add up to 300,000"}]
    total = derive(stated=stated)["total_cost"]
    assert total.value is None and "does not equal its lines" in total.reason


def test_per_school_divides_when_money_and_schools_cover_the_same_people_and_period():
    figure = derive(counts=[schools(30)])["cost_per_school"]
    assert figure.value == Decimal("30000.00") and figure.formula == "money ÷ schools"


def test_per_school_is_not_derivable_when_cohorts_differ():
    figure = derive(counts=[schools(26, cohorts="1-3", covers="the 26 schools of cohorts 1–3")])["cost_per_school"]
    assert figure.value is None
    assert "the money covers the whole project, 2018–2022" in figure.reason
    assert "the 26 schools of cohorts 1–3" in figure.reason


def test_per_school_is_not_derivable_when_periods_differ():
    figure = derive(counts=[schools(12, start_year=2018, end_year=2020)])["cost_per_school"]
    assert figure.value is None and figure.reason.startswith("Not derivable")


def test_per_pupil_per_year_divides_money_by_years_and_pupils_in_a_year():
    figure = derive(counts=[pupils(3000, per="year")])["cost_per_pupil_per_year"]
    assert figure.value == Decimal("75.00")  # 900,000 / 4 years / 3,000 pupils
    assert derive(counts=[pupils(3000, per="year")])["cost_band"].value == "very_low"


def test_pupils_counted_over_a_projects_life_never_give_a_per_year_figure():
    figures = derive(counts=[pupils(6000)])
    assert figures["cost_per_pupil"].value == Decimal("150.00")
    assert figures["cost_per_pupil_per_year"].value is None
    assert "no count of pupils in one year" in figures["cost_per_pupil_per_year"].reason
    assert figures["cost_band"].value is None


def test_a_qualified_count_qualifies_the_figure():
    assert derive(counts=[pupils(6000, qualifier="about")])["cost_per_pupil"].qualifier == "about"
    assert derive(counts=[pupils(6000, qualifier="over")])["cost_per_pupil"].qualifier == "at most"
    assert derive(counts=[pupils(6000, qualifier="up_to")])["cost_per_pupil"].qualifier == "at least"


def test_no_count_says_so():
    figure = derive()["cost_per_pupil"]
    assert figure.value is None and "no count of pupils" in figure.reason


def test_oa_funding_prefers_the_stated_oa_total():
    stated = [{"amount": Decimal("800000"), "period_label": "", "scope": {"funding_source": "oa"},
               "discrepancy": ""}]
    assert derive(stated=stated)["oa_cost"].value == Decimal("800000")


def test_oa_funding_is_not_derivable_from_lines_that_do_not_say_who_paid():
    mixed = [{**LINES[0], "funding_source": "mixed"}, LINES[1]]
    figure = derive(lines=mixed)["oa_cost"]
    assert figure.value is None and "do not say who paid for some cost lines" in figure.reason


def test_no_match_funding_lines_is_not_zero_match_funding():
    figure = derive()["match_funding"]
    assert figure.value is None and "record no match funding" in figure.reason


@pytest.mark.parametrize("per_pupil_per_year, band", [
    ("79.99", "very_low"), ("80", "low"), ("200", "low"), ("200.01", "moderate"), ("720", "moderate"),
    ("1200", "high"), ("1200.01", "very_high"),
])
def test_cost_band_boundaries_follow_the_eef_scale(per_pupil_per_year, band):
    assert cost_band_for(Decimal(per_pupil_per_year)) == band


# --- the loader's checks -------------------------------------------------------------------

COUNT_QUOTE = "Each project cost up to £25,000, and aimed to work with approximately 25 schools, per year."


def costing(**money_overrides):
    money = {"basis": "lines", "covers": "the whole programme, 2018–2022", "start_year": 2018, "end_year": 2022}
    return {"money": {**money, **money_overrides}, "counts": [{
        "unit": "schools", "count": 25, "per": "project", "covers": "about 25 schools", "start_year": 2018,
        "end_year": 2022, "qualifier": "about", "cite": cite(COUNT_QUOTE),
    }]}


@pytest.mark.django_db
def test_loaded_costing_gives_the_derived_figures_and_their_workings(tmp_path):
    load_tree(write_tree(tmp_path, [project(costing=costing())]))
    derby = Project.objects.with_figures().get(slug="derby-primary")
    figures = project_cost_figures(project=derby)
    assert figures["cost_per_school"].value == Decimal("13834.36")  # 345,859 / 25
    assert figures["cost_per_school"].qualifier == "about"
    assert figures["cost_per_school"].inputs["schools"] == 25
    assert project_cost_band(project=derby)["reason"].startswith("Not derivable")


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, message", [
    ({"periods": ["2030/31"]}, "no cost line or stated total has the period '2030/31'"),
    ({"basis": "stated", "periods": ["2020/21"]}, "No costs are reported"),
    ({"start_year": None}, "field 'start_year': is required"),
])
def test_loader_rejects_costing_that_names_no_money(tmp_path, overrides, message):
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [project(costing=costing(**overrides))]))
    assert message in str(error.value) and "derby-primary.yaml" in str(error.value)


@pytest.mark.django_db
def test_a_derived_figure_must_agree_with_the_figure_it_checks_or_explain(tmp_path):
    data = costing()
    data["counts"][0]["check_against"] = "Up to per project"
    tables = project()["costs"]["tables"] + [{"name": "Per project", "lines": [], "totals": [{
        "label": "Up to per project", "kind": "per_school_max", "amount": "25000",
        "cite": cite(COUNT_QUOTE)}]}]
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [project(costing=data, costs={"tables": tables})]))
    assert "differs from the stated 25000: explain the difference" in str(error.value)
    data["counts"][0]["difference"] = "The stated figure is a cap per project, not a cost per school."
    load_tree(write_tree(tmp_path, [project(costing=data, costs={"tables": tables})]))


@pytest.mark.django_db
def test_outcome_change_and_gaps(tmp_path):
    load_tree(write_tree(tmp_path))
    measure = Project.objects.get(slug="derby-primary").outcomes.get()
    figures = outcome_figures(measure=measure)
    assert figures["change"].value == Decimal("12")  # 64 -> 76
    assert figures["comparator_change"].value == Decimal("9")  # 70 -> 79
    assert figures["gap_before"].value == Decimal("-6")  # 64 - 70
    assert figures["gap_after"].value == Decimal("-3")  # 76 - 79


@pytest.mark.django_db
def test_sub_project_lines_count_in_the_parent(tmp_path):
    child = project(slug="derby-child", title="Child", parent="derby-primary", reach=None)
    parent = project(reach=None, costs={"tables": []})
    load_tree(write_tree(tmp_path, [parent, child]))
    figures = Project.objects.with_figures()
    assert figures.get(slug="derby-primary").total_cost == Decimal("345859")
    assert figures.get(slug="derby-child").total_cost == Decimal("345859")


# --- the projects an audit found wrong, in the curated corpus ------------------------------


def figures_of(slug):
    return project_cost_figures(project=Project.objects.with_figures().get(slug=slug))


@pytest.mark.django_db
@pytest.mark.corpus
def test_blackpool_divides_time_once():
    figures = figures_of("blackpool-ks3-literacy")
    # £1,230,000 over 3 years for about 3,500 pupils a year; was £62.60 (6,550 lifetime pupils ÷ 3 again)
    assert figures["cost_per_pupil_per_year"].value == Decimal("117.14")
    assert figures["cost_per_pupil_per_year"].qualifier == "about"
    assert Project.objects.with_figures().get(slug="blackpool-ks3-literacy").cost_band == "low"
    assert figures["cost_per_pupil"].value == Decimal("187.79")  # over the project's life


@pytest.mark.django_db
@pytest.mark.corpus
def test_bradford_matches_its_own_per_school_figure_and_keeps_its_stated_totals():
    figures = figures_of("bradford-school-to-school-support")
    assert figures["total_cost"].value == Decimal("1572750")  # the stated 2018-20 total, not the cells' 2,617,000
    assert figures["cost_per_school"].value == Decimal("60490.38")  # the report: approximately £60,490
    assert figures["cost_per_pupil"].value is None
    bradford = Project.objects.get(slug="bradford-school-to-school-support")
    assert bradford.cost_totals.filter(amount=Decimal("875000"), discrepancy__contains="1,044,250").exists()


@pytest.mark.django_db
@pytest.mark.corpus
def test_hastings_gives_no_per_school_figure_and_no_partial_oa_funding():
    figures = figures_of("hastings-maths-project")
    assert figures["total_cost"].value == Decimal("588079")
    assert figures["cost_per_school"].value is None
    assert "12 schools" in figures["cost_per_school"].reason
    assert figures["oa_cost"].value is None  # was £160,069, the Year 4 and 5 lines only
    assert "do not say who paid for some cost lines" in figures["oa_cost"].reason
