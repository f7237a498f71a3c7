"""What changed on an outcome measure: change in its unit, the comparator's change, and the gap
to the comparator before and after. Each is a `Derived` value with its formula and inputs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from core.derived import Derived


class ComparatorCoverage(models.TextChoices):
    """Where a project's outcomes have a comparator value (national or similar schools)."""

    BEFORE_AND_AFTER = "before_and_after", "Compared before and after"
    ONE_POINT = "one_point", "Comparator at one point only"


COMPARATOR_COVERAGE_HELP = (
    "before_and_after: at least one outcome measure has a comparator value at both baseline and follow-up, so "
    "the gap to the comparator can be followed. one_point: some measure has a comparator value, at baseline or "
    "at follow-up, but no measure has both. The two never overlap; a project with no comparator value is in "
    "neither (has_comparator also counts a comparator named without values).")


def comparator_coverage(*, measures: Iterable[tuple]) -> str:
    """A project's ComparatorCoverage value from its measures' (comparator baseline, comparator
    follow-up) values, or "" when none has a comparator value."""
    points = [(baseline is not None, followup is not None) for baseline, followup in measures]
    if any(baseline and followup for baseline, followup in points):
        return ComparatorCoverage.BEFORE_AND_AFTER
    if any(baseline or followup for baseline, followup in points):
        return ComparatorCoverage.ONE_POINT
    return ""


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


def headline_gap_change(*, measure) -> Derived:
    """How the gap to the comparator moved, in the measure's unit (points for percentages)."""
    figures = outcome_figures(measure=measure)
    before, after = figures["gap_before"].value, figures["gap_after"].value
    if before is None or after is None:
        return Derived(None, "", reason="No comparator at both points")
    return Derived(after - before, "(follow-up − comparator) − (baseline − comparator at baseline)",
                   {"gap before": before, "gap after": after})


CHANGE_WORDS = {"percent": "%", "percentage_points": " percentage points", "points": " points"}


def _plain(number) -> str:
    number = number.normalize()
    return f"{number:,.0f}" if number == number.to_integral() else f"{number:,f}"


def _unit_words(number, unit: str) -> str:
    words = CHANGE_WORDS.get(unit, "")
    if number == 1 and words.endswith("s"):  # 1 percentage point
        words = words[:-1]
    return f"{_plain(number)}{words}"


def reported_change(*, measure, comparator: bool = False):
    """A change the document reports on its own, signed (a decrease is negative); None if there is none.
    The comparator's change has the measure's unit and direction."""
    size = measure.comparator_reported_change_value if comparator else measure.reported_change_value
    if size is None or measure.reported_change_value is None:
        return None
    return -size if measure.reported_change_direction == "decrease" and size else size


def reported_change_text(*, measure, comparator: bool = False) -> str:
    """The reported change in words, in its own unit: "increased by 18%" (a percent change as the
    document states it, not percentage points), "increased by 3 percentage points", "decreased by
    8.5 points"; "" when there is none."""
    value = reported_change(measure=measure, comparator=comparator)
    if value is None:
        return ""
    if value == 0:
        return f"no change (0{CHANGE_WORDS.get(measure.reported_change_unit, '')})"
    verb = "decreased" if value < 0 else "increased"
    return f"{verb} by {_unit_words(abs(value), measure.reported_change_unit)}"
