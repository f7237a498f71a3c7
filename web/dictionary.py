"""The data dictionary: every field of every export, what it means and its unit.

Served as JSON at /api/v1/dictionary/ (linked from the API docs). A test checks that
every CSV column of every endpoint is described here, so an export cannot gain an
undocumented column.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

PROVENANCE = {
    "citations": ("", "The quotes the record is taken from (JSON): source key, source title, locator, quote."),
    "source_keys": ("", "CSV: the source document keys of the record's citations, separated by ' | '."),
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
        "themes": ("", "Theme slugs (CSV: separated by '; ')."),
        "phases": ("", "Phase slugs: early_years, ks1, ks2, ks3, ks4, post16 (CSV: separated by '; ')."),
        "total_cost": ("GBP", "Derived: the money the project's figures divide: the sum of its cost lines (and its "
                              "sub-projects'), or the totals the document states, as the curators chose and the "
                              "project page shows ('covers'). Empty when not derivable."),
        "total_cost_note": ("", "Why total_cost is empty (e.g. the document's own total does not equal its lines)."),
        "oa_cost": ("GBP", "Derived: OA funding within that money: the OA total the document states, else the sum "
                           "of OA-funded lines; empty when lines mix OA and other funding."),
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
                                   "and sample: 0 no outcome evidence … 5 strong."),
        "evidence_rating_label": ("", "The rating in words."),
        "evidence_design": ("", "randomised, matched_comparison, benchmark_comparison, before_after, descriptive, "
                                "no_outcome_data."),
        "evidence_evaluator": ("", "independent, delivery_team or not_stated."),
        "evidence_why": ("", "Why the project has its rating, step by step."),
        "headline_direction": ("", "What changed on the headline outcome: improved, no_clear_change, declined, "
                                   "mixed, not_measured. Describes the figures, not a cause."),
        "headline_statement": ("", "The headline outcome in one line, written by the curators from cited figures."),
        "has_comparator_outcome": ("", "True when at least one outcome is measured against a comparator."),
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
        "evidence_type": ("", "national_statistics, standardised_assessment, independent_evaluation, survey, "
                              "self_assessment, inspection, monitoring_data."),
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
        "project_count": ("projects", "Projects with this theme."),
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


def dictionary_as_json() -> dict:
    return {
        endpoint: [{"field": name, "unit": unit, "description": description}
                   for name, (unit, description) in fields.items()]
        for endpoint, fields in DICTIONARY.items()
    }


class DataDictionaryView(APIView):
    """Every field of every endpoint and export, with its unit and meaning."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(dictionary_as_json())
