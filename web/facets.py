"""The search page's facets: the projects that have each facet value, stored by every load, and
their counts over any set of projects without another query.

Every load writes each facet's vocabulary (projects.FacetValue: value, label, parent, place in
the facet) with the projects that have each value as a bitmap (bit n for project n): its area,
each theme and its broader theme, phases and stages, organisations, start year, the stored
figures' cost band, rating, what changed and comparator, and the evidence types and kinds of its
outcome measures. A process reads the bitmaps once per data version and keeps them, and counts a facet
value over the matching projects as the popcount of an AND: microseconds for every value,
however many projects match, where grouping their rows in the database took a query per facet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from core.cache import forget_for_this_data, kept_for_this_data
from costs.figures import CostBand
from outcomes.evidence import Direction, OutcomeKind, Rating
from outcomes.figures import ComparatorCoverage
from outcomes.models import EvidenceType, OutcomeMeasure
from projects.models import (
    Area,
    FacetValue,
    Organisation,
    Phase,
    Project,
    ProjectFigures,
    ProjectOrganisation,
    Theme,
)
from web.filters import STAGES

FACET_LIMIT = 20  # areas and organisations shown in a facet, most frequent first
LIMITED = ("area", "organisation")
# The facets in the order the page's dict has always had them, each empty when nothing counts.
FACETS = ("area", "theme", "phase", "stage", "cost_band", "evidence_rating", "headline_direction", "comparator",
          "organisation", "evidence_type", "outcome_kind", "start_year")
INTEGER_VALUES = ("evidence_rating", "start_year")  # shown and linked as numbers
BITMAPS = "facet-bitmaps"


def project_facets(*, ids: Iterable[int] | None = None) -> dict[str, list[dict]]:
    """Counts of the projects with these ids (None: every project) by area, theme, phase, stage,
    cost band, evidence rating, what changed, comparator, organisation, evidence type, what was
    measured and start year, each value's projects counted once; each facet in its own order,
    areas and organisations the 20 most frequent. No query but the stored bitmaps' (1 per
    process and data version)."""
    values = facet_bitmaps()
    matching = None if ids is None else bitmap(ids)
    facets: dict[str, list[dict]] = {name: [] for name in FACETS}
    for facet, value, label, parent, projects in values:
        count = (projects if matching is None else projects & matching).bit_count()
        if not count:
            continue
        if facet == "theme":
            facets[facet].append({"value": value, "label": label, "parent": parent, "count": count})
        else:
            facets[facet].append({"value": int(value) if facet in INTEGER_VALUES else value, "label": label,
                                  "count": count})
    for name in LIMITED:  # the most frequent first (a long tail of ones helps nobody choose)
        facets[name] = sorted(facets[name], key=lambda entry: (-entry["count"], entry["label"]))[:FACET_LIMIT]
    return facets


def bitmap(ids: Iterable[int]) -> int:
    """The set of ids as an int with bit n set for id n."""
    return int.from_bytes(bitmap_bytes(ids), "little")


def bitmap_bytes(ids: Iterable[int]) -> bytes:
    """The set of ids as bytes, little-endian: bit n (bit n % 8 of byte n // 8) set for id n."""
    ids = list(ids)
    bits = bytearray(max(ids, default=0) // 8 + 1)
    for pk in ids:
        bits[pk >> 3] |= 1 << (pk & 7)
    return bytes(bits)


def facet_bitmaps() -> list[tuple[str, str, str, str, int]]:
    """Every facet value, in facet order, with its projects' bitmap (1 query, then kept in memory
    until the data version changes)."""
    return kept_for_this_data(BITMAPS, lambda: [
        (facet, value, label, parent, int.from_bytes(projects, "little"))
        for facet, value, label, parent, projects in FacetValue.objects.order_by("facet", "position").values_list(
            "facet", "value", "label", "parent", "projects")])


# --- what every load stores -------------------------------------------------------------------


def facet_vocabulary() -> list[FacetValue]:
    """Every value a facet can show, in each facet's own order (a query per vocabulary): areas,
    phases and organisations as their models order them; themes by broader theme, the broader
    one first; the choices of the figures and outcome measures in their enumeration's order
    (ratings strongest first); start years ascending."""
    values: list[FacetValue] = []

    def add(facet: str, entries) -> None:
        values.extend(FacetValue(facet=facet, value=str(value), label=label, parent=parent)
                      for value, label, parent in entries)

    add("area", ((area.slug, area.label, "") for area in Area.objects.all()))
    themes = list(Theme.objects.select_related("parent"))
    family = {theme.pk: theme.parent or theme for theme in themes}
    add("theme", ((theme.slug, theme.name, theme.parent.slug if theme.parent else "")
                  for theme in sorted(themes, key=lambda t: (family[t.pk].name, t.parent is not None, t.name))))
    add("phase", ((phase.slug, phase.name, "") for phase in Phase.objects.all()))
    add("stage", ((slug, label, "") for slug, (label, _) in STAGES.items()))
    add("cost_band", ((value, label, "") for value, label in CostBand.choices))
    add("evidence_rating", ((value, f"{value} {label}", "") for value, label in reversed(Rating.choices)))
    add("headline_direction", ((value, label, "") for value, label in Direction.choices))
    add("comparator", ((value, label, "") for value, label in ComparatorCoverage.choices))
    add("organisation", ((org.slug, org.name, "") for org in Organisation.objects.all()))
    add("evidence_type", ((value, label, "") for value, label in EvidenceType.choices))
    add("outcome_kind", ((value, label, "") for value, label in OutcomeKind.choices))
    years = Project.objects.filter(start_year__isnull=False).order_by("start_year").values_list("start_year", flat=True)
    add("start_year", ((year, str(year), "") for year in dict.fromkeys(years)))
    position = defaultdict(int)
    for value in values:
        value.position = position[value.facet]
        position[value.facet] += 1
    return values


def project_facet_values() -> dict[int, set[tuple[str, str]]]:
    """Each project's facet values as (facet, value), each once (a fixed number of queries)."""
    has: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for pk, area, start_year in Project.objects.values_list("pk", "area__slug", "start_year"):
        has[pk].add(("area", area))
        if start_year is not None:
            has[pk].add(("start_year", str(start_year)))
    for pk, theme, parent in Project.themes.through.objects.values_list(
            "project_id", "theme__slug", "theme__parent__slug"):
        has[pk].add(("theme", parent or theme))
        if parent:
            has[pk].add(("theme", theme))
    for pk, phase in Project.phases.through.objects.values_list("project_id", "phase__slug"):
        has[pk].add(("phase", phase))
        has[pk].update(("stage", stage) for stage, (_, phases) in STAGES.items() if phase in phases)
    for pk, organisation in ProjectOrganisation.objects.values_list("project_id", "organisation__slug"):
        has[pk].add(("organisation", organisation))
    for pk, evidence_type, kind in OutcomeMeasure.objects.values_list("project_id", "evidence_type", "kind"):
        has[pk].update({("evidence_type", evidence_type), ("outcome_kind", kind)})
    for pk, *figures in ProjectFigures.objects.values_list(
            "project_id", "cost_band", "evidence_rating", "headline_direction", "comparator_coverage"):
        has[pk].update((facet, str(value)) for facet, value in zip(
            ("cost_band", "evidence_rating", "headline_direction", "comparator"), figures, strict=True)
            if value not in (None, ""))
    return has


def rebuild_project_facets() -> int:
    """After a load: every facet's values with their projects' bitmaps (a value no facet shows, such
    as a figure outside its enumeration, is left out, as the counts always left it out)."""
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, keys in project_facet_values().items():
        for key in keys:
            members[key].append(pk)
    values = facet_vocabulary()
    for value in values:
        value.projects = bitmap_bytes(members.get((value.facet, value.value), []))
    FacetValue.objects.all().delete()
    FacetValue.objects.bulk_create(values, batch_size=500)
    forget_for_this_data(BITMAPS)
    return len(values)
