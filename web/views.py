"""The browsing pages. Each view parses, selects (querysets and selectors) and renders."""

from collections import OrderedDict

import pandas as pd
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from costs.figures import project_cost_band, project_cost_figures
from costs.models import TotalKind
from outcomes.figures import outcome_figures
from projects.models import Area, Citation, FindingKind, Phase, Project, Source, Theme
from projects.search import highlight
from web import charts, selectors
from web.analysis import parse_selection, similar_projects
from web.filters import ORDERINGS, ProjectFilter
from web.verdict import project_verdict

PAGE_SIZE = 20
DERIVED_ROWS = [("total_cost", "Total cost"), ("oa_cost", "OA funding"), ("match_funding", "Match funding"),
                ("duration_years", "Years the money covers"), ("cost_per_school", "Cost per school"),
                ("cost_per_pupil", "Cost per pupil"), ("cost_per_pupil_per_year", "Cost per pupil per year")]
# Facets are links; the filter form carries them along as hidden fields.
FACET_PARAMS = ("area", "theme", "phase", "organisation", "evidence_type", "cost_band", "evidence_rating",
                "headline_direction", "has_comparator", "started", "compare")


def home(request):
    return render(request, "home.html", {"counts": selectors.headline_counts(), **selectors.entry_points()})


def project_list(request):
    filterset = ProjectFilter(request.GET or None, queryset=Project.objects.for_list(), request=request)
    projects = filterset.qs
    paginator = Paginator(projects, PAGE_SIZE)
    page_number = request.GET.get("page") or 1
    page = paginator.get_page(page_number)
    page_problem = str(page_number) != str(page.number) and "page" in request.GET
    query = filterset.form.cleaned_data.get("q", "") if filterset.is_bound else ""
    for project in page.object_list:
        project.excerpt = highlight(project.search_document, query) if query else None
        project.figures = project_cost_figures(project=project)
    return render(request, "projects/project_list.html", {
        "filterset": filterset,
        "page": page,
        "page_problem": page_problem,
        "facets": selectors.project_facets(
            projects=projects, cache_key="projects?" + _querystring_without(request, "page", "compare")),
        "query": query,
        "without_cost": filterset.without_cost_left_out() if filterset.is_bound and filterset.is_valid() else None,
        "orderings": ORDERINGS,
        "querystring": _querystring_without(request, "page"),
        "facet_params": [(key, value) for key in FACET_PARAMS for value in request.GET.getlist(key)],
        "compare_selection": parse_selection(request.GET.get("compare", "")),
        "page_slugs": [project.slug for project in page.object_list],
    })


def project_detail(request, slug):
    project = get_object_or_404(Project.objects.for_detail(), slug=slug)
    cost_lines = list(project.cost_lines.all())
    outcomes = list(project.outcomes.all())
    for measure in outcomes:
        measure.figures = outcome_figures(measure=measure)
    findings = OrderedDict((label, []) for _, label in FindingKind.choices)
    for finding in project.findings.all():
        findings[finding.get_kind_display()].append(finding)
    cost_totals = list(project.cost_totals.all())
    assessment_records = [r for r in (getattr(project, "headline", None), getattr(project, "evidence", None)) if r]
    cited = _number_citations(
        [project], assessment_records, cost_lines, cost_totals, project.cost_counts.all(), outcomes,
        project.interventions.all(), project.findings.all(),
        attributes=("citations", "reach_citations"),
    )
    return render(request, "projects/project_detail.html", {
        "project": project,
        "citations": list(cited.values()),
        "numbers": {pk: index for index, pk in enumerate(cited, start=1)},
        "figures": project_cost_figures(project=project),
        "cost_band": project_cost_band(project=project),
        "verdict": project_verdict(project=project),
        "derived_rows": DERIVED_ROWS,
        "reported_per_beneficiary": _reported_per_beneficiary(cost_totals, project.cost_counts.all()),
        "cost_tables": _group_by_table(cost_lines, cost_totals),
        "outcomes": outcomes,
        "findings": {label: items for label, items in findings.items() if items},
        "charts": [c for c in (charts.costs_by_period_and_category(cost_lines),
                               charts.outcome_change_chart(outcomes)) if c],
        "similar": similar_projects(project),
    })


def area_list(request):
    return render(request, "projects/area_list.html", {"areas": selectors.area_coverage()})


def area_detail(request, slug):
    area = get_object_or_404(Area, slug=slug)
    return _collection(request, "projects/area_detail.html", area, Project.objects.filter(area=area),
                       spend_dimensions=("theme", "phase"),
                       extra={"area_figures": area.figures.prefetch_related(
                           Prefetch("citations", queryset=Citation.objects.with_source()))})


def theme_list(request):
    return render(request, "projects/theme_list.html",
                  {"themes": Theme.objects.annotate(project_count=Count("projects"))})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return _collection(request, "projects/theme_detail.html", theme, Project.objects.filter(themes=theme),
                       spend_dimensions=("area", "phase"))


def phase_list(request):
    return render(request, "projects/phase_list.html",
                  {"phases": Phase.objects.annotate(project_count=Count("projects"))})


def phase_detail(request, slug):
    phase = get_object_or_404(Phase, slug=slug)
    return _collection(request, "projects/phase_detail.html", phase, Project.objects.filter(phases=phase),
                       spend_dimensions=("area", "theme"))


def evidence_rubric(request):
    return render(request, "projects/evidence_rubric.html", selectors.evidence_rubric())


def source_list(request):
    return render(request, "projects/source_list.html", {"sources": selectors.source_usage()})


def source_detail(request, key):
    source = get_object_or_404(Source.objects.defer("text"), key=key)
    citations = (
        source.citations.prefetch_related("projects", "cost_lines__project", "outcomes__project",
                                          "findings__project", "cost_totals__project", "interventions__project",
                                          "reach_of_projects")
        .order_by("id")
    )
    return render(request, "projects/source_detail.html", {"source": source, "citations": citations})


SPEND_LABELS = {"theme": "Theme", "phase": "Phase", "area": "Area"}
OUTCOMES_SHOWN = 50


def _outcomes_export_url(subject) -> str:
    name = {Area: "area", Theme: "theme", Phase: "phase"}[type(subject)]
    return f"/api/v1/outcomes/?{name}={subject.slug}&format=csv"


def _collection(request, template, subject, projects, *, spend_dimensions, extra=None):
    """Area, theme and phase pages: their projects, spend charts, outcomes and sources."""
    listed = projects.for_list().order_by("title")
    paginator = Paginator(listed, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for project in page.object_list:
        project.figures = project_cost_figures(project=project)
    spend_charts = []
    for dimension in spend_dimensions:
        rows = pd.DataFrame(selectors.spend_by(projects=projects, dimension=dimension),
                            columns=["slug", "name", "total", "projects"]).astype({"total": float})
        label = SPEND_LABELS[dimension]
        title = f"Recorded spend by {label.lower()}" + ("" if dimension == "area" else
                                                         f" (counted under each {label.lower()})")
        spend_chart = charts.bar_from_frame(rows, "name", "total", f"spend-by-{dimension}", title,
                                            label_header=label, extra_columns={"projects": "Costed projects"})
        if spend_chart:
            spend_charts.append(spend_chart)
    outcomes_qs = selectors.outcomes_of(projects=projects)
    outcomes = list(outcomes_qs[:OUTCOMES_SHOWN])
    for measure in outcomes:
        measure.figures = outcome_figures(measure=measure)
    return render(request, template, {
        "subject": subject,
        "page": page,
        "charts": spend_charts,
        "outcomes": outcomes,
        "outcomes_total": outcomes_qs.count(),
        "outcomes_export": _outcomes_export_url(subject),
        "sources": selectors.sources_of(projects=projects),
        "spend": selectors.spend_total(projects=projects),
        "querystring": "",
        **(extra or {}),
    })


def _number_citations(*groups, attributes=("citations",)) -> OrderedDict:
    """Every citation on a page, once each, in the order the page first uses them."""
    cited = OrderedDict()
    for group in groups:
        for record in group:
            for attribute in attributes:
                if hasattr(record, attribute):
                    for citation in getattr(record, attribute).all():
                        cited.setdefault(citation.pk, citation)
    return cited


def _reported_per_beneficiary(cost_totals, cost_counts) -> list:
    """The document's own per-school or per-pupil figures for the page's headline: those a derived
    figure is checked against, else every one (at most three)."""
    reported = [t for t in cost_totals if t.kind != TotalKind.TOTAL]
    checked = {count.check_against for count in cost_counts if count.check_against}
    return [t for t in reported if t.label in checked] or reported[:3]


def _group_by_table(cost_lines, cost_totals):
    tables = OrderedDict()
    for line in cost_lines:
        tables.setdefault(line.table, {"name": line.table, "lines": [], "totals": []})["lines"].append(line)
    for total in cost_totals:
        tables.setdefault(total.table, {"name": total.table, "lines": [], "totals": []})["totals"].append(total)
    return list(tables.values())


def _querystring_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"detail": ["Not found."]}, "status": 404}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
