"""A project's answer to the three questions users ask: what changed, what did it cost, how sure
can we be. Built from a project fetched with `for_detail()` (or `for_list()`), with no queries,
from curated, cited records and the derived figures: it words them and invents nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.derived import Derived
from costs.figures import project_cost_figures
from outcomes.evidence import EVALUATOR_PHRASES, Direction, EvidenceRating, project_evidence
from outcomes.figures import headline_gap_change
from web.templatetags.evidence import gbp, gbp_prose


@dataclass(frozen=True)
class Verdict:
    rating: EvidenceRating | None
    direction: str
    direction_label: str
    statement: str
    gap_change: Derived | None
    plain_summary: tuple[tuple[str, str], ...]


def _cost_sentence(project) -> str:
    figures = project_cost_figures(project=project)
    total = figures["total_cost"]
    if not total.available:
        return "The documents report no costs for this project."
    covers = total.inputs.get("covers", "")
    sentence = gbp_prose(total.value) + (f", covering {covers}" if covers else "") + "."
    for name, noun in (("cost_per_school", "school"), ("cost_per_pupil", "pupil"),
                       ("cost_per_pupil_per_year", "pupil per year")):
        figure = figures[name]
        if figure.available:
            qualifier = f"{figure.qualifier} " if figure.qualifier else ""
            sentence += f" That is {qualifier}{gbp(figure.value, 2)} per {noun}."
            break
    return sentence


def _change_sentence(project) -> tuple[str, str, str, Derived | None]:
    headline = getattr(project, "headline", None)
    if headline is None:
        return Direction.NOT_MEASURED, Direction.NOT_MEASURED.label, "No headline outcome has been curated.", None
    gap = None
    if headline.outcome_id and getattr(headline, "outcome", None) is not None:
        gap = headline_gap_change(measure=headline.outcome)
    return headline.direction, headline.get_direction_display(), headline.statement_after_label, gap


def _sureness_sentence(rating: EvidenceRating | None, assessment) -> str:
    if rating is None:
        return "Not rated."
    measured = rating.measured.lower() if rating.measured else "no outcome measure recorded"
    text = (f"Evidence rating {rating.rating} of 5 ({rating.label.lower()}): "
            f"{assessment.get_design_display().lower()}; {EVALUATOR_PHRASES[assessment.evaluator]}.")
    if rating.rating:
        text += f" Measured: {measured}."
    if not rating.can_show_cause and rating.rating:
        text += " The design cannot show that the project caused the changes."
    return text


def _what_changed(direction: str, label: str, statement: str) -> str:
    """The statement, led by "Not measured." where nothing was measured, unless it already says so."""
    if direction != Direction.NOT_MEASURED or statement.lower().startswith(label.lower()):
        return statement
    return f"{label}. {statement}"


def project_verdict(*, project) -> Verdict:
    rating = project_evidence(project=project)
    assessment = getattr(project, "evidence", None)
    direction, direction_label, statement, gap = _change_sentence(project)
    plain = (
        ("What it was", project.summary),
        ("What it cost", _cost_sentence(project)),
        ("What changed", _what_changed(direction, direction_label, statement)),
        ("How sure we can be", _sureness_sentence(rating, assessment)),
    )
    return Verdict(rating, direction, direction_label, statement, gap, plain)
