"""Reads that span models: facet counts, headline counts, and summaries of a set of projects.

Each function runs a fixed number of queries, whatever the number of projects or rows.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.versioning import current_data_version
from costs.figures import CostBand
from costs.models import CostLine, CostTotal
from outcomes.evidence import (
    CAUSAL_DESIGNS,
    DESIGN_CEILING,
    LARGE_SAMPLE_PUPILS,
    LARGE_SAMPLE_SCHOOLS,
    Design,
    Direction,
    Rating,
)
from outcomes.models import EvidenceType, OutcomeMeasure
from projects.models import (
    Area,
    AreaKind,
    Citation,
    Finding,
    Organisation,
    Phase,
    Project,
    ProjectFigures,
    Source,
    Theme,
)

FACET_CACHE_SECONDS = 600
FACET_LIMIT = 20  # areas and organisations shown in a facet, most frequent first


def cached_for_this_data(name: str, compute, seconds: int = 600):
    """`compute()`, cached until the data version changes (or `seconds` pass)."""
    key = f"{name}:{current_data_version()['hash']}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def headline_counts() -> dict:
    """Home page figures: 3 queries, cached per data version."""
    return cached_for_this_data("headline-counts", lambda: {
        "projects": Project.objects.count(),
        "spend": spend_total(projects=Project.objects.all()),
        "outcome_measures": OutcomeMeasure.objects.count(),
    })


def entry_points() -> dict:
    """Home page lists: every area with what has been curated for it, themes and phases with
    project counts. 4 queries, cached per data version."""
    def compute():
        areas = area_coverage()
        programme = [area for area in areas if area.kind == AreaKind.OPPORTUNITY_AREA]
        return {
            "areas": areas,
            "programme": {"areas": len(programme), "with_evidence": sum(a.project_count > 0 for a in programme)},
            "themes": list(Theme.objects.annotate(project_count=Count("projects")).filter(project_count__gt=0)),
            "phases": list(Phase.objects.annotate(project_count=Count("projects"))),
        }

    return cached_for_this_data("entry-points", compute)


def area_coverage() -> list[Area]:
    """Every area, Opportunity Areas first, each annotated with what has been curated for it:
    projects, how many have a cost and outcome measures, and the documents they come from (3 queries)."""
    areas = list(
        Area.objects.annotate(
            project_count=Count("projects", distinct=True),
            costed_count=Count("projects", filter=Q(projects__stored_figures__total_cost__isnull=False),
                               distinct=True),
            with_outcomes_count=Count("projects", filter=Q(projects__outcomes__isnull=False), distinct=True),
        ).order_by(Area.programme_order(), "name")
    )
    documents = defaultdict(dict)
    for area_id, key, title in (Citation.objects.filter(projects__isnull=False)
                                .values_list("projects__area_id", "source__key", "source__title").distinct()
                                .order_by("source__key")):
        documents[area_id][key] = title
    for area in areas:
        area.documents = [{"key": key, "title": title} for key, title in documents[area.pk].items()]
    return areas


def project_facets(*, projects: QuerySet, cache_key: str = "") -> dict[str, list[dict]]:
    """Counts of the given projects by area, theme, phase, cost band, evidence rating, what
    changed, organisation, evidence type and start year (9 queries). `projects` is any filtered Project queryset.

    With a cache_key (the filters that produced `projects`), the counts are cached for the
    current data version, so popular searches cost nothing after the first."""
    if cache_key:
        digest = hashlib.sha1(cache_key.encode()).hexdigest()
        return cached_for_this_data(f"facets:{digest}", lambda: project_facets(projects=projects),
                                    FACET_CACHE_SECONDS)
    ids = projects.order_by().values("pk")

    def counted(model, relation, order=("name",), limit=None):
        rows = (
            model.objects.annotate(count=Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True))
            .filter(count__gt=0)
            .order_by(*order)
        )
        if limit:  # the most frequent first: a long tail of ones helps nobody choose
            rows = rows.order_by("-count", "name")[:limit]
        return [{"value": row.slug, "label": getattr(row, "label", row.name), "count": row.count} for row in rows]

    def stored_counts(name):
        return dict(
            ProjectFigures.objects.filter(project__in=ids).values_list(name)
            .annotate(count=Count("pk")).values_list(name, "count")
        )

    band_counts = stored_counts("cost_band")
    rating_counts = stored_counts("evidence_rating")
    direction_counts = stored_counts("headline_direction")
    evidence_counts = dict(
        OutcomeMeasure.objects.filter(project__in=ids).values_list("evidence_type")
        .annotate(count=Count("project", distinct=True)).values_list("evidence_type", "count")
    )
    year_counts = (
        Project.objects.filter(pk__in=ids, start_year__isnull=False).values_list("start_year")
        .annotate(count=Count("pk")).order_by("start_year").values_list("start_year", "count")
    )
    return {
        "area": counted(Area, "projects", limit=FACET_LIMIT),
        "theme": counted(Theme, "projects"),
        "phase": counted(Phase, "projects", order=("order",)),
        "cost_band": [
            {"value": slug, "label": label, "count": band_counts[slug]}
            for slug, label in CostBand.choices if slug in band_counts
        ],
        "evidence_rating": [
            {"value": value, "label": f"{value} {label}", "count": rating_counts[value]}
            for value, label in reversed(Rating.choices) if value in rating_counts
        ],
        "headline_direction": [
            {"value": value, "label": label, "count": direction_counts[value]}
            for value, label in Direction.choices if value in direction_counts
        ],
        "organisation": counted(Organisation, "projects", limit=FACET_LIMIT),
        "evidence_type": [
            {"value": value, "label": label, "count": evidence_counts[value]}
            for value, label in EvidenceType.choices if value in evidence_counts
        ],
        "start_year": [{"value": year, "label": str(year), "count": count} for year, count in year_counts],
    }


SPEND_DIMENSIONS = {"theme": "themes", "phase": "phases", "area": "area"}


@dataclass(frozen=True)
class Spend:
    """Recorded spend of a set of projects, as every page, chart and CSV counts it."""

    total: Decimal  # each project's money once (see _countable)
    projects: int  # projects in the set
    costed: int  # of which have a cost (sub-projects included)
    counted: int  # the money figures summed into `total`
    oa_total: Decimal  # OA funding among the counted money, where it is known
    oa_known: int  # of the counted money figures, how many have a known OA share

    @property
    def uncosted(self) -> int:
        return self.projects - self.costed


def _countable(rows: list[dict]) -> list[dict]:
    """Each project's money once: a sub-project is left out when its parent is in the same set,
    because the parent's figure already includes it."""
    present = {row["pk"] for row in rows}
    return [row for row in rows if row["parent_id"] not in present]


def _spend(rows: list[dict]) -> Spend:
    counted = [row for row in _countable(rows) if row["total_cost"] is not None]
    with_oa = [row for row in counted if row["oa_cost"] is not None]
    return Spend(
        total=sum((row["total_cost"] for row in counted), Decimal("0")), projects=len(rows),
        costed=sum(row["total_cost"] is not None for row in rows), counted=len(counted),
        oa_total=sum((row["oa_cost"] for row in with_oa), Decimal("0")), oa_known=len(with_oa),
    )


def _spend_rows(projects: QuerySet, *extra: str) -> list[dict]:
    return list(projects.order_by().values("pk", "parent_id", *extra, total_cost=F("stored_figures__total_cost"),
                                           oa_cost=F("stored_figures__oa_cost")))


def spend_total(*, projects: QuerySet) -> Spend:
    """The recorded spend of the given projects, each project's money counted once (1 query)."""
    return _spend(_spend_rows(projects))


def spend_by(*, projects: QuerySet, dimension: str) -> list[dict]:
    """Recorded spend of the given projects by theme, phase or area (1 query), largest first.

    Each group counts the money of its projects once (see `_countable`). A project with two
    themes counts under both, so theme and phase totals overlap: the pages label them
    "counted under each theme". Area totals never overlap and add up to `spend_total`."""
    field = SPEND_DIMENSIONS[dimension]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _spend_rows(projects, f"{field}__slug", f"{field}__name"):
        if row[f"{field}__slug"]:
            groups[(row[f"{field}__slug"], row[f"{field}__name"])].append(row)
    result = []
    for (slug, name), rows in groups.items():
        spend = _spend(rows)
        if spend.counted:
            result.append({"slug": slug, "name": name, "total": spend.total, "projects": spend.costed,
                           "counted": spend.counted, "uncosted": spend.uncosted, "oa_total": spend.oa_total,
                           "oa_known": spend.oa_known})
    return sorted(result, key=lambda row: (-row["total"], row["name"]))


def outcomes_of(*, projects: QuerySet) -> QuerySet:
    """Outcome measures of the given projects with their project, phase and citations (3 queries
    once sliced; pages show the first ones and link to the full export)."""
    from django.db.models import Prefetch

    ids = projects.order_by().values("pk")
    return (
        OutcomeMeasure.objects.filter(project__in=ids)
        .select_related("project", "phase")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.with_source()))
        .order_by("project__title", "order")
    )


def sources_of(*, projects: QuerySet) -> QuerySet:
    """The source documents cited by the given projects or their records (1 query).

    One IN-subquery per kind of record: much cheaper than joining them all and DISTINCT-ing.
    """
    ids = projects.order_by().values("pk")
    cited = Q()
    for relation in ("projects", "cost_lines__project", "outcomes__project", "findings__project"):
        cited |= Q(pk__in=Citation.objects.filter(**{f"{relation}__in": ids}).values("source_id"))
    return Source.objects.filter(cited).order_by("key").only("key", "title", "publisher", "published",
                                                             "date_precision", "kind")


def source_usage() -> list:
    """Each source with how many quotes and records come from it (1 query, a subquery per count),
    cached per data version: the counts change only when the evidence is loaded again."""
    return cached_for_this_data("source-usage", lambda: list(_source_usage()))


def _source_usage() -> QuerySet:
    def cited(through, record_field):
        rows = (through.objects.filter(citation__source=OuterRef("pk")).order_by()
                .values("citation__source").annotate(n=Count(record_field, distinct=True)).values("n"))
        return Coalesce(Subquery(rows), 0)

    return Source.objects.defer("text").annotate(
        quote_count=Coalesce(Subquery(Citation.objects.filter(source=OuterRef("pk")).order_by()
                                      .values("source").annotate(n=Count("pk")).values("n")), 0),
        project_count=cited(Project.citations.through, "project"),
        cost_line_count=cited(CostLine.citations.through, "costline"),
        total_count=cited(CostTotal.citations.through, "costtotal"),
        outcome_count=cited(OutcomeMeasure.citations.through, "outcomemeasure"),
        finding_count=cited(Finding.citations.through, "finding"),
    ).order_by("key")


def evidence_rubric() -> dict:
    """The rubric as the code applies it, and how many projects have each rating (1 query)."""
    counts = dict(ProjectFigures.objects.values_list("evidence_rating").annotate(n=Count("pk"))
                  .values_list("evidence_rating", "n"))
    return {
        "designs": [{"label": design.label, "ceiling": DESIGN_CEILING[design],
                     "ceiling_label": Rating(DESIGN_CEILING[design]).label, "causal": design in CAUSAL_DESIGNS}
                    for design in Design],
        "ratings": [{"value": value, "label": label, "projects": counts.get(value, 0)}
                    for value, label in reversed(Rating.choices)],
        "large_schools": LARGE_SAMPLE_SCHOOLS,
        "large_pupils": LARGE_SAMPLE_PUPILS,
    }
