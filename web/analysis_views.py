"""Compare and explore pages, and the CSV of every chart on them (from web.analysis)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from projects.models import Area, Project
from web import analysis, charts
from web.filters import ProjectFilter


def _selection(request, name: str) -> list[str]:
    """The selection from ?projects=a,b or ?projects=a&projects=b."""
    return analysis.parse_selection(",".join(request.GET.getlist(name)))


def _comparison(request):
    projects, areas = _selection(request, "projects"), _selection(request, "areas")
    if projects and areas:
        raise analysis.SelectionError("Compare projects or areas, not both at once.")
    if projects:
        return analysis.compare_projects(projects)
    if areas:
        return analysis.compare_areas(areas)
    return None


def compare(request):
    # Repeated parameters (from the list's checkboxes) become one shareable comma-separated URL.
    for name in ("projects", "areas"):
        if len(request.GET.getlist(name)) > 1:
            query = urlencode({name: ",".join(_selection(request, name))}, safe=",")
            return HttpResponseRedirect(f"{reverse('compare')}?{query}")
    error, comparison, chart_list = "", None, []
    try:
        comparison = _comparison(request)
    except analysis.SelectionError as problem:
        error = str(problem)
    if comparison and comparison.kind == "projects":
        specs = [
            ("costs", charts.stacked_costs(comparison.frames["costs"], "project", "compare-costs-chart",
                                           "Cost lines by category, every line the documents list")),
            ("cost_per_pupil", charts.cost_per_pupil_bars(comparison.frames["cost_per_pupil"])),
            ("outcomes", charts.outcome_change_against_comparator(comparison.frames["outcomes"])),
        ]
    elif comparison:
        specs = [("costs", charts.stacked_costs(comparison.frames["costs"], "area", "compare-costs-chart",
                                                "Cost lines by category, every line the documents list"))]
    else:
        specs = []
    query = request.GET.urlencode()
    for frame, spec in specs:
        if spec:
            spec["csv_url"] = f"{reverse('compare-data', args=[frame])}?{query}"
            chart_list.append(spec)
    selection_key = comparison.kind if comparison else ""
    slugs = [item.slug for item in comparison.items] if comparison else []
    return render(request, "projects/compare.html", {
        "comparison": comparison,
        "error": error,
        "charts": chart_list,
        "too_few": comparison is not None and len(comparison.items) < 2,
        "selection": ",".join(slugs),
        "selection_key": selection_key,
        "removals": [(item, ",".join(s for s in slugs if s != item.slug)) for item in comparison.items]
        if comparison else [],
        "areas": Area.objects.order_by("name") if not comparison or comparison.kind == "areas" else [],
    })


def compare_data(request, frame: str):
    try:
        comparison = _comparison(request)
    except analysis.SelectionError as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    if comparison is None or frame not in comparison.frames:
        raise Http404("No such data")
    return _csv(comparison.frames[frame], f"compare-{frame}")


EXPLORE_CHARTS = {
    "spend_by_area": lambda f: charts.bar_from_frame(f, "area", "spend", "explore-area-chart", "Recorded spend by area",
                                                     extra_columns={"projects": "Costed projects"}),
    "spend_by_theme": lambda f: charts.bar_from_frame(
        f, "theme", "spend", "explore-theme-chart",
        "Recorded spend by theme (a project counted under each of its themes, so bars overlap)",
        extra_columns={"projects": "Costed projects"}),
    "by_phase": lambda f: charts.bar_from_frame(f, "phase", "projects", "explore-phase-chart",
                                                "Projects by phase", money=False,
                                                extra_columns={"spend": "Recorded spend (counted under each phase)"}),
    "cost_vs_change": charts.cost_change_scatter,
    "timeline": charts.timeline,
}


def _explore_frames(request):
    filterset = ProjectFilter(request.GET or None, queryset=Project.objects.with_figures(), request=request)
    return filterset, analysis.explore_frames(filterset.qs)


def explore(request):
    filterset, frames = _explore_frames(request)
    chart_list = []
    for name, build in EXPLORE_CHARTS.items():
        spec = build(frames[name])
        if spec:
            spec["csv_url"] = f"{reverse('explore-data', args=[name])}?{request.GET.urlencode()}"
            chart_list.append(spec)
    return render(request, "projects/explore.html", {
        "filterset": filterset, "charts": chart_list,
        "empty": all(frame.empty for frame in frames.values()),
    })


def explore_data(request, frame: str):
    if frame not in EXPLORE_CHARTS:
        raise Http404("No such data")
    filterset, frames = _explore_frames(request)
    if filterset.errors:
        return HttpResponse(str(dict(filterset.errors)), status=400, content_type="text/plain; charset=utf-8")
    return _csv(frames[frame], f"explore-{frame}")


def _csv(frame, name: str) -> HttpResponse:
    response = HttpResponse(frame.to_csv(index=False), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
