"""Reads that span models: facet counts, headline counts, and summaries of a set of projects.

Each function runs a fixed number of queries, whatever the number of projects or rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from costs.models import CostLine
from outcomes.models import EvidenceType, OutcomeMeasure
from projects.models import Area, AreaKind, Organisation, Phase, Project, Source, Theme
from projects.querysets import COST_BANDS


def headline_counts() -> dict:
    """Home page figures: 4 queries."""
    return {
        "areas": Area.objects.filter(kind=AreaKind.OPPORTUNITY_AREA).count(),
        "projects": Project.objects.count(),
        "spend": CostLine.objects.aggregate(total=Coalesce(Sum("amount"), Decimal("0")))["total"],
        "outcome_measures": OutcomeMeasure.objects.count(),
    }


def project_facets(*, projects: QuerySet) -> dict[str, list[dict]]:
    """Counts of the given projects by area, theme, phase, cost band, organisation, evidence type
    and start year (7 queries). `projects` is any filtered Project queryset."""
    ids = projects.order_by().values("pk")

    def counted(model, relation, order=("name",)):
        rows = (
            model.objects.annotate(count=Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True))
            .filter(count__gt=0)
            .order_by(*order)
        )
        return [{"value": row.slug, "label": row.name, "count": row.count} for row in rows]

    band_counts = dict(
        Project.objects.with_figures().filter(pk__in=ids).exclude(cost_band="")
        .values_list("cost_band").annotate(count=Count("pk")).values_list("cost_band", "count")
    )
    evidence_counts = dict(
        OutcomeMeasure.objects.filter(project__in=ids).values_list("evidence_type")
        .annotate(count=Count("project", distinct=True)).values_list("evidence_type", "count")
    )
    year_counts = (
        Project.objects.filter(pk__in=ids, start_year__isnull=False).values_list("start_year")
        .annotate(count=Count("pk")).order_by("start_year").values_list("start_year", "count")
    )
    return {
        "area": counted(Area, "projects"),
        "theme": counted(Theme, "projects"),
        "phase": counted(Phase, "projects", order=("order",)),
        "cost_band": [
            {"value": slug, "label": f"{symbol} {label}", "count": band_counts[slug]}
            for slug, symbol, label, _ in COST_BANDS if slug in band_counts
        ],
        "organisation": counted(Organisation, "projects"),
        "evidence_type": [
            {"value": value, "label": label, "count": evidence_counts[value]}
            for value, label in EvidenceType.choices if value in evidence_counts
        ],
        "start_year": [{"value": year, "label": str(year), "count": count} for year, count in year_counts],
    }


def spend_by(*, projects: QuerySet, dimension: str) -> list[dict]:
    """Sum of cost lines of the given projects by theme, phase or area (1 query).

    A project with two themes counts in both, so theme (and phase) totals can exceed the
    overall spend; the pages say so.
    """
    field = {"theme": "project__themes", "phase": "project__phases", "area": "project__area"}[dimension]
    ids = projects.order_by().values("pk")
    rows = (
        CostLine.objects.filter(project__in=ids)
        .values(f"{field}__slug", f"{field}__name")
        .annotate(total=Sum("amount"), projects=Count("project", distinct=True))
        .order_by("-total")
    )
    return [
        {"slug": row[f"{field}__slug"], "name": row[f"{field}__name"], "total": row["total"],
         "projects": row["projects"]}
        for row in rows if row[f"{field}__slug"]
    ]


def outcomes_of(*, projects: QuerySet) -> QuerySet:
    """Outcome measures of the given projects with their project, phase and citations (3 queries)."""
    from django.db.models import Prefetch

    from projects.models import Citation

    ids = projects.order_by().values("pk")
    return (
        OutcomeMeasure.objects.filter(project__in=ids)
        .select_related("project", "phase")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))
        .order_by("project__title", "order")
    )


def sources_of(*, projects: QuerySet) -> QuerySet:
    """The source documents cited by the given projects or their records (1 query)."""
    ids = projects.order_by().values("pk")
    cited = (
        Q(citations__projects__in=ids) | Q(citations__cost_lines__project__in=ids)
        | Q(citations__outcomes__project__in=ids) | Q(citations__findings__project__in=ids)
    )
    return Source.objects.filter(cited).distinct().order_by("key").only("key", "title", "publisher", "published",
                                                                       "date_precision", "kind")


def source_usage() -> QuerySet:
    """Each source with how many records cite it (1 query)."""
    def cited(relation):
        return Count(f"citations__{relation}", distinct=True)

    return Source.objects.defer("text").annotate(
        quote_count=Count("citations", distinct=True),
        project_count=cited("projects"),
        cost_line_count=cited("cost_lines"),
        total_count=cited("cost_totals"),
        outcome_count=cited("outcomes"),
        finding_count=cited("findings"),
    ).order_by("key")
