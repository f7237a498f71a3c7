"""The pages. Each view parses the request, calls one page selector (web/pages.py, or web/stored.py
for the pages a load renders) and renders."""

import sys
from dataclasses import fields
from urllib.parse import urlencode

from django.db import InterfaceError, OperationalError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from core.csv import frame_table, table_response
from core.views import RETRY_AFTER_SECONDS
from web import export, pages, selectors, stored
from web.selection import SelectionError


def _render(request, template: str, page, **extra):
    """A page dataclass's fields as the template context (and the dataclass as `view`)."""
    context = {item.name: getattr(page, item.name) for item in fields(page)}
    return render(request, template, {**context, "view": page, **extra})


def home(request):
    return render(request, "home.html", {"counts": selectors.headline_counts(), **selectors.entry_points(),
                                         "json_ld": pages.dataset_metadata(request)})


def project_list(request):
    # A submitted filter form sends every field, typed in or not: `?q=&min_cost=` is shared as `?`.
    if pages.has_empty(request.GET):
        kept = pages.without_empty(request.GET).urlencode()
        return HttpResponsePermanentRedirect(f"{request.path}?{kept}" if kept else request.path)
    return _render(request, "projects/project_list.html", pages.search_page(request.GET, request))


def project_detail(request, slug):
    page = stored.project_page(slug)
    return render(request, "projects/project_detail.html", {"page": page, "charts": page.has_charts})


def area_list(request):
    return render(request, "projects/area_list.html", {"areas": selectors.area_coverage()})


def area_briefing(request, slug):
    return _render(request, "projects/area_briefing.html", selectors.area_briefing(slug=slug))


def vocabulary_list(request, kind):
    return render(request, f"projects/{kind}_list.html", {f"{kind}s": pages.vocabulary_list(kind)})


def collection_detail(request, kind, slug):
    page, cards, summary = stored.collection_page(kind, slug, request.GET.get("page"))
    return _render(request, pages.COLLECTIONS[kind].template, page, cards=cards, summary=summary,
                   charts=summary.has_charts)


def evidence_rubric(request):
    return render(request, "projects/evidence_rubric.html", selectors.evidence_rubric())


def evidence_gap_map(request):
    gap_map = selectors.evidence_gap_map()
    return render(request, "projects/evidence_gap_map.html",
                  {"gap_map": gap_map, "cells_total": len(gap_map.rows) * len(gap_map.kinds)})


def source_list(request):
    return render(request, "projects/source_list.html", {"sources": selectors.source_usage()})


def source_detail(request, key):
    return render(request, "projects/source_detail.html", pages.source_page(key))


def compare(request):
    # Repeated parameters (from the list's checkboxes) become one shareable comma-separated URL.
    for name in ("projects", "areas"):
        if len(request.GET.getlist(name)) > 1:
            query = urlencode({name: ",".join(pages.selection_of(request.GET, name))}, safe=",")
            return HttpResponseRedirect(f"{reverse('compare')}?{query}")
    return _render(request, "projects/compare.html", pages.compare_page(request.GET))


def compare_data(request, frame: str, ext: str = "csv"):
    try:
        comparison = pages.comparison_of(request.GET)
    except SelectionError as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    if comparison is None or frame not in comparison.frames:
        raise Http404("No such data")
    return table_response(request, frame_table(comparison.frames[frame]), f"compare-{frame}", ext)


def explore(request):
    return render(request, "projects/explore.html", pages.explore_page(request.GET, request))


def explore_data(request, frame: str, ext: str = "csv"):
    if frame not in pages.EXPLORE_CHARTS:
        raise Http404("No such data")
    filterset, frames = pages.explore_frames(request.GET, request)
    if filterset.errors:
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    return table_response(request, frame_table(frames[frame]), f"explore-{frame}", ext)


def downloads(request):
    return render(request, "projects/downloads.html", pages.downloads_page(request))


def data_changes(request):
    return render(request, "projects/data_changes.html", {"log": pages.change_log()})


def project_citation(request, slug: str, style: str):
    """A project's record as a reference manager takes it: BibTeX or RIS, to save."""
    work = pages.project_citation(request, slug)
    body, content_type = {"bib": (work.bibtex, "application/x-bibtex"),
                          "ris": (work.ris, "application/x-research-info-systems")}[style]
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.{style}"'
    return response


def robots_txt(request):
    # Crawl every page once, not every filtered or compared combination of them.
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /projects/?", "Disallow: /compare/",
             "Disallow: /explore/data/", "Disallow: /api/", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def data_file(request, name: str, version: str | None = None):
    path = export.export_file(name, version)
    if path is None:
        raise Http404("No such file in this data version")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def about(request, page: str):
    """The pages every public site has: about and methodology, licence, accessibility, cookies,
    and what the curators left out."""
    context = {"licence": pages.licence_page, "left_out": pages.left_out_page}.get(page, dict)()
    return render(request, f"about/{page}.html", context)


def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def not_found(request, exception=None):
    if request.path == "/api" or request.path.startswith("/api/"):
        return JsonResponse({"errors": {"detail": ["Not found."]}, "status": 404}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 with Retry-After when the database could not be reached. Called while the
    exception is being handled, so it can see which one it was; renders nothing that needs the
    database."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        problem = "The database is unavailable; try again shortly." if unavailable else "Server error."
        response = JsonResponse({"errors": {"detail": [problem]}, "status": status}, status=status)
    else:
        response = render(request, "503.html" if unavailable else "500.html", status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
