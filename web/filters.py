"""The project filters, shared by the search page and /api/v1/projects/.

Bad input (an unknown slug, `min_cost=abc`, an unknown ordering) is a form error: the page
shows it as a message and the API answers 400 naming the parameter.
"""

import django_filters
from django.db.models import Exists, F, OuterRef

from core.filters import DefinedOnceFilterSet, VocabularyFilter
from core.queries import ids_of
from costs.figures import CostBand
from outcomes.evidence import Direction, OutcomeKind, Rating
from outcomes.figures import COMPARATOR_COVERAGE_HELP, ComparatorCoverage
from outcomes.models import EvidenceType, OutcomeMeasure
from projects.filters import ThemeFamilyFilter
from projects.models import Area, Organisation, Phase
from projects.querysets import FIGURE_FIELDS
from projects.search import search_projects, words_found

# Filters and sorts on a cost figure leave out projects without one; pages say how many.
COST_FILTERS = ("min_cost", "max_cost", "min_cost_per_pupil", "max_cost_per_pupil", "cost_band")
COST_ORDERINGS = ("total_cost", "-total_cost", "cost_per_pupil", "-cost_per_pupil")
# The figures those filters need, for listing the projects they leave out (`?missing=total_cost`).
MISSING_FIGURES = {"total_cost": "Total cost", "cost_per_pupil": "Cost per pupil",
                   "cost_band": "Cost band (per pupil per year)"}

# The stages people think in, as groups of the key stages (the glossary's phases).
STAGES = {
    "primary": ("Primary (early years to Key Stage 2)", ["early_years", "ks1", "ks2"]),
    "secondary": ("Secondary (Key Stages 3 and 4)", ["ks3", "ks4"]),
}

ORDERINGS = {
    "relevance": "Relevance",
    "title": "Title (A–Z)",
    "-total_cost": "Total cost (highest first)",
    "total_cost": "Total cost (lowest first)",
    "-cost_per_pupil": "Cost per pupil (highest first)",
    "cost_per_pupil": "Cost per pupil (lowest first)",
    "-evidence_rating": "Evidence rating (strongest first)",
    "evidence_rating": "Evidence rating (weakest first)",
    "-start_year": "Start year (newest first)",
    "start_year": "Start year (oldest first)",
}


class ProjectFilter(DefinedOnceFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Search",
        help_text="Whole words, \"phrases\", -excluded words and `or`. On PostgreSQL, when no project has the "
                  "words, close matches of misspelt ones, with the header X-Search-Close-Matches: true.")
    area = VocabularyFilter(field_name="area", queryset=Area.objects.all(), label="Area")
    theme = ThemeFamilyFilter(field_name="themes", label="Theme")
    phase = VocabularyFilter(field_name="phases", queryset=Phase.objects.all(), label="Phase")
    organisation = VocabularyFilter(
        field_name="organisations", queryset=Organisation.objects.all(), label="Organisation"
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=[(slug, label) for slug, (label, _) in STAGES.items()], method="filter_stage", label="Stage")
    evidence_type = django_filters.MultipleChoiceFilter(
        choices=EvidenceType.choices, method="filter_evidence_type", label="Evidence type"
    )
    outcome_kind = django_filters.MultipleChoiceFilter(
        choices=OutcomeKind.choices, method="filter_outcome_kind", label="What was measured",
        help_text="Kinds of outcome measure, any of which matches: projects with at least one measure of the kind.")
    cost_band = django_filters.MultipleChoiceFilter(
        field_name="cost_band", choices=CostBand.choices, label="Cost band (per pupil per year)"
    )
    evidence_rating = django_filters.MultipleChoiceFilter(
        field_name="evidence_rating", choices=[(str(value), f"{value}: {label}") for value, label in Rating.choices],
        label="Evidence rating")
    headline_direction = django_filters.MultipleChoiceFilter(
        field_name="headline_direction", choices=Direction.choices, label="What changed")
    has_comparator = django_filters.BooleanFilter(
        field_name="has_comparator_outcome", label="Has an outcome measured against a comparator")
    comparator = django_filters.MultipleChoiceFilter(
        field_name="comparator_coverage", choices=ComparatorCoverage.choices, label="Comparator",
        help_text=COMPARATOR_COVERAGE_HELP)
    min_cost = django_filters.NumberFilter(field_name="total_cost", lookup_expr="gte", min_value=0,
                                           label="Total cost from (£)")
    max_cost = django_filters.NumberFilter(field_name="total_cost", lookup_expr="lte", min_value=0,
                                           label="Total cost up to (£)")
    min_cost_per_pupil = django_filters.NumberFilter(field_name="cost_per_pupil", lookup_expr="gte", min_value=0,
                                                     label="Cost per pupil from (£)")
    max_cost_per_pupil = django_filters.NumberFilter(field_name="cost_per_pupil", lookup_expr="lte", min_value=0,
                                                     label="Cost per pupil up to (£)")
    start_year = django_filters.NumberFilter(field_name="start_year", lookup_expr="gte", min_value=1990,
                                             max_value=2100, label="Started in or after")
    end_year = django_filters.NumberFilter(field_name="end_year", lookup_expr="lte", min_value=1990,
                                           max_value=2100, label="Ended in or before")
    started = django_filters.NumberFilter(field_name="start_year", min_value=1990, max_value=2100,
                                          label="Started in")
    missing = django_filters.ChoiceFilter(
        choices=list(MISSING_FIGURES.items()), method="filter_missing", label="Not reported",
        help_text="Only projects without this figure: the ones a cost filter or sort leaves out (or puts last).")
    ordering = django_filters.ChoiceFilter(choices=list(ORDERINGS.items()), method="filter_ordering",
                                           label="Sort by", empty_label=None)

    # Set when a search matched nothing and no project has its words: it then finds close matches.
    close_matches = False

    @property
    def qs(self):
        """The matching projects, for a search in its order. A search is run for its words; when
        that matches nothing and no project at all has the words, again for close matches of
        misspelt ones. Deciding needs every match's id, which `matching_ids()` then reuses: a
        search that finds something costs no query more."""
        if not hasattr(self, "_qs"):
            found = super().qs
            # (a bound form has been cleaned: an invalid one still filters by the fields that are valid)
            query = self.form.cleaned_data.get("q") if self.is_bound else ""
            if query and not self.close_matches:
                self._ids = ids_of(found)
                if not self._ids and not words_found(self.queryset, query):
                    self.close_matches = True  # filter_q then looks for close matches
                    del self._qs
                    self._ids = ids_of(super().qs)
        return self._qs

    def matching_ids(self) -> list[int]:
        """Every matching project's id, in the list's order."""
        found = self.qs
        return self._ids if hasattr(self, "_ids") else ids_of(found)

    def filter_q(self, queryset, name, value):
        found, self.close_matches = search_projects(queryset, value, close_matches=self.close_matches)
        return found

    def filter_stage(self, queryset, name, values):
        if not values:
            return queryset
        phases = [phase for value in values for phase in STAGES[value][1]]
        return queryset.filter(pk__in=queryset.model.objects.filter(phases__slug__in=phases).values("pk"))

    def filter_evidence_type(self, queryset, name, values):
        if not values:
            return queryset
        measures = OutcomeMeasure.objects.filter(project=OuterRef("pk"), evidence_type__in=values)
        return queryset.filter(Exists(measures))

    def filter_missing(self, queryset, name, value):
        return lacking(queryset, value) if value else queryset

    def filter_outcome_kind(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(Exists(OutcomeMeasure.objects.filter(project=OuterRef("pk"), kind__in=values)))

    def only_close_matches(self) -> bool:
        """Whether `q` found only close matches of misspelt words. Builds `qs`, which decides."""
        if not (self.is_valid() and self.form.cleaned_data.get("q")):
            return False
        self.qs  # noqa: B018
        return self.close_matches

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so relevance can see the search

    def without_cost_left_out(self) -> dict | None:
        """How many projects the cost filters or a cost sort leave out (or put last) for want of
        a figure: None when no cost filter or sort is active. One COUNT query."""
        data = self.form.cleaned_data
        filtering = [name for name in COST_FILTERS if data.get(name) not in (None, "", [])]
        ordering = data.get("ordering") or ""
        if not filtering and ordering not in COST_ORDERINGS:
            return None
        if "cost_band" in filtering:
            figure = "cost_band"
        elif any("per_pupil" in name for name in [*filtering, ordering]):
            figure = "cost_per_pupil"
        else:
            figure = "total_cost"
        others = self  # a cost sort alone: the same matches, those without the figure listed last
        if filtering:  # the matches without the cost filters, which left these out
            data = self.data.copy()
            for name in COST_FILTERS:
                data.pop(name, None)
            others = self.__class__(data, queryset=self.queryset, request=self.request)
        count = lacking(others.qs, figure).count() if others.is_valid() else 0
        return {"count": count, "figure": figure.replace("_", " "), "key": figure, "filtered": bool(filtering)}

    def figures_used(self) -> list[str]:
        """The stored figures that the active filters and the sort compare. Only those are joined
        and annotated: all fifteen took about 1 ms of each request to build and compile."""
        data = self.form.cleaned_data
        used = {item.field_name for name, item in self.filters.items()
                if item.field_name in FIGURE_FIELDS and data.get(name) not in (None, "", [])}
        ordering = (data.get("ordering") or "").lstrip("-")
        return sorted(used | ({ordering} & set(FIGURE_FIELDS)))

    def filter_queryset(self, queryset):
        if figures := self.figures_used():
            queryset = queryset.with_figures(*figures)
        queryset = super().filter_queryset(queryset)
        ordering = self.form.cleaned_data.get("ordering") or ""
        return order_projects(queryset, ordering, searched=bool(self.form.cleaned_data.get("q")))


def lacking(queryset, figure: str):
    """The projects without a figure (one of MISSING_FIGURES)."""
    lacks = {"cost_band": ""} if figure == "cost_band" else {f"{figure}__isnull": True}
    return queryset.with_figures(figure).filter(**lacks)


def order_projects(queryset, ordering: str, *, searched: bool):
    """Sort, with missing figures last and the title as a stable tie-breaker."""
    if ordering in ("", "relevance"):
        return queryset.order_by("-rank", "title") if searched else queryset.order_by("title")
    descending = ordering.startswith("-")
    field = F(ordering.lstrip("-"))
    primary = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return queryset.order_by(primary, "title")
