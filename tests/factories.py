"""Plain builders for small, self-made data, so page, API and selector tests do not depend on what
curators put in the fixtures. Each builder writes real rows; `finish()` stores derived figures
as a load would."""

from __future__ import annotations

import itertools
from decimal import Decimal

from costs.models import CostCategory, CostLine, FundingSource
from outcomes.evidence import Design, Direction, Evaluator
from outcomes.models import EvidenceAssessment, EvidenceType, Headline, OutcomeMeasure, PupilGroup, Unit
from projects.models import Area, AreaKind, Citation, Finding, FindingKind, Phase, Project, Source, SourceKind, Theme
from projects.search import rebuild_search_index
from web.loading.finish import refresh_derived

_serial = itertools.count(1)


def source() -> Source:
    number = next(_serial)
    return Source.objects.create(key=f"factory-source-{number}", title=f"Factory source {number}",
                                 publisher="Tests", date_precision="unknown", kind=SourceKind.PROJECT_REPORT,
                                 text="A quote.")


def citation(cited_source: Source | None = None) -> Citation:
    number = next(_serial)
    return Citation.objects.create(key=f"factory-citation-{number}", source=cited_source or source(),
                                   locator="Section 1", quote="A quote.")


def area(**values) -> Area:
    number = next(_serial)
    return Area.objects.create(**{"slug": f"factory-area-{number}", "name": f"Factory area {number}",
                                  "kind": AreaKind.OPPORTUNITY_AREA, **values})


def project(in_area: Area, *, lines: int = 2, outcomes: int = 2, findings: int = 2, **values) -> Project:
    """A project with cost lines, outcome measures, findings, an evidence assessment and a headline,
    each with a citation, tagged with an existing theme and phase."""
    number = next(_serial)
    made = Project.objects.create(**{"key": f"factory-project-{number}", "slug": f"factory-project-{number}",
                                     "title": f"Factory project {number}", "area": in_area,
                                     "summary": "A project made by a test.", "start_year": 2019, "end_year": 2021,
                                     "search_document": f"Factory project {number}",
                                     "search_names": f"Factory project {number}", **values})
    made.themes.add(Theme.objects.order_by("slug").first())
    made.phases.add(Phase.objects.order_by("order").first())
    quote = citation()
    made.citations.add(quote)
    for index in range(lines):
        line = CostLine.objects.create(key=f"{made.key}/cost/{index}", project=made, table="Costs",
                                       description=f"Line {index}", category=CostCategory.STAFFING,
                                       period_label="2019/20", amount=Decimal("1000") * (index + 1),
                                       funding_source=FundingSource.OA, order=index)
        line.citations.add(quote)
    measures = []
    for index in range(outcomes):
        measure = OutcomeMeasure.objects.create(
            key=f"{made.key}/outcome/{index}", project=made, metric=f"Measure {index}", group=PupilGroup.ALL,
            unit=Unit.PERCENT, baseline_value=Decimal("50"), followup_value=Decimal("55"),
            comparator_label="national", comparator_baseline_value=Decimal("60"),
            comparator_followup_value=Decimal("61"), evidence_type=EvidenceType.NATIONAL_STATISTICS, order=index)
        measure.citations.add(quote)
        measures.append(measure)
    for index in range(findings):
        finding = Finding.objects.create(key=f"{made.key}/finding/{index}", project=made,
                                         kind=FindingKind.LESSON, text=f"Finding {index}", order=index)
        finding.citations.add(quote)
    EvidenceAssessment.objects.create(project=made, design=Design.BEFORE_AFTER, evaluator=Evaluator.INDEPENDENT,
                                      note="Made by a test.").citations.add(quote)
    Headline.objects.create(project=made, outcome=measures[0] if measures else None,
                            direction=Direction.IMPROVED if measures else Direction.NOT_MEASURED,
                            statement="Made by a test.").citations.add(quote)
    return made


def finish() -> None:
    """What every load does after writing rows: store derived figures, ratings and documents, index for search."""
    refresh_derived()
    rebuild_search_index(Project.objects.all())
