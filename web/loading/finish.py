"""The end of every load, curated or synthetic: store each project's derived figures, evidence
rating and API documents, build the search vectors and record the data version. After the
transaction commits the tables are analysed, and the caller forgets the cached data version
(`forget_data_version()`)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from core.cache import forget_kept
from core.models import DataVersion
from costs.figures import count_of, derive_cost_figures, money_of
from costs.models import CostBasis, CostCount, CostLine, CostTotal, TotalKind
from outcomes.evidence import ordered_kinds, rate_evidence
from outcomes.figures import comparator_coverage
from outcomes.models import EvidenceAssessment, Headline, OutcomeMeasure
from projects.models import Project, ProjectFigures
from projects.search import rebuild_search_index
from web.documents import rebuild_project_documents
from web.facets import rebuild_project_facets
from web.stored import rebuild_collection_summaries

STORED_FIGURES = ["total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school", "cost_per_pupil",
                  "cost_per_pupil_per_year", "cost_band"]


def finish_load(*, content_hash: str, counts: dict, replace_versions: bool = False) -> None:
    """Everything a load does after writing its rows; the caller holds the transaction."""
    refresh_derived()
    rebuild_search_index(Project.objects.all())
    if replace_versions:
        DataVersion.objects.all().delete()
    DataVersion.objects.update_or_create(content_hash=content_hash,
                                         defaults={"loaded_at": timezone.now(), "counts": counts})
    transaction.on_commit(analyze_tables)


def refresh_derived() -> None:
    """Everything computed from the loaded rows: derived figures and ratings, the search page's
    facet values, then the API documents and the pages that show them. What this process keeps
    per data version (vocabularies, facet bitmaps) is forgotten: a refresh may keep the version."""
    forget_kept()
    refresh_project_figures()
    rebuild_project_facets()
    rebuild_project_documents()
    rebuild_collection_summaries()


def analyze_tables() -> None:
    """Refresh the planner's statistics after a load has replaced many rows: without them a
    prefetch of citations can take a hundred times longer (a sequential scan for an index lookup).

    On PostgreSQL, outside a transaction, VACUUM first: a load writes each project twice (its
    search vector is set after its row) and replaces every stored page. The project table, which
    a broad search scans, is rewritten compactly (FULL: 0.6 s at 10,000 projects, reads wait for
    it): left half dead rows, it is twice the pages to read (16 MB for 10 MB at 10,000)."""
    vacuum = connection.vendor == "postgresql" and connection.get_autocommit() and not connection.in_atomic_block
    with connection.cursor() as cursor:
        if not vacuum:
            cursor.execute("ANALYZE")
            return
        cursor.execute(f"VACUUM (FULL) {connection.ops.quote_name(Project._meta.db_table)}")
        cursor.execute("VACUUM (ANALYZE)")


def refresh_project_figures() -> int:
    """Recompute every project's derived figures and evidence rating, and store them (a fixed
    number of queries and a bulk write, whatever the number of projects)."""
    projects = list(Project.objects.only("id", "parent_id", "start_year", "end_year"))
    parent_of = {p.pk: p.parent_id for p in projects}
    lines, stated, counts = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in CostLine.objects.values("project_id", "amount", "period_label", "funding_source").order_by("id"):
        for owner in (row["project_id"], parent_of.get(row["project_id"])):
            if owner:
                lines[owner].append(row)
    for row in (CostTotal.objects.filter(kind=TotalKind.TOTAL)
                .values("project_id", "amount", "period_label", "scope", "discrepancy").order_by("order")):
        stated[row["project_id"]].append(row)
    rates = defaultdict(list)
    for row in (CostTotal.objects.exclude(kind=TotalKind.TOTAL)
                .values("project_id", "label", "amount", "period_label").order_by("order")):
        rates[row["project_id"]].append(row)
    for count in CostCount.objects.order_by("order"):
        counts[count.project_id].append(count_of(count))
    bases = {basis.project_id: money_of(basis) for basis in CostBasis.objects.all()}
    kinds = defaultdict(set)
    for project_id, kind in OutcomeMeasure.objects.values_list("project_id", "kind").distinct().order_by():
        kinds[project_id].add(kind)
    kinds = {project_id: ordered_kinds(found) for project_id, found in kinds.items()}
    ratings = {e.project_id: rate_evidence(design=e.design, evaluator=e.evaluator, schools=e.sample_schools,
                                           pupils=e.sample_pupils, kinds=kinds.get(e.project_id, ())).rating
               for e in EvidenceAssessment.objects.all()}
    directions = dict(Headline.objects.values_list("project_id", "direction"))
    compared = set(OutcomeMeasure.objects.exclude(comparator_label="").values_list("project_id", flat=True))
    comparator_points = defaultdict(list)
    for project_id, *points in (OutcomeMeasure.objects.exclude(comparator_label="").values_list(
            "project_id", "comparator_baseline_value", "comparator_followup_value")):
        comparator_points[project_id].append(points)

    rows = []
    for project in projects:
        figures = derive_cost_figures(money=bases.get(project.pk), lines=lines[project.pk],
                                      stated=stated[project.pk], counts=counts[project.pk],
                                      project_years=(project.start_year, project.end_year),
                                      rates=rates[project.pk])
        values = {name: figures[name].value for name in STORED_FIGURES}
        values["cost_band"] = values["cost_band"] or ""
        rows.append(ProjectFigures(
            project_id=project.pk, line_count=len(lines[project.pk]), **values,
            workings={name: figure.as_json() for name, figure in figures.items()},
            evidence_rating=ratings.get(project.pk), headline_direction=directions.get(project.pk, ""),
            comparator_coverage=comparator_coverage(measures=comparator_points[project.pk]),
            has_comparator_outcome=project.pk in compared, outcome_kinds=kinds.get(project.pk, []),
        ))
    ProjectFigures.objects.all().delete()
    ProjectFigures.objects.bulk_create(rows, batch_size=2000)
    return len(projects)
