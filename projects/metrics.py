"""Derived figures, each with the formula and the reported figures it came from.

Cost figures are computed in SQL by ProjectQuerySet.with_figures() (so lists can sort and
filter on them); the functions here read those annotations, and compute outcome changes, so
that pages, the API and CSV exports present one set of numbers. A reported figure (from a
document, with its citation) and a derived one (from a formula) are never mixed up: derived
ones are always `Derived` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projects.querysets import FORMULAS, cost_band_info

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Derived:
    value: Decimal | None
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.value is not None


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP)


def project_cost_figures(*, project) -> dict[str, Derived]:
    """The derived cost figures of a project fetched with ProjectQuerySet.with_figures()."""
    total = _money(project.total_cost) if project.line_count else None
    years = project.duration_years
    inputs = {
        "total_cost": total,
        "schools_reached": project.schools_reached,
        "pupils_reached": project.pupils_reached,
        "years": years,
    }
    return {
        "total_cost": Derived(total, FORMULAS["total_cost"], {"cost_lines": project.line_count}),
        "duration_years": Derived(years, FORMULAS["duration_years"],
                                  {"start_year": project.start_year, "end_year": project.end_year}),
        "cost_per_school": Derived(_money(project.cost_per_school), FORMULAS["cost_per_school"], inputs),
        "cost_per_pupil": Derived(_money(project.cost_per_pupil), FORMULAS["cost_per_pupil"], inputs),
        "cost_per_pupil_per_year": Derived(
            _money(project.cost_per_pupil_per_year), FORMULAS["cost_per_pupil_per_year"], inputs
        ),
    }


def project_cost_band(*, project) -> dict[str, Any]:
    """The EEF cost band with its workings, or why none can be given."""
    band = cost_band_info(project.cost_band) if project.cost_band else None
    if band:
        return {**band, "available": True, "reason": ""}
    missing = []
    if not project.line_count:
        missing.append("costs")
    if not project.pupils_reached:
        missing.append("pupils reached")
    if project.duration_years is None:
        missing.append("start and end years")
    return {"available": False, "reason": "Not reported: " + ", ".join(missing) if missing else ""}


def _difference(minuend, subtrahend, formula: str) -> Derived:
    """minuend − subtrahend when both are reported, with the formula and its inputs."""
    value = None if minuend is None or subtrahend is None else minuend - subtrahend
    return Derived(value, formula, {"from": subtrahend, "to": minuend})


def outcome_figures(*, measure) -> dict[str, Derived]:
    """Change in the measure's unit (points for percentages), the comparator's change, and the
    gap to the comparator before and after (measure − comparator)."""
    return {
        "change": _difference(measure.followup_value, measure.baseline_value, "follow-up − baseline"),
        "comparator_change": _difference(measure.comparator_followup_value, measure.comparator_baseline_value,
                                         "comparator follow-up − comparator baseline"),
        "gap_before": _difference(measure.baseline_value, measure.comparator_baseline_value,
                                  "baseline − comparator at baseline"),
        "gap_after": _difference(measure.followup_value, measure.comparator_followup_value,
                                 "follow-up − comparator at follow-up"),
    }
