"""Named reads of projects: one QuerySet method per page or endpoint, each bundling its joins and
prefetches behind a one-line docstring, so a page runs a fixed number of queries.

Derived figures are read from ProjectFigures, which `finish_load()` (web/loading) stores after
every load; costs and outcomes are reached through their relations by name, so this app imports
neither.
"""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from projects.search import search_projects

FIGURE_FIELDS = ["line_count", "total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school",
                 "cost_per_pupil", "cost_per_pupil_per_year", "cost_band", "workings", "evidence_rating",
                 "headline_direction", "has_comparator_outcome", "comparator_coverage", "outcome_kinds"]


class CitationQuerySet(QuerySet):
    def with_source(self) -> CitationQuerySet:
        """Citations with their source's key and title, never the source's full text (which can be
        hundreds of kilobytes and would be fetched once per citation)."""
        return self.select_related("source").only(
            "id", "key", "locator", "quote", "footnote_marks", "source__key", "source__title"
        ).order_by("id")


class ThemeQuerySet(QuerySet):
    def with_project_counts(self) -> ThemeQuerySet:
        """`project_count`: the projects with the theme or one of its sub-themes, each counted
        once, however many of the family it has. A subquery per row, so still one query."""
        family = self.model.objects.filter(Q(pk=OuterRef(OuterRef("pk"))) | Q(parent=OuterRef(OuterRef("pk"))))
        links = self.model.projects.through.objects.filter(theme__in=family.values("pk"))
        # COUNT written as a plain function, so the subquery aggregates all its rows without a GROUP BY.
        distinct_projects = Func(F("project_id"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)",
                                 output_field=IntegerField())
        return self.annotate(project_count=Subquery(
            links.order_by().annotate(n=distinct_projects).values("n"), output_field=IntegerField()))


class ProjectQuerySet(QuerySet):
    def _related(self, name: str) -> QuerySet:
        """All rows of the model behind a relation of Project, reached by name: costs and outcomes
        hang off projects, so this app never imports them."""
        return self.model._meta.get_field(name).related_model.objects.all()

    def _citations(self) -> CitationQuerySet:
        return self._related("citations").with_source()

    def with_figures(self, *names: str) -> ProjectQuerySet:
        """The derived figures as annotations (one join to ProjectFigures): those named, or all of
        them; a figure annotated already is kept as it is."""
        return self.annotate(**{name: F(f"stored_figures__{name}") for name in names or FIGURE_FIELDS
                                if name not in self.query.annotations})

    def search(self, query: str) -> ProjectQuerySet:
        """Projects matching `query`, ranked: PostgreSQL full-text search (or close matches of a
        misspelt word), or SQLite's FTS5 index."""
        return search_projects(self, query)[0]

    def for_list(self) -> ProjectQuerySet:
        """Project list and search page: figures, area and the tags shown on each card."""
        return (
            self.with_figures()
            .select_related("area", "parent", "evidence", "headline")
            .prefetch_related("themes", "phases")
        )

    def for_api_list(self) -> ProjectQuerySet:
        """API list and CSV: what a card shows, with every project's citations."""
        return self.for_list().prefetch_related(Prefetch("citations", queryset=self._citations()))

    def for_detail(self) -> ProjectQuerySet:
        """Project page and API detail: everything, with its citations, in a fixed number of queries."""
        cited = Prefetch("citations", queryset=self._citations())

        def rows(name, *select):
            return Prefetch(name, queryset=self._related(name).select_related(*select).prefetch_related(cited))

        return (
            self.with_figures()
            .select_related("area", "parent", "evidence", "headline__outcome__phase", "cost_basis")
            .prefetch_related(
                "themes",
                "phases",
                Prefetch("evidence__citations", queryset=self._citations()),
                Prefetch("headline__citations", queryset=self._citations()),
                Prefetch("children", queryset=self.model.objects.order_by("title")),
                Prefetch("citations", queryset=self._citations()),
                Prefetch("reach_citations", queryset=self._citations()),
                Prefetch("roles", queryset=self._related("roles").select_related("organisation")),
                rows("interventions"), rows("findings"), rows("cost_lines"), rows("cost_totals"),
                rows("cost_counts"), rows("outcomes", "phase"),
            )
        )
