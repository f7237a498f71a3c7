"""Our own public text never says a project caused a change its evidence cannot show.

For every project whose design is not causal (outcomes/evidence.py CAUSAL_DESIGNS), each sentence
of the text we wrote — summaries, problems, activities, finding titles and texts, intervention
descriptions, outcome notes, evidence notes, headlines, what the money covers — is checked for
causal phrases. A sentence that attributes the claim ("The report says …", "Schools reported …")
passes, and so does text in quotation marks or a finding that is the document's own words."""

import re

import pytest

from costs.models import CostBasis, CostCount
from outcomes.evidence import CAUSAL_DESIGNS
from outcomes.models import EvidenceAssessment, Headline, OutcomeMeasure
from projects.models import Finding, Intervention, Project

pytestmark = pytest.mark.django_db

# A doer of the work: the project, its parts, and what it delivered.
DOER = (r"(?:project|programme|partnerships?|training|CPD|workshops?|support|intervention|hubs?|course|"
        r"sessions?|fund|work|approach|team|SLEs?|coaching|mentoring|expertise|networks?|resources|it)")
CAUSAL = [
    r"\bas a result of\b",
    r"\bled to\b",
    r"\bresulted in\b",
    r"\bcaused\b",
    r"\braised\b",
    r"\bincreased (?:\w+ ){0,3}confidence\b",
    r"\b(?:positive|huge|significant|proportionate) impact\b",
    r"\bimpact on\b",
    r"\bthanks to\b",
    rf"\b{DOER},? (?:that |which )?(?:has |have |had )?(?:improved|increased|raised|boosted|transformed)\b",
]
CAUSAL_RE = re.compile("|".join(CAUSAL), re.IGNORECASE)
# Whose claim it is: the report, the evaluators, the schools, a participant.
ATTRIBUTED_RE = re.compile(
    r"\b(?:says?|said|reports?|reported|reporting|according to|feels?|felt|believes?|believed|views?|"
    r"describes?|described|told|finds|found|considers?|considered|thought|claims?|claimed|states?|stated|"
    r"judged|concludes?|concluded|suggests?|suggested|credits?|credited)\b",
    re.IGNORECASE)
QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;!?])\s+", text) if s]


def causal_claims(text: str, quotes: list[str] = ()) -> list[str]:
    """The sentences of `text` that state cause in our own voice."""
    if not text or any(text.strip() in quote for quote in quotes):
        return []  # the document's own words, cited
    found = []
    for sentence in _sentences(QUOTED_RE.sub("", text)):
        if CAUSAL_RE.search(sentence) and not ATTRIBUTED_RE.search(sentence):
            found.append(sentence)
    return found


def public_texts():
    """(project slug, field, text, quotes of its record) for every text we wrote that pages show."""
    slugs = set(EvidenceAssessment.objects.exclude(design__in=CAUSAL_DESIGNS).values_list("project__slug", flat=True))
    for p in Project.objects.filter(slug__in=slugs):
        for name in ("title", "summary", "problem", "activities", "reach_note"):
            yield p.slug, name, getattr(p, name), []
    for f in Finding.objects.filter(project__slug__in=slugs).select_related("project").prefetch_related("citations"):
        quotes = [c.quote for c in f.citations.all()]
        yield f.project.slug, f"finding {f.title!r} title", f.title, quotes
        yield f.project.slug, f"finding {f.title!r} text", f.text, quotes
    for i in Intervention.objects.filter(project__slug__in=slugs).select_related("project"):
        yield i.project.slug, f"intervention {i.name!r}", i.description, []
    for m in OutcomeMeasure.objects.filter(project__slug__in=slugs).select_related("project"):
        yield m.project.slug, f"outcome {m.metric!r} note", m.note, []
    for e in EvidenceAssessment.objects.filter(project__slug__in=slugs).select_related("project"):
        yield e.project.slug, "evidence note", e.note, []
    for h in Headline.objects.filter(project__slug__in=slugs).select_related("project"):
        yield h.project.slug, "headline", h.statement, []
    for b in CostBasis.objects.filter(project__slug__in=slugs).select_related("project"):
        yield b.project.slug, "money covers", b.covers, []
        yield b.project.slug, "money note", b.note, []
    for c in CostCount.objects.filter(project__slug__in=slugs).select_related("project"):
        yield c.project.slug, "count covers", c.covers, []


def test_no_public_text_states_cause_for_a_design_that_cannot_show_it():
    problems = [f"{slug}, {field}: {sentence}"
                for slug, field, text, quotes in public_texts()
                for sentence in causal_claims(text, quotes)]
    assert not problems, "causal wording in our own text:\n" + "\n".join(problems)


@pytest.mark.parametrize("text", [
    "As a result of the project, employers better understood the needs of pupils.",
    "Workshops increased confidence",
    "Positive impact on retention",
    "The project raised the profile of disadvantaged pupils.",
    "Training led to better lessons.",
    "The programme improved teaching.",
])
def test_causal_phrases_are_caught(text):
    assert causal_claims(text)


@pytest.mark.parametrize("text", [
    "The report says the project raised the profile of disadvantaged pupils.",
    "Schools reported that the workshops increased confidence.",
    "A parent said it “has had a huge impact on her social and emotional development”.",
    "Raising the proportion of KS2 pupils reaching Level 4 was a priority.",
    "Pupils' reading ages improved from 9.1 to 10.2 years.",
    "Ofsted inspections of supported schools resulting in an improved outcome",
])
def test_attributed_quoted_or_descriptive_text_passes(text):
    assert not causal_claims(text)
