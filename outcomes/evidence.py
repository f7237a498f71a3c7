"""How strong is the evidence that a project changed anything: the rubric of docs/EVIDENCE.md.

Curators record the inputs for every project, each with citations: the evaluation's design,
who evaluated it, and the sample. The rating is computed here from those inputs and nowhere
else; it is never typed into a fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Design(models.TextChoices):
    """What the outcome evidence can show, strongest first."""

    RANDOMISED = "randomised", "Randomised comparison"
    MATCHED_COMPARISON = "matched_comparison", "Matched comparison group"
    BENCHMARK_COMPARISON = "benchmark_comparison", "Change compared with a local or national benchmark"
    BEFORE_AFTER = "before_after", "Before and after, no comparator"
    DESCRIPTIVE = "descriptive", "Monitoring data, surveys or self-report only"
    NO_OUTCOME_DATA = "no_outcome_data", "No outcome data"


class Evaluator(models.TextChoices):
    INDEPENDENT = "independent", "Independent evaluator"
    DELIVERY_TEAM = "delivery_team", "The project or the Opportunity Area itself"
    NOT_STATED = "not_stated", "Not stated"


# How the rating explanation and the plain-language summary name each kind of evaluator.
EVALUATOR_PHRASES = {
    Evaluator.INDEPENDENT: "evaluated independently",
    Evaluator.DELIVERY_TEAM: "reported by the project or the Opportunity Area itself",
    Evaluator.NOT_STATED: "the evaluator is not stated",
}


class Direction(models.TextChoices):
    IMPROVED = "improved", "Improved"
    NO_CLEAR_CHANGE = "no_clear_change", "No clear change"
    DECLINED = "declined", "Declined"
    MIXED = "mixed", "Mixed"
    NOT_MEASURED = "not_measured", "Not measured"


# The highest rating each design can earn: what it could show with an independent evaluator and
# a large sample. One is taken off for each of those that is missing (never below 1 when there is
# outcome data at all).
DESIGN_CEILING = {
    Design.RANDOMISED: 5,
    Design.MATCHED_COMPARISON: 4,
    Design.BENCHMARK_COMPARISON: 3,
    Design.BEFORE_AFTER: 2,
    Design.DESCRIPTIVE: 1,
    Design.NO_OUTCOME_DATA: 0,
}
# Designs that can support a claim that the project caused a change.
CAUSAL_DESIGNS = {Design.RANDOMISED, Design.MATCHED_COMPARISON}
# A sample at or above either threshold counts as large.
LARGE_SAMPLE_SCHOOLS = 20
LARGE_SAMPLE_PUPILS = 1000


class Rating(models.IntegerChoices):
    """The rating shown on the site, from 0 to 5."""

    NONE = 0, "No outcome evidence"
    VERY_LIMITED = 1, "Very limited"
    LIMITED = 2, "Limited"
    MODERATE = 3, "Moderate"
    GOOD = 4, "Good"
    STRONG = 5, "Strong"


@dataclass(frozen=True)
class EvidenceRating:
    rating: int
    label: str
    can_show_cause: bool
    reasons: tuple[str, ...]

    @property
    def why(self) -> str:
        return " ".join(self.reasons)


def rate_evidence(*, design: str, evaluator: str, schools: int | None, pupils: int | None) -> EvidenceRating:
    """The rubric of docs/EVIDENCE.md: the design's ceiling, less one without an independent
    evaluator and less one for a small or unstated sample, never below 1 when there is data."""
    design = Design(design)
    ceiling = DESIGN_CEILING[design]
    reasons = [f"Design: {design.label.lower()}, rated at most {ceiling} ({Rating(ceiling).label.lower()})."]
    if design == Design.NO_OUTCOME_DATA:
        return EvidenceRating(0, Rating(0).label, False, tuple(reasons))
    rating = ceiling
    if evaluator == Evaluator.INDEPENDENT:
        reasons.append("Evaluated independently.")
    else:
        rating -= 1
        reasons.append(f"Not independent: {EVALUATOR_PHRASES[Evaluator(evaluator)]} (−1).")
    if schools is None and pupils is None:
        rating -= 1
        reasons.append("Sample size not stated (−1).")
    elif (schools or 0) >= LARGE_SAMPLE_SCHOOLS or (pupils or 0) >= LARGE_SAMPLE_PUPILS:
        reasons.append(f"{_sample_words(schools, pupils)}: large (at least {LARGE_SAMPLE_SCHOOLS} schools "
                       f"or {LARGE_SAMPLE_PUPILS:,} pupils).")
    else:
        rating -= 1
        reasons.append(f"{_sample_words(schools, pupils)}: small (under {LARGE_SAMPLE_SCHOOLS} schools "
                       f"and {LARGE_SAMPLE_PUPILS:,} pupils) (−1).")
    rating = max(rating, 1)
    causal = design in CAUSAL_DESIGNS
    if not causal:
        reasons.append("This design cannot show that the project caused the changes reported.")
    return EvidenceRating(rating, Rating(rating).label, causal, tuple(reasons))


def _sample_words(schools: int | None, pupils: int | None) -> str:
    parts = []
    if schools is not None:
        parts.append(f"{schools:,} school{'s' if schools != 1 else ''}")
    if pupils is not None:
        parts.append(f"{pupils:,} pupil{'s' if pupils != 1 else ''}")
    return "Sample of " + " and ".join(parts)


def project_evidence(*, project) -> EvidenceRating | None:
    """The evidence rating with its reasons, from the project's prefetched assessment (no query)."""
    assessment = getattr(project, "evidence", None)
    if assessment is None:
        return None
    return rate_evidence(design=assessment.design, evaluator=assessment.evaluator,
                         schools=assessment.sample_schools, pupils=assessment.sample_pupils)


def rating_label(rating: int | None) -> str:
    return Rating(rating).label if rating is not None else "Not rated"
