"""A project's card, as the search page and the area, theme and phase pages list it.

A card has two parts. Its figures (what changed, the evidence rating, the cost, the phase and theme
tags) need a project's headline, figures and tags, so the load renders them once per project and
stores them (a StoredPage of kind CARD). Its head (title, compare tick, area and years, summary
or search excerpt) depends on the request, and is rendered per request from one light query.
When a project's stored figures are missing or from other code (or DEBUG is on), every card of
the page is rendered live from `for_list()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.derived import Derived
from core.html import escape
from costs.figures import project_cost_figures
from projects.models import Project
from projects.search import highlight
from web.fingerprint import CODE
from web.models import PageKind, StoredPage


@dataclass(frozen=True)
class ProjectCard:
    project: Project
    figures: dict[str, Derived] | None = None  # rendered live
    excerpt: str | None = None
    figures_html: SafeString | None = None  # stored by the load


def render_figures(project: Project, figures: dict[str, Derived] | None = None) -> SafeString:
    """The card's figures part, for a project fetched with `for_list()` or `for_detail()`."""
    context = {"project": project, "figures": figures or project_cost_figures(project=project)}
    return mark_safe(render_to_string("includes/project_card_figures.html", context))  # our own HTML


def card_html(card: ProjectCard, *, selectable: bool = False, compare_selection=()) -> SafeString:
    """A card as the lists show it: the head built here (twenty heads through a template include
    each took 1.4 ms of a search page, here 0.7 ms), then the stored or live figures part. Every
    text put into the HTML is escaped; the excerpt and the figures are our own HTML."""
    project = card.project
    url, title, slug = escape(project.get_absolute_url()), escape(project.title), escape(project.slug)
    tick = ""
    if selectable:
        checked = " checked" if project.slug in compare_selection else ""
        tick = (f'<p class="compare-tick"><input type="checkbox" name="projects" value="{slug}" id="compare-{slug}"'
                f'{checked}> <label class="inline-label" for="compare-{slug}">Compare<span class="visually-hidden">'
                f" {title}</span></label></p>")
    part_of = ""
    if project.parent:
        part_of = f' · part of <a href="{escape(project.parent.get_absolute_url())}">{escape(project.parent.title)}</a>'
    if card.excerpt:
        text = f'<p class="excerpt">{card.excerpt}</p>'
    else:
        text = f"<p>{escape(Truncator(project.summary).words(40, truncate=' …'))}</p>"
    figures = card.figures_html if card.figures_html else render_figures(project, card.figures)
    return mark_safe(  # escaped above
        f'\n<li class="card">\n  <h3><a href="{url}">{title}</a></h3>\n  {tick}\n'
        f'  <p class="meta">{escape(project.area.label)} · {escape(project.years_label)}{part_of}</p>\n'
        f"  {text}\n  {figures}\n</li>\n")


def stored_figures(project: Project) -> StoredPage:
    """The row the load stores for a project's card."""
    return StoredPage(kind=PageKind.CARD, key=project.slug, title=project.title, description="",
                      html=str(render_figures(project)), has_charts=False, code=CODE)


def _excerpt(project: Project, query: str) -> str | None:
    return highlight(project.search_document, query) if query else None


def _live_cards(projects, query: str = "") -> list[ProjectCard]:
    """Cards of projects fetched with `for_list()`, every part rendered now."""
    return [ProjectCard(project, project_cost_figures(project=project), _excerpt(project, query))
            for project in projects]


def cards(ids: list[int], query: str = "") -> list[ProjectCard]:
    """The cards of these projects, in this order: 1 query with their stored figures, else 4."""
    stored = StoredPage.objects.servable().filter(kind=PageKind.CARD, key=OuterRef("slug")).values("html")[:1]
    heads = Project.objects.for_card_heads(with_text=bool(query)).annotate(figures_html=Subquery(stored)).in_bulk(ids)
    if any(heads[pk].figures_html is None for pk in ids):
        found = Project.objects.for_list().in_bulk(ids)
        return _live_cards([found[pk] for pk in ids], query)
    return [ProjectCard(heads[pk], excerpt=_excerpt(heads[pk], query),
                        figures_html=mark_safe(heads[pk].figures_html))  # our own HTML
            for pk in ids]
