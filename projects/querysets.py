"""Named reads of projects, and the one place where a project's cost figures are derived.

Reported figures are the cost lines and stated totals as the documents give them. Derived
figures (total cost, OA cost, cost per school/pupil/year, cost band) are computed here, once per
load, by `refresh_project_figures()` with exact decimal arithmetic, and stored in ProjectFigures
so that pages, the API and CSV exports filter, sort and show the same numbers cheaply.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum

from costs.models import CostLine, CostTotal, FundingSource, TotalKind

PENNY = Decimal("0.01")

# The EEF Teaching and Learning Toolkit's cost rating, per pupil per year: under £80 is very
# low; each other band runs up to and including its upper bound (GBP).
COST_BANDS = [
    ("very_low", "£", "Very low", Decimal("80")),
    ("low", "££", "Low", Decimal("200")),
    ("moderate", "£££", "Moderate", Decimal("720")),
    ("high", "££££", "High", Decimal("1200")),
    ("very_high", "£££££", "Very high", None),
]
COST_BAND_CHOICES = [(slug, f"{symbol} {label}") for slug, symbol, label, _ in COST_BANDS]

FORMULAS = {
    "total_cost": "sum of the project's cost lines (and its sub-projects' lines)",
    "oa_cost": "sum of OA-funded lines, else the OA funding total the document states",
    "match_funding": "sum of match-funded lines, else the match funding total the document states",
    "cost_per_school": "total cost ÷ schools reached",
    "cost_per_pupil": "total cost ÷ pupils reached",
    "duration_years": "end year − start year (at least 1)",
    "cost_per_pupil_per_year": "total cost ÷ pupils reached ÷ years",
}
FIGURE_FIELDS = ["line_count", "total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school",
                 "cost_per_pupil", "cost_per_pupil_per_year", "cost_band"]


def cost_band_for(per_pupil_per_year: Decimal | None) -> str:
    if per_pupil_per_year is None:
        return ""
    for slug, _symbol, _label, upper in COST_BANDS:
        if upper is None:
            return slug
        if per_pupil_per_year < upper if slug == "very_low" else per_pupil_per_year <= upper:
            return slug
    return ""


def cost_band_info(slug: str) -> dict | None:
    for band_slug, symbol, label, upper in COST_BANDS:
        if band_slug == slug:
            return {"slug": band_slug, "symbol": symbol, "label": label, "upper": upper}
    return None


def _divide(total: Decimal | None, *divisors) -> Decimal | None:
    if total is None or any(not d for d in divisors):
        return None
    value = total
    for divisor in divisors:
        value = value / Decimal(divisor)
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def derive_figures(*, project, lines: dict, stated: dict) -> dict:
    """The derived figures of one project from its summed lines and stated funding totals.

    `lines[key]` holds {"all": sum, "count": n, "oa": sum, "match_funding": sum} of the project's
    own lines and its sub-projects' lines; `stated[source]` the document's funding totals.
    """
    own = lines.get(project.pk, {})
    count = own.get("count", 0)
    total = own.get("all") if count else None
    duration = None
    if project.start_year and project.end_year:
        duration = max(project.end_year - project.start_year, 1)
    per_pupil_per_year = _divide(total, project.pupils_reached, duration) if duration else None
    return {
        "line_count": count,
        "total_cost": total,
        "oa_cost": own.get(FundingSource.OA) or stated.get((project.pk, FundingSource.OA)),
        "match_funding": own.get(FundingSource.MATCH_FUNDING) or stated.get((project.pk,
                                                                             FundingSource.MATCH_FUNDING)),
        "duration_years": duration,
        "cost_per_school": _divide(total, project.schools_reached),
        "cost_per_pupil": _divide(total, project.pupils_reached),
        "cost_per_pupil_per_year": per_pupil_per_year,
        "cost_band": cost_band_for(per_pupil_per_year),
    }


def refresh_project_figures() -> int:
    """Recompute every project's derived figures (4 queries and a bulk write)."""
    from projects.models import Project, ProjectFigures

    projects = list(Project.objects.only("id", "parent_id", "start_year", "end_year", "schools_reached",
                                         "pupils_reached"))
    parent_of = {p.pk: p.parent_id for p in projects}
    lines: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: Decimal("0")))
    sums = CostLine.objects.values("project_id", "funding_source").annotate(total=Sum("amount")).order_by()
    counts = CostLine.objects.values("project_id").annotate(n=Count("id")).order_by()
    for row in sums:
        for owner in (row["project_id"], parent_of.get(row["project_id"])):
            if owner:
                lines[owner]["all"] += row["total"]
                lines[owner][row["funding_source"]] += row["total"]
    for row in counts:
        for owner in (row["project_id"], parent_of.get(row["project_id"])):
            if owner:
                lines[owner]["count"] += row["n"]
    stated = {}
    for source in (FundingSource.OA, FundingSource.MATCH_FUNDING):
        for row in (CostTotal.objects.filter(kind=TotalKind.TOTAL, scope={"funding_source": source})
                    .values("project_id").annotate(total=Sum("amount")).order_by()):
            stated[(row["project_id"], source)] = row["total"]
    ProjectFigures.objects.all().delete()
    ProjectFigures.objects.bulk_create(
        [ProjectFigures(project_id=p.pk, **derive_figures(project=p, lines=lines, stated=stated)) for p in projects],
        batch_size=2000,
    )
    return len(projects)


class ProjectQuerySet(QuerySet):
    def with_figures(self) -> ProjectQuerySet:
        """The derived figures as annotations (one join to ProjectFigures)."""
        return self.annotate(**{name: F(f"stored_figures__{name}") for name in FIGURE_FIELDS})

    def search(self, query: str) -> ProjectQuerySet:
        from projects.search import search_projects

        return search_projects(self, query)

    def for_list(self) -> ProjectQuerySet:
        """Project list and search page: figures, area and the tags shown on each card."""
        return (
            self.with_figures()
            .select_related("area", "parent")
            .prefetch_related("themes", "phases")
        )

    def for_detail(self) -> ProjectQuerySet:
        """Project page and API detail: everything, with its citations, in a fixed number of queries."""
        from outcomes.models import OutcomeMeasure
        from projects.models import Finding, Intervention, ProjectOrganisation

        cited = Prefetch("citations", queryset=citations_with_source())
        return (
            self.with_figures()
            .select_related("area", "parent")
            .prefetch_related(
                "themes",
                "phases",
                Prefetch("children", queryset=self.model.objects.order_by("title")),
                Prefetch("citations", queryset=citations_with_source()),
                Prefetch("reach_citations", queryset=citations_with_source()),
                Prefetch("roles", queryset=ProjectOrganisation.objects.select_related("organisation")),
                Prefetch("interventions", queryset=Intervention.objects.prefetch_related(cited)),
                Prefetch("findings", queryset=Finding.objects.prefetch_related(cited)),
                Prefetch("cost_lines", queryset=CostLine.objects.prefetch_related(cited)),
                Prefetch("cost_totals", queryset=CostTotal.objects.prefetch_related(cited)),
                Prefetch(
                    "outcomes",
                    queryset=OutcomeMeasure.objects.select_related("phase").prefetch_related(cited),
                ),
            )
        )


def citations_with_source():
    """Citations with their source's key and title, never the source's full text (which can be
    hundreds of kilobytes and would be fetched once per citation)."""
    from projects.models import Citation

    return Citation.objects.select_related("source").only(
        "id", "key", "locator", "quote", "source__key", "source__title"
    ).order_by("id")
