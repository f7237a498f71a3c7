"""The data dictionary: every field of every export, what it means and its unit.

Served as JSON at /api/v1/dictionary/ (linked from the API docs). A test checks that
every CSV column of every endpoint is described here, so an export cannot gain an
undocumented column.
"""

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from costs.figures import CostBand
from costs.models import CostCount, CostLine, CostTotal
from outcomes.evidence import Direction
from outcomes.figures import COMPARATOR_COVERAGE_HELP
from outcomes.models import EvidenceAssessment, Headline, OutcomeMeasure
from projects.models import (
    Area,
    AreaFigure,
    Citation,
    Finding,
    Intervention,
    Organisation,
    Phase,
    Project,
    ProjectFigures,
    ProjectOrganisation,
    Qualifier,
    Source,
    Theme,
)

PROVENANCE = {
    "citations": ("", "The quotes the record is taken from (JSON): source key, source title, locator, quote."),
    "source_keys": ("", "CSV: the source document keys of the record's citations, separated by ' | ' (the data "
                        "package's record_citations and citations tables hold them one per row)."),
    "source_locators": ("", "CSV: the section or table of each citation, in the same order, separated by ' | '."),
    "source_quotes": ("", "CSV: the verbatim quote of each citation, in the same order, separated by ' | '."),
}

DICTIONARY = {
    "projects": {
        "slug": ("", "Stable identifier of the project."),
        "title": ("", "The project's name as the source gives it."),
        "area": ("", "Slug of the area (Opportunity Area, local authority, or 'unspecified')."),
        "area_name": ("", "Name of the area."),
        "parent": ("", "Slug of the parent project, for sub-projects; empty otherwise."),
        "start_year": ("year", "Calendar year the project started (academic 2018/19 → 2018)."),
        "end_year": ("year", "Calendar year the project ended (academic 2020/21 → 2021)."),
        "schools_reached": ("schools", "Schools reached, as reported."),
        "pupils_reached": ("pupils", "Pupils reached, as reported."),
        "themes": ("", "Theme slugs (CSV: separated by '; '; for analysis, the data package's project_themes "
                       "table has one row per project and theme)."),
        "phases": ("", "Phase slugs: early_years, ks1, ks2, ks3, ks4, post16 (CSV: separated by '; '; the data "
                       "package's project_phases table has one row per pair)."),
        "total_cost": ("GBP", "Derived: the money the project's figures divide: the sum of its cost lines (and its "
                              "sub-projects'), or the totals the document states, as the curators chose and the "
                              "project page shows ('covers'). Empty when not derivable."),
        "total_cost_note": ("", "Why total_cost is empty (e.g. the document's own total does not equal its lines)."),
        "oa_cost": ("GBP", "Derived: OA funding within that money: the OA total the document states, else the sum "
                           "of OA-funded lines; empty when the documents do not say who paid for some lines."),
        "oa_cost_note": ("", "Why oa_cost is empty."),
        "match_funding": ("GBP", "Derived: match funding, by the same rule as oa_cost."),
        "match_funding_note": ("", "Why match_funding is empty."),
        "cost_per_school": ("GBP", "Derived: money ÷ schools, only when a curated count of schools covers the same "
                                   "people and period as the money."),
        "cost_per_school_note": ("", "A qualifier ('about', 'at most') from a qualified count, or why the figure "
                                     "is not derivable."),
        "cost_per_pupil": ("GBP", "Derived: money ÷ pupils counted over the same people and period."),
        "cost_per_pupil_note": ("", "A qualifier, or why the figure is not derivable."),
        "cost_per_pupil_per_year": ("GBP", "Derived: money ÷ years ÷ pupils in a year (or money ÷ pupils when the "
                                           "money covers one year); never pupils counted over a project's life."),
        "cost_per_pupil_per_year_note": ("", "A qualifier, or why the figure is not derivable."),
        "cost_band": ("", "Derived: EEF Toolkit cost band of the cost per pupil per year: very_low (under £80), "
                          "low (up to £200), moderate (up to £720), high (up to £1,200), very_high (over £1,200)."),
        "cost_band_note": ("", "A qualifier, or why no band can be given."),
        "evidence_rating": ("0–5", "Computed by the rubric (docs/EVIDENCE.md) from the curated design, evaluator "
                                   "and sample and the kinds of the outcome measures: 0 no outcome evidence … "
                                   "5 strong."),
        "evidence_rating_label": ("", "The rating in words."),
        "evidence_design": ("", "randomised, matched_comparison, benchmark_comparison, before_after, descriptive, "
                                "no_outcome_data."),
        "evidence_evaluator": ("", "independent, delivery_team or not_stated."),
        "evidence_why": ("", "Why the project has its rating, step by step."),
        "headline_direction": ("", "What changed on the headline outcome: improved, no_clear_change, declined, "
                                   "mixed, not_measured. Describes the figures, not a cause."),
        "headline_statement": ("", "The headline outcome in one line, written by the curators from cited figures."),
        "has_comparator_outcome": ("", "True when at least one outcome is measured against a comparator."),
        "comparator_coverage": ("", "Where the outcomes have a comparator value. " + COMPARATOR_COVERAGE_HELP),
        "summary": ("", "A summary written by the curators."),
        "web_url": ("", "The project's page on this site."),
        **PROVENANCE,
    },
    "outcomes": {
        "id": ("", "Identifier of the measure (stable while the fixtures keep its position)."),
        "project": ("", "Slug of the project."),
        "area": ("", "Slug of the project's area."),
        "metric": ("", "What was measured, e.g. 'Pupils reaching the expected standard in maths at KS2'."),
        "subject": ("", "Subject in lower case (maths, reading, writing, phonics, attainment8, ofsted, …)."),
        "phase": ("", "Phase slug, or empty."),
        "group": ("", "Pupil group: all, disadvantaged, non_disadvantaged, fsm, non_fsm, send, eal, boys, girls, "
                      "schools, teachers, other."),
        "unit": ("", "Unit of the values: percent, percentage_points, sas_points, attainment8_points, progress8, "
                     "count, schools, pupils, ofsted_grade, days, other."),
        "baseline_value": ("unit", "Reported value at baseline."),
        "baseline_year": ("", "Year (or period) of the baseline, as written."),
        "followup_value": ("unit", "Reported value at follow-up; empty for a single reported value."),
        "followup_year": ("", "Year (or period) of the follow-up, as written."),
        "comparator_label": ("", "What the values are compared with, e.g. 'national'."),
        "comparator_baseline_value": ("unit", "Reported comparator value at baseline."),
        "comparator_followup_value": ("unit", "Reported comparator value at follow-up."),
        "change": ("unit (points for percent)", "Derived: follow-up − baseline."),
        "gap_before": ("unit", "Derived: baseline − comparator at baseline."),
        "gap_after": ("unit", "Derived: follow-up − comparator at follow-up."),
        "reported_change": ("reported_change_unit", "A change the document reports without the values either side "
                                                    "of it (then baseline and follow-up are empty); negative for a "
                                                    "decrease."),
        "reported_change_unit": ("", "Unit of the reported change: percent (a % change as the document states it, "
                                     "e.g. '18% increase'; not percentage points), percentage_points, or points "
                                     "(on the measure's own scale)."),
        "reported_change_period": ("", "The period the reported change covers, as written."),
        "reported_change_text": ("", "The reported change in words, e.g. 'decreased by 8.5 points'."),
        "comparator_reported_change": ("reported_change_unit", "The comparator's reported change, in the same "
                                                               "unit; negative for a decrease."),
        "evidence_type": ("", "national_statistics, standardised_assessment, independent_evaluation, survey, "
                              "self_assessment, inspection, monitoring_data."),
        "kind": ("", "What the measure counts (docs/EVIDENCE.md): attainment, behaviour_attendance, perception, "
                     "other, participation. Derived from unit, evidence type and subject unless curated."),
        "note": ("", "What the figure covers, and caveats."),
        **PROVENANCE,
    },
    "costs": {
        "id": ("", "Identifier of the cost line."),
        "project": ("", "Slug of the project."),
        "area": ("", "Slug of the project's area."),
        "table": ("", "The cost table (or paragraph) as the document labels it."),
        "description": ("", "The row label as written."),
        "category": ("", "staffing, training, resources, school_grants, management, evaluation, other."),
        "period": ("", "The period as written, e.g. 'Years 1-3 2017/20'."),
        "start_year": ("year", "Calendar year the period starts."),
        "end_year": ("year", "Calendar year the period ends."),
        "amount": ("GBP", "Reported amount, exactly as written."),
        "funding_source": ("", "oa, match_funding, local_authority, school, other, mixed (OA and match not split)."),
        **PROVENANCE,
    },
    "areas": {
        "slug": ("", "Stable identifier."), "name": ("", "Name."),
        "kind": ("", "opportunity_area, local_authority or unspecified."), "region": ("", "Region of England."),
        "description": ("", "Short description."), "project_count": ("projects", "Projects recorded."),
        "web_url": ("", "The area's page on this site."),
    },
    "themes": {
        "slug": ("", "Stable identifier."), "name": ("", "Name."), "description": ("", "What it covers."),
        "parent": ("", "Slug of the broader theme it belongs to (phonics → literacy); empty for a top-level theme."),
        "children": ("", "Slugs of its sub-themes (CSV: separated by '; ')."),
        "project_count": ("projects", "Projects with this theme or one of its sub-themes, each counted once."),
    },
    "phases": {
        "slug": ("", "early_years, ks1, ks2, ks3, ks4, post16."), "name": ("", "Name."),
        "order": ("", "Position from youngest to oldest."), "description": ("", "Ages and years."),
        "project_count": ("projects", "Projects in this phase."),
    },
    "organisations": {
        "slug": ("", "Stable identifier."), "name": ("", "Name as written."),
        "kind": ("", "mat, charity, university, local_authority, nhs_trust, teaching_school, maths_hub, company, "
                     "school, government, other."),
        "project_count": ("projects", "Projects it took part in."),
    },
    "sources": {
        "key": ("", "The source file name; cite it as the source of a figure."), "title": ("", "Title."),
        "publisher": ("", "Publisher or author."), "published": ("date", "Publication date, if stated."),
        "date_precision": ("", "day, month, year or unknown: how much of the date is known."),
        "kind": ("", "insight_guide, evaluation_report, project_report, local_authority_report, oa_final_report."),
        "summary": ("", "What is in it."), "citation_count": ("quotes", "Quotes taken from it."),
        "web_url": ("", "The source's page on this site."),
    },
}


def _from(endpoint: str, *names: str, kind: str = "string") -> dict[str, tuple[str, str, str]]:
    """Fields of the package described as the API's dictionary describes them, with its units."""
    return {name: (kind, DICTIONARY[endpoint][name][1], _package_unit(DICTIONARY[endpoint][name][0]))
            for name in names}


def _own(kind: str, description: str, unit: str = "") -> tuple[str, str, str]:
    return (kind, description, unit)


def _renamed(kind: str, endpoint: str, name: str) -> tuple[str, str, str]:
    """A field the package renames because its API name is an SQL keyword (table, group, order)."""
    unit, description = DICTIONARY[endpoint][name]
    return (kind, f"{description} (`{name}` in the API; renamed so SQL needs no quoting.)", _package_unit(unit))


def _package_unit(unit: str) -> str:
    # The API dictionary's "unit" means the unit named in the row's own unit field.
    return "the row's unit field" if unit.startswith("unit") else unit


NOTE = "A qualifier ('about', 'at most') when the figure has a value, else why it is not derivable."

# The open-data package (web/export.py): every table's fields, with their Table Schema types.
# These tidy tables, joined by keys, are the analyst's path; the API's CSV joins multi-valued
# fields with '; ' for spreadsheets instead.
PACKAGE_FIELDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "areas": _from("areas", "slug", "name", "kind", "region", "description"),
    "themes": _from("themes", "slug", "name", "description", "parent"),
    "phases": {**_from("phases", "slug", "name"), "position": _renamed("integer", "phases", "order"),
               **_from("phases", "description")},
    "organisations": _from("organisations", "slug", "name", "kind"),
    "sources": {**_from("sources", "key", "title", "publisher"), "published": _own("date", "Publication date, if "
                "stated."), **_from("sources", "date_precision", "kind"), "url": _own("string", "Where the "
                "document is published, when it says."), **_from("sources", "summary")},
    "citations": {"id": _own("integer", "Identifier of the quote."), "source": _own("string", "Key of the source "
                  "document."), "locator": _own("string", "The section or table, as the document names it."),
                  "quote": _own("string", "The verbatim quote.")},
    "projects": {**_from("projects", "slug", "title", "area", "parent", "summary"),
                 "problem": _own("string", "The problem the project addressed, in the curators' words."),
                 "activities": _own("string", "What was done, in the curators' words."),
                 **_from("projects", "start_year", "end_year", "schools_reached", "pupils_reached", kind="integer"),
                 "reach_note": _own("string", "What the reach figures count.")},
    "project_themes": {"project": _own("string", "Slug of the project."), "theme": _own("string", "Slug of a theme.")},
    "project_phases": {"project": _own("string", "Slug of the project."), "phase": _own("string", "Slug of a phase.")},
    "project_organisations": {"project": _own("string", "Slug of the project."),
                              "organisation": _own("string", "Slug of the organisation."),
                              "role": _own("string", "lead, delivery_partner, evaluator or funder.")},
    "interventions": {"id": _own("integer", "Identifier."), "project": _own("string", "Slug of the project."),
                      "name": _own("string", "The programme's name."), "provider": _own("string", "Who provides it."),
                      "delivery": _own("string", "universal, targeted or unknown."),
                      "description": _own("string", "What it is.")},
    "findings": {"id": _own("integer", "Identifier."), "project": _own("string", "Slug of the project."),
                 "kind": _own("string", "key_ingredient, lesson, challenge, sustainability, benefit, good_practice, "
                              "do_differently, recommendation, methodology or context."),
                 "title": _own("string", "Short title."), "text": _own("string", "The finding.")},
    "cost_lines": {"id": _own("integer", "Identifier of the cost line."), **_from("costs", "project"),
                   "cost_table": _renamed("string", "costs", "table"),
                   **_from("costs", "description", "category", "period"),
                   **_from("costs", "start_year", "end_year", kind="integer"),
                   "amount": _own("number", DICTIONARY["costs"]["amount"][1], "GBP"),
                   **_from("costs", "funding_source")},
    "cost_totals": {"id": _own("integer", "Identifier."), "project": _own("string", "Slug of the project."),
                    "cost_table": _own("string", "The table it belongs to (`table` in the API; renamed so SQL needs no "
                                       "quoting)."), "label": _own("string", "As written."),
                    "kind": _own("string", "total, per_school, per_pupil, per_beneficiary, per_school_min, "
                                 "per_school_max or per_school_mean."),
                    "amount": _own("number", "The stated figure (GBP).", "GBP"),
                    "period": _own("string", "As written."),
                    "discrepancy": _own("string", "Where the document's own lines do not add up to it: how.")},
    "cost_counts": {"id": _own("integer", "Identifier."), "project": _own("string", "Slug of the project."),
                    "unit": _own("string", "schools or pupils."),
                    "count": _own("integer", "The count, as stated.", "the row's unit field"),
                    "per": _own("string", "project (over the money's period) or year (in one year)."),
                    "covers": _own("string", "Whom and when it counts."), "cohorts": _own("string", "Cohort tag."),
                    "start_year": _own("integer", "First year it covers.", "year"),
                    "end_year": _own("integer", "Last year it covers.", "year"),
                    "qualifier": _own("string", "about, over, up_to or at_least, as the document says.")},
    "derived_figures": {"project": _own("string", "Slug of the project."),
                        **{name: field for figure in ("total_cost", "oa_cost", "match_funding", "cost_per_school",
                                                      "cost_per_pupil", "cost_per_pupil_per_year")
                           for name, field in ((figure, _from("projects", figure, kind="number")[figure]),
                                               (f"{figure}_note", _own("string", NOTE)))},
                        **_from("projects", "cost_band", "cost_band_note"),
                        "evidence_rating": _from("projects", "evidence_rating", kind="integer")["evidence_rating"],
                        **_from("projects", "evidence_rating_label", "evidence_why", "headline_direction")},
    "outcome_measures": {"id": _own("integer", "Identifier of the measure."), **_from("outcomes", "project",
                         "metric", "subject", "phase"), "pupil_group": _renamed("string", "outcomes", "group"),
                         **_from("outcomes", "unit"), **_from("outcomes", "baseline_value", kind="number"),
                         **_from("outcomes", "baseline_year"), **_from("outcomes", "followup_value", kind="number"),
                         **_from("outcomes", "followup_year", "comparator_label"),
                         **_from("outcomes", "comparator_baseline_value", "comparator_followup_value", "change",
                                 "gap_before", "gap_after", "reported_change", kind="number"),
                         **_from("outcomes", "reported_change_unit", "reported_change_period", "reported_change_text"),
                         **_from("outcomes", "comparator_reported_change", kind="number"),
                         **_from("outcomes", "evidence_type", "kind", "note")},
    "evidence_assessments": {"project": _own("string", "Slug of the project."),
                             "design": _own("string", DICTIONARY["projects"]["evidence_design"][1]),
                             "evaluator": _own("string", DICTIONARY["projects"]["evidence_evaluator"][1]),
                             "evaluator_name": _own("string", "The evaluator, as named."),
                             "sample_schools": _own("integer", "Schools whose outcomes were measured, as stated.",
                                                    "schools"),
                             "sample_pupils": _own("integer", "Pupils whose outcomes were measured, as stated.",
                                                   "pupils"),
                             "note": _own("string", "What the outcome evidence is, and its limits.")},
    "headlines": {"project": _own("string", "Slug of the project."),
                  "outcome": _own("integer", "Id of the outcome measure it describes; empty when not measured."),
                  "direction": _own("string", DICTIONARY["projects"]["headline_direction"][1]),
                  "statement": _own("string", DICTIONARY["projects"]["headline_statement"][1])},
    "area_figures": {"id": _own("integer", "Identifier."), "area": _own("string", "Slug of the area."),
                     "label": _own("string", "What the figure counts, in the document's words."),
                     "value": _own("number", "The figure, as written.", "the row's unit field"),
                     "unit": _own("string", "money, pupils, schools, settings, people, projects, percent or count."),
                     "qualifier": _own("string", "about, over, up_to or at_least, as the document says."),
                     "period": _own("string", "As written."), "note": _own("string", "What it covers.")},
    "record_citations": {"record_table": _own("string", "The table of the record (projects.reach: a project's "
                                                        "reach figures)."),
                         "record_id": _own("string", "The record's key in that table (id or slug)."),
                         "citation": _own("integer", "Id of a quote in citations.")},
}


# What one row of each package table is.
PACKAGE_TABLES: dict[str, str] = {
    "areas": "One row per area: an Opportunity Area, a local authority, or 'unspecified'.",
    "themes": "One row per theme; a sub-theme names its broader theme in parent.",
    "phases": "One row per school phase, from early years to post-16.",
    "organisations": "One row per organisation named in a project: trusts, charities, universities, councils.",
    "sources": "One row per published document the evidence is quoted from.",
    "citations": "One row per verbatim quote from a source document, with where in it the quote is.",
    "projects": "One row per project (sub-projects name their parent), as the curators recorded it.",
    "project_themes": "One row per project and theme it is about.",
    "project_phases": "One row per project and school phase it worked in.",
    "project_organisations": "One row per organisation's role in a project.",
    "interventions": "One row per named programme a project used.",
    "findings": "One row per finding a document reports about a project: lessons, challenges, benefits.",
    "cost_lines": "One row per cost line, with the amount exactly as the document states it (GBP).",
    "cost_totals": "One row per total or per-beneficiary figure a document states.",
    "cost_counts": "One row per count of schools or pupils that money may be divided by.",
    "derived_figures": "One row per project: the cost figures derived from its lines and counts, its cost band and "
                       "its evidence rating, each empty figure with the reason.",
    "outcome_measures": "One row per outcome measure: baseline and follow-up values, the comparator, and the change "
                        "and gaps derived from them.",
    "evidence_assessments": "One row per assessed project: the design, evaluator and sample its rating is computed "
                            "from.",
    "headlines": "One row per project: what changed on its headline outcome, in one line.",
    "area_figures": "One row per programme-level figure an area's documents state.",
    "record_citations": "One row per record and quote that supports it, for every kind of record.",
}

# The tables a record_citations row may point into ("projects.reach": a project's reach figures).
RECORD_TABLES = ["projects", "projects.reach", "cost_lines", "cost_totals", "cost_counts", "outcome_measures",
                 "findings", "interventions", "evidence_assessments", "headlines", "area_figures"]

# The model each package table is read from, and the package fields whose model field is named
# otherwise; a field's constraints (required, enum, minimum) come from the model's own definition.
PACKAGE_MODELS: dict[str, tuple[type[models.Model], dict[str, str]]] = {
    "areas": (Area, {}), "themes": (Theme, {}), "phases": (Phase, {"position": "order"}),
    "organisations": (Organisation, {}), "sources": (Source, {}), "citations": (Citation, {}),
    "projects": (Project, {}), "project_themes": (Project.themes.through, {}),
    "project_phases": (Project.phases.through, {}), "project_organisations": (ProjectOrganisation, {}),
    "interventions": (Intervention, {}), "findings": (Finding, {}),
    "cost_lines": (CostLine, {"cost_table": "table", "period": "period_label"}),
    "cost_totals": (CostTotal, {"cost_table": "table", "period": "period_label"}),
    "cost_counts": (CostCount, {}), "derived_figures": (ProjectFigures, {}),
    "outcome_measures": (OutcomeMeasure, {"pupil_group": "group"}),
    "evidence_assessments": (EvidenceAssessment, {}), "headlines": (Headline, {}),
    "area_figures": (AreaFigure, {"period": "period_label"}),
}
_NOT_NEGATIVE = {"minimum": 0}
# What the models state as CheckConstraints or plain-string fields, said once here.
PACKAGE_EXTRA_CONSTRAINTS: dict[str, dict[str, dict]] = {
    "cost_lines": {"amount": _NOT_NEGATIVE}, "cost_totals": {"amount": _NOT_NEGATIVE},
    "cost_counts": {"count": {"minimum": 1}, "qualifier": {"enum": list(Qualifier.values)}},
    "area_figures": {"value": _NOT_NEGATIVE},
    "derived_figures": {**{name: _NOT_NEGATIVE for name in ("total_cost", "oa_cost", "match_funding",
                                                             "cost_per_school", "cost_per_pupil",
                                                             "cost_per_pupil_per_year")},
                        "evidence_rating": {"minimum": 0, "maximum": 5}, "cost_band": {"enum": list(CostBand.values)},
                        "headline_direction": {"enum": list(Direction.values)}},
    "record_citations": {"record_table": {"required": True, "enum": RECORD_TABLES},
                         "record_id": {"required": True}, "citation": {"required": True}},
}


def _model_constraints(field: models.Field) -> dict:
    constraints = {}
    # An empty text (blank) is an empty cell, which the package reads as missing.
    if not field.null and not getattr(field, "blank", False) and not field.auto_created:
        constraints["required"] = True
    if field.choices:
        constraints["enum"] = [value for value, _ in field.flatchoices]
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        constraints["minimum"] = 0
    return constraints


@cache
def package_constraints() -> dict[str, dict[str, dict]]:
    """Every package field's Table Schema constraints, from its model field and the extras above."""
    result = {}
    for table, fields in PACKAGE_FIELDS.items():
        model, renamed = PACKAGE_MODELS.get(table, (None, {}))
        result[table] = {}
        for name in fields:
            constraints = {}
            try:
                field = model._meta.get_field(renamed.get(name, name)) if model else None
            except FieldDoesNotExist:  # a derived field, computed rather than stored
                field = None
            if field is not None and field.concrete:
                constraints = _model_constraints(field)
            constraints.update(PACKAGE_EXTRA_CONSTRAINTS.get(table, {}).get(name, {}))
            if constraints:
                result[table][name] = constraints
    return result


def dictionary_as_json() -> dict:
    return {
        **{endpoint: [{"field": name, "unit": unit, "description": description}
                      for name, (unit, description) in fields.items()]
           for endpoint, fields in DICTIONARY.items()},
        "package": {table: [{"field": name, "type": kind, "unit": unit, "description": description,
                             "constraints": package_constraints()[table].get(name, {})}
                            for name, (kind, description, unit) in fields.items()]
                    for table, fields in PACKAGE_FIELDS.items()},
    }


class DataDictionaryView(APIView):
    """Every field of every endpoint and export, with its unit and meaning."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(dictionary_as_json())


# Which part of the dictionary describes each schema component of the API.
SCHEMA_COMPONENTS = {
    "Project": "projects", "ProjectDetail": "projects", "Outcome": "outcomes", "NestedOutcome": "outcomes",
    "CostLine": "costs", "NestedCostLine": "costs", "Area": "areas", "Theme": "themes", "Phase": "phases",
    "Organisation": "organisations", "Source": "sources", "NestedCostTotal": "cost_totals",
    "CostCount": "cost_counts", "NestedFinding": "findings", "NestedIntervention": "interventions",
    "Citation": "citations",
}


def describe_schema_fields(result, generator, request, public):
    """drf-spectacular hook: each field of the schema is described as the data dictionary describes
    it, with its unit (`x-unit`), so the API docs and /api/v1/dictionary/ cannot disagree."""
    for component, schema in result.get("components", {}).get("schemas", {}).items():
        section = SCHEMA_COMPONENTS.get(component)
        if section is None:
            continue
        described = {**PROVENANCE, **(DICTIONARY[section] if section in DICTIONARY else {
            name: (unit, description) for name, (_kind, description, unit) in PACKAGE_FIELDS[section].items()})}
        for name, field in schema.get("properties", {}).items():
            if name in described and "description" not in field:
                unit, description = described[name]
                field["description"] = description
                if unit:
                    field["x-unit"] = unit
    return result
