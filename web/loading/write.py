"""Write validated fixtures in the caller's transaction: rows matched by stable keys, so loading
the same fixtures twice changes nothing and a record removed from the fixtures is deleted."""

from __future__ import annotations

from django.db.models import Model

from costs.models import CostBasis, CostCount, CostLine, CostTotal
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
    ProjectOrganisation,
    Source,
    Theme,
)
from web.loading.finish import finish_load
from web.loading.read import Parsed


def sync(model: type[Model], rows: dict[str, dict], key_field: str = "key") -> tuple[dict[str, Model], list[int]]:
    """Create or update `model` rows to match `rows` (by key); return them and the stale pks."""
    existing = {getattr(obj, key_field): obj for obj in model.objects.all()}
    created, updated, changed_fields = [], [], set()
    for key, values in rows.items():
        obj = existing.pop(key, None)
        if obj is None:
            created.append(model(**{key_field: key}, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            updated.append(obj)
            changed_fields.update(changed)
    model.objects.bulk_create(created, batch_size=500)
    if updated:
        model.objects.bulk_update(updated, sorted(changed_fields), batch_size=500)
    objects = {getattr(obj, key_field): obj for obj in model.objects.all()}
    return objects, [obj.pk for obj in existing.values()]


def sync_links(through: type[Model], left: str, right: str, pairs: set[tuple[int, int]]) -> None:
    """Make a many-to-many table hold exactly `pairs` of (left id, right id)."""
    existing = {(a, b): pk for pk, a, b in through.objects.values_list("pk", f"{left}_id", f"{right}_id")}
    stale = [pk for pair, pk in existing.items() if pair not in pairs]
    through.objects.filter(pk__in=stale).delete()
    through.objects.bulk_create(
        [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in pairs - set(existing)], batch_size=500
    )


def sync_one_per_project(model: type[Model], rows: dict[str, dict], projects: dict[str, Model]) -> dict[str, Model]:
    """Make a model keyed by its project (a one-to-one row per project) hold exactly `rows`,
    keyed by project slug; return the rows by slug."""
    wanted = {projects[slug].pk: values for slug, values in rows.items()}
    model.objects.exclude(project_id__in=wanted).delete()
    existing = {obj.project_id: obj for obj in model.objects.all()}
    created, updated = [], []
    for project_id, values in wanted.items():
        obj = existing.get(project_id)
        if obj is None:
            created.append(model(project_id=project_id, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            updated.append(obj)
    model.objects.bulk_create(created, batch_size=500)
    if updated and rows:
        model.objects.bulk_update(updated, list(next(iter(rows.values()))), batch_size=500)
    by_id = {obj.project_id: obj for obj in model.objects.all()}
    return {slug: by_id[projects[slug].pk] for slug in rows}


def write(parsed: Parsed) -> dict[str, int]:
    """Write validated fixtures; the caller holds the transaction."""
    stale: list[tuple[type[Model], list[int]]] = []

    def apply(model, rows, key_field="key"):
        objects, stale_pks = sync(model, rows, key_field)
        stale.append((model, stale_pks))
        return objects

    sources = apply(Source, parsed.sources)
    citations = apply(Citation, {
        key: {"source_id": sources[c["source"]].pk, "locator": c["locator"], "quote": c["quote"],
              "footnote_marks": c["footnote_marks"]}
        for key, c in parsed.citations.items()
    })
    areas = apply(Area, parsed.areas, "slug")
    themes = apply(Theme, {slug: {k: v for k, v in t.items() if k != "parent"} for slug, t in parsed.themes.items()},
                   "slug")
    for slug, theme in parsed.themes.items():  # parents once every theme has a row
        parent_id = themes[theme["parent"]].pk if theme["parent"] else None
        if themes[slug].parent_id != parent_id:
            Theme.objects.filter(pk=themes[slug].pk).update(parent_id=parent_id)
    phases = apply(Phase, parsed.phases, "slug")
    organisations = apply(Organisation, parsed.organisations, "slug")
    project_fields = ("title", "summary", "problem", "activities", "start_year", "end_year",
                      "schools_reached", "pupils_reached", "reach_note", "reach_curation_note", "search_document",
                      "search_names")
    projects = apply(Project, {
        slug: {"slug": slug, "area_id": areas[p["area"]].pk, **{f: p[f] for f in project_fields}}
        for slug, p in parsed.projects.items()
    })
    for slug, p in parsed.projects.items():
        parent_id = projects[p["parent"]].pk if p["parent"] else None
        if projects[slug].parent_id != parent_id:
            Project.objects.filter(pk=projects[slug].pk).update(parent_id=parent_id)

    def children(rows, **foreign):
        result = {}
        for key, values in rows.items():
            values = dict(values)
            values["project_id"] = projects[values.pop("project")].pk
            for name, lookup in foreign.items():
                slug = values.pop(name)
                values[f"{name}_id"] = lookup[slug].pk if slug else None
            result[key] = values
        return result

    interventions = apply(Intervention, children(parsed.interventions))
    findings = apply(Finding, children(parsed.findings))
    cost_lines = apply(CostLine, children(parsed.cost_lines))
    cost_totals = apply(CostTotal, children(parsed.cost_totals))
    outcomes = apply(OutcomeMeasure, children(parsed.outcomes, phase=phases))
    cost_counts = apply(CostCount, children(parsed.cost_counts))
    area_figures = apply(AreaFigure, {
        key: {**{k: v for k, v in values.items() if k != "area"}, "area_id": areas[values["area"]].pk}
        for key, values in parsed.area_figures.items()
    })
    per_project = [
        (CostBasis, {slug: {k: v for k, v in b.items() if k not in ("project", "file")}
                     for slug, b in parsed.cost_bases.items()}),
        (EvidenceAssessment, {slug: {k: v for k, v in e.items() if k != "project"}
                              for slug, e in parsed.evidence.items()}),
        (Headline, {slug: {"direction": h["direction"], "statement": h["statement"],
                           "outcome_id": outcomes[h["outcome"]].pk if h["outcome"] else None}
                    for slug, h in parsed.headlines.items()}),
    ]
    one_per_project = {model: sync_one_per_project(model, rows, projects) for model, rows in per_project}

    # Stale rows go last, dependants first, so nothing protected is deleted before its users.
    for model, pks in reversed(stale):
        model.objects.filter(pk__in=pks).delete()

    roles = set()
    for project_slug, org_slug, role in parsed.roles:
        roles.add((projects[project_slug].pk, organisations[org_slug].pk, role))
    existing_roles = {
        (r.project_id, r.organisation_id, r.role): r.pk for r in ProjectOrganisation.objects.all()
    }
    ProjectOrganisation.objects.filter(
        pk__in=[pk for triple, pk in existing_roles.items() if triple not in roles]
    ).delete()
    ProjectOrganisation.objects.bulk_create([
        ProjectOrganisation(project_id=p, organisation_id=o, role=r) for p, o, r in roles - set(existing_roles)
    ])

    sync_links(Project.themes.through, "project", "theme", {
        (projects[slug].pk, themes[t].pk) for slug, p in parsed.projects.items() for t in p["themes"]
    })
    sync_links(Project.phases.through, "project", "phase", {
        (projects[slug].pk, phases[ph].pk) for slug, p in parsed.projects.items() for ph in p["phases"]
    })
    cited_models = {
        "project": (Project.citations.through, "project", projects),
        "reach": (Project.reach_citations.through, "project", projects),
        "intervention": (Intervention.citations.through, "intervention", interventions),
        "finding": (Finding.citations.through, "finding", findings),
        "cost_line": (CostLine.citations.through, "costline", cost_lines),
        "cost_total": (CostTotal.citations.through, "costtotal", cost_totals),
        "outcome": (OutcomeMeasure.citations.through, "outcomemeasure", outcomes),
        "cost_count": (CostCount.citations.through, "costcount", cost_counts),
        "area_figure": (AreaFigure.citations.through, "areafigure", area_figures),
        "evidence": (EvidenceAssessment.citations.through, "evidenceassessment", one_per_project[EvidenceAssessment]),
        "headline": (Headline.citations.through, "headline", one_per_project[Headline]),
    }
    for kind, (through, left, objects) in cited_models.items():
        pairs = {
            (objects[key].pk, citations[c].pk)
            for (record_kind, key), keys in parsed.cited.items() if record_kind == kind
            for c in keys
        }
        sync_links(through, left, "citation", pairs)

    counts = {
        "sources": len(parsed.sources), "areas": len(parsed.areas), "projects": len(parsed.projects),
        "cost_lines": len(parsed.cost_lines), "cost_totals": len(parsed.cost_totals),
        "outcome_measures": len(parsed.outcomes), "findings": len(parsed.findings),
        "interventions": len(parsed.interventions), "organisations": len(parsed.organisations),
        "citations": len(parsed.citations), "cost_counts": len(parsed.cost_counts),
        "area_figures": len(parsed.area_figures),
    }
    finish_load(content_hash=parsed.content_hash, counts=counts)
    return counts
