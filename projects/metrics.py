"""Derived figures as pages, the API and CSV present them, each with its formula and inputs.

Cost figures are derived once per load by the rules of costs/figures.py and stored with their
workings (ProjectFigures.workings); the functions here read those workings, and compute outcome
changes, so that every presentation shows one set of numbers and one set of reasons. A reported
figure (from a document, with its citation) and a derived one are never mixed up: derived ones
are always `Derived` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from costs.figures import CostBand
from projects.evidence import EvidenceRating, rate_evidence

COST_FIGURES = ["total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school", "cost_per_pupil",
                "cost_per_pupil_per_year"]


@dataclass(frozen=True)
class Derived:
    value: Decimal | int | None
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    qualifier: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None


def _from_workings(data: dict | None) -> Derived:
    if not data:
        return Derived(None, "", reason="No costs are reported.")
    value = data.get("value")
    if isinstance(value, str):
        value = Decimal(value)
    return Derived(value, data.get("formula", ""), data.get("inputs") or {}, data.get("reason", ""),
                   data.get("qualifier", ""))


def project_cost_figures(*, project) -> dict[str, Derived]:
    """The derived cost figures of a project fetched with ProjectQuerySet.with_figures()."""
    workings = project.workings or {}
    return {name: _from_workings(workings.get(name)) for name in COST_FIGURES}


def project_cost_band(*, project) -> dict[str, Any]:
    """The EEF cost band with its workings, or why none can be given."""
    band = (project.workings or {}).get("cost_band") or {}
    if project.cost_band:
        symbol, label = CostBand(project.cost_band).label.split(" ", 1)
        return {"slug": project.cost_band, "symbol": symbol, "label": label, "available": True,
                "qualifier": band.get("qualifier", ""), "reason": ""}
    return {"available": False, "reason": band.get("reason") or "No costs are reported."}


def project_evidence(*, project) -> EvidenceRating | None:
    """The evidence rating with its reasons, from the prefetched EvidenceAssessment (no query)."""
    assessment = getattr(project, "evidence", None)
    if assessment is None:
        return None
    return rate_evidence(design=assessment.design, evaluator=assessment.evaluator,
                         schools=assessment.sample_schools, pupils=assessment.sample_pupils)


def headline_gap_change(*, measure) -> Derived:
    """How the gap to the comparator moved, in the measure's unit (points for percentages)."""
    figures = outcome_figures(measure=measure)
    before, after = figures["gap_before"].value, figures["gap_after"].value
    if before is None or after is None:
        return Derived(None, "", reason="No comparator at both points")
    return Derived(after - before, "(follow-up − comparator) − (baseline − comparator at baseline)",
                   {"gap before": before, "gap after": after})


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

