"""Pages rendered when the evidence is loaded, and served from one row (web.models.StoredPage).

A project's page and the summary of an area, theme or phase (spend, charts, outcomes, sources),
change only when the evidence is loaded, so every load (and `load_evidence --if-changed`)
renders them once with the same templates a live request would use. A request then reads one
row instead of a dozen queries and hundreds of template nodes.

A stored page is served only when the code that rendered it is the code now running (`CODE`,
web/fingerprint.py); otherwise, and always with DEBUG on so that template edits show at once,
the page is rendered live, as it would be without storage. Cards are stored too (web/cards.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from projects.models import Project
from web import cards, pages, similar
from web.fingerprint import CODE
from web.models import PageKind, StoredPage


@dataclass(frozen=True)
class Rendered:
    """What the page's template wraps in the site's layout."""
    title: str
    description: str
    html: SafeString
    has_charts: bool


def _context(page) -> dict:
    return {item.name: getattr(page, item.name) for item in fields(page)}


def _stored(kind: str, key: str) -> Rendered | None:
    row = (StoredPage.objects.servable().filter(kind=kind, key=key)
           .only("title", "description", "html", "has_charts").first())
    return row and Rendered(row.title, row.description, mark_safe(row.html), row.has_charts)  # our own HTML


# --- project pages --------------------------------------------------------------------------


def render_project(project: Project, *, similar: list[dict]) -> Rendered:
    """A project fetched with `for_detail()`, rendered (no more queries)."""
    page = pages.project_page(project, similar=similar)
    return Rendered(title=project.title, description=truncatewords(project.summary, 30),
                    html=mark_safe(render_to_string("projects/project_body.html", _context(page))),
                    has_charts=bool(page.charts))


def project_page(slug: str) -> Rendered:
    """The stored page, or the page rendered now (404 for an unknown project)."""
    if stored := _stored(PageKind.PROJECT, slug):
        return stored
    project = get_object_or_404(Project.objects.for_detail(), slug=slug)
    return render_project(project, similar=similar.similar_projects(project))


def stored_project_page(project: Project) -> StoredPage:
    """The row to store for a project fetched with `for_detail()`; similar projects are scored
    afresh, not read from the cache of the data version being replaced."""
    rendered = render_project(project, similar=similar.score_similar_projects(project))
    return _row(PageKind.PROJECT, project.slug, rendered)


def _row(kind: str, key: str, rendered: Rendered) -> StoredPage:
    return StoredPage(kind=kind, key=key, title=rendered.title, description=rendered.description,
                      html=str(rendered.html), has_charts=rendered.has_charts, code=CODE)


# --- areas, themes and phases ---------------------------------------------------------------


def render_collection_summary(kind: str, subject) -> Rendered:
    summary = pages.collection_summary(kind, subject)
    html = render_to_string("projects/collection_summary.html", _context(summary))
    return Rendered(title=subject.name, description="", html=mark_safe(html),
                    has_charts=bool(summary.charts))


def collection_page(kind: str, slug: str,
                    page_number) -> tuple[pages.CollectionPage, list[cards.ProjectCard], Rendered]:
    """One page of the collection's projects as their cards, and its summary (stored, or rendered now)."""
    page = pages.collection_page(kind, slug, page_number)
    summary = _stored(kind, slug) or render_collection_summary(kind, page.subject)
    return page, cards.cards(list(page.page.object_list)), summary


def rebuild_collection_summaries() -> int:
    """Render and store the summary of every area, theme and phase."""
    rows = [_row(kind, subject.slug, render_collection_summary(kind, subject))
            for kind in (PageKind.AREA, PageKind.THEME, PageKind.PHASE)
            for subject in pages.collection_subjects(kind)]
    StoredPage.objects.filter(kind__in=[PageKind.AREA, PageKind.THEME, PageKind.PHASE]).delete()
    StoredPage.objects.bulk_create(rows, batch_size=500)
    return len(rows)
