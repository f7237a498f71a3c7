"""One selector per page: each takes what the request says and returns a plain dataclass that the
template renders. Views only parse, call one of these and render; model instances are never
decorated with extra attributes."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.forms import CheckboxSelectMultiple, ModelMultipleChoiceField
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from core.derived import Derived
from core.models import DataVersion
from core.queries import ids_of
from core.versioning import current_data_version
from costs.figures import project_cost_band, project_cost_figures
from costs.models import TotalKind
from outcomes.figures import outcome_figures
from projects.models import Area, Citation, FindingKind, Phase, Project, Source, Theme
from projects.search import search_projects, suggest_query
from web import cards, charts, citing, export, facets, selectors, spend
from web.cards import ProjectCard
from web.export import LICENCE
from web.filters import COST_FILTERS, ORDERINGS, ProjectFilter
from web.models import ChangeKind
from web.selection import SelectionError, parse_selection
from web.templatetags.evidence import gbp
from web.unresolved import UNRESOLVED, public_part
from web.verdict import Verdict, project_verdict

if TYPE_CHECKING:
    import pandas as pd

    from web import analysis

PAGE_SIZE = 20
OUTCOMES_SHOWN = 10  # on an area, theme or phase page; every project page shows its own, and the CSV all
DERIVED_ROWS = [("total_cost", "Total cost"), ("oa_cost", "OA funding"), ("match_funding", "Match funding"),
                ("duration_years", "Years the money covers"), ("cost_per_school", "Cost per school"),
                ("cost_per_pupil", "Cost per pupil"), ("cost_per_pupil_per_year", "Cost per pupil per year")]
# Facets are links; the filter form carries them along as hidden fields.
FACET_PARAMS = ("area", "theme", "phase", "stage", "organisation", "evidence_type", "outcome_kind", "cost_band",
                "evidence_rating", "headline_direction", "has_comparator", "comparator", "started", "missing",
                "compare")
FACET_NAMES = {"start_year": "started"}  # facet key -> the parameter it sets
SPEND_LABELS = {"theme": "Theme", "phase": "Phase", "area": "Area"}


@dataclass(frozen=True)
class OutcomeRow:
    measure: Any
    figures: dict[str, Derived]


def _outcome_rows(measures) -> list[OutcomeRow]:
    return [OutcomeRow(measure, outcome_figures(measure=measure)) for measure in measures]


def _querystring_without(params: QueryDict, *names: str) -> str:
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _page(items, number) -> tuple[Page, bool]:
    """A page of `items`, and whether the requested page number had to be corrected."""
    page = Paginator(items, PAGE_SIZE).get_page(number or 1)
    return page, number is not None and str(number) != str(page.number)


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPage:
    filterset: ProjectFilter
    page: Page
    cards: list[ProjectCard]
    page_problem: bool
    facets: dict
    query: str
    without_cost: dict | None
    querystring: str
    facet_params: list[tuple[str, str]]
    compare_selection: list[str]
    suggestion: str = ""
    suggestion_url: str = ""
    close_matches: bool = False  # no project has the words; these are close to them (PostgreSQL)
    chips: list[dict] = field(default_factory=list)
    orderings: dict = field(default_factory=lambda: ORDERINGS)
    # With no results, the facets count a wider set so they stay to choose from: "search" (the
    # projects matching the words alone) or "all" (every project); "" when they count the results.
    facet_scope: str = ""

    @property
    def page_slugs(self) -> list[str]:
        return [card.head.slug for card in self.cards]

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """Chosen values with no checkbox on the page (a facet shows its 20 most frequent), kept."""
        shown = {(FACET_NAMES.get(name, name), str(item["value"])) for name, items in self.facets.items()
                 for item in items}
        return [(key, value) for key, value in self.facet_params if (key, value) not in shown]


def without_empty(params: QueryDict) -> QueryDict:
    """The parameters without empty values (`?q=&phase=` from a submitted form), for shared URLs."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if present := [value for value in values if value.strip()]:
            kept.setlist(name, present)
    return kept


def has_empty(params: QueryDict) -> bool:
    return any(not value.strip() for _, values in params.lists() for value in values)


def search_page(params: QueryDict, request=None) -> SearchPage:
    """The project list: filters, facet counts, one page of cards, and what cost filters left out."""
    params = without_empty(params)
    # Only ids are read from the filters' queryset (the cards fetch their own): it joins only the
    # figures that filters and sorts compare (ProjectFilter.figures_used).
    filterset = ProjectFilter(params or None, queryset=Project.objects.all(), request=request)
    # Every match's id, in the page's order: the search runs once, for the count, the page and the facets.
    ids = filterset.matching_ids()
    page, page_problem = _page(ids, params.get("page"))
    valid = filterset.is_bound and filterset.is_valid()
    query = filterset.form.cleaned_data.get("q", "") if valid else ""
    facet_ids, facet_scope = _facet_scope(filterset, query, ids)
    close_matches = bool(ids) and filterset.only_close_matches()
    suggestion = (suggest_query(query, selectors.search_vocabulary())
                  if query and (close_matches or not ids) else "")
    return SearchPage(
        filterset=filterset, page=page, cards=cards.cards(list(page.object_list), query), page_problem=page_problem,
        facets=_ticked(facets.project_facets(ids=facet_ids), params), facet_scope=facet_scope,
        query=query, without_cost=_without_cost(filterset, params) if valid else None,
        querystring=_querystring_without(params, "page"),
        facet_params=[(key, value) for key in FACET_PARAMS for value in params.getlist(key)],
        compare_selection=parse_selection(params.get("compare", "")),
        suggestion=suggestion, suggestion_url=_with(params, q=suggestion) if suggestion else "",
        close_matches=close_matches,
        chips=_chips(params, filterset),
    )


def _ticked(counts: dict[str, list[dict]], params: QueryDict) -> dict[str, list[dict]]:
    """Each facet value with its checkbox's id, and whether it is ticked (chosen, or a sub-theme
    of a chosen theme, which is then disabled: its broader theme includes it)."""
    ticked = {}
    for name, items in counts.items():
        parameter = FACET_NAMES.get(name, name)
        chosen = set(params.getlist(parameter))
        ticked[name] = [{**item, "dom_id": _facet_dom_id(parameter, item["value"]),
                         "checked": str(item["value"]) in chosen or item.get("parent") in chosen,
                         "disabled": item.get("parent") in chosen} for item in items]
    return ticked


@lru_cache(maxsize=4096)  # a page ticks some 80 values, the same ones on every page
def _facet_dom_id(parameter: str, value) -> str:
    return f"facet-{parameter}-{slugify(value)}"


def _facet_scope(filterset: ProjectFilter, query: str, ids: list[int]) -> tuple[list[int] | None, str]:
    """The ids of the projects the facets count (None: every project): the results; with none,
    the projects matching the words alone; when the words match none either, every project (one
    query more)."""
    if ids:
        return ids, ""
    if query and filterset.data.keys() - {"q", "ordering", "page", "compare"}:
        # The filterset's search has already asked whether any project has the words.
        words, _ = search_projects(Project.objects.all(), query, close_matches=filterset.close_matches)
        searched = ids_of(words.order_by())
        if searched:
            return searched, "search"
    return None, "all"


def _without_cost(filterset: ProjectFilter, params: QueryDict) -> dict | None:
    """How many projects the cost filters leave out, with the link that lists them."""
    left_out = filterset.without_cost_left_out()
    if left_out and left_out["count"]:
        others = _querystring_without(params, *COST_FILTERS)
        left_out["url"] = f"{reverse('project-list')}{_with(QueryDict(others), missing=left_out['key'])}"
    return left_out


def _with(params: QueryDict, **values) -> str:
    """The querystring with these parameters replaced and the page reset."""
    changed = params.copy()
    for name, value in values.items():
        changed[name] = value
    changed.pop("page", None)
    return f"?{changed.urlencode()}"


CHIP_PARAMETERS = ["q", *FACET_PARAMS[:-1], "min_cost", "max_cost", "min_cost_per_pupil", "max_cost_per_pupil",
                   "start_year", "end_year"]
MONEY_PARAMETERS = {"min_cost", "max_cost", "min_cost_per_pupil", "max_cost_per_pupil"}


def _chips(params: QueryDict, filterset: ProjectFilter) -> list[dict]:
    """Each active filter, in words, with the link that removes it (GOV.UK finder style)."""
    chips = []
    for name in CHIP_PARAMETERS:
        for value in params.getlist(name):
            rest = params.copy()
            rest.setlist(name, [v for v in params.getlist(name) if v != value])
            rest.pop("page", None)
            label = filterset.filters[name].label.removesuffix(" (£)") if name in filterset.filters else name
            chips.append({"label": f"{label}: {_chip_value(filterset, name, value)}",
                          "remove": f"?{kept}" if (kept := rest.urlencode()) else reverse("project-list")})
    return chips


def _chip_value(filterset: ProjectFilter, name: str, value: str) -> str:
    """A chosen value as people read it: the area's or phase's name, a choice's label, money in
    pounds. A value the form rejected is shown as given (the error message names it)."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    field = filterset.form.fields.get(name)
    if name not in cleaned or cleaned[name] in (None, "", []):
        return value
    if name in MONEY_PARAMETERS:
        return gbp(cleaned[name])
    if isinstance(field, ModelMultipleChoiceField):  # the rows the form has already read
        return next((str(row) for row in cleaned[name] if getattr(row, field.to_field_name) == value), value)
    if isinstance(cleaned[name], bool):
        return "yes" if cleaned[name] else "no"
    return str(dict(getattr(field, "choices", ())).get(value, value))


# --- one project ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    citations: list
    numbers: dict[int, int]
    figures: dict[str, Derived]
    cost_band: dict
    verdict: Verdict
    reported_per_beneficiary: list
    cost_tables: list[dict]
    outcome_rows: list[OutcomeRow]
    findings: dict[str, list]
    charts: list[dict]
    similar: list[dict]
    derived_rows: list = field(default_factory=lambda: DERIVED_ROWS)


def project_page(project: Project, *, similar: list[dict]) -> ProjectPage:
    """Everything on a project's page, from a project fetched with `for_detail()` (no more queries)."""
    cost_lines, cost_totals = list(project.cost_lines.all()), list(project.cost_totals.all())
    outcomes = list(project.outcomes.all())
    assessment = [r for r in (getattr(project, "headline", None), getattr(project, "evidence", None)) if r]
    cited = _number_citations([project], assessment, cost_lines, cost_totals, project.cost_counts.all(), outcomes,
                              project.interventions.all(), project.findings.all())
    return ProjectPage(
        project=project, citations=list(cited.values()),
        numbers={pk: index for index, pk in enumerate(cited, start=1)},
        figures=project_cost_figures(project=project), cost_band=project_cost_band(project=project),
        verdict=project_verdict(project=project),
        reported_per_beneficiary=_reported_per_beneficiary(cost_totals, project.cost_counts.all()),
        cost_tables=_group_by_table(cost_lines, cost_totals), outcome_rows=_outcome_rows(outcomes),
        findings=_findings_by_kind(project.findings.all()),
        charts=[c for c in (charts.costs_by_period_and_category(cost_lines), charts.outcome_change_chart(outcomes))
                if c],
        similar=similar,
    )


def _number_citations(*groups) -> OrderedDict:
    """Every citation on a page, once each, in the order the page first uses them."""
    cited = OrderedDict()
    for group in groups:
        for record in group:
            for attribute in ("citations", "reach_citations"):
                if hasattr(record, attribute):
                    for citation in getattr(record, attribute).all():
                        cited.setdefault(citation.pk, citation)
    return cited


def _findings_by_kind(findings) -> dict[str, list]:
    grouped = OrderedDict((label, []) for _, label in FindingKind.choices)
    for finding in findings:
        grouped[finding.get_kind_display()].append(finding)
    return {label: items for label, items in grouped.items() if items}


def _reported_per_beneficiary(cost_totals, cost_counts) -> list:
    """The document's own per-school or per-pupil figures for the page's headline: those a derived
    figure is checked against, else every one (at most three)."""
    reported = [t for t in cost_totals if t.kind != TotalKind.TOTAL]
    checked = {count.check_against for count in cost_counts if count.check_against}
    return [t for t in reported if t.label in checked] or reported[:3]


def _group_by_table(cost_lines, cost_totals) -> list[dict]:
    tables = OrderedDict()
    for line in cost_lines:
        tables.setdefault(line.table, {"name": line.table, "lines": [], "totals": []})["lines"].append(line)
    for total in cost_totals:
        tables.setdefault(total.table, {"name": total.table, "lines": [], "totals": []})["totals"].append(total)
    return list(tables.values())


# --- areas, themes and phases ---------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """What differs between the area, theme and phase pages."""

    model: type
    template: str
    projects_of: Any  # subject -> Q over Project
    spend_dimensions: tuple[str, ...]
    outcomes_parameter: str


COLLECTIONS = {
    "area": Collection(Area, "projects/area_detail.html", lambda area: Q(area=area), ("theme", "phase"), "area"),
    "theme": Collection(Theme, "projects/theme_detail.html",  # with its sub-themes' projects, each once
                        lambda theme: Q(pk__in=Project.objects.filter(Q(themes=theme) | Q(themes__parent=theme))
                                        .values("pk")), ("area", "phase"), "theme"),
    "phase": Collection(Phase, "projects/phase_detail.html", lambda phase: Q(phases=phase), ("area", "theme"),
                        "phase"),
}


@dataclass(frozen=True)
class CollectionPage:
    """The part of an area's, theme's or phase's page that changes with the page number; the
    page's items are the projects' slugs (their cards are stored: web/stored.py)."""
    subject: Any
    page: Page
    area_figures: list = field(default_factory=list)


@dataclass(frozen=True)
class CollectionSummary:
    """The part that does not: spend (counted once, overlaps labelled), outcomes and sources."""
    charts: list[dict]
    spend: spend.Spend
    outcome_rows: list[OutcomeRow]
    outcomes_total: int
    outcomes_export: str
    sources: Any


def collection_subjects(kind: str):
    subjects = COLLECTIONS[kind].model.objects.all()
    if kind == "theme":  # the page links to its broader theme and its sub-themes
        subjects = subjects.select_related("parent").prefetch_related("children")
    return subjects


def collection_page(kind: str, slug: str, page_number) -> CollectionPage:
    """An area, theme or phase: one page of its projects (and an area's own figures)."""
    subject = get_object_or_404(collection_subjects(kind), slug=slug)
    projects = Project.objects.filter(COLLECTIONS[kind].projects_of(subject))
    page, _ = _page(projects.order_by("title").values_list("pk", flat=True), page_number)
    return CollectionPage(
        subject=subject, page=page,
        area_figures=list(subject.figures.prefetch_related(
            Prefetch("citations", queryset=Citation.objects.with_source()))) if kind == "area" else [],
    )


def collection_summary(kind: str, subject) -> CollectionSummary:
    collection = COLLECTIONS[kind]
    projects = Project.objects.filter(collection.projects_of(subject))
    outcomes = selectors.outcomes_of(projects=projects)
    return CollectionSummary(
        charts=[chart for dimension in collection.spend_dimensions if (chart := _spend_chart(projects, dimension))],
        spend=spend.spend_total(projects=projects),
        outcome_rows=_outcome_rows(outcomes[:OUTCOMES_SHOWN]), outcomes_total=outcomes.count(),
        outcomes_export=f"{reverse('api:outcome-list')}?{collection.outcomes_parameter}={subject.slug}&format=csv",
        sources=selectors.sources_of(projects=projects),
    )


def _spend_chart(projects, dimension: str) -> dict | None:
    import pandas as pd  # only when a summary is rendered live (it is stored at each load: web/stored.py)

    rows = pd.DataFrame(spend.spend_by(projects=projects, dimension=dimension),
                        columns=["slug", "name", "total", "projects"]).astype({"total": float})
    label = SPEND_LABELS[dimension]
    title = f"Recorded spend by {label.lower()}" + ("" if dimension == "area" else
                                                     f" (counted under each {label.lower()})")
    return charts.bar_from_frame(rows, "name", "total", f"spend-by-{dimension}", title, label_header=label,
                                 extra_columns={"projects": "Costed projects"})


def vocabulary_list(kind: str) -> list:
    """Phases with how many projects each has, or top-level themes with theirs (each counting its
    sub-themes' projects once) and their sub-themes as `children` (1 query)."""
    if kind == "phase":
        return list(Phase.objects.annotate(project_count=Count("projects")))
    themes = list(Theme.objects.with_project_counts().order_by("name"))
    return [{"theme": theme, "children": [child for child in themes if child.parent_id == theme.pk]}
            for theme in themes if theme.parent_id is None]


def source_page(key: str) -> dict:
    source = get_object_or_404(Source.objects.defer("text"), key=key)
    citations = (source.citations.prefetch_related("projects", "cost_lines__project", "outcomes__project",
                                                   "findings__project", "cost_totals__project",
                                                   "interventions__project", "reach_of_projects").order_by("id"))
    return {"source": source, "citations": citations}


# --- compare and explore --------------------------------------------------------------------


@dataclass(frozen=True)
class ComparePage:
    comparison: analysis.Comparison | None
    error: str
    charts: list[dict]
    selection: str
    selection_key: str
    removals: list
    areas: Any
    table_csv_url: str = ""
    outcome_csv_url: str = ""
    table_links: dict = field(default_factory=dict)
    outcome_links: dict = field(default_factory=dict)

    @property
    def too_few(self) -> bool:
        return self.comparison is not None and len(self.comparison.items) < 2


# Only the lines in the recorded spend: lines outside it (a planned later phase) have their own row.
COSTS_CHART_TITLE = "Recorded spend by category: the cost lines it is made of"
COMPARE_CHARTS = {
    "projects": [
        ("costs", lambda c: charts.stacked_costs(c.frames["costs"], "project", "compare-costs-chart",
                                                 COSTS_CHART_TITLE)),
        ("cost_per_pupil", lambda c: charts.cost_per_pupil_bars(c.frames["cost_per_pupil"])),
        ("outcomes", lambda c: charts.outcome_change_against_comparator(c.frames["outcomes"])),
    ],
    "areas": [
        ("costs", lambda c: charts.stacked_costs(c.frames["costs"], "area", "compare-costs-chart",
                                                 COSTS_CHART_TITLE)),
    ],
}


def comparison_of(params: QueryDict) -> analysis.Comparison | None:
    """The projects or areas named in ?projects=a,b or ?areas=a,b (raises SelectionError)."""
    from web import analysis  # pandas: imported by the workers that serve this page, not by every worker
    projects, areas = selection_of(params, "projects"), selection_of(params, "areas")
    if projects and areas:
        raise SelectionError("Compare projects or areas, not both at once.")
    if projects:
        return analysis.compare_projects(projects)
    return analysis.compare_areas(areas) if areas else None


def selection_of(params: QueryDict, name: str) -> list[str]:
    """The selection from ?projects=a,b or ?projects=a&projects=b."""
    return parse_selection(",".join(params.getlist(name)))


def spreadsheet_links(csv_url: str) -> dict:
    """A table's CSV, the same CSV for Excel (?excel=1) and its XLSX (the .xlsx beside the .csv)."""
    if not csv_url:
        return {}
    path, _, query = csv_url.partition("?")
    query = f"?{query}" if query else ""
    return {"csv": csv_url, "excel_csv": f"{path}{query}{'&' if query else '?'}excel=1",
            "xlsx": f"{path.removesuffix('.csv')}.xlsx{query}"}


def _chart_with_downloads(spec: dict, csv_url: str) -> dict:
    return {**spec, "csv_url": csv_url, "spreadsheets": spreadsheet_links(csv_url)}


def compare_page(params: QueryDict) -> ComparePage:
    error, comparison = "", None
    try:
        comparison = comparison_of(params)
    except SelectionError as problem:
        error = str(problem)
    chart_list = []
    for frame, build in COMPARE_CHARTS[comparison.kind] if comparison else []:
        if spec := build(comparison):
            url = f"{reverse('compare-data', args=[frame])}?{params.urlencode()}"
            chart_list.append(_chart_with_downloads(spec, url))
    slugs = [item.slug for item in comparison.items] if comparison else []
    query = f"?{comparison.kind}={','.join(slugs)}" if comparison else ""
    table_csv_url = f"{reverse('compare-data', args=['table'])}{query}" if comparison else ""
    outcome_csv_url = (f"{reverse('compare-data', args=['outcome_table'])}{query}"
                       if comparison and "outcome_table" in comparison.frames else "")
    return ComparePage(
        comparison=comparison, error=error, charts=chart_list, selection=",".join(slugs),
        selection_key=comparison.kind if comparison else "",
        removals=[(item, ",".join(s for s in slugs if s != item.slug)) for item in comparison.items]
        if comparison else [],
        areas=Area.objects.order_by("name") if not comparison or comparison.kind == "areas" else [],
        table_csv_url=table_csv_url, outcome_csv_url=outcome_csv_url,
        table_links=spreadsheet_links(table_csv_url), outcome_links=spreadsheet_links(outcome_csv_url),
    )


EXPLORE_CHARTS = {
    "spend_by_area": lambda f, _: charts.bar_from_frame(f, "area", "spend", "explore-area-chart",
                                                        "Recorded spend by area",
                                                        extra_columns={"projects": "Costed projects"}),
    "spend_by_theme": lambda f, _: charts.bar_from_frame(
        f, "theme", "spend", "explore-theme-chart",
        "Recorded spend by theme (a project counted under each of its themes, so bars overlap)",
        extra_columns={"projects": "Costed projects"}),
    "by_phase": lambda f, _: charts.bar_from_frame(
        f, "phase", "projects", "explore-phase-chart", "Projects by phase", money=False,
        extra_columns={"spend": "Recorded spend (counted under each phase)"}),
    "cost_vs_change": lambda f, params: charts.change_by_cost_band(f, _cost_band_searches(f, params)),
    "timeline": lambda f, _: charts.running_by_year(f),
}


def _cost_band_searches(frame: pd.DataFrame, params: QueryDict) -> list[str]:
    """The search page for each cost-per-pupil band's projects, with the explore page's filters."""
    links = []
    for low, below in zip(frame["from"], frame["below"], strict=True):
        band = {"min_cost_per_pupil": str(low)}
        if below == below and below is not None:  # NaN when the band has no upper bound
            band["max_cost_per_pupil"] = f"{below - 0.01:.2f}"  # the filter is inclusive; figures are in pence
        links.append(f"{reverse('project-list')}{_with(params, **band)}")
    return links


def explore_frames(params: QueryDict, request=None) -> tuple[ProjectFilter, dict[str, pd.DataFrame]]:
    filterset = ProjectFilter(params or None, queryset=Project.objects.with_figures(), request=request)
    for name in ("area", "theme", "phase"):  # ticked boxes, not a list that needs Ctrl-click
        field = filterset.form.fields[name]
        field.widget = CheckboxSelectMultiple(choices=field.choices)
    from web import analysis  # pandas: imported by the workers that serve this page, not by every worker

    return filterset, analysis.explore_frames(filterset.qs)


def explore_page(params: QueryDict, request=None) -> dict:
    """Aggregates only (see analysis.explore_frames): the page is the same size whatever the corpus."""
    filterset, frames = explore_frames(params, request)
    chart_list = []
    for name, build in EXPLORE_CHARTS.items():
        if spec := build(frames[name], params):
            url = f"{reverse('explore-data', args=[name])}?{params.urlencode()}"
            chart_list.append(_chart_with_downloads(spec, url))
    return {"filterset": filterset, "charts": chart_list, "empty": all(frame.empty for frame in frames.values())}


# --- open data ------------------------------------------------------------------------------

FILE_DESCRIPTIONS = {
    "datapackage.json": "Frictionless Data Package descriptor: every table, field, key and the licence",
    "evidence.sqlite": "Every table in one SQLite database, with its foreign keys, indexes and a full-text index of "
                       "project titles and summaries (Datasette, DB Browser, R, pandas)",
    "metadata.json": "Datasette metadata: the licence, the source, and what every table and column means",
    "LICENCE.txt": "The licence and the attribution to use",
}


def dataset_metadata(request, files: list[dict] | None = None) -> str:
    """schema.org Dataset metadata as JSON-LD (what dataset search engines read), escaped for a
    <script type="application/ld+json"> block."""
    version = current_data_version()
    coverage = selectors.dataset_coverage()
    zip_name = f"oa-evidence-{version['hash']}.zip"
    distribution = [{"@type": "DataDownload", "encodingFormat": "application/zip",
                     "contentUrl": request.build_absolute_uri(reverse("data-file", args=[zip_name]))},
                    {"@type": "DataDownload", "encodingFormat": "application/vnd.sqlite3",
                     "contentUrl": request.build_absolute_uri(reverse("data-file", args=["evidence.sqlite"]))},
                    {"@type": "DataDownload", "encodingFormat": "application/json",
                     "contentUrl": request.build_absolute_uri(reverse("api:api-root"))}]
    metadata = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": citing.DATASET_TITLE,
        "description": ("Curated evidence on the Opportunity Areas programme's projects: costs, outcomes, findings, "
                        "evidence ratings, and the verbatim quote behind every figure."),
        "url": request.build_absolute_uri(reverse("downloads")),
        "license": LICENCE["path"], "version": version["hash"],
        "dateModified": version["loaded_at"].isoformat() if version["loaded_at"] else None,
        "creator": {"@type": "Organization", "name": citing.PUBLISHER},
        "publisher": {"@type": "Organization", "name": citing.PUBLISHER,
                      "url": request.build_absolute_uri(reverse("about"))},
        "isAccessibleForFree": True, "distribution": distribution,
        "keywords": ["Opportunity Areas", "school improvement", "education", "England", *coverage["themes"]],
        "spatialCoverage": {"@type": "Place", "name": "England",
                            "containsPlace": [{"@type": "Place", "name": name} for name in coverage["areas"]]},
    }
    first, last = coverage["years"]
    if first and last:  # ISO 8601 interval of years: the first project's start to the last one's end
        metadata["temporalCoverage"] = f"{first}/{last}"
    return json.dumps(metadata, ensure_ascii=False).replace("<", "\\u003c")


def citation_of(request) -> dict:
    version = current_data_version()
    work = citing.dataset_work(url=request.build_absolute_uri(reverse("downloads")), version=version,
                               licence=LICENCE["title"])
    return {"text": work.text, "bibtex": work.bibtex}


def project_citation(request, slug: str) -> citing.Work:
    """How to cite one project's record (two queries: the project with its area, its documents)."""
    project = get_object_or_404(Project.objects.select_related("area"), slug=slug)
    sources = list(Source.objects.filter(citations__projects=project).distinct().only("title", "publisher"))
    return citing.project_work(project=project, url=request.build_absolute_uri(project.get_absolute_url()),
                               version=current_data_version(), licence=LICENCE["title"], sources=sources)


def _file_description(name: str, rows: dict) -> str:
    if name in FILE_DESCRIPTIONS:
        return FILE_DESCRIPTIONS[name]
    if name.endswith(".zip"):
        return "The whole package, zipped"
    table = name.removesuffix(".csv")
    return f"Table {table}: {rows.get(table, 0):,} rows"


def downloads_page(request) -> dict:
    _, manifest = export.current_export()
    files = [{**item, "url": reverse("data-file", args=[item["name"]]),
              "description": _file_description(item["name"], manifest["rows"])} for item in manifest["files"]]
    past = [{**item, "url": reverse("past-data-file", args=[item["version"], item["zip"]["name"]])}
            for item in export.past_exports()]
    return {"files": files, "manifest": manifest, "past_versions": past, "licence": export.LICENCE,
            "licence_statement": export.LICENCE_STATEMENT, "attribution": export.attribution(manifest["version"]),
            "citation": citation_of(request), "json_ld": dataset_metadata(request)}


def change_log(*, limit: int = 50) -> list[dict]:
    """The latest loads, newest first, each with the projects it added, changed or removed
    (two queries: the versions, their changes)."""
    versions = DataVersion.objects.order_by("-loaded_at").prefetch_related("changes")[:limit]
    log = []
    for version in versions:
        changes = list(version.changes.all())
        counts = {kind: sum(1 for change in changes if change.kind == kind) for kind in ChangeKind}
        summary = ", ".join(f"{count} {kind.label.lower()}" for kind, count in counts.items() if count)
        log.append({"version": version.short_hash, "loaded_at": version.loaded_at, "changes": changes,
                    "by_kind": [(kind, [c for c in changes if c.kind == kind]) for kind in ChangeKind],
                    "summary": summary or "no project changed"})
    return log


# --- about the site -------------------------------------------------------------------------


def left_out_page() -> dict:
    """fixtures/UNRESOLVED.md as HTML, its headings one level down so the page keeps one h1, without
    the curators' notes on how single figures were extracted (they are for curators only)."""
    text = public_part((Path(settings.FIXTURES_DIR) / UNRESOLVED).read_text(encoding="utf-8"))
    demoted = re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.M)
    return {"notes": mark_safe(markdown.markdown(demoted, extensions=["tables"]))}  # noqa: S308 - our own file


def licence_page() -> dict:
    version = current_data_version()["hash"]
    return {"statement": export.LICENCE_STATEMENT, "licence": export.LICENCE,
            "source_licence": export.SOURCE_LICENCE, "attribution": export.attribution(version)}
