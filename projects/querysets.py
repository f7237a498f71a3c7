"""Named reads of projects, and the one place where a project's cost figures are derived.

Reported figures are the cost lines and stated totals as the documents give them. Derived
figures (total cost, cost per school/pupil/year, cost band) are computed here, in SQL, so the
pages, the API and the CSV exports all sort, filter and show the same numbers.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from costs.models import CostLine, CostTotal, FundingSource, TotalKind

MONEY = DecimalField(max_digits=14, decimal_places=2)

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
    "cost_per_school": "total cost ÷ schools reached",
    "cost_per_pupil": "total cost ÷ pupils reached",
    "duration_years": "end year − start year (at least 1)",
    "cost_per_pupil_per_year": "total cost ÷ pupils reached ÷ years",
}


def _sum_of_lines(**filters):
    lines = (
        CostLine.objects.filter(Q(project=OuterRef("pk")) | Q(project__parent=OuterRef("pk")), **filters)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
    )
    return Subquery(lines.annotate(total=Sum("amount")).values("total")[:1], output_field=MONEY)


def _stated_total(funding_source: str):
    """A total the document states for one funding source across the whole project."""
    totals = (
        CostTotal.objects.filter(
            project=OuterRef("pk"), kind=TotalKind.TOTAL, scope={"funding_source": funding_source}
        )
        .order_by()
        .annotate(group=Value(1))
        .values("group")
    )
    return Subquery(totals.annotate(total=Sum("amount")).values("total")[:1], output_field=MONEY)


class ProjectQuerySet(QuerySet):
    def with_figures(self) -> "ProjectQuerySet":
        """Annotate the derived cost figures (one correlated subquery each, no extra rows)."""
        total = _sum_of_lines()  # NULL when a project has no cost lines: "not reported", not £0
        years = Greatest(F("end_year") - F("start_year"), Value(1))
        per_pupil_per_year = ExpressionWrapper(
            Cast(F("total_cost"), FloatField()) / F("pupils_reached") / F("duration_years"),
            output_field=FloatField(),
        )
        qs = self.annotate(
            total_cost=total,
            line_count=Subquery(
                CostLine.objects.filter(Q(project=OuterRef("pk")) | Q(project__parent=OuterRef("pk")))
                .order_by()
                .annotate(group=Value(1))
                .values("group")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            oa_cost=Coalesce(
                _sum_of_lines(funding_source=FundingSource.OA), _stated_total(FundingSource.OA)
            ),
            match_funding=Coalesce(
                _sum_of_lines(funding_source=FundingSource.MATCH_FUNDING),
                _stated_total(FundingSource.MATCH_FUNDING),
            ),
            duration_years=Case(
                When(start_year__isnull=False, end_year__isnull=False, then=years), default=None
            ),
        )
        has_cost = Q(line_count__gt=0)
        qs = qs.annotate(
            cost_per_school=Case(
                When(has_cost & Q(schools_reached__gt=0),
                     then=Cast(F("total_cost"), FloatField()) / F("schools_reached")),
                default=None,
                output_field=FloatField(),
            ),
            cost_per_pupil=Case(
                When(has_cost & Q(pupils_reached__gt=0),
                     then=Cast(F("total_cost"), FloatField()) / F("pupils_reached")),
                default=None,
                output_field=FloatField(),
            ),
            cost_per_pupil_per_year=Case(
                When(has_cost & Q(pupils_reached__gt=0, duration_years__isnull=False),
                     then=per_pupil_per_year),
                default=None,
                output_field=FloatField(),
            ),
        )
        return qs.annotate(cost_band=_cost_band_expression())

    def search(self, query: str) -> "ProjectQuerySet":
        from projects.search import search_projects

        return search_projects(self, query)

    def for_list(self) -> "ProjectQuerySet":
        """Project list and search page: figures, area and the tags shown on each card."""
        return (
            self.with_figures()
            .select_related("area", "parent")
            .prefetch_related("themes", "phases")
        )

    def for_detail(self) -> "ProjectQuerySet":
        """Project page and API detail: everything, with its citations, in a fixed number of queries."""
        from outcomes.models import OutcomeMeasure
        from projects.models import Finding, Intervention, ProjectOrganisation

        cited = Prefetch("citations", queryset=_citations())
        return (
            self.with_figures()
            .select_related("area", "parent")
            .prefetch_related(
                "themes",
                "phases",
                Prefetch("children", queryset=self.model.objects.order_by("title")),
                Prefetch("citations", queryset=_citations()),
                Prefetch("reach_citations", queryset=_citations()),
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


def _citations():
    from projects.models import Citation

    return Citation.objects.select_related("source").only(
        "id", "key", "locator", "quote", "source__key", "source__title"
    )


def _cost_band_expression():
    whens = []
    for slug, _symbol, _label, upper in COST_BANDS:
        if upper is None:
            condition = Q(cost_per_pupil_per_year__isnull=False)
        elif slug == "very_low":
            condition = Q(cost_per_pupil_per_year__lt=float(upper))
        else:
            condition = Q(cost_per_pupil_per_year__lte=float(upper))
        whens.append(When(condition, then=Value(slug)))
    return Case(*whens, default=Value(""), output_field=CharField())


def cost_band_info(slug: str) -> dict | None:
    for band_slug, symbol, label, upper in COST_BANDS:
        if band_slug == slug:
            return {"slug": band_slug, "symbol": symbol, "label": label, "upper": upper}
    return None
