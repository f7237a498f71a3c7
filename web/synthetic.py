"""A reproducible synthetic corpus for load tests: realistic shapes, clearly marked, never mixed.

`generate_synthetic(projects=10000, seed=1)` fills an empty database (or one that already
holds synthetic data, which it replaces) with ~100 areas, the given number of projects, and
about ten cost lines, ten outcome measures and five findings per project. Every area, source and
title says "Synthetic", the data version is `synthetic-…`, and the command refuses to touch a
database holding the curated evidence; `load_evidence` replaces synthetic data wholesale.
The same seed gives the same rows.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection, transaction

from core.models import DataVersion
from core.versioning import forget_data_version
from costs.figures import CountedPer, CountUnit
from costs.models import CostCategory, CostCount, CostLine, CostTotal, FundingSource
from outcomes.evidence import Design, Direction, Evaluator, OutcomeKind
from outcomes.models import EvidenceAssessment, EvidenceType, Headline, OutcomeMeasure, PupilGroup, Unit
from projects.models import (
    Area,
    AreaKind,
    Citation,
    Delivery,
    Finding,
    FindingKind,
    Intervention,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    Phase,
    Project,
    ProjectOrganisation,
    Source,
    SourceKind,
    Theme,
)
from web.loading.finish import finish_load

SYNTHETIC_PREFIX = "synthetic-"
PROGRAMMES = ["Accelerated Reader", "Bedrock Vocabulary", "Thinking Doing Talking Science", "Maths Mastery",
              "Reciprocal Reading", "Talk for Writing", "Read Write Inc", "NELI", "Lexonik", "Power Maths",
              "Numbots", "Philosophy for Children", "Success@Arithmetic", "Fresh Start", "ELKLAN"]
ACTIVITIES = ["coaching for teachers", "network meetings for subject leads", "specialist leaders visiting schools",
              "training for teaching assistants", "standardised assessment each term", "parent workshops",
              "lesson study", "curriculum mapping", "targeted tutoring in small groups", "peer review of schools"]
PROBLEMS = ["attainment well below the national average", "a wide gap for disadvantaged pupils",
            "low reading ages on entry to secondary school", "weak progress in maths at KS2",
            "high persistent absence", "few pupils choosing science at 16", "difficulty recruiting teachers"]
CATEGORIES = [choice.value for choice in CostCategory]
FUNDING = [FundingSource.OA, FundingSource.OA, FundingSource.OA, FundingSource.MATCH_FUNDING,
           FundingSource.LOCAL_AUTHORITY]
SUBJECTS = ["maths", "reading", "writing", "phonics", "science", "rwm", "attainment8", "gld", "attendance"]
REGIONS = ["North West", "North East", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West"]


class SyntheticRefused(Exception):
    """The database holds curated evidence: synthetic data must never be mixed into it."""


def _vocabulary(name: str) -> list[dict]:
    return yaml.safe_load((Path(settings.FIXTURES_DIR) / name).read_text())


def generate_synthetic(*, projects: int = 10000, seed: int = 1, areas: int = 100) -> dict[str, int]:
    latest = DataVersion.objects.order_by("-loaded_at").first()
    curated = Project.objects.exists() and not (latest and latest.content_hash.startswith(SYNTHETIC_PREFIX))
    if curated:
        raise SyntheticRefused("This database holds the curated evidence; generate synthetic data in another "
                               "database (set DATABASE_URL), never beside the curated data.")
    rng = random.Random(seed)
    with transaction.atomic():
        _clear()
        counts = _generate(rng, projects=projects, area_count=areas)
        if connection.vendor == "postgresql":
            _reset_sequences()
        finish_load(content_hash=f"{SYNTHETIC_PREFIX}seed-{seed}-projects-{projects}", counts=counts,
                    replace_versions=True)
    forget_data_version()
    return counts


def _clear() -> None:
    for model in (Headline, EvidenceAssessment, CostCount, CostLine, CostTotal, OutcomeMeasure, Finding, Intervention,
                  ProjectOrganisation):
        model.objects.all().delete()
    Project.objects.update(parent=None)
    for model in (Project, Organisation, Citation, Source, Area, Theme, Phase):
        model.objects.all().delete()


def _reset_sequences() -> None:
    """Point each PostgreSQL id sequence past the highest id the generator wrote, never backwards:
    a sequence is not rolled back with its transaction, so lowering it could later hand out ids
    that rows restored by a rollback still hold."""
    models = [Source, Citation, Area, Theme, Phase, Organisation, Project, ProjectOrganisation, Intervention,
              Finding, CostLine, CostTotal, CostCount, OutcomeMeasure, Project.themes.through, Project.phases.through,
              Project.citations.through, CostLine.citations.through, OutcomeMeasure.citations.through,
              Finding.citations.through, Intervention.citations.through]
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT setval(seq, GREATEST((SELECT coalesce(max(id), 1) FROM {table}),"
                " coalesce(pg_sequence_last_value(seq::regclass), 1)))"
                " FROM (SELECT pg_get_serial_sequence(%s, 'id') AS seq) AS s", [table])


def _generate(rng: random.Random, *, projects: int, area_count: int) -> dict[str, int]:
    vocabulary = _vocabulary("themes.yaml")
    theme_ids = {t["slug"]: i for i, t in enumerate(vocabulary, start=1)}
    themes = [Theme(id=theme_ids[t["slug"]], parent_id=theme_ids.get(t.get("parent")),
                    **{k: v for k, v in t.items() if k != "parent"}) for t in vocabulary]
    phases = [Phase(id=i, **p) for i, p in enumerate(_vocabulary("phases.yaml"), start=1)]
    Theme.objects.bulk_create(themes)
    Phase.objects.bulk_create(phases)

    areas = [Area(id=i, slug=f"{SYNTHETIC_PREFIX}area-{i}", name=f"Synthetic Area {i}",
                  kind=AreaKind.OPPORTUNITY_AREA, region=rng.choice(REGIONS),
                  description="A synthetic area generated for load testing; not real evidence.")
             for i in range(1, area_count + 1)]
    Area.objects.bulk_create(areas)
    organisations = [Organisation(id=i, slug=f"{SYNTHETIC_PREFIX}org-{i}", name=f"Synthetic Trust {i}",
                                  kind=rng.choice(list(OrganisationKind)).value) for i in range(1, 501)]
    Organisation.objects.bulk_create(organisations)

    # One synthetic source per area; each project's sentence in it is the quote its records cite.
    sentences = {}
    project_rows, citation_rows = [], []
    for number in range(1, projects + 1):
        area = areas[(number - 1) % area_count]
        theme_sample = rng.sample(themes, rng.randint(1, 3))
        programme = rng.choice(PROGRAMMES)
        start = rng.randint(2016, 2021)
        sentence = (f"Synthetic project {number} in {area.name} used {programme} with "
                    f"{rng.choice(ACTIVITIES)} to tackle {rng.choice(PROBLEMS)}, at a cost of "
                    f"£{rng.randint(20, 2000) * 1000:,}.")
        sentences.setdefault(area.id, []).append(sentence)
        project_rows.append(Project(
            id=number, key=f"{SYNTHETIC_PREFIX}{number}", slug=f"{SYNTHETIC_PREFIX}project-{number}",
            title=f"Synthetic {theme_sample[0].name} project {number}", area_id=area.id,
            parent_id=number - 1 if number % 10 == 0 else None,
            summary=f"{programme} and {rng.choice(ACTIVITIES)} in {rng.randint(3, 40)} schools.",
            problem=f"Schools faced {rng.choice(PROBLEMS)}.", activities=rng.choice(ACTIVITIES).capitalize() + ".",
            start_year=start, end_year=start + rng.randint(1, 4),
            schools_reached=rng.randint(3, 60) if rng.random() < 0.8 else None,
            pupils_reached=rng.randint(200, 20000) if rng.random() < 0.6 else None,
            search_document=f"{sentence} {programme} {' '.join(t.name for t in theme_sample)}",
            search_names="\n".join([f"Synthetic {theme_sample[0].name} project {number}", programme,
                                    *(t.name for t in theme_sample)]),
        ))
        project_rows[-1].theme_ids = [t.id for t in theme_sample]
        project_rows[-1].phase_ids = [p.id for p in rng.sample(phases, rng.randint(1, 3))]
        project_rows[-1].programme = programme
        citation_rows.append(Citation(id=number, key=hashlib.sha1(sentence.encode()).hexdigest(),
                                      source_id=area.id, locator=f"Project {number}", quote=sentence))
    Source.objects.bulk_create([
        Source(id=area.id, key=f"{SYNTHETIC_PREFIX}source-{area.id}", title=f"Synthetic report for {area.name}",
               publisher="Synthetic data generator (not real evidence)", published=date(2022, 5, 1),
               date_precision="month", kind=SourceKind.OA_FINAL_REPORT, text="\n".join(sentences[area.id]))
        for area in areas if area.id in sentences
    ], batch_size=500)
    Citation.objects.bulk_create(citation_rows, batch_size=2000)
    # Parents first (a sub-project's parent has the lower id), so foreign keys hold on insert.
    Project.objects.bulk_create(project_rows, batch_size=1000)

    links = {"themes": [], "phases": [], "citations": []}
    roles, interventions, findings, lines, totals, outcomes = [], [], [], [], [], []
    assessments, headlines, counts = [], [], []
    cite = {"line": [], "outcome": [], "finding": [], "intervention": []}
    for project in project_rows:
        pid = project.id
        links["themes"] += [Project.themes.through(project_id=pid, theme_id=t) for t in project.theme_ids]
        links["phases"] += [Project.phases.through(project_id=pid, phase_id=p) for p in project.phase_ids]
        links["citations"].append(Project.citations.through(project_id=pid, citation_id=pid))
        for org in rng.sample(organisations, 2):
            roles.append(ProjectOrganisation(project_id=pid, organisation_id=org.id,
                                             role=rng.choice(list(OrganisationRole)).value))
        intervention_id = len(interventions) + 1
        interventions.append(Intervention(id=intervention_id, key=f"{project.key}/i", project_id=pid,
                                          name=project.programme, provider="Synthetic provider",
                                          delivery=rng.choice(list(Delivery)).value))
        cite["intervention"].append((intervention_id, pid))
        for index in range(rng.randint(3, 7)):
            finding_id = len(findings) + 1
            findings.append(Finding(id=finding_id, key=f"{project.key}/f/{index}", project_id=pid,
                                    kind=rng.choice(list(FindingKind)).value, order=index,
                                    text=f"{rng.choice(ACTIVITIES).capitalize()} helped schools with "
                                         f"{rng.choice(PROBLEMS)}; {rng.choice(PROGRAMMES)} was valued."))
            cite["finding"].append((finding_id, pid))
        start = project.start_year
        for index in range(rng.randint(6, 14)):
            line_id = len(lines) + 1
            year = start + index % max(1, project.end_year - start)
            lines.append(CostLine(id=line_id, key=f"{project.key}/c/{index}", project_id=pid, table="Project costs",
                                  description=rng.choice(["Staffing", "Training", "Resources", "Supply cover",
                                                          "Grants to schools", "Evaluation"]),
                                  category=rng.choice(CATEGORIES), period_label=f"{year}/{(year + 1) % 100:02d}",
                                  start_year=year, end_year=year + 1,
                                  amount=Decimal(rng.randint(1000, 90000)), funding_source=rng.choice(FUNDING),
                                  order=index))
            cite["line"].append((line_id, pid))
        for index in range(rng.randint(6, 14)):
            outcome_id = len(outcomes) + 1
            baseline = rng.randint(30, 80)
            national = rng.randint(50, 80)
            outcomes.append(OutcomeMeasure(
                id=outcome_id, key=f"{project.key}/o/{index}", project_id=pid, order=index,
                metric=f"Pupils reaching the expected standard ({rng.choice(SUBJECTS)})",
                subject=rng.choice(SUBJECTS), phase_id=rng.choice(project.phase_ids),
                group=rng.choice([PupilGroup.ALL, PupilGroup.ALL, PupilGroup.DISADVANTAGED]).value,
                unit=Unit.PERCENT, baseline_value=Decimal(baseline), baseline_year=str(start),
                followup_value=Decimal(baseline + rng.randint(-5, 15)), followup_year=str(project.end_year),
                comparator_label="national", comparator_baseline_value=Decimal(national),
                comparator_followup_value=Decimal(national + rng.randint(-3, 5)),
                evidence_type=rng.choice(list(EvidenceType)).value, kind=rng.choice(list(OutcomeKind)).value,
            ))
            cite["outcome"].append((outcome_id, pid))
        assessments.append(EvidenceAssessment(project_id=pid, design=rng.choice(list(Design)).value,
                                              evaluator=rng.choice(list(Evaluator)).value,
                                              sample_schools=project.schools_reached, note="Synthetic evidence."))
        headlines.append(Headline(project_id=pid, outcome_id=outcome_id, statement="Synthetic headline outcome.",
                                  direction=rng.choice([Direction.IMPROVED, Direction.MIXED,
                                                        Direction.NO_CLEAR_CHANGE, Direction.DECLINED]).value))
        if project.schools_reached:
            counts.append(CostCount(key=f"{project.key}/n", project_id=pid, unit=CountUnit.SCHOOLS,
                                    count=project.schools_reached, per=CountedPer.PROJECT, covers="synthetic schools",
                                    start_year=project.start_year, end_year=project.end_year))
    for through_rows in links.values():
        through_rows[0].__class__.objects.bulk_create(through_rows, batch_size=5000)
    for model, rows in ((ProjectOrganisation, roles), (Intervention, interventions), (Finding, findings),
                        (CostLine, lines), (CostTotal, totals), (OutcomeMeasure, outcomes),
                        (EvidenceAssessment, assessments), (Headline, headlines), (CostCount, counts)):
        model.objects.bulk_create(rows, batch_size=5000)
    for relation, model, field in (("line", CostLine, "costline_id"), ("outcome", OutcomeMeasure, "outcomemeasure_id"),
                                   ("finding", Finding, "finding_id"),
                                   ("intervention", Intervention, "intervention_id")):
        through = model.citations.through
        through.objects.bulk_create([through(**{field: record, "citation_id": citation})
                                     for record, citation in cite[relation]], batch_size=5000)
    return {"areas": len(areas), "projects": len(project_rows), "cost_lines": len(lines),
            "outcome_measures": len(outcomes), "findings": len(findings), "interventions": len(interventions),
            "organisations": len(organisations), "citations": len(citation_rows)}
