"""Reads that span models: headline counts and summaries of a set of projects (facet counts: web/facets.py).

Each function runs a fixed number of queries, whatever the number of projects or rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.cache import cached_for_this_data, kept_for_this_data
from costs.models import CostLine, CostTotal
from outcomes.evidence import (
    CAUSAL_DESIGNS,
    DESIGN_CEILING,
    KIND_CEILING,
    KIND_COVERS,
    LARGE_SAMPLE_PUPILS,
    LARGE_SAMPLE_SCHOOLS,
    NO_MEASURE_CEILING,
    Design,
    Direction,
    OutcomeKind,
    Rating,
)
from outcomes.models import OutcomeMeasure
from projects.models import (
    Area,
    AreaKind,
    Citation,
    Finding,
    Phase,
    Project,
    ProjectFigures,
    Source,
    Theme,
)
from projects.search import vocabulary_of
from web import spend


def headline_counts() -> dict:
    """Home page figures: 3 queries, cached per data version."""
    return cached_for_this_data("headline-counts", lambda: {
        "projects": Project.objects.count(),
        "spend": spend.spend_total(projects=Project.objects.all()),
        "outcome_measures": OutcomeMeasure.objects.count(),
    })


def dataset_coverage() -> dict:
    """What the whole data set covers, for its schema.org metadata: the first and last year any
    project's work is dated to, the named areas that have projects, and the broad themes (a
    sub-theme counts as its family). 1 query (a row per project and theme), cached per data version."""
    def compute():
        rows = list(Project.objects.values_list("start_year", "end_year", "area__name", "area__kind",
                                                Coalesce("themes__parent__name", "themes__name")))
        starts = [start for start, *_ in rows if start]
        ends = [end or start for start, end, *_ in rows if end or start]
        return {
            "years": (min(starts, default=None), max(ends, default=None)),
            "areas": sorted({area for _, _, area, kind, _ in rows if kind != AreaKind.UNSPECIFIED}),
            "themes": sorted({theme for *_, theme in rows if theme}),
        }
    return cached_for_this_data("dataset-coverage", compute)


def entry_points() -> dict:
    """Home page lists: every area with what has been curated for it, themes and phases with
    project counts. 4 queries, cached per data version."""
    def compute():
        areas = area_coverage()
        programme = [item for item in areas if item.area.kind == AreaKind.OPPORTUNITY_AREA]
        return {
            "areas": areas,
            "programme": {"areas": len(programme), "with_evidence": sum(item.projects > 0 for item in programme)},
            "themes": [theme for theme in Theme.objects.with_project_counts() if theme.project_count],
            "phases": list(Phase.objects.annotate(project_count=Count("projects"))),
        }

    return cached_for_this_data("entry-points", compute)


@dataclass(frozen=True)
class AreaCoverage:
    """An area and what has been curated for it."""

    area: Area
    projects: int
    costed: int
    with_outcomes: int
    documents: list[dict]


def area_coverage() -> list[AreaCoverage]:
    """Every area, Opportunity Areas first, with what has been curated for it: projects, how many
    have a cost and outcome measures, and the documents they come from (2 queries)."""
    areas = (
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
    return [AreaCoverage(area, area.project_count, area.costed_count, area.with_outcomes_count,
                         [{"key": key, "title": title} for key, title in documents[area.pk].items()])
            for area in areas]


def outcomes_of(*, projects: QuerySet) -> QuerySet:
    """Outcome measures of the given projects with their project, phase and citations (3 queries
    once sliced; pages show the first ones and link to the full export)."""
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
    """The rubric as the code applies it, how many projects have each rating and how many
    measured each kind of outcome (2 queries)."""
    counts = dict(ProjectFigures.objects.values_list("evidence_rating").annotate(n=Count("pk"))
                  .values_list("evidence_rating", "n"))
    measuring = dict(OutcomeMeasure.objects.order_by().values_list("kind")
                     .annotate(n=Count("project", distinct=True)).values_list("kind", "n"))
    return {
        "designs": [{"label": design.label, "ceiling": DESIGN_CEILING[design],
                     "ceiling_label": Rating(DESIGN_CEILING[design]).label, "causal": design in CAUSAL_DESIGNS}
                    for design in Design],
        "kinds": [{"value": kind.value, "label": kind.label, "covers": KIND_COVERS[kind],
                   "ceiling": KIND_CEILING[kind], "ceiling_label": Rating(KIND_CEILING[kind]).label,
                   "projects": measuring.get(kind.value, 0)}
                  for kind in OutcomeKind],
        "no_measure_ceiling": NO_MEASURE_CEILING, "no_measure_ceiling_label": Rating(NO_MEASURE_CEILING).label,
        "ratings": [{"value": value, "label": label, "projects": counts.get(value, 0)}
                    for value, label in reversed(Rating.choices)],
        "large_schools": LARGE_SAMPLE_SCHOOLS,
        "large_pupils": LARGE_SAMPLE_PUPILS,
    }


@dataclass(frozen=True)
class GapCell:
    """The projects of one theme family with at least one measure of one kind."""

    kind: str
    kind_label: str
    count: int
    ratings: list[dict]  # {"value", "label", "count"}, strongest first, only ratings some project has


@dataclass(frozen=True)
class GapRow:
    slug: str
    name: str
    sub_themes: list[str]
    projects: int  # in the family, whatever was measured
    unmeasured: int  # in the family, with no outcome measure at all
    cells: list[GapCell]


@dataclass(frozen=True)
class GapMap:
    kinds: list[dict]  # {"value", "label"}, the columns
    rows: list[GapRow]
    empty_cells: int


def evidence_gap_map() -> GapMap:
    """Theme families (rows) × kinds of outcome measure (columns): in each cell, the projects with
    a theme of the family and a measure of the kind, counted by evidence rating (3 queries, the
    grid built in Python). A family is a top-level theme and its sub-themes, as the search
    page's theme filter reads it; the kinds are those stored with each project's figures."""
    themes = list(Theme.objects.order_by("name").values_list("pk", "slug", "name", "parent_id"))
    family_of = {pk: parent or pk for pk, _, _, parent in themes}
    members = defaultdict(set)
    for project_id, theme_id in Project.themes.through.objects.values_list("project_id", "theme_id"):
        members[family_of[theme_id]].add(project_id)
    measured = {project_id: (rating, kinds) for project_id, rating, kinds
                in ProjectFigures.objects.values_list("project_id", "evidence_rating", "outcome_kinds")}
    rows = []
    for pk, slug, name, parent in themes:
        if parent:
            continue
        projects = members[pk]
        cells = []
        for kind in OutcomeKind:
            ratings = Counter(measured[p][0] for p in projects if p in measured and kind.value in measured[p][1])
            cells.append(GapCell(kind.value, kind.label, sum(ratings.values()), [
                {"value": value, "label": label, "count": ratings[value]}
                for value, label in reversed(Rating.choices) if ratings[value]]))
        rows.append(GapRow(slug, name, [n for _, _, n, up in themes if up == pk], len(projects),
                           sum(1 for p in projects if not (p in measured and measured[p][1])), cells))
    return GapMap(kinds=[{"value": kind.value, "label": kind.label} for kind in OutcomeKind], rows=rows,
                  empty_cells=sum(1 for row in rows for cell in row.cells if not cell.count))


def search_vocabulary() -> set[str]:
    """Every word the corpus uses (four letters or more), for "did you mean" (1 query, then kept in
    this process until the data version changes: tens of thousands of words for 10,000 projects,
    too many to fetch from the shared cache on each search that finds nothing)."""
    return kept_for_this_data("search-vocabulary", lambda: vocabulary_of(
        Project.objects.values_list("search_document", flat=True)))


# --- the area briefing ------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingRow:
    """A project in an area's briefing: the project (figures annotated, headline, themes and phases
    loaded), its phases in short, and whether its money is inside its parent's row above it."""

    project: Project
    phases: str
    within_parent: bool


@dataclass(frozen=True)
class AreaBriefing:
    """What an area's printable briefing shows (area_briefing)."""

    area: Area
    spend: spend.Spend
    rows: list[BriefingRow]
    directions: list[dict]  # {"label", "count"} for each headline direction found, in Direction's order
    ratings: list[dict]  # {"value", "label", "count"} for each rating found, strongest first
    changed: list[Project]  # projects whose headline measured a change, with its statement
    sources: list[Source]


def area_briefing(*, slug: str) -> AreaBriefing:
    """An area on two printed pages: its recorded spend, every project in one row, the headline
    outcomes and ratings, and the documents cited (7 queries with the data version, however many
    projects: the area, the projects with their figures and headline, their themes, their phases,
    the recorded spend, the sources). Unknown slug: 404."""
    area = get_object_or_404(Area, slug=slug)
    projects = Project.objects.filter(area=area)
    listed = list(projects.for_list().order_by("title"))
    present = {project.pk for project in listed}
    children = defaultdict(list)
    for project in listed:
        if project.parent_id in present:
            children[project.parent_id].append(project)
    rows = []
    for project in listed:  # each top-level project followed by its sub-projects
        if project.parent_id not in present:
            rows.append(BriefingRow(project, _phase_span(project.phases.all()), False))
            rows.extend(BriefingRow(child, _phase_span(child.phases.all()), True) for child in children[project.pk])
    directions = defaultdict(int)
    ratings = defaultdict(int)
    for project in listed:
        directions[project.headline_direction or Direction.NOT_MEASURED] += 1
        if project.evidence_rating is not None:
            ratings[project.evidence_rating] += 1
    return AreaBriefing(
        area=area, spend=spend.spend_total(projects=projects), rows=rows,
        directions=[{"label": label, "count": directions[value]} for value, label in Direction.choices
                    if directions[value]],
        ratings=[{"value": value, "label": label, "count": ratings[value]} for value, label in reversed(Rating.choices)
                 if ratings[value]],
        changed=[project for project in listed
                 if project.headline_direction and project.headline_direction != Direction.NOT_MEASURED],
        sources=list(sources_of(projects=projects)),
    )


def _phase_span(phases) -> str:
    """Phases in short, consecutive ones as a range: "Early years, KS1–KS4"."""
    runs: list[list] = []
    for phase in sorted(phases, key=lambda phase: phase.order):
        if runs and runs[-1][-1].order == phase.order - 1:
            runs[-1].append(phase)
        else:
            runs.append([phase])

    def short(phase) -> str:
        return phase.name.replace("Key Stage ", "KS")

    return ", ".join(short(run[0]) if len(run) == 1 else f"{short(run[0])}–{short(run[-1])}" for run in runs)
