"""The curated corpus: complete, traceable, and its headline figures right, read through the database."""

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from costs.models import CostLine, CostTotal, TotalKind
from outcomes.models import OutcomeMeasure
from projects.models import Area, AreaKind, Citation, Finding, Intervention, Project, Source
from web.loading.read import SCOPE_KEYS
from web.loading.records import normalise_text

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

OPPORTUNITY_AREAS = {
    "Blackpool", "Bradford", "Derby", "Doncaster", "Fenland and East Cambridgeshire", "Hastings", "Ipswich",
    "North Yorkshire Coast", "Norwich", "Oldham", "Stoke-on-Trent", "West Somerset",
}


def stated_total(project_slug: str, amount: str, kind: str = TotalKind.TOTAL) -> CostTotal:
    return CostTotal.objects.get(project__slug=project_slug, kind=kind, amount=Decimal(amount))


def test_all_twelve_opportunity_areas_and_the_two_others_exist():
    names = set(Area.objects.filter(kind=AreaKind.OPPORTUNITY_AREA).values_list("name", flat=True))
    assert names == OPPORTUNITY_AREAS
    assert Area.objects.get(slug="hampshire").kind == AreaKind.LOCAL_AUTHORITY
    assert Area.objects.get(slug="unspecified").kind == AreaKind.UNSPECIFIED


def test_every_source_document_contributes():
    counts = dict(Source.objects.annotate(n=Count("citations")).values_list("key", "n"))
    assert set(counts) == {"000_1f1c3d470389f224", "001_6ee1e78391745e29", "002_bed98b23739a14e3",
                           "003_744853fa9307d0f5", "004_6f773edfda24e1ba"}
    assert all(n >= 20 for n in counts.values()), counts


def test_every_quote_occurs_in_its_source_text():
    texts = {source.key: normalise_text(source.text) for source in Source.objects.all()}
    missing = [
        (c.source.key, c.quote) for c in Citation.objects.select_related("source")
        if normalise_text(c.quote) not in texts[c.source.key]
    ]
    assert Citation.objects.count() > 500
    assert missing == []


def test_no_project_without_area_phase_theme_and_citation():
    projects = Project.objects.annotate(
        phase_count=Count("phases", distinct=True), theme_count=Count("themes", distinct=True),
        citation_count=Count("citations", distinct=True),
    )
    incomplete = [p.slug for p in projects if not (p.area_id and p.phase_count and p.theme_count and p.citation_count)]
    assert projects.count() >= 50
    assert incomplete == []


@pytest.mark.parametrize("model", [CostLine, CostTotal, OutcomeMeasure, Finding, Intervention])
def test_every_figure_and_finding_has_a_citation(model):
    uncited = model.objects.annotate(n=Count("citations")).filter(n=0)
    assert model.objects.exists()
    assert list(uncited.values_list("key", flat=True)) == []


def test_every_checked_total_equals_the_sum_of_its_lines():
    checked = CostTotal.objects.filter(kind=TotalKind.TOTAL, checked_lines__gt=0)
    assert checked.count() >= 15
    for total in checked:
        lines = CostLine.objects.filter(project=total.project, table=total.table)
        for key, value in total.scope.items():
            lines = lines.filter(**{SCOPE_KEYS[key]: value})
        assert lines.count() == total.checked_lines, total.label
        assert lines.aggregate(s=Sum("amount"))["s"] == total.amount, (total.project.slug, total.label)


def test_unchecked_totals_with_lines_in_scope_record_the_sources_discrepancy():
    """A total whose scope covers lines is either checked or carries a discrepancy note."""
    noted = CostTotal.objects.filter(kind=TotalKind.TOTAL, checked_lines=0).exclude(discrepancy="")
    assert noted.exists()  # Bradford's 2020-22 total
    for total in noted:
        lines = CostLine.objects.filter(project=total.project, table=total.table)
        for key, value in total.scope.items():
            lines = lines.filter(**{SCOPE_KEYS[key]: value})
        added = lines.aggregate(s=Sum("amount"))["s"]
        assert added != total.amount
        assert f"{added:,.0f}" in total.discrepancy


# Headline figures, one group per source document.

def test_000_blackpool_funding():
    assert stated_total("blackpool-ks3-literacy", "865000").scope == {"funding_source": "oa"}
    assert stated_total("blackpool-ks3-literacy", "365000").scope == {"funding_source": "match_funding"}
    blackpool = Project.objects.with_figures().get(slug="blackpool-ks3-literacy")
    assert blackpool.oa_cost == Decimal("865000")
    assert blackpool.match_funding == Decimal("365000")
    assert blackpool.total_cost == Decimal("1230000")  # the five category lines


def test_000_derby_oldham_hastings_totals():
    assert stated_total("derby-primary-school-improvement", "345859").checked_lines == 9
    assert stated_total("oldham-school-to-school-support", "1104144.37").checked_lines > 0
    assert stated_total("hastings-maths-project", "588079").checked_lines > 0


def test_000_stoke_partnership_totals_and_both_documents_cited():
    expected = {"stoke-ks2-science-across-the-city": "609300", "stoke-ks2-english-excellence-partnership": "670766",
                "stoke-ks2-maths-excellence-partnership": "889665"}
    for slug, amount in expected.items():
        total = stated_total(slug, amount)
        assert total.checked_lines == 6
        project = Project.objects.get(slug=slug)
        assert project.parent.slug == "stoke-curriculum-excellence-partnerships"
        assert {c.source.key for c in project.citations.all()} >= {"000_1f1c3d470389f224", "004_6f773edfda24e1ba"}


def test_001_ssif_project_is_qualitative_and_unplaced():
    project = Project.objects.get(area__slug="unspecified")
    kinds = set(project.findings.values_list("kind", flat=True))
    assert {"good_practice", "do_differently", "sustainability"} <= kinds
    assert not project.cost_lines.exists()
    assert set(project.phases.values_list("slug", flat=True)) == {"ks1", "ks2", "ks3"}


def test_002_bradford_funding_table():
    slug = "bradford-school-to-school-support"
    assert stated_total(slug, "1572750").checked_lines == 3
    assert "1,044,250" in stated_total(slug, "875000").discrepancy
    assert stated_total(slug, "30000", TotalKind.PER_SCHOOL_MIN)
    assert stated_total(slug, "60100", TotalKind.PER_SCHOOL_MAX)
    assert stated_total(slug, "54556", TotalKind.PER_SCHOOL_MEAN)
    assert Project.objects.get(slug=slug).roles.filter(organisation__slug="york-consulting", role="evaluator").exists()


def test_003_hampshire_table_1_row_2012():
    measure = OutcomeMeasure.objects.get(
        project__slug="hampshire-hias-ks2-school-improvement", baseline_year="2009", followup_year="2012",
        metric="Pupils achieving Level 4 or above in both English and maths at KS2 (Hampshire)",
    )
    assert (measure.baseline_value, measure.followup_value) == (Decimal("75"), Decimal("82"))
    assert (measure.comparator_baseline_value, measure.comparator_followup_value) == (Decimal("72"), Decimal("79"))
    assert "2012 87 87 82 79 87 88" in [c.quote for c in measure.citations.all()]
    case_studies = OutcomeMeasure.objects.filter(project__area__slug="hampshire", metric__contains="Case Study")
    assert {m.metric[-20:] for m in case_studies} >= {f"(Case Study {n} school)"[-20:] for n in range(1, 7)}


def test_004_stoke_final_report_projects():
    stoke = Project.objects.filter(area__slug="stoke-on-trent")
    assert stoke.count() >= 35
    assert stoke.filter(citations__source__key="004_6f773edfda24e1ba").distinct().count() >= 35
    word_gap = stoke.get(slug="stoke-closing-the-word-gap")
    assert word_gap.schools_reached == 40
    assert word_gap.reach_citations.filter(source__key="004_6f773edfda24e1ba").exists()


def test_unresolved_figures_are_listed():
    from django.conf import settings

    text = (settings.FIXTURES_DIR / "UNRESOLVED.md").read_text()
    for key in ("000_1f1c3d470389f224", "002_bed98b23739a14e3", "003_744853fa9307d0f5", "004_6f773edfda24e1ba"):
        assert key in text


QUALIFIERS = r"(over|more than|almost|nearly|approximately|around|about|up to|at least|c\.)"


def test_a_qualified_figure_says_so_in_its_note():
    """'Over 600' stored as 600 must carry 'over' in its note or metric, never pass as exact."""
    import re

    unqualified = []
    for measure in OutcomeMeasure.objects.prefetch_related("citations"):
        for value in (measure.baseline_value, measure.followup_value):
            if value is None:
                continue
            written = format(value.normalize(), "f")
            for citation in measure.citations.all():
                pattern = QUALIFIERS + r"\s*£?" + re.escape(written) + r"(?![\d,.])"
                for match in re.finditer(pattern, citation.quote, re.IGNORECASE):
                    if match.group(1).lower() not in (measure.note + measure.metric).lower():
                        unqualified.append((measure.key, match.group(0)))
    assert unqualified == []
