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
from core.paths import slug_path
from costs.figures import project_cost_figures
from projects.models import Area, Project
from projects.search import highlight
from web.fingerprint import CODE
from web.models import PageKind, StoredPage


@dataclass(frozen=True)
class CardHead:
    """What a card's head shows: from a project rendered live, or from one row of values (a page
    of stored cards builds no model instances)."""

    slug: str
    title: str
    area_label: str
    years_label: str
    summary: str
    parent_slug: str | None = None
    parent_title: str = ""
    text: str = ""  # the searched text, for a search excerpt

    @classmethod
    def of(cls, project: Project, *, with_text: bool = False) -> CardHead:
        parent = project.parent
        return cls(project.slug, project.title, project.area.label, project.years_label, project.summary,
                   parent.slug if parent else None, parent.title if parent else "",
                   project.search_document if with_text else "")


@dataclass(frozen=True)
class ProjectCard:
    head: CardHead
    figures_html: SafeString  # stored by the load, or rendered live
    excerpt: str | None = None


def render_figures(project: Project, figures: dict[str, Derived] | None = None) -> SafeString:
    """The card's figures part, for a project fetched with `for_list()` or `for_detail()`."""
    context = {"project": project, "figures": figures or project_cost_figures(project=project)}
    return mark_safe(render_to_string("includes/project_card_figures.html", context))  # our own HTML


def card_html(card: ProjectCard, *, selectable: bool = False, compare_selection=()) -> SafeString:
    """A card as the lists show it: the head built here (twenty heads through a template include
    each took 1.4 ms of a search page, here 0.7 ms), then the figures part. Every text put into
    the HTML is escaped; the excerpt and the figures are our own HTML."""
    head = card.head
    url, title, slug = escape(slug_path("project-detail", head.slug)), escape(head.title), escape(head.slug)
    tick = ""
    if selectable:
        checked = " checked" if head.slug in compare_selection else ""
        tick = (f'<p class="compare-tick"><input type="checkbox" name="projects" value="{slug}" id="compare-{slug}"'
                f'{checked}> <label class="inline-label" for="compare-{slug}">Compare<span class="visually-hidden">'
                f" {title}</span></label></p>")
    part_of = ""
    if head.parent_slug:
        parent_url = escape(slug_path("project-detail", head.parent_slug))
        part_of = f' · part of <a href="{parent_url}">{escape(head.parent_title)}</a>'
    if card.excerpt:
        text = f'<p class="excerpt">{card.excerpt}</p>'
    else:
        text = f"<p>{escape(Truncator(head.summary).words(40, truncate=' …'))}</p>"
    return mark_safe(  # escaped above
        f'\n<li class="card">\n  <h3><a href="{url}">{title}</a></h3>\n  {tick}\n'
        f'  <p class="meta">{escape(head.area_label)} · {escape(head.years_label)}{part_of}</p>\n'
        f"  {text}\n  {card.figures_html}\n</li>\n")


def stored_figures(project: Project) -> StoredPage:
    """The row the load stores for a project's card."""
    return StoredPage(kind=PageKind.CARD, key=project.slug, title=project.title, description="",
                      html=str(render_figures(project)), has_charts=False, code=CODE)


def _excerpt(head: CardHead, query: str) -> str | None:
    return highlight(head.text, query) if query else None


# A card head's columns, read as values (no model instances): the project's, its area's and its parent's.
HEAD_FIELDS = ["slug", "title", "summary", "start_year", "end_year", "area__name", "area__kind", "parent__slug",
               "parent__title"]


def _head(row: dict, *, with_text: bool) -> CardHead:
    return CardHead(row["slug"], row["title"], Area.label_of(row["area__name"], row["area__kind"]),
                    Project.years_label_of(row["start_year"], row["end_year"]), row["summary"],
                    row["parent__slug"], row["parent__title"] or "", row["search_document"] if with_text else "")


def _live_cards(ids: list[int], query: str = "") -> list[ProjectCard]:
    """Cards of these projects with every part rendered now (3 queries)."""
    found = Project.objects.for_list().in_bulk(ids)
    cards = []
    for pk in ids:
        head = CardHead.of(found[pk], with_text=bool(query))
        cards.append(ProjectCard(head, render_figures(found[pk]), _excerpt(head, query)))
    return cards


def cards(ids: list[int], query: str = "") -> list[ProjectCard]:
    """The cards of these projects, in this order: 1 query with their stored figures, else 4."""
    stored = StoredPage.objects.servable().filter(kind=PageKind.CARD, key=OuterRef("slug")).values("html")[:1]
    fields = [*HEAD_FIELDS, "search_document"] if query else HEAD_FIELDS
    rows = {row["pk"]: row for row in Project.objects.filter(pk__in=ids).annotate(figures_html=Subquery(stored))
            .values("pk", *fields, "figures_html")}
    if any(rows[pk]["figures_html"] is None for pk in ids):
        return _live_cards(ids, query)
    cards = []
    for pk in ids:
        head = _head(rows[pk], with_text=bool(query))
        cards.append(ProjectCard(head, mark_safe(rows[pk]["figures_html"]), _excerpt(head, query)))  # our own HTML
    return cards
