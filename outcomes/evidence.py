"""How strong is the evidence that a project changed anything: the rubric of docs/EVIDENCE.md.

Curators record the inputs for every project, each with citations: the evaluation's design,
who evaluated it, and the sample; every outcome measure has a kind (what it counts), derived
from its fields or stated in its fixture. The rating is computed here from those inputs and
nowhere else; it is never typed into a fixture.
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


# The highest rating each design can earn (the *how*): what it could show with an independent
# evaluator and a large sample. The measures' kinds (the *what*) set a second ceiling.
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


class OutcomeKind(models.TextChoices):
    """What a measure counts: the *what* of the evidence, beside the design's *how*."""

    ATTAINMENT = "attainment", "Attainment"
    BEHAVIOUR_ATTENDANCE = "behaviour_attendance", "Behaviour and attendance"
    PERCEPTION = "perception", "Perceptions (surveys and self-report)"
    OTHER = "other", "Other outcomes"
    PARTICIPATION = "participation", "Participation and reach"


# The highest rating each kind of measure can support, whatever the design: a pupil outcome
# (results, behaviour, attendance) can show change; what people said or a school-level judgement
# is a step removed; a count of who took part or what was delivered says nothing about change.
KIND_CEILING = {
    OutcomeKind.ATTAINMENT: 5,
    OutcomeKind.BEHAVIOUR_ATTENDANCE: 5,
    OutcomeKind.PERCEPTION: 2,
    OutcomeKind.OTHER: 2,
    OutcomeKind.PARTICIPATION: 1,
}
# What each kind covers, in the words the rubric page and docs/EVIDENCE.md use.
KIND_COVERS = {
    OutcomeKind.ATTAINMENT: "Test and exam results: national statistics (phonics check, KS2, GCSE, EYFS), "
                            "standardised tests, pupils on track or at expected standard",
    OutcomeKind.BEHAVIOUR_ATTENDANCE: "Pupils' school attendance, absence and exclusions",
    OutcomeKind.PERCEPTION: "What pupils, staff or schools said: surveys, self-assessment, reported impact",
    OutcomeKind.OTHER: "Other outcomes for schools, staff or pupils: Ofsted judgements, progression to further "
                       "study, wellbeing scores",
    OutcomeKind.PARTICIPATION: "Who took part or what was delivered: schools engaged, people trained, sessions, "
                               "days of support",
}
# A project with outcome data but no outcome measure recorded (its documents give words, no figures).
NO_MEASURE_CEILING = 1
PUPIL_OUTCOME_KINDS = {OutcomeKind.ATTAINMENT, OutcomeKind.BEHAVIOUR_ATTENDANCE}

# The fields that decide a measure's kind when the fixture does not state it (first match wins).
# Measures these cannot decide (a monitoring percentage, say) carry `kind:` in their fixture.
BEHAVIOUR_SUBJECTS = {"attendance", "exclusions"}
REACH_UNITS = {"count", "pupils", "schools", "days"}


def derive_outcome_kind(*, unit: str, evidence_type: str, subject: str) -> str | None:
    """The kind that a measure's unit, evidence type and subject fix, or None when they do not:
    surveys and self-assessment are perceptions; attendance and exclusions are behaviour; counts
    from monitoring data are participation and reach; inspections are other outcomes; national
    statistics and standardised assessments are attainment."""
    if evidence_type in ("survey", "self_assessment"):
        return OutcomeKind.PERCEPTION
    if subject in BEHAVIOUR_SUBJECTS:
        return OutcomeKind.BEHAVIOUR_ATTENDANCE
    if unit in REACH_UNITS and evidence_type == "monitoring_data":
        return OutcomeKind.PARTICIPATION
    if evidence_type == "inspection" or subject == "ofsted":
        return OutcomeKind.OTHER
    if evidence_type in ("national_statistics", "standardised_assessment"):
        return OutcomeKind.ATTAINMENT
    return None


def ordered_kinds(kinds) -> list[str]:
    """The distinct kinds in the order of OutcomeKind (strongest first)."""
    present = {str(kind) for kind in kinds}
    return [kind.value for kind in OutcomeKind if kind.value in present]


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
    design: str = ""
    kinds: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        return " ".join(self.reasons)

    @property
    def design_label(self) -> str:
        return Design(self.design).label if self.design else ""

    @property
    def kind_labels(self) -> list[str]:
        return [OutcomeKind(kind).label for kind in self.kinds]

    @property
    def measured(self) -> str:
        """What was measured, in words ("Attainment, participation and reach"), or ""."""
        text = ", ".join(label.lower() for label in self.kind_labels)
        return text[:1].upper() + text[1:]


def rate_evidence(*, design: str, evaluator: str, schools: int | None, pupils: int | None,
                  kinds) -> EvidenceRating:
    """The rubric of docs/EVIDENCE.md: the lower of the design's ceiling (how) and the ceiling of
    the strongest kind of measure (what), less points for missing safeguards (an independent
    evaluator, a large sample), never below 1 when there is data. `kinds`: the kinds of the
    project's outcome measures."""
    design = Design(design)
    kinds = tuple(ordered_kinds(kinds))
    ceiling = DESIGN_CEILING[design]
    reasons = [f"How: {design.label.lower()}, rated at most {ceiling} ({Rating(ceiling).label.lower()})."]
    if design == Design.NO_OUTCOME_DATA:
        return EvidenceRating(0, Rating(0).label, False, tuple(reasons), design.value, kinds)
    reasons.append(_what_reason(kinds))
    what_ceiling = max((KIND_CEILING[OutcomeKind(kind)] for kind in kinds), default=NO_MEASURE_CEILING)
    rating = min(ceiling, what_ceiling)
    causal = design in CAUSAL_DESIGNS

    missing = []
    if evaluator == Evaluator.INDEPENDENT:
        reasons.append("Evaluated independently.")
    else:
        missing.append(f"the evaluation is not independent ({EVALUATOR_PHRASES[Evaluator(evaluator)]})")
    if schools is None and pupils is None:
        missing.append("the sample size is not stated")
    elif (schools or 0) >= LARGE_SAMPLE_SCHOOLS or (pupils or 0) >= LARGE_SAMPLE_PUPILS:
        reasons.append(f"{_sample_words(schools, pupils)}: large (at least {LARGE_SAMPLE_SCHOOLS} schools "
                       f"or {LARGE_SAMPLE_PUPILS:,} pupils).")
    else:
        missing.append(f"the {_sample_words(schools, pupils).lower()} is small (under {LARGE_SAMPLE_SCHOOLS} "
                       f"schools and {LARGE_SAMPLE_PUPILS:,} pupils)")
    # A design that can show cause loses a point for each missing safeguard (a small or self-run
    # trial can mislead about cause). Any other design is already held down by its ceiling: it
    # loses one point only when both safeguards are missing.
    penalty = len(missing) if causal else (1 if len(missing) == 2 else 0)
    if causal:
        reasons.extend(f"{problem[0].upper()}{problem[1:]} (−1)." for problem in missing)
    elif penalty:
        reasons.append(f"Neither safeguard holds: {missing[0]}, and {missing[1]} (−1).")
    elif missing:
        reasons.append(f"{missing[0][0].upper()}{missing[0][1:]}; the other safeguard holds, so nothing is taken off.")
    if rating - penalty < 1:
        reasons.append("A project with outcome data never rates below 1.")
    rating = max(rating - penalty, 1)
    causal = causal and bool(set(kinds) - {OutcomeKind.PARTICIPATION})
    if not causal:
        reasons.append("This design cannot show that the project caused the changes reported.")
    return EvidenceRating(rating, Rating(rating).label, causal, tuple(reasons), design.value, kinds)


def _what_reason(kinds: tuple[str, ...]) -> str:
    if not kinds:
        return (f"What: no outcome measure is recorded (the documents give words, not figures), "
                f"rated at most {NO_MEASURE_CEILING}.")
    strongest = OutcomeKind(kinds[0])
    names = ", ".join(OutcomeKind(kind).label.lower() for kind in kinds)
    if strongest == OutcomeKind.PARTICIPATION:
        return (f"What: participation and reach only (who took part or what was delivered, not what changed), "
                f"rated at most {KIND_CEILING[strongest]}.")
    return f"What: {names}; the strongest, {strongest.label.lower()}, allows at most {KIND_CEILING[strongest]}."


def _sample_words(schools: int | None, pupils: int | None) -> str:
    parts = []
    if schools is not None:
        parts.append(f"{schools:,} school{'s' if schools != 1 else ''}")
    if pupils is not None:
        parts.append(f"{pupils:,} pupil{'s' if pupils != 1 else ''}")
    return "Sample of " + " and ".join(parts)


def project_evidence(*, project) -> EvidenceRating | None:
    """The evidence rating with its reasons, from the project's prefetched assessment and the
    kinds stored with its figures (`with_figures()`: no query)."""
    assessment = getattr(project, "evidence", None)
    if assessment is None:
        return None
    return rate_evidence(design=assessment.design, evaluator=assessment.evaluator,
                         schools=assessment.sample_schools, pupils=assessment.sample_pupils,
                         kinds=project.outcome_kinds or ())


def rating_label(rating: int | None) -> str:
    return Rating(rating).label if rating is not None else "Not rated"
