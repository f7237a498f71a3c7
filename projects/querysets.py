"""Named reads of projects, and the step that stores their derived figures after every load.

Reported figures are the cost lines and stated totals as the documents give them. Derived
figures (total cost, OA cost, cost per school/pupil/year, cost band) follow the rules of
costs/figures.py and the evidence rating the rubric of projects/evidence.py; both are computed
once per load by `refresh_project_figures()` and stored in ProjectFigures, with their workings,
so that pages, the API and CSV exports filter, sort and show the same numbers cheaply.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Prefetch, QuerySet

from costs.figures import CostBand, count_of, derive_cost_figures, money_of
from costs.models import CostBasis, CostCount, CostLine, CostTotal, TotalKind
from projects.evidence import rate_evidence

COST_BAND_CHOICES = CostBand.choices
FIGURE_FIELDS = ["line_count", "total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school",
                 "cost_per_pupil", "cost_per_pupil_per_year", "cost_band", "workings", "evidence_rating",
                 "headline_direction", "has_comparator_outcome"]
STORED_FIGURES = ["total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school", "cost_per_pupil",
                  "cost_per_pupil_per_year", "cost_band"]


def refresh_project_figures() -> int:
    """Recompute every project's derived figures and evidence rating, and store them (a fixed
    number of queries and a bulk write, whatever the number of projects)."""
    from outcomes.models import OutcomeMeasure
    from projects.models import EvidenceAssessment, Headline, Project, ProjectFigures

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
    for count in CostCount.objects.order_by("order"):
        counts[count.project_id].append(count_of(count))
    bases = {basis.project_id: money_of(basis) for basis in CostBasis.objects.all()}
    ratings = {e.project_id: rate_evidence(design=e.design, evaluator=e.evaluator, schools=e.sample_schools,
                                           pupils=e.sample_pupils).rating
               for e in EvidenceAssessment.objects.all()}
    directions = dict(Headline.objects.values_list("project_id", "direction"))
    compared = set(OutcomeMeasure.objects.exclude(comparator_label="").values_list("project_id", flat=True))

    rows = []
    for project in projects:
        figures = derive_cost_figures(money=bases.get(project.pk), lines=lines[project.pk],
                                      stated=stated[project.pk], counts=counts[project.pk],
                                      project_years=(project.start_year, project.end_year))
        values = {name: figures[name].value for name in STORED_FIGURES}
        values["cost_band"] = values["cost_band"] or ""
        rows.append(ProjectFigures(
            project_id=project.pk, line_count=len(lines[project.pk]), **values,
            workings={name: figure.as_json() for name, figure in figures.items()},
            evidence_rating=ratings.get(project.pk), headline_direction=directions.get(project.pk, ""),
            has_comparator_outcome=project.pk in compared,
        ))
    ProjectFigures.objects.all().delete()
    ProjectFigures.objects.bulk_create(rows, batch_size=2000)
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
            .select_related("area", "parent", "evidence", "headline")
            .prefetch_related("themes", "phases")
        )

    def for_detail(self) -> ProjectQuerySet:
        """Project page and API detail: everything, with its citations, in a fixed number of queries."""
        from outcomes.models import OutcomeMeasure
        from projects.models import Finding, Intervention, ProjectOrganisation

        cited = Prefetch("citations", queryset=citations_with_source())
        return (
            self.with_figures()
            .select_related("area", "parent", "evidence", "headline__outcome__phase", "cost_basis")
            .prefetch_related(
                "themes",
                "phases",
                Prefetch("evidence__citations", queryset=citations_with_source()),
                Prefetch("headline__citations", queryset=citations_with_source()),
                Prefetch("cost_counts", queryset=CostCount.objects.prefetch_related(cited)),
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
