"""Similar projects: those sharing themes, phases and programmes with a project, scored in the
database, with the names they share as the reason (shown on every project page)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Lower

from core.cache import cached_for_this_data
from projects.models import Intervention, Project


def similar_projects(project: Project, *, limit: int = 5) -> list[dict]:
    """Projects sharing themes (and maybe phases and programmes) with this one, with the reasons
    (cached per project and data version)."""
    return cached_for_this_data(f"similar:{project.pk}:{limit}", lambda: score_similar_projects(project, limit=limit))


# 2 per shared theme, 1 per shared phase, 3 per shared programme name (any case), over the projects
# sharing at least one theme; not the project, its parent or its sub-projects; a score of 3 or more.
# Each CTE is one aggregate over rows found by index (theme_id; project_id, phase_id; lower(name),
# migration 0006); the table names come from the models; the SQL is the same on PostgreSQL and SQLite.
SIMILAR_SQL = """
WITH shared_themes AS (
    SELECT other.project_id, COUNT(*) AS n
    FROM {themes} AS other JOIN {themes} AS mine ON mine.theme_id = other.theme_id
    WHERE mine.project_id = %(project)s
    GROUP BY other.project_id
), shared_phases AS (
    SELECT other.project_id, COUNT(*) AS n
    FROM {phases} AS other JOIN {phases} AS mine ON mine.phase_id = other.phase_id
    WHERE mine.project_id = %(project)s
    GROUP BY other.project_id
), shared_programmes AS (
    SELECT other.project_id, COUNT(DISTINCT LOWER(other.name)) AS n
    FROM {interventions} AS other
    WHERE LOWER(other.name) IN (SELECT LOWER(name) FROM {interventions} WHERE project_id = %(project)s)
    GROUP BY other.project_id
)
SELECT t.project_id, 2 * t.n + COALESCE(p.n, 0) + 3 * COALESCE(i.n, 0) AS score
FROM shared_themes AS t
LEFT JOIN shared_phases AS p ON p.project_id = t.project_id
LEFT JOIN shared_programmes AS i ON i.project_id = t.project_id
WHERE 2 * t.n + COALESCE(p.n, 0) + 3 * COALESCE(i.n, 0) >= 3
  AND t.project_id NOT IN (%(project)s, %(parent)s)
  AND t.project_id NOT IN (SELECT id FROM {projects} WHERE parent_id = %(project)s)
ORDER BY score DESC, t.project_id
LIMIT %(limit)s
"""


def score_similar_projects(project: Project, *, limit: int = 5) -> list[dict]:
    """Scored in the database (SIMILAR_SQL), then the chosen projects with their areas and the
    names they share: 3 queries, 1 when nothing is similar."""
    tables = {"themes": Project.themes.through._meta.db_table, "phases": Project.phases.through._meta.db_table,
              "interventions": Intervention._meta.db_table, "projects": Project._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(SIMILAR_SQL.format(**{name: connection.ops.quote_name(table) for name, table in tables.items()}),
                       {"project": project.pk, "parent": project.parent_id or 0, "limit": limit})
        scores = dict(cursor.fetchall())
    if not scores:
        return []
    others = Project.objects.select_related("area").in_bulk(list(scores))
    shared = _shared_names(project, list(scores))
    result = []
    for other_id, score in scores.items():
        reasons = [f"{kind}: {', '.join(sorted(shared[(other_id, kind)]))}"
                   for kind in ("themes", "phases", "programmes") if shared[(other_id, kind)]]
        result.append({"project": others[other_id], "score": score, "reason": "Shares " + "; ".join(reasons)})
    return result


def _shared_names(project: Project, chosen: list[int]) -> defaultdict:
    """(project id, "themes" | "phases" | "programmes") -> the names it shares with `project` (1 query)."""
    def named(rows, kind, name):
        return (rows.filter(project_id__in=chosen).order_by()
                .annotate(owner=F("project_id"), kind=Value(kind), shared=name).values_list("owner", "kind", "shared"))

    themes, phases = Project.themes.through.objects, Project.phases.through.objects
    programmes = Intervention.objects.annotate(lowered=Lower("name"))
    shared = defaultdict(set)
    for owner, kind, name in named(
        themes.filter(theme_id__in=themes.filter(project_id=project.pk).values("theme_id")), "themes",
        F("theme__name"),
    ).union(
        named(phases.filter(phase_id__in=phases.filter(project_id=project.pk).values("phase_id")), "phases",
              F("phase__name")),
        named(programmes.filter(lowered__in=programmes.filter(project_id=project.pk).values("lowered")),
              "programmes", F("lowered")),
    ):
        shared[(owner, kind)].add(name)
    return shared
