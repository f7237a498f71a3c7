"""Datasette's equivalents of our API responses, as SQL over the SQLite copy of the corpus.

A flat row of projects_project is not what our API answers, so beside it the benchmark asks
Datasette for the same content by SQL, as `_shape=array` (the rows alone: `_shape=objects` would
also echo the SQL, 10 KB for the detail) with the nested columns parsed (`_json=`):

- the detail: a canned query (its SQL is too long for a URL), one project with everything
  web/api.py's ProjectDetailSerializer nests (tags, stored figures and their workings,
  organisations, interventions, cost lines, totals and counts, outcomes with change and gaps,
  evidence, headline, findings, children), each record with its citations, as nested
  `json_group_array(json_object(…))` subqueries in one JSON column;
- the filtered list: ProjectSerializer's fields for one page of 20 with the same filters and
  order (the figure notes read from the stored workings, the count of all matches as a window),
  themes, phases and citations nested;
- the CSV: the same rows as the list, every matching row.

What the SQL leaves out: the evidence rating's label and reasons and the headline's plain summary
(computed in Python from the rubric), and the count of projects without a cost.
"""

from __future__ import annotations

# Columns Datasette should parse as JSON (`_json=`), so they nest like ours instead of strings.
JSON_COLUMNS = ["themes", "phases", "citations"]
PAGE_SIZE = 20


def _compact(sql: str) -> str:
    return " ".join(sql.split())


def _cited(through: str, fk: str, owner: str) -> str:
    """The citations of one record (`owner` is its id expression), as a JSON array."""
    return (f"json((SELECT json_group_array(json_object('source', q.source, 'source_title', q.source_title, "
            f"'locator', q.locator, 'quote', q.quote)) FROM (SELECT cs.key AS source, cs.title AS source_title, "
            f"cc.locator, cc.quote FROM {through} ct JOIN projects_citation cc ON cc.id = ct.citation_id "
            f"JOIN projects_source cs ON cs.id = cc.source_id WHERE ct.{fk} = {owner} ORDER BY cc.id) q))")


def _rows(table: str, alias: str, fields: str, *, through: str, fk: str, where: str = "",
          order: str = '"order"') -> str:
    """The project's rows of `table`, each with its citations, as a JSON array."""
    condition = where or f"{alias}.project_id = p.id"
    return (f"json((SELECT json_group_array(json_object({fields}, 'citations', {_cited(through, fk, f'{alias}.id')})) "
            f"FROM (SELECT * FROM {table} {alias} WHERE {condition} ORDER BY {alias}.{order}) {alias}))")


def _tags(through: str, table: str, fk: str) -> str:
    return (f"json((SELECT json_group_array(x.slug) FROM (SELECT x.slug FROM {through} xt JOIN {table} x "
            f"ON x.id = xt.{fk} WHERE xt.project_id = p.id ORDER BY x.slug) x))")


FIGURES = ["total_cost", "oa_cost", "match_funding", "cost_per_school", "cost_per_pupil", "cost_per_pupil_per_year"]


def _note(name: str) -> str:
    """A figure's note as our list shows it: its qualifier when it has a value, else why not."""
    present = "f.cost_band != ''" if name == "cost_band" else f"f.{name} IS NOT NULL"
    return (f"CASE WHEN {present} THEN json_extract(f.workings, '$.{name}.qualifier') "
            f"ELSE json_extract(f.workings, '$.{name}.reason') END")


LIST_COLUMNS = [
    "p.slug", "p.title", "a.slug AS area", "a.name AS area_name", "pp.slug AS parent", "p.start_year",
    "p.end_year", "p.schools_reached", "p.pupils_reached",
    f"{_tags('projects_project_themes', 'projects_theme', 'theme_id')} AS themes",
    f"{_tags('projects_project_phases', 'projects_phase', 'phase_id')} AS phases",
    *[f"f.{name}, {_note(name)} AS {name}_note" for name in FIGURES],
    f"f.cost_band, {_note('cost_band')} AS cost_band_note",
    "f.evidence_rating", "e.design AS evidence_design", "e.evaluator AS evidence_evaluator",
    "f.headline_direction", "h.statement AS headline_statement", "f.has_comparator_outcome", "p.summary",
    "'/projects/' || p.slug || '/' AS web_url",
    f"{_cited('projects_project_citations', 'project_id', 'p.id')} AS citations",
]

FROM = """
FROM projects_project p
JOIN projects_area a ON a.id = p.area_id
LEFT JOIN projects_project pp ON pp.id = p.parent_id
LEFT JOIN projects_projectfigures f ON f.project_id = p.id
LEFT JOIN outcomes_evidenceassessment e ON e.project_id = p.id
LEFT JOIN outcomes_headline h ON h.project_id = p.id
"""

SORT_COLUMNS = {"title": "p.title", "total_cost": "f.total_cost", "cost_per_pupil": "f.cost_per_pupil",
                "evidence_rating": "f.evidence_rating", "start_year": "p.start_year"}


def _order(ordering: str) -> str:
    """As web/filters.py's order_projects: missing figures last, the title as the tie-breaker."""
    if ordering in ("", "title", "relevance"):
        return "p.title"
    column = SORT_COLUMNS[ordering.lstrip("-")]
    direction = "DESC" if ordering.startswith("-") else "ASC"
    return f"{column} IS NULL, {column} {direction}, p.title"


def list_sql(chosen: dict, *, every_row: bool = False, readable: bool = False) -> str:
    """The list's page (or, for the CSV, every row) with these filters: area (its number), theme,
    phase, start_year, min_cost, ordering, page. On one line for a URL, or `readable`."""
    where = []
    if "area" in chosen:
        where.append(f"a.slug = 'synthetic-area-{int(chosen['area'])}'")
    for name, through, table, fk in (("theme", "projects_project_themes", "projects_theme", "theme_id"),
                                     ("phase", "projects_project_phases", "projects_phase", "phase_id")):
        if name in chosen:
            where.append(f"p.id IN (SELECT xt.project_id FROM {through} xt JOIN {table} x ON x.id = xt.{fk} "
                         f"WHERE x.slug = '{chosen[name]}')")
    if "start_year" in chosen:
        where.append(f"p.start_year >= {int(chosen['start_year'])}")
    if "min_cost" in chosen:
        where.append(f"f.total_cost >= {int(chosen['min_cost'])}")
    columns = LIST_COLUMNS + ([] if every_row else ["COUNT(*) OVER () AS count"])
    sql = "SELECT\n    " + ",\n    ".join(columns) + FROM
    if where:
        sql += "WHERE " + "\n    AND ".join(where) + "\n"
    sql += f"ORDER BY {_order(chosen.get('ordering', ''))}"
    if not every_row:
        sql += f"\nLIMIT {PAGE_SIZE} OFFSET {(int(chosen.get('page', 1)) - 1) * PAGE_SIZE}"
    return sql if readable else _compact(sql)


INTERVENTIONS = _rows("projects_intervention", "iv", "'name', iv.name, 'provider', iv.provider, "
                      "'delivery', iv.delivery, 'description', iv.description",
                      through="projects_intervention_citations", fk="intervention_id")
COST_LINES = _rows("costs_costline", "cl", "'table', cl.\"table\", 'description', cl.description, "
                   "'category', cl.category, 'period', cl.period_label, 'start_year', cl.start_year, "
                   "'end_year', cl.end_year, 'amount', cl.amount, 'funding_source', cl.funding_source",
                   through="costs_costline_citations", fk="costline_id")
COST_TOTALS = _rows("costs_costtotal", "tt", "'table', tt.\"table\", 'label', tt.label, 'kind', tt.kind, "
                    "'amount', tt.amount, 'period', tt.period_label, 'start_year', tt.start_year, "
                    "'end_year', tt.end_year, 'scope', json(tt.scope), 'checked_lines', tt.checked_lines, "
                    "'discrepancy', tt.discrepancy", through="costs_costtotal_citations", fk="costtotal_id")
COST_COUNTS = _rows("costs_costcount", "n", "'unit', n.unit, 'count', n.count, 'per', n.per, 'covers', n.covers, "
                    "'cohorts', n.cohorts, 'start_year', n.start_year, 'end_year', n.end_year, "
                    "'qualifier', n.qualifier, 'check_against', n.check_against, 'difference', n.difference",
                    through="costs_costcount_citations", fk="costcount_id")
OUTCOMES = _rows("outcomes_outcomemeasure", "om", "'metric', om.metric, 'subject', om.subject, "
                 "'phase', (SELECT ph.slug FROM projects_phase ph WHERE ph.id = om.phase_id), "
                 "'group', om.\"group\", 'unit', om.unit, 'baseline_value', om.baseline_value, "
                 "'baseline_year', om.baseline_year, 'followup_value', om.followup_value, "
                 "'followup_year', om.followup_year, 'comparator_label', om.comparator_label, "
                 "'comparator_baseline_value', om.comparator_baseline_value, "
                 "'comparator_followup_value', om.comparator_followup_value, "
                 "'change', om.followup_value - om.baseline_value, "
                 "'gap_before', om.comparator_baseline_value - om.baseline_value, "
                 "'gap_after', om.comparator_followup_value - om.followup_value, "
                 "'evidence_type', om.evidence_type, 'note', om.note",
                 through="outcomes_outcomemeasure_citations", fk="outcomemeasure_id")
FINDINGS = _rows("projects_finding", "fi", "'kind', fi.kind, 'title', fi.title, 'text', fi.text",
                 through="projects_finding_citations", fk="finding_id")

# ProjectDetailSerializer's document, key by key.
DETAIL_FIELDS = [
    ("slug", "p.slug"), ("title", "p.title"), ("area", "a.slug"), ("area_name", "a.name"), ("parent", "pp.slug"),
    ("start_year", "p.start_year"), ("end_year", "p.end_year"), ("schools_reached", "p.schools_reached"),
    ("pupils_reached", "p.pupils_reached"),
    ("themes", _tags("projects_project_themes", "projects_theme", "theme_id")),
    ("phases", _tags("projects_project_phases", "projects_phase", "phase_id")),
    *[pair for name in FIGURES for pair in ((name, f"f.{name}"), (f"{name}_note", _note(name)))],
    ("cost_band", "f.cost_band"), ("cost_band_note", _note("cost_band")),
    ("evidence_rating", "f.evidence_rating"), ("evidence_design", "e.design"), ("evidence_evaluator", "e.evaluator"),
    ("headline_direction", "f.headline_direction"), ("headline_statement", "h.statement"),
    ("has_comparator_outcome", "json(CASE WHEN f.has_comparator_outcome THEN 'true' ELSE 'false' END)"),
    ("summary", "p.summary"), ("web_url", "'/projects/' || p.slug || '/'"),
    ("problem", "p.problem"), ("activities", "p.activities"), ("reach_note", "p.reach_note"),
    ("children", "json((SELECT json_group_array(k.slug) FROM (SELECT k.slug FROM projects_project k "
                 "WHERE k.parent_id = p.id ORDER BY k.title) k))"),
    ("organisations", "json((SELECT json_group_array(json_object('slug', o.slug, 'name', o.name, 'kind', o.kind, "
                      "'role', r.role)) FROM projects_projectorganisation r "
                      "JOIN projects_organisation o ON o.id = r.organisation_id WHERE r.project_id = p.id))"),
    ("interventions", INTERVENTIONS), ("cost_lines", COST_LINES), ("cost_totals", COST_TOTALS),
    ("derived_figures", "json_object('figures', json(f.workings), 'money_covers', "
                        "(SELECT b.covers FROM costs_costbasis b WHERE b.project_id = p.id), "
                        f"'counts', {COST_COUNTS})"),
    ("evidence", "json_object('design', e.design, 'evaluator', e.evaluator, 'evaluator_name', e.evaluator_name, "
                 "'sample_schools', e.sample_schools, 'sample_pupils', e.sample_pupils, 'note', e.note, "
                 f"'citations', {_cited('outcomes_evidenceassessment_citations', 'evidenceassessment_id', 'p.id')})"),
    ("headline", "json_object('direction', h.direction, 'statement', h.statement, 'outcome_metric', ho.metric, "
                 f"'citations', {_cited('outcomes_headline_citations', 'headline_id', 'p.id')})"),
    ("outcomes", OUTCOMES), ("findings", FINDINGS),
    ("reach_citations", _cited("projects_project_reach_citations", "project_id", "p.id")),
    ("citations", _cited("projects_project_citations", "project_id", "p.id")),
]
DETAIL_SQL = ("SELECT json_object(\n    " + ",\n    ".join(f"'{key}', {value}" for key, value in DETAIL_FIELDS)
              + f"\n) AS project{FROM}LEFT JOIN outcomes_outcomemeasure ho ON ho.id = h.outcome_id\nWHERE p.id = :id")


def metadata() -> dict:
    """Datasette's metadata.json: the detail as a canned query, `/bench/project_detail.json?id=…`."""
    return {"databases": {"bench": {"queries": {"project_detail": {"sql": DETAIL_SQL}}}}}
