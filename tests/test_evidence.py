"""Evidence ratings and headline outcomes: the rubric, one test per rule; every project rated from
cited inputs; the same rating and headline on cards, pages, compare, the API and CSV."""

import csv
import io
import re

import pytest

from outcomes.evidence import CAUSAL_DESIGNS, Design, Direction, Evaluator, rate_evidence
from projects.models import Project
from tests.minimal import load_tree, project, write_tree
from web.loading import FixtureError

# --- the rubric ----------------------------------------------------------------------------


def rating(design, evaluator=Evaluator.INDEPENDENT, schools=30, pupils=None):
    return rate_evidence(design=design, evaluator=evaluator, schools=schools, pupils=pupils)


@pytest.mark.parametrize("design, ceiling", [
    (Design.RANDOMISED, 5), (Design.MATCHED_COMPARISON, 4), (Design.BENCHMARK_COMPARISON, 3),
    (Design.BEFORE_AFTER, 2), (Design.DESCRIPTIVE, 1),
])
def test_the_design_sets_the_ceiling(design, ceiling):
    assert rating(design).rating == ceiling


def test_no_outcome_data_rates_zero_whatever_else():
    result = rating(Design.NO_OUTCOME_DATA, schools=500)
    assert result.rating == 0 and result.label == "No outcome evidence"


def test_an_evaluation_that_is_not_independent_loses_one():
    assert rating(Design.MATCHED_COMPARISON, Evaluator.DELIVERY_TEAM).rating == 3
    assert rating(Design.MATCHED_COMPARISON, Evaluator.NOT_STATED).rating == 3


def test_a_small_or_unstated_sample_loses_one():
    assert rating(Design.RANDOMISED, schools=5).rating == 4
    assert rating(Design.RANDOMISED, schools=None).rating == 4
    assert rating(Design.RANDOMISED, schools=5, pupils=1000).rating == 5  # 1,000 pupils is large


def test_a_project_with_outcome_data_never_rates_below_one():
    assert rating(Design.BEFORE_AFTER, Evaluator.DELIVERY_TEAM, schools=None).rating == 1


def test_only_randomised_and_matched_designs_can_show_cause():
    for design in Design:
        result = rating(design)
        assert result.can_show_cause == (design in CAUSAL_DESIGNS)
        if design != Design.NO_OUTCOME_DATA and design not in CAUSAL_DESIGNS:
            assert "cannot show that the project caused" in result.why


# --- the loader ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    ({"evidence": None}, "every project needs an evidence block"),
    ({"headline": None}, "every project needs a headline"),
    ({"headline": {"outcome": "no-such-measure", "direction": "improved", "statement": "x",
                   "cite": project()["headline"]["cite"]}}, "no outcome of this project has id 'no-such-measure'"),
    ({"headline": {"direction": "improved", "statement": "x", "cite": project()["headline"]["cite"]}},
     "name the id of the outcome measure"),
    ({"evidence": {**project()["evidence"], "design": "anecdote"}}, "'anecdote' is not one of"),
    ({"evidence": {**project()["evidence"], "schools": 99}}, "the value 99 does not appear in the quoted text"),
])
def test_loader_rejects_evidence_and_headlines_it_cannot_trust(tmp_path, change, message):
    data = project()
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [data]))
    assert message in str(error.value) and "derby-primary.yaml" in str(error.value)


# --- the curated corpus --------------------------------------------------------------------

CAUSAL_WORDS = re.compile(r"\b(caused|led to|as a result of|thanks to|because of the project|raised|resulted in)\b",
                          re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.corpus
def test_every_project_has_a_cited_rating_that_follows_from_the_rubric():
    projects = Project.objects.with_figures().select_related("evidence").prefetch_related("evidence__citations")
    assert projects.count() == 55
    for item in projects:
        assessment = item.evidence
        assert assessment.citations.exists(), item.slug
        assert assessment.note, item.slug
        expected = rate_evidence(design=assessment.design, evaluator=assessment.evaluator,
                                 schools=assessment.sample_schools, pupils=assessment.sample_pupils)
        assert item.evidence_rating == expected.rating, item.slug


@pytest.mark.django_db
@pytest.mark.corpus
def test_every_project_has_a_cited_headline_naming_one_of_its_own_measures():
    for item in Project.objects.select_related("headline__outcome").prefetch_related("headline__citations"):
        headline = item.headline
        assert headline.citations.exists(), item.slug
        if headline.direction == Direction.NOT_MEASURED:
            assert headline.outcome is None, item.slug
        else:
            assert headline.outcome.project_id == item.pk, item.slug


@pytest.mark.django_db
@pytest.mark.corpus
def test_no_claim_of_cause_where_the_design_cannot_show_it():
    claims = []
    for item in Project.objects.select_related("evidence", "headline"):
        if item.evidence.design in CAUSAL_DESIGNS:
            continue
        for text in (item.evidence.note, item.headline.statement):
            if CAUSAL_WORDS.search(text):
                claims.append((item.slug, CAUSAL_WORDS.search(text).group(0)))
    assert claims == []


# --- shown everywhere, the same ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.corpus
def test_project_page_shows_rating_why_and_headline(client):
    html = client.get("/projects/derby-ks1-phonics/").content.decode()
    assert "1 of 5: Very limited" in html
    assert "Why this rating" in html and "Sample size not stated (−1)." in html
    assert "cannot show that the project caused the changes" in html
    assert "rose each year, from 78% in 2016" in html
    assert 'data-gap-change="4.000"' in html  # −3 pp before, +1 pp after
    for label in ("What it cost", "What changed", "How sure we can be"):  # "what it was" is the lead
        assert f"<dt>{label}</dt>" in html


@pytest.mark.django_db
@pytest.mark.corpus
def test_cards_show_rating_and_direction(client):
    html = client.get("/projects/?area=derby").content.decode()
    assert "<dt>Evidence</dt><dd>1 of 5: Very limited</dd>" in html
    assert 'class="direction direction-improved">Improved</span>' in html


@pytest.mark.django_db
@pytest.mark.corpus
def test_rating_facet_filter_and_sort_on_the_search_page(client):
    html = client.get("/projects/?ordering=-evidence_rating").content.decode()
    titles = re.findall(r'<h3><a href="/projects/[^"]+/">([^<]+)</a></h3>', html)
    strongest = Project.objects.with_figures().order_by("-evidence_rating", "title").first()
    assert titles[0] == strongest.title
    assert 'data-facet-count="evidence_rating-0"' in html
    zero = client.get("/projects/?evidence_rating=0").content.decode()
    assert f"{Project.objects.with_figures().filter(evidence_rating=0).count()} projects" in zero


@pytest.mark.django_db
@pytest.mark.corpus
def test_api_and_csv_expose_the_same_ratings_headlines_and_reasons(client):
    json_rows = client.get("/api/v1/projects/?page_size=100", HTTP_ACCEPT="application/json").json()["results"]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/projects/?format=csv").content.decode())))
    assert len(json_rows) == len(csv_rows) == 55
    by_slug = {row["slug"]: row for row in csv_rows}
    for row in json_rows:
        twin = by_slug[row["slug"]]
        for field in ("evidence_rating_label", "evidence_why", "headline_direction", "headline_statement",
                      "cost_per_school_note", "cost_per_pupil_per_year_note", "oa_cost_note"):
            assert str(row[field]) == twin[field], (row["slug"], field)
        assert str(row["evidence_rating"]) == twin["evidence_rating"]
    hastings = next(row for row in json_rows if row["slug"] == "hastings-maths-project")
    page = client.get("/projects/hastings-maths-project/").content.decode()
    assert hastings["cost_per_school_note"] in page.replace("&#x27;", "'")


@pytest.mark.django_db
@pytest.mark.corpus
def test_api_filters_on_rating_direction_and_comparator(client):
    def slugs(query):
        body = client.get(f"/api/v1/projects/?page_size=100&{query}", HTTP_ACCEPT="application/json").json()
        return {row["slug"] for row in body["results"]}

    figures = Project.objects.with_figures()
    assert slugs("evidence_rating=2") == set(figures.filter(evidence_rating=2).values_list("slug", flat=True))
    assert slugs("headline_direction=improved") == set(
        figures.filter(headline_direction="improved").values_list("slug", flat=True))
    compared = slugs("has_comparator=true")
    assert "derby-ks1-phonics" in compared and "stoke-smile" not in compared
    assert client.get("/api/v1/projects/?evidence_rating=7").status_code == 400


@pytest.mark.django_db
@pytest.mark.corpus
def test_compare_shows_ratings_and_reasons(client):
    html = client.get("/compare/?projects=blackpool-ks3-literacy,hastings-maths-project").content.decode()
    assert "Evidence rating" in html and "1 of 5: Very limited" in html
    assert "Not derivable" in html and "12 schools" in html
