"""Comparisons and repository-wide aggregations, with pandas over querysets.

Every chart on the compare and explore pages is drawn from a DataFrame built here, and its
"download data (CSV)" link serves the same DataFrame, so a chart and its data cannot disagree.
Each function runs a fixed number of queries, whatever the number of projects.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Avg, Case, Count, F, IntegerField, Max, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from core.csv import neutralise
from costs.figures import project_cost_band, project_cost_figures
from outcomes.evidence import rating_label
from outcomes.figures import outcome_figures, reported_change_text
from outcomes.models import OutcomeMeasure, PupilGroup, Unit
from projects.models import Area, OrganisationRole, Phase, Project, ProjectOrganisation
from web.selection import check_selection
from web.spend import lines_by_category, spend_by
from web.templatetags.evidence import gbp
from web.templatetags.evidence import measure as measure_text


@dataclass
class Comparison:
    kind: str  # "projects" or "areas"
    items: list = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # side-by-side facts: {"label", "values"}
    outcome_rows: list[dict] = field(default_factory=list)  # comparable rows first
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def comparable_outcome_rows(self) -> list[dict]:
        return [row for row in self.outcome_rows if row["comparable"]]

    @property
    def other_outcome_rows(self) -> list[dict]:
        return [row for row in self.outcome_rows if not row["comparable"]]

    @property
    def item_names(self) -> list[str]:
        return [item.title if self.kind == "projects" else item.name for item in self.items]


# --- projects side by side ----------------------------------------------------------------


def compare_projects(slugs: list[str]) -> Comparison:
    """Projects side by side: facts, costs, and outcome measures aligned by subject and phase."""
    projects_qs = (
        Project.objects.with_figures().filter(slug__in=slugs).select_related("area", "headline")
        .prefetch_related(
            "themes", "phases",
            Prefetch("roles", queryset=ProjectOrganisation.objects.filter(role=OrganisationRole.LEAD)
                     .select_related("organisation"), to_attr="lead_roles"),
            Prefetch("outcomes", queryset=OutcomeMeasure.objects.select_related("phase").order_by("order")),
        )
    )
    found = {project.slug: project for project in projects_qs}
    check_selection(slugs, found, "project")
    projects = [found[slug] for slug in slugs]
    figures = {project.pk: project_cost_figures(project=project) for project in projects}

    comparison = Comparison(kind="projects", items=projects)
    comparison.frames["costs"], comparison.frames["costs_outside"] = _cost_components(projects, "project")
    comparison.rows = _with_cells([*_project_fact_rows(projects, figures),
                                   _outside_row(projects, comparison.frames["costs_outside"])])
    comparison.frames["cost_per_pupil"] = pd.DataFrame(
        [{"project": p.title, "slug": p.slug, "cost_per_pupil": _number(figures[p.pk]["cost_per_pupil"].value),
          "cost_per_pupil_per_year": _number(figures[p.pk]["cost_per_pupil_per_year"].value)} for p in projects],
        columns=["project", "slug", "cost_per_pupil", "cost_per_pupil_per_year"],
    )
    comparison.outcome_rows, comparison.frames["outcomes"] = _aligned_outcomes(projects)
    comparison.frames["table"] = _fact_table(comparison)
    comparison.frames["outcome_table"] = _outcome_table(comparison)
    return comparison


def _band_words(band: dict) -> str:
    if band["available"]:
        return f"{band.get('qualifier', '')} {band['symbol']} {band['label']}".strip()
    return band["reason"] or "—"


def _number(value):
    return None if value is None else float(value)


def _project_fact_rows(projects, figures: dict) -> list[dict]:
    def row(label, getter, kind="text"):
        return {"label": label, "kind": kind, "values": [getter(p) for p in projects]}

    return [
        row("Area", lambda p: p.area.label),
        row("Years", lambda p: p.years_label),
        row("Phases", lambda p: ", ".join(ph.name for ph in p.phases.all()) or "—"),
        row("Themes", lambda p: ", ".join(t.name for t in p.themes.all()) or "—"),
        row("Lead organisations", lambda p: ", ".join(r.organisation.name for r in p.lead_roles) or "Not stated"),
        row("Schools reached", lambda p: p.schools_reached, "count"),
        row("Pupils reached", lambda p: p.pupils_reached, "count"),
        row("Total cost", lambda p: figures[p.pk]["total_cost"], "derived"),
        row("OA funding", lambda p: figures[p.pk]["oa_cost"], "derived"),
        row("Match funding", lambda p: figures[p.pk]["match_funding"], "derived"),
        row("Cost per school", lambda p: figures[p.pk]["cost_per_school"], "derived"),
        row("Cost per pupil", lambda p: figures[p.pk]["cost_per_pupil"], "derived"),
        row("Cost per pupil per year", lambda p: figures[p.pk]["cost_per_pupil_per_year"], "derived"),
        row("EEF cost band", lambda p: _band_words(project_cost_band(project=p))),
        row("Evidence rating", lambda p: f"{p.evidence_rating} of 5: {rating_label(p.evidence_rating)}"
            if p.evidence_rating is not None else "Not rated"),
        row("What changed", lambda p: f"{p.headline.get_direction_display()}: {p.headline.statement_after_label}"
            if getattr(p, "headline", None) else "Not curated"),
        row("Evidence types", lambda p: ", ".join(sorted({m.get_evidence_type_display() for m in p.outcomes.all()}))
            or "No outcome measures"),
    ]


def _cost_components(items, by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cost lines by category for each project or area: those in the recorded spend (the stacked
    chart) and, apart, those outside it, with their periods (web.spend.lines_by_category)."""
    by_owner = defaultdict(list)
    for row in lines_by_category(owners=items, by=by):
        by_owner[row["owner"]].append(row)

    def frame(in_spend: bool, columns: list[str]) -> pd.DataFrame:
        rows = [{by: item.title if by == "project" else item.name, "slug": item.slug, "category": row["category"],
                 "amount": float(row["amount"]), "periods": ", ".join(row["periods"])}
                for item in items for row in by_owner[item.pk] if row["in_spend"] == in_spend]
        return pd.DataFrame(rows, columns=[by, "slug", "category", "amount", "periods"])[columns]

    return (frame(True, [by, "slug", "category", "amount"]),
            frame(False, [by, "slug", "category", "amount", "periods"]))


def _outside_row(items, outside: pd.DataFrame) -> dict:
    """The side-by-side row of cost lines not in the recorded spend: their sum and periods per item."""
    values = []
    for item in items:
        own = outside[outside.slug == item.slug]
        values.append({"total": sum((Decimal(str(a)) for a in own.amount), Decimal("0")),
                       "periods": ", ".join(sorted({p for ps in own.periods for p in ps.split(", ") if p}))}
                      if not own.empty else None)
    return {"label": "Cost lines outside the recorded spend", "kind": "outside", "values": values}


def fact_cell(kind: str, value) -> dict:
    """One cell of the side-by-side table in words: its `text` and a `note` under it. The page and
    the "download this table" CSV both show these, so they cannot differ."""
    if kind == "derived":
        if value.available:
            return {"text": f"{value.qualifier + ' ' if value.qualifier else ''}{gbp(value.value)}", "note": ""}
        return {"text": "Not derivable", "note": value.reason}
    if kind == "outside":
        if value is None:
            return {"text": "None", "note": ""}
        return {"text": gbp(value["total"]), "note": f"lines for {value['periods'] or 'no stated period'}, "
                                                      "not counted in the recorded spend"}
    if value is None:
        return {"text": "Not reported", "note": ""}
    if kind == "money":
        return {"text": gbp(value), "note": ""}
    if kind == "count":
        return {"text": f"{value:,}", "note": ""}
    if kind == "oa":
        return {"text": gbp(value["total"]),
                "note": f"known for {value['known']} of {value['costed']} costed project"
                        f"{'' if value['costed'] == 1 else 's'}"}
    return {"text": str(value), "note": ""}


def _with_cells(rows: list[dict]) -> list[dict]:
    return [{**row, "cells": [fact_cell(row["kind"], value) for value in row["values"]]} for row in rows]


def _column_names(comparison: Comparison) -> list[str]:
    """Item names as CSV column headers, neutralised as every cell is (a header is a cell too)."""
    return [str(neutralise(name)) for name in comparison.item_names]


def _fact_table(comparison: Comparison) -> pd.DataFrame:
    """The side-by-side table exactly as the page shows it: a row per figure, a column per item."""
    names = _column_names(comparison)
    rows = []
    for row in comparison.rows:
        cells = [" ".join(part for part in (cell["text"], cell["note"]) if part) for cell in row["cells"]]
        rows.append({"Figure": row["label"], **dict(zip(names, cells, strict=True))})
    return pd.DataFrame(rows, columns=["Figure", *names])


def _outcome_table(comparison: Comparison) -> pd.DataFrame:
    """The outcome table exactly as the page shows it (comparable rows first): a row per subject,
    phase, group and unit, a column per project, each measure's words joined by " | "."""
    names = _column_names(comparison)
    rows = []
    for row in comparison.outcome_rows:
        cells = [" | ".join(entry["text"] for entry in cell) for cell in row["cells"]]
        rows.append({"Subject": f"{row['label']} · {row['group_label']} · {row['unit_label']}",
                     "Comparable": "comparable" if row["comparable"] else
                     "not comparable: " + ", ".join(row["reasons"]),
                     **dict(zip(names, cells, strict=True))})
    return pd.DataFrame(rows, columns=["Subject", "Comparable", *names])


def _measure_entry(measure) -> dict:
    """One measure as the outcome table shows it, in words (the page and its CSV use these)."""
    def at(value, year):
        return measure_text(value, measure.unit) + (f" ({year})" if year else "")

    comparator = ""
    if measure.is_reported_change:  # a change reported without its values is no baseline
        period = f" ({measure.reported_change_period})" if measure.reported_change_period else ""
        values = f"change: {reported_change_text(measure=measure)}{period}"
        if measure.comparator_label:
            comparator = measure.comparator_label + (
                f": {reported_change_text(measure=measure, comparator=True)}"
                if measure.comparator_reported_change_value is not None else "")
    else:
        values = at(measure.baseline_value, measure.baseline_year)
    if measure.followup_value is not None:
        values += f" → {at(measure.followup_value, measure.followup_year)}"
    if measure.comparator_label and not measure.is_reported_change:
        comparator = (f"{measure.comparator_label}: {measure_text(measure.comparator_baseline_value, measure.unit)}"
                      f" → {measure_text(measure.comparator_followup_value, measure.unit)}")
    entry = {"metric": measure.metric, "group": measure.get_group_display(), "values": values,
             "comparator": comparator, "evidence": measure.get_evidence_type_display()}
    entry["text"] = " ".join(part for part in (f"{entry['metric']} · {entry['group']}", values, comparator,
                                               entry["evidence"]) if part)
    return entry


def _aligned_outcomes(projects) -> tuple[list[dict], pd.DataFrame]:
    """Measures aligned by subject, phase, pupil group and unit. A row is comparable when at
    least two projects measure it over the same years; measures of the same subject in another
    unit or for another group stand in rows of their own, never on one axis."""
    keyed: OrderedDict = OrderedDict()
    records = []
    for project in projects:
        for measure in project.outcomes.all():
            key = (measure.subject or measure.metric.lower(), measure.phase.slug if measure.phase else "",
                   measure.get_group_display(),
                   f"reported change, {measure.get_reported_change_unit_display()}" if measure.is_reported_change
                   else measure.get_unit_display())
            keyed.setdefault(key, {p.slug: [] for p in projects})[project.slug].append(measure)
            figures = outcome_figures(measure=measure)
            records.append({
                "project": project.title, "slug": project.slug, "subject": key[0], "phase": key[1],
                "metric": measure.metric, "group": measure.group, "unit": measure.unit,
                "baseline_year": measure.baseline_year, "baseline": _number(measure.baseline_value),
                "followup_year": measure.followup_year, "followup": _number(measure.followup_value),
                "comparator": measure.comparator_label,
                "comparator_baseline": _number(measure.comparator_baseline_value),
                "comparator_followup": _number(measure.comparator_followup_value),
                "change": _number(figures["change"].value),
                "comparator_change": _number(figures["comparator_change"].value),
                "evidence_type": measure.evidence_type,
                "key": key,
            })
    phase_names = dict(Phase.objects.values_list("slug", "name"))
    rows = []
    for key, by_project in keyed.items():
        measures = [m for ms in by_project.values() for m in ms]
        reasons = []
        if sum(1 for ms in by_project.values() if ms) < 2:
            reasons.append("measured by only one of these projects")
        elif len({(m.baseline_year, m.followup_year) for m in measures}) > 1:
            reasons.append("different years")
        rows.append({"subject": key[0], "phase": key[1], "group": key[2], "unit": key[3],
                     "label": ", ".join(part for part in (key[0].capitalize(), phase_names.get(key[1], "")) if part),
                     "group_label": PupilGroup(key[2]).label if key[2] in PupilGroup.values else key[2],
                     "unit_label": Unit(key[3]).label.lower() if key[3] in Unit.values else key[3],
                     "cells": [[_measure_entry(m) for m in by_project[p.slug]] for p in projects],
                     "comparable": not reasons, "reasons": reasons})
    rows.sort(key=lambda row: not row["comparable"])  # comparable rows first, else in measure order
    comparable = {(r["subject"], r["phase"], r["group"], r["unit"]) for r in rows if r["comparable"]}
    frame = pd.DataFrame(records, columns=[
        "project", "slug", "subject", "phase", "metric", "group", "unit", "baseline_year", "baseline",
        "followup_year", "followup", "comparator", "comparator_baseline", "comparator_followup", "change",
        "comparator_change", "evidence_type", "key"])
    frame["comparable"] = [key in comparable for key in frame["key"]]
    return rows, frame.drop(columns="key")


# --- areas side by side -------------------------------------------------------------------


def compare_areas(slugs: list[str]) -> Comparison:
    """Areas side by side: projects, spend (total, OA, by category and theme), phases, outcomes."""
    found = {area.slug: area for area in Area.objects.filter(slug__in=slugs)}
    check_selection(slugs, found, "area")
    areas = [found[slug] for slug in slugs]
    projects = pd.DataFrame(
        list(Project.objects.filter(area__in=areas).values("area__slug", "slug", "start_year", "end_year")),
        columns=["area__slug", "slug", "start_year", "end_year"],
    )
    phases = pd.DataFrame(list(Project.phases.through.objects.filter(project__area__in=areas).values(
        "project__area__slug", "phase__name", "phase__order")), columns=["project__area__slug", "phase__name",
                                                                         "phase__order"])
    outcomes = pd.DataFrame(list(OutcomeMeasure.objects.filter(project__area__in=areas).values(
        "project__area__slug", "evidence_type")), columns=["project__area__slug", "evidence_type"])

    spend = {row["slug"]: row for row in spend_by(projects=Project.objects.filter(area__in=areas), dimension="area")}

    def facts(area):
        own_projects = projects[projects.area__slug == area.slug]
        area_phases = phases[phases.project__area__slug == area.slug].sort_values("phase__order")
        own_spend = spend.get(area.slug)
        return {
            "projects": len(own_projects),
            "spend": own_spend["total"] if own_spend else None,
            "costed": f"{own_spend['projects'] if own_spend else 0} of {len(own_projects)}",
            "oa": ({"total": own_spend["oa_total"], "known": own_spend["oa_known"], "costed": own_spend["counted"]}
                   if own_spend and own_spend["oa_known"] else None),
            "years": (f"{int(own_projects.start_year.min())}–{int(own_projects.end_year.max())}"
                      if own_projects.start_year.notna().any() and own_projects.end_year.notna().any() else "—"),
            "phases": ", ".join(area_phases.phase__name.unique()) or "—",
            "outcomes": int((outcomes.project__area__slug == area.slug).sum()),
        }

    by_area = {area.slug: facts(area) for area in areas}
    comparison = Comparison(kind="areas", items=areas)
    comparison.rows = [
        {"label": "Kind", "kind": "text", "values": [a.get_kind_display() for a in areas]},
        {"label": "Projects recorded", "kind": "count", "values": [by_area[a.slug]["projects"] for a in areas]},
        {"label": "Years", "kind": "text", "values": [by_area[a.slug]["years"] for a in areas]},
        {"label": "Phases", "kind": "text", "values": [by_area[a.slug]["phases"] for a in areas]},
        {"label": "Recorded spend", "kind": "money", "values": [by_area[a.slug]["spend"] for a in areas]},
        {"label": "Projects with a cost", "kind": "text", "values": [by_area[a.slug]["costed"] for a in areas]},
        {"label": "Of which OA funding", "kind": "oa", "values": [by_area[a.slug]["oa"] for a in areas]},
        {"label": "Outcome measures", "kind": "count", "values": [by_area[a.slug]["outcomes"] for a in areas]},
    ]
    comparison.frames["costs"], comparison.frames["costs_outside"] = _cost_components(areas, "area")
    comparison.rows = _with_cells([*comparison.rows, _outside_row(areas, comparison.frames["costs_outside"])])
    comparison.frames["table"] = _fact_table(comparison)
    return comparison


# --- explore: repository-wide -------------------------------------------------------------
# Every frame here is an aggregate whose size is bounded by the vocabularies (areas, themes,
# phases, years, cost bands), never by the number of projects: the page and its CSV files stay
# the same size at 55 projects or 50,000, and the per-project rows are one link away (the search
# page, and the API's CSV).

# Cost per pupil bands (£, lower bound inclusive); the last band has no upper bound.
COST_PER_PUPIL_BANDS = [0, 50, 100, 200, 500, 1000, 2000]
BAND_BELOW = dict(zip(COST_PER_PUPIL_BANDS, [*COST_PER_PUPIL_BANDS[1:], None], strict=True))  # each band's end


def explore_frames(projects: QuerySet) -> dict[str, pd.DataFrame]:
    """The explore page's data, for the given (filtered) projects: 6 queries, each an aggregate."""
    ids = projects.order_by().values("pk")
    chosen = Project.objects.filter(pk__in=ids)
    frames = {}

    def spend_frame(dimension, label):
        rows = spend_by(projects=chosen, dimension=dimension)
        return pd.DataFrame([{label: row["name"], "slug": row["slug"], "projects": row["projects"],
                              "spend": float(row["total"])} for row in rows],
                            columns=[label, "slug", "projects", "spend"])

    frames["spend_by_area"] = spend_frame("area", "area")
    frames["spend_by_theme"] = spend_frame("theme", "theme")
    phase_counts = (Phase.objects.annotate(matching=Count("projects", filter=Q(projects__in=ids), distinct=True))
                    .filter(matching__gt=0).order_by("order"))
    phase_spend = {row["slug"]: float(row["total"]) for row in spend_by(projects=chosen, dimension="phase")}
    frames["by_phase"] = pd.DataFrame(
        [{"phase": phase.name, "slug": phase.slug, "projects": phase.matching,
          "spend": phase_spend.get(phase.slug, 0.0)} for phase in phase_counts],
        columns=["phase", "slug", "projects", "spend"],
    )
    frames["timeline"] = _projects_running_by_area_and_year(chosen)
    frames["cost_vs_change"] = _change_by_cost_per_pupil_band(ids)
    return frames


def _projects_running_by_area_and_year(projects: QuerySet) -> pd.DataFrame:
    """How many projects ran in each area in each calendar year (1 query). The database counts
    projects per area and (start, end) pair; pandas spreads those few rows over the years."""
    # A project whose documents give no end year runs to the last year its own money covers;
    # with neither it is counted in its start year only, and the frame says its end is unknown.
    spans = (projects.filter(start_year__isnull=False).order_by()
             .values("area__name", "area__slug", "start_year",
                     end=Coalesce("end_year", "cost_basis__end_year"))
             .annotate(count=Count("pk")))
    running: dict[tuple, int] = defaultdict(int)
    unknown: dict[tuple, int] = defaultdict(int)
    for span in spans:
        key = (span["area__name"], span["area__slug"])
        # Every calendar year a project touches, inclusive: 2018 is one year, 2019–2021 three.
        for year in range(span["start_year"], max(span["end"] or span["start_year"], span["start_year"]) + 1):
            running[(*key, year)] += span["count"]
        if span["end"] is None:
            unknown[(*key, span["start_year"])] += span["count"]
    return pd.DataFrame([{"area": area, "slug": slug, "year": year, "projects": count,
                          "end_year_unknown": unknown.get((area, slug, year), 0)}
                         for (area, slug, year), count in sorted(running.items())],
                        columns=["area", "slug", "year", "projects", "end_year_unknown"])


def _cost_band_of(field: str) -> Case:
    return Case(*[When(Q(**{f"{field}__gte": low}) & (Q(**{f"{field}__lt": below}) if below else Q()), then=Value(low))
                  for low, below in BAND_BELOW.items()], output_field=IntegerField())


def _change_by_cost_per_pupil_band(ids: QuerySet) -> pd.DataFrame:
    """Outcome change (follow-up − baseline, in points) of percentage measures, summarised for each
    band of the projects' stored cost per pupil (1 query). Only projects that report both their
    costs and the pupils they reached have a cost per pupil, and only measures in percent share
    one axis; the rest are left out, as on the scatter this replaces."""
    groups = (OutcomeMeasure.objects
              .filter(project__in=ids, unit=Unit.PERCENT, baseline_value__isnull=False,
                      followup_value__isnull=False, project__stored_figures__cost_per_pupil__isnull=False)
              .annotate(band=_cost_band_of("project__stored_figures__cost_per_pupil"),
                        change=F("followup_value") - F("baseline_value"))
              .order_by().values("band")
              .annotate(projects=Count("project", distinct=True), measures=Count("pk"), average=Avg("change"),
                        lowest=Min("change"), highest=Max("change"))
              .order_by("band"))
    rows = [{"cost_per_pupil": _band_label(group["band"], BAND_BELOW[group["band"]]), "from": group["band"],
             "below": BAND_BELOW[group["band"]], "projects": group["projects"], "measures": group["measures"],
             "average_change": round(float(group["average"]), 2), "lowest_change": float(group["lowest"]),
             "highest_change": float(group["highest"])} for group in groups]
    return pd.DataFrame(rows, columns=["cost_per_pupil", "from", "below", "projects", "measures", "average_change",
                                       "lowest_change", "highest_change"])


def _band_label(low: int, high: int | None) -> str:
    return f"£{low:,} to under £{high:,}" if high else f"£{low:,} or more"
