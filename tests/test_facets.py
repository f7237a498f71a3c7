"""The search page's facet counts come from what every load stores (web/facets.py): each value's
projects as a bitmap. They must be exactly what grouping the live rows gives, the way the page
counted before: `grouped_facets` below is that reference, kept here as the specification."""

from collections import defaultdict

import pytest
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict

from costs.figures import CostBand
from outcomes.evidence import Direction, OutcomeKind, Rating
from outcomes.figures import ComparatorCoverage
from outcomes.models import EvidenceType, OutcomeMeasure
from projects.models import Area, FacetValue, Organisation, Phase, Project, ProjectFigures, ProjectOrganisation, Theme
from tests import factories
from web.facets import bitmap, project_facets
from web.filters import STAGES, ProjectFilter
from web.templatetags.facet_tags import facet

pytestmark = pytest.mark.django_db


def grouped_facets(projects) -> dict[str, list[dict]]:
    """The counts as a query per facet over the live rows gives them (the page's former code)."""
    ids = projects.order_by().values("pk")

    def grouped(rows, by: str) -> dict:
        return dict(rows.filter(project_id__in=ids).order_by().values_list(by)
                    .annotate(count=Count("project_id", distinct=True)).values_list(by, "count"))

    def labelled(model, counts: dict, limit: int | None = None) -> list[dict]:
        entries = [{"value": row.slug, "label": getattr(row, "label", row.name), "count": counts[row.pk]}
                   for row in model.objects.all() if row.pk in counts]
        return sorted(entries, key=lambda e: (-e["count"], e["label"]))[:limit] if limit else entries

    def choices(counts: dict, enumeration, label=lambda value, label: label) -> list[dict]:
        return [{"value": value, "label": label(value, text), "count": counts[value]}
                for value, text in enumeration if value in counts]

    figures = {name: grouped(ProjectFigures.objects, name) for name in
               ("cost_band", "evidence_rating", "headline_direction", "comparator_coverage")}
    links = Project.themes.through.objects.filter(project__in=ids)
    families = links.values(value=Coalesce("theme__parent__slug", "theme__slug"),
                            label=Coalesce("theme__parent__name", "theme__name"),
                            parent=Value("", output_field=CharField())).annotate(count=Count("project", distinct=True))
    subs = links.filter(theme__parent__isnull=False).values(
        value=F("theme__slug"), label=F("theme__name"), parent=F("theme__parent__slug")).annotate(
        count=Count("project", distinct=True))
    themes = list(families.union(subs, all=True))
    names = {row["value"]: row["label"] for row in themes if not row["parent"]}
    stages = defaultdict(set)
    for phase, project in Project.phases.through.objects.filter(project__in=ids).values_list("phase__slug",
                                                                                            "project_id"):
        for stage, (_, phases) in STAGES.items():
            if phase in phases:
                stages[stage].add(project)
    years = (Project.objects.filter(pk__in=ids, start_year__isnull=False).order_by().values_list("start_year")
             .annotate(count=Count("pk")).order_by("start_year"))
    return {
        "area": labelled(Area, grouped(Project.objects.annotate(project_id=F("pk")), "area_id"), limit=20),
        "theme": sorted(themes, key=lambda row: (names[row["parent"] or row["value"]], bool(row["parent"]),
                                                 row["label"])),
        "phase": labelled(Phase, grouped(Project.phases.through.objects, "phase_id")),
        "stage": [{"value": stage, "label": label, "count": len(stages[stage])}
                  for stage, (label, _) in STAGES.items() if stages[stage]],
        "cost_band": choices(figures["cost_band"], CostBand.choices),
        "evidence_rating": choices(figures["evidence_rating"], reversed(Rating.choices),
                                   lambda value, label: f"{value} {label}"),
        "headline_direction": choices(figures["headline_direction"], Direction.choices),
        "comparator": choices(figures["comparator_coverage"], ComparatorCoverage.choices),
        "organisation": labelled(Organisation, grouped(ProjectOrganisation.objects, "organisation_id"), limit=20),
        "evidence_type": choices(grouped(OutcomeMeasure.objects, "evidence_type"), EvidenceType.choices),
        "outcome_kind": choices(grouped(OutcomeMeasure.objects, "kind"), OutcomeKind.choices),
        "start_year": [{"value": year, "label": str(year), "count": count} for year, count in years],
    }


def filter_combinations() -> list[str]:
    """Every value of every facet alone, words, and pairs of filters, on the curated corpus."""
    single = [f"area={slug}" for slug in Area.objects.values_list("slug", flat=True)]
    single += [f"theme={slug}" for slug in Theme.objects.values_list("slug", flat=True)]
    single += [f"phase={slug}" for slug in Phase.objects.values_list("slug", flat=True)]
    single += [f"stage={stage}" for stage in STAGES]
    single += [f"cost_band={value}" for value in CostBand.values]
    single += [f"evidence_rating={value}" for value in Rating.values]
    single += [f"headline_direction={value}" for value in Direction.values]
    single += [f"comparator={value}" for value in ComparatorCoverage.values]
    single += [f"evidence_type={value}" for value in EvidenceType.values]
    single += [f"outcome_kind={value}" for value in OutcomeKind.values]
    single += [f"organisation={slug}" for slug in Organisation.objects.values_list("slug", flat=True)[:10]]
    single += [f"started={year}" for year in range(2016, 2022)]
    words = ["q=maths", "q=phonics", "q=reading+school", "q=school+to+school", "q=-maths", "q=fonics", "q=zzzz"]
    pairs = [f"{a}&{b}" for a in ["q=school", "phase=ks2", "theme=literacy", "stage=secondary", "min_cost=50000"]
             for b in single[::3]]
    return ["", *single, *words, *pairs, "theme=literacy&theme=maths&phase=ks1&phase=ks4"]


def test_the_stored_facets_count_what_grouping_the_live_rows_counts():
    checked = 0
    for querystring in filter_combinations():
        projects = ProjectFilter(QueryDict(querystring), queryset=Project.objects.for_list()).qs
        ids = list(projects.values_list("pk", flat=True))
        assert project_facets(ids=ids) == grouped_facets(projects), querystring
        checked += bool(ids)
    assert checked > 100
    assert project_facets() == grouped_facets(Project.objects.all())  # None: every project


def test_a_facet_with_no_match_is_empty_and_every_facet_is_there():
    assert project_facets(ids=[]) == {name: [] for name in grouped_facets(Project.objects.none())}


def test_every_load_rebuilds_the_facets_and_forgets_the_cached_counts():
    area = factories.area()
    made = factories.project(area)
    factories.finish()
    assert project_facets(ids=[made.pk])["area"] == [{"value": area.slug, "label": area.name, "count": 1}]
    other = factories.project(area)
    factories.finish()  # the data version is the same: the bitmaps cached before must be forgotten
    assert project_facets(ids=[made.pk, other.pk])["area"] == [{"value": area.slug, "label": area.name, "count": 2}]


def test_a_value_lists_its_projects_as_a_bitmap_bit_n_for_project_n():
    area = factories.area()
    made = [factories.project(area) for _ in range(3)]
    factories.finish()
    stored = FacetValue.objects.get(facet="area", value=area.slug).projects
    assert int.from_bytes(stored, "little") == bitmap(p.pk for p in made)
    assert bitmap([0, 9]) == 0b1000000001 and bitmap([]) == 0


def test_a_facet_escapes_what_it_shows_and_marks_ticked_and_included_values():
    html = facet("theme", "Theme <b>", [
        {"value": "a&b", "label": "<script>x</script>", "count": 3, "dom_id": "facet-theme-ab", "checked": True},
        {"value": "sub", "label": "Sub", "count": 1, "dom_id": "facet-theme-sub", "parent": "a&b",
         "checked": True, "disabled": True}])
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html and "Theme &lt;b&gt;" in html
    assert 'value="a&amp;b" id="facet-theme-ab" checked>' in html
    assert ('<div class="check sub"><input type="checkbox" name="theme" value="sub" id="facet-theme-sub"'
            ' checked disabled>') in html
    assert "(included: its broader theme is ticked)" in html
    assert facet("theme", "Theme", []) == ""
