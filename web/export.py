"""The whole evidence base as open data: a Frictionless Data Package of tidy CSV tables joined by
keys, the same tables as one SQLite database, and a zip of both, for one data version.

Every field's description comes from the data dictionary (web/dictionary.py), so the package,
the API and the dictionary page describe each field once.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from core.csv import neutralise
from core.versioning import current_data_version
from costs.figures import figure_note, project_cost_figures
from costs.models import CostCount, CostLine, CostTotal
from outcomes.evidence import project_evidence, rating_label
from outcomes.figures import outcome_figures, reported_change, reported_change_text
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
from web.citing import PUBLISHER
from web.dictionary import PACKAGE_FIELDS, PACKAGE_TABLES, package_constraints

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SOURCE_LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
LICENCE_STATEMENT = (
    "The OA Evidence data (curated records, derived figures and ratings) is published under the "
    "Creative Commons Attribution 4.0 licence. Quotes and figures come from documents that remain "
    "the copyright of their publishers (Crown copyright for the Department for Education), reused "
    "under the terms each publisher gives: the Open Government Licence v3.0 for UK government "
    "publications unless a document says otherwise."
)
TITLE = "OA Evidence: England's Opportunity Areas school-improvement projects"
DESCRIPTION = ("Curated evidence on the Opportunity Areas programme's projects: costs, outcomes, findings, "
               "evidence ratings, and the verbatim quote behind every figure.")
DERIVED = ["total_cost", "oa_cost", "match_funding", "cost_per_school", "cost_per_pupil", "cost_per_pupil_per_year"]


def attribution(version: str) -> str:
    return (f"OA Evidence, data version {version}. Contains public sector information licensed under the "
            "Open Government Licence v3.0.")


@dataclass
class Table:
    name: str
    title: str
    rows: list[dict]
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (field, table, field)

    @property
    def fields(self) -> list[str]:
        return list(PACKAGE_FIELDS[self.name])


def _values(queryset, **columns) -> list[dict]:
    """Rows with the given columns, each `name=lookup` (a field of the model, or across a relation)."""
    return [{name: row[lookup] for name, lookup in columns.items()}
            for row in queryset.values(*dict.fromkeys(columns.values()))]


def _derived_rows() -> list[dict]:
    rows = []
    for project in Project.objects.with_figures().select_related("evidence").order_by("slug"):
        figures, rating = project_cost_figures(project=project), project_evidence(project=project)
        row = {"project": project.slug}
        for name in DERIVED:
            row[name] = figures[name].value
            row[f"{name}_note"] = figure_note(project=project, name=name)
        row.update(cost_band=project.cost_band, cost_band_note=figure_note(project=project, name="cost_band"),
                   evidence_rating=project.evidence_rating,
                   evidence_rating_label=rating_label(project.evidence_rating),
                   evidence_why=rating.why if rating else "", headline_direction=project.headline_direction)
        rows.append(row)
    return rows


def _outcome_rows() -> list[dict]:
    rows = []
    for measure in OutcomeMeasure.objects.select_related("project", "phase").order_by("id"):
        figures = outcome_figures(measure=measure)
        rows.append({
            "id": measure.pk, "project": measure.project.slug, "metric": measure.metric, "subject": measure.subject,
            "phase": measure.phase.slug if measure.phase else None, "pupil_group": measure.group, "unit": measure.unit,
            "baseline_value": measure.baseline_value, "baseline_year": measure.baseline_year,
            "followup_value": measure.followup_value, "followup_year": measure.followup_year,
            "comparator_label": measure.comparator_label,
            "comparator_baseline_value": measure.comparator_baseline_value,
            "comparator_followup_value": measure.comparator_followup_value,
            "change": figures["change"].value, "gap_before": figures["gap_before"].value,
            "gap_after": figures["gap_after"].value, "reported_change": reported_change(measure=measure),
            "reported_change_unit": measure.reported_change_unit,
            "reported_change_period": measure.reported_change_period,
            "reported_change_text": reported_change_text(measure=measure),
            "comparator_reported_change": reported_change(measure=measure, comparator=True),
            "evidence_type": measure.evidence_type, "kind": measure.kind, "note": measure.note,
        })
    return rows


def _record_citations() -> list[dict]:
    """Which quotes support which record, for every kind of record, in one tidy table."""
    links = [("projects", Project.citations.through, "project__slug"),
             ("projects.reach", Project.reach_citations.through, "project__slug"),
             ("cost_lines", CostLine.citations.through, "costline_id"),
             ("cost_totals", CostTotal.citations.through, "costtotal_id"),
             ("cost_counts", CostCount.citations.through, "costcount_id"),
             ("outcome_measures", OutcomeMeasure.citations.through, "outcomemeasure_id"),
             ("findings", Finding.citations.through, "finding_id"),
             ("interventions", Intervention.citations.through, "intervention_id"),
             ("evidence_assessments", EvidenceAssessment.citations.through, "evidenceassessment__project__slug"),
             ("headlines", Headline.citations.through, "headline__project__slug"),
             ("area_figures", AreaFigure.citations.through, "areafigure_id")]
    rows = []
    for table, through, record in links:
        pairs = through.objects.values_list(record, "citation_id").order_by(record, "citation_id")
        for record_id, citation_id in pairs:
            rows.append({"record_table": table, "record_id": str(record_id), "citation": citation_id})
    return rows


def tables() -> list[Table]:
    """Every table of the package, read from the database (a fixed number of queries)."""
    project_fk = [("project", "projects", "slug")]
    return [
        Table("areas", "Areas", _values(Area.objects.order_by("slug"), slug="slug", name="name", kind="kind",
                                        region="region", description="description"), ["slug"]),
        Table("themes", "Themes", _values(Theme.objects.order_by("slug"), slug="slug", name="name",
                                          description="description", parent="parent__slug"),
              ["slug"], [("parent", "themes", "slug")]),
        Table("phases", "Phases", _values(Phase.objects.order_by("order"), slug="slug", name="name",
                                          position="order", description="description"), ["slug"]),
        Table("organisations", "Organisations", _values(Organisation.objects.order_by("slug"), slug="slug",
                                                        name="name", kind="kind"), ["slug"]),
        Table("sources", "Source documents", _values(Source.objects.order_by("key"), key="key", title="title",
                                                     publisher="publisher", published="published",
                                                     date_precision="date_precision", kind="kind", url="url",
                                                     summary="summary"), ["key"]),
        Table("citations", "Citations: verbatim quotes", _values(Citation.objects.order_by("id"), id="id",
                                                                source="source__key", locator="locator",
                                                                quote="quote"),
              ["id"], [("source", "sources", "key")]),
        Table("projects", "Projects", _values(Project.objects.order_by("slug"), slug="slug", title="title",
                                              area="area__slug", parent="parent__slug", summary="summary",
                                              problem="problem", activities="activities", start_year="start_year",
                                              end_year="end_year", schools_reached="schools_reached",
                                              pupils_reached="pupils_reached", reach_note="reach_note"),
              ["slug"], [("area", "areas", "slug"), ("parent", "projects", "slug")]),
        Table("project_themes", "Projects' themes", _values(Project.themes.through.objects.order_by("id"),
                                                            project="project__slug", theme="theme__slug"),
              ["project", "theme"], [*project_fk, ("theme", "themes", "slug")]),
        Table("project_phases", "Projects' phases", _values(Project.phases.through.objects.order_by("id"),
                                                            project="project__slug", phase="phase__slug"),
              ["project", "phase"], [*project_fk, ("phase", "phases", "slug")]),
        Table("project_organisations", "Organisations' roles in projects",
              _values(ProjectOrganisation.objects.order_by("id"), project="project__slug",
                      organisation="organisation__slug", role="role"),
              ["project", "organisation", "role"], [*project_fk, ("organisation", "organisations", "slug")]),
        Table("interventions", "Programmes used in projects",
              _values(Intervention.objects.order_by("id"), id="id", project="project__slug", name="name",
                      provider="provider", delivery="delivery", description="description"), ["id"], project_fk),
        Table("findings", "Findings", _values(Finding.objects.order_by("id"), id="id", project="project__slug",
                                              kind="kind", title="title", text="text"), ["id"], project_fk),
        Table("cost_lines", "Cost lines, as the documents state them",
              _values(CostLine.objects.order_by("id"), id="id", project="project__slug", cost_table="table",
                      description="description", category="category", period="period_label",
                      start_year="start_year", end_year="end_year", amount="amount",
                      funding_source="funding_source"), ["id"], project_fk),
        Table("cost_totals", "Totals and per-beneficiary figures the documents state",
              _values(CostTotal.objects.order_by("id"), id="id", project="project__slug", cost_table="table",
                      label="label", kind="kind", amount="amount", period="period_label",
                      discrepancy="discrepancy"), ["id"], project_fk),
        Table("cost_counts", "Counts of schools or pupils derived figures divide by",
              _values(CostCount.objects.order_by("id"), id="id", project="project__slug", unit="unit", count="count",
                      per="per", covers="covers", cohorts="cohorts", start_year="start_year",
                      end_year="end_year", qualifier="qualifier"), ["id"], project_fk),
        Table("derived_figures", "Derived cost figures and evidence ratings", _derived_rows(), ["project"],
              project_fk),
        Table("outcome_measures", "Outcome measures", _outcome_rows(), ["id"],
              [*project_fk, ("phase", "phases", "slug")]),
        Table("evidence_assessments", "Evidence rating inputs",
              _values(EvidenceAssessment.objects.order_by("project__slug"), project="project__slug",
                      design="design", evaluator="evaluator", evaluator_name="evaluator_name",
                      sample_schools="sample_schools", sample_pupils="sample_pupils", note="note"),
              ["project"], project_fk),
        Table("headlines", "Headline outcomes",
              _values(Headline.objects.order_by("project__slug"), project="project__slug", outcome="outcome_id",
                      direction="direction", statement="statement"),
              ["project"], [*project_fk, ("outcome", "outcome_measures", "id")]),
        Table("area_figures", "Programme-level figures of areas",
              _values(AreaFigure.objects.order_by("id"), id="id", area="area__slug", label="label", value="value",
                      unit="unit", qualifier="qualifier", period="period_label", note="note"),
              ["id"], [("area", "areas", "slug")]),
        Table("record_citations", "Which quotes support which record", _record_citations(),
              ["record_table", "record_id", "citation"], [("citation", "citations", "id")]),
    ]


def _cell(value):
    return "" if value is None else neutralise(value)


def _field(table: str, name: str) -> dict:
    kind, description, unit = PACKAGE_FIELDS[table][name]
    field = {"name": name, "type": kind, "description": description}
    if unit:
        field["unit"] = unit  # not a Table Schema property: readers that know none ignore it
    if constraints := package_constraints()[table].get(name):
        field["constraints"] = constraints
    return field


def _schema(table: Table) -> dict:
    schema = {"fields": [_field(table.name, name) for name in table.fields], "primaryKey": table.primary_key}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": local, "reference": {"resource": "" if other == table.name else other, "fields": remote}}
            for local, other, remote in table.foreign_keys
        ]
    return schema


def _write_csv(path: Path, table: Table) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=table.fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({name: _cell(row.get(name)) for name in table.fields} for row in table.rows)


SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}

# Columns a reader filters or groups on, indexed beside every foreign key (Datasette facets on them).
SQLITE_INDEXES: dict[str, list[str]] = {
    "areas": ["kind", "region"], "organisations": ["kind"], "sources": ["kind", "published"],
    "projects": ["start_year", "end_year"], "project_organisations": ["role"], "interventions": ["delivery"],
    "findings": ["kind"], "cost_lines": ["category", "funding_source", "start_year", "end_year"],
    "cost_totals": ["kind"], "cost_counts": ["unit", "per"],
    "derived_figures": ["cost_band", "evidence_rating", "headline_direction", "total_cost", "cost_per_pupil"],
    "outcome_measures": ["subject", "pupil_group", "unit", "evidence_type"],
    "evidence_assessments": ["design", "evaluator"], "headlines": ["direction"], "area_figures": ["unit"],
    "record_citations": ["record_id"],
}
SEARCHABLE = ("projects", ["title", "summary"])  # full-text index: projects_fts


def _write_sqlite(path: Path, all_tables: list[Table], version: str) -> None:
    """The tables with their primary and foreign keys, an index on every key and filter column,
    and a full-text index of project titles and summaries (what Datasette's search box uses)."""
    import sqlite_utils  # imports pandas; the files are written at each load, not by the web workers

    database = sqlite_utils.Database(path)
    for table in all_tables:
        database[table.name].create(
            {name: SQLITE_TYPES[PACKAGE_FIELDS[table.name][name][0]] for name in table.fields},
            pk=table.primary_key[0] if len(table.primary_key) == 1 else tuple(table.primary_key),
            foreign_keys=table.foreign_keys,
        )
        database[table.name].insert_all(
            ({name: _sqlite_value(row.get(name)) for name in table.fields} for row in table.rows), batch_size=500)
    for table in all_tables:
        for columns in [[local] for local, _, _ in table.foreign_keys] + [[name] for name in
                                                                         SQLITE_INDEXES.get(table.name, [])]:
            if columns != table.primary_key[:1]:  # the primary key's first column is indexed already
                database[table.name].create_index(columns, if_not_exists=True)
    table_name, columns = SEARCHABLE
    database[table_name].enable_fts(columns, tokenize="porter")
    database["data_version"].insert({"version": version, "licence": LICENCE["title"],
                                     "attribution": attribution(version)})
    database.conn.commit()
    database.close()


def datasette_metadata(all_tables: list[Table], version: str) -> dict:
    """metadata.json for `datasette evidence.sqlite --metadata metadata.json`: the licence, the
    source and every table's and column's description, units included in the text (Datasette's
    own `units` key takes only Pint units, which know no GBP)."""
    def column(table: str, name: str) -> str:
        _, description, unit = PACKAGE_FIELDS[table][name]
        return f"{description} Unit: {unit}." if unit else description

    return {
        "title": TITLE, "description": f"{DESCRIPTION} Data version {version}.",
        "license": LICENCE["title"], "license_url": LICENCE["path"],
        "source": "The published documents in the sources table, every figure quoted from one",
        "source_url": f"{settings.SITE_URL}/sources/",
        "databases": {"evidence": {"tables": {
            **{table.name: {"title": table.title, "description": table.title,
                            "columns": {name: column(table.name, name) for name in table.fields}}
               for table in all_tables},
            "data_version": {"description": "The data version of this file, its licence and the attribution to use."},
        }}},
    }


def _sqlite_value(value):
    if value is None or isinstance(value, int | float | str):
        return value
    return float(value) if hasattr(value, "as_tuple") else str(value)  # Decimal as a number, dates as text


def build_package(target: Path) -> Path:
    """Write the package for the current data version into `target`: a folder
    `oa-evidence-<version>/` (datapackage.json, one CSV per table, evidence.sqlite, LICENCE.txt),
    a zip of it, and manifest.json (each file's size and SHA-256). Returns the folder."""
    version = current_data_version()
    name = f"oa-evidence-{version['hash']}"
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target))
    folder = work / name
    folder.mkdir()
    all_tables = tables()
    for table in all_tables:
        _write_csv(folder / f"{table.name}.csv", table)
    _write_sqlite(folder / "evidence.sqlite", all_tables, version["hash"])
    (folder / "metadata.json").write_text(json.dumps(datasette_metadata(all_tables, version["hash"]), indent=2,
                                                     ensure_ascii=False), encoding="utf-8")
    (folder / "LICENCE.txt").write_text(f"{LICENCE_STATEMENT}\n\nAttribution: {attribution(version['hash'])}\n",
                                        encoding="utf-8")
    descriptor = _descriptor(folder, all_tables, version)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    _write_zip(work / f"{name}.zip", folder)
    files = [folder / "datapackage.json", work / f"{name}.zip", folder / "evidence.sqlite", folder / "metadata.json",
             folder / "LICENCE.txt",
             *(folder / f"{table.name}.csv" for table in all_tables)]
    manifest = {"version": version["hash"], "created": descriptor["created"],
                "rows": {table.name: len(table.rows) for table in all_tables},
                "files": [{"name": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)} for path in files]}
    (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    final = target / version["hash"]
    if final.exists():
        shutil.rmtree(work)
    else:
        os.replace(work, final)  # atomic: a reader sees a whole export or none
    return final / name


def _descriptor(folder: Path, all_tables: list[Table], version: dict) -> dict:
    """datapackage.json (Frictionless Data Package v1): every resource with its schema, units,
    constraints, size and SHA-256, the documents the data comes from, and who made it."""
    documents = Source.objects.order_by("key").values("title", "url")
    return {
        "profile": "tabular-data-package",
        "id": f"{settings.SITE_URL}/data/oa-evidence-{version['hash']}.zip",
        "name": "oa-evidence", "title": TITLE, "description": DESCRIPTION,
        "version": version["hash"],
        "created": version["loaded_at"].isoformat() if version["loaded_at"] else None,
        "homepage": f"{settings.SITE_URL}/data/",
        "licenses": [LICENCE],
        "sources": [{"title": doc["title"], **({"path": doc["url"]} if doc["url"] else {})} for doc in documents],
        "contributors": [{"title": PUBLISHER, "role": "author"},
                         {"title": PUBLISHER, "role": "publisher", "path": f"{settings.SITE_URL}/about/"}],
        "keywords": ["Opportunity Areas", "school improvement", "education", "England"],
        "resources": [{"name": table.name, "title": table.title, "description": PACKAGE_TABLES[table.name],
                       "path": f"{table.name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                       "profile": "tabular-data-resource",
                       "bytes": (folder / f"{table.name}.csv").stat().st_size,
                       "hash": f"sha256:{_sha256(folder / f'{table.name}.csv')}",
                       "schema": _schema(table)} for table in all_tables],
    }


# Every entry of the zip gets the same date and permissions, in name order, so the same data
# version always zips to the same bytes (its SHA-256 can be cited and checked).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _write_zip(path: Path, folder: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for member in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"{folder.name}/{member.name}", date_time=ZIP_DATE)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # Unix, so the permissions read the same everywhere
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.read_bytes(), compresslevel=9)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def current_export() -> tuple[Path, dict]:
    """The export of the current data version (built on first use) and its manifest."""
    version = current_data_version()["hash"]
    folder = Path(settings.EXPORT_DIR) / version
    if not (folder / "manifest.json").exists():
        build_package(Path(settings.EXPORT_DIR))
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def export_file(name: str, version: str | None = None) -> Path | None:
    """A file of the current export (or of an earlier version's, still on disk) by its name, or None."""
    if version is None:
        folder, manifest = current_export()
    else:
        folder = Path(settings.EXPORT_DIR) / version
        if not VERSION_NAME.fullmatch(version) or not (folder / "manifest.json").exists():
            return None
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    known = {item["name"] for item in manifest["files"]}
    if name not in known:
        return None
    package = folder / f"oa-evidence-{manifest['version']}"
    return folder / name if (folder / name).exists() else package / name


VERSION_NAME = re.compile(r"[0-9a-f]{12}")


def past_exports() -> list[dict]:
    """The packages of earlier data versions still kept under EXPORT_DIR, newest first: each
    version's name, when it was loaded, and its zip (name, bytes, SHA-256). Reads no database,
    so a version stays listed after a reload whatever the database keeps."""
    current = current_data_version()["hash"]
    found = []
    for manifest_path in Path(settings.EXPORT_DIR).glob("*/manifest.json"):
        version = manifest_path.parent.name
        if version == current or not VERSION_NAME.fullmatch(version):
            continue
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        zipped = next((item for item in manifest["files"] if item["name"].endswith(".zip")), None)
        created = manifest.get("created") or _created_of(manifest_path.parent / f"oa-evidence-{version}")
        if zipped:
            found.append({"version": version, "created": datetime.fromisoformat(created) if created else None,
                          "zip": zipped})
    return sorted(found, key=lambda item: (item["created"] is not None, item["created"] or 0, item["version"]),
                  reverse=True)


def _created_of(package: Path) -> str | None:
    """When a package written before manifests named it was loaded: its datapackage.json says."""
    try:
        return json.loads((package / "datapackage.json").read_text(encoding="utf-8")).get("created")
    except (OSError, ValueError):
        return None
