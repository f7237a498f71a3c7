"""Similar projects are scored in the database; the result is what the Python scoring gave."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import DataVersion
from projects.models import Intervention, Project
from web.similar import score_similar_projects
from web.synthetic import generate_synthetic

pytestmark = pytest.mark.django_db


def reference_similar(project: Project, *, limit: int = 5) -> list[tuple]:
    """The previous algorithm, scoring every candidate in Python: 2 per shared theme, 1 per shared
    phase, 3 per shared programme name (any case); at least one theme and a score of 3; not the
    project, its parent or its sub-projects; highest score first, then the lowest id."""
    def names(model, name_field, lowered=False):
        found: dict[int, set] = {}
        for project_id, name in model.objects.values_list("project_id", name_field):
            found.setdefault(project_id, set()).add(name.lower() if lowered else name)
        return found

    themes, phases = names(Project.themes.through, "theme__name"), names(Project.phases.through, "phase__name")
    programmes = names(Intervention, "name", lowered=True)
    mine = [index.get(project.pk, set()) for index in (themes, phases, programmes)]
    related = {project.pk, project.parent_id} | set(project.children.values_list("pk", flat=True))
    scored = []
    for other_id in themes:
        if other_id in related:
            continue
        shared = [sorted(own & index.get(other_id, set())) for own, index in zip(mine, (themes, phases, programmes),
                                                                                 strict=True)]
        score = 2 * len(shared[0]) + len(shared[1]) + 3 * len(shared[2])
        if shared[0] and score >= 3:
            scored.append((score, other_id, shared))
    scored.sort(key=lambda item: (-item[0], item[1]))
    result = []
    for score, other_id, (shared_themes, shared_phases, shared_programmes) in scored[:limit]:
        reasons = [f"themes: {', '.join(shared_themes)}"]
        if shared_phases:
            reasons.append(f"phases: {', '.join(shared_phases)}")
        if shared_programmes:
            reasons.append(f"programmes: {', '.join(shared_programmes)}")
        result.append((Project.objects.get(pk=other_id).slug, score, "Shares " + "; ".join(reasons)))
    return result


def scored_in_the_database(project: Project) -> list[tuple]:
    return [(item["project"].slug, item["score"], item["reason"]) for item in score_similar_projects(project, limit=5)]


def test_the_database_scores_every_curated_project_as_python_did():
    projects = list(Project.objects.all())
    assert len(projects) >= 50
    results = {project.slug: scored_in_the_database(project) for project in projects}
    assert results == {project.slug: reference_similar(project) for project in projects}
    assert sum(bool(found) for found in results.values()) > len(projects) // 2  # not vacuous
    assert any("phases: " in reason for found in results.values() for _, _, reason in found)
    assert any(project.parent_id or project.children.exists() for project in projects)


def test_the_database_scores_a_synthetic_corpus_as_python_did():
    Project.objects.all().delete()
    DataVersion.objects.all().delete()
    generate_synthetic(projects=150, areas=3, seed=11)
    for intervention in Intervention.objects.order_by("pk")[::2]:
        intervention.name = intervention.name.upper()  # the same programme, written another way
        intervention.save(update_fields=["name"])
    projects = list(Project.objects.order_by("pk")[::3])
    results = {project.slug: scored_in_the_database(project) for project in projects}
    assert results == {project.slug: reference_similar(project) for project in projects}
    assert sum(len(found) == 5 for found in results.values()) > len(projects) // 2
    assert any("programmes: " in reason for found in results.values() for _, _, reason in found)


def test_similar_projects_take_three_queries_whatever_the_corpus():
    project = Project.objects.get(slug="derby-ks2-maths")
    with CaptureQueriesContext(connection) as captured:
        similar = score_similar_projects(project, limit=5)
        [item["project"].area.name for item in similar]  # the areas come with the projects
    assert len(similar) == 5 and len(captured) == 3  # the scores, the projects with areas, the shared names
