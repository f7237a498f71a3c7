"""Open data: the whole evidence base as a Frictionless Data Package and a SQLite database of one
data version, pandas-friendly JSON, a licence everywhere, CORS for the API and downloads, and
schema.org metadata."""

import hashlib
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pytest
from django.core.management import call_command

from web.export import SQLITE_INDEXES, build_package, tables

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def package(tmp_path):
    return build_package(tmp_path)


def test_the_package_validates_with_frictionless_and_every_foreign_key_resolves(package):
    report = frictionless.validate(package / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    descriptor = json.loads((package / "datapackage.json").read_text())
    assert descriptor["version"] == package.name.removeprefix("oa-evidence-")
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert sum(1 for resource in descriptor["resources"] if resource["schema"].get("foreignKeys")) >= 15


def test_a_broken_key_fails_validation(package, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    projects = (broken / "projects.csv").read_text().replace(",blackpool,", ",atlantis,", 1)
    (broken / "projects.csv").write_text(projects)
    assert not frictionless.validate(broken / "datapackage.json").valid


def test_the_descriptor_names_the_documents_the_makers_and_a_stable_id(package):
    from projects.models import Source

    descriptor = json.loads((package / "datapackage.json").read_text())
    assert [source["title"] for source in descriptor["sources"]] == list(
        Source.objects.order_by("key").values_list("title", flat=True))
    assert len(descriptor["sources"]) == 5 and not any("licence" in json.dumps(s).lower()
                                                       for s in descriptor["sources"])
    assert {contributor["role"] for contributor in descriptor["contributors"]} == {"author", "publisher"}
    assert descriptor["id"].endswith(f"/data/oa-evidence-{descriptor['version']}.zip")


def test_every_resource_states_its_description_size_and_sha256(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        body = (package / resource["path"]).read_bytes()
        assert resource["description"].startswith("One row per")
        assert resource["bytes"] == len(body)
        assert resource["hash"] == f"sha256:{hashlib.sha256(body).hexdigest()}"


def test_fields_carry_units_and_constraints_from_the_dictionary(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    fields = {(resource["name"], field["name"]): field for resource in descriptor["resources"]
              for field in resource["schema"]["fields"]}
    assert fields["cost_lines", "amount"]["unit"] == "GBP"
    assert fields["cost_lines", "amount"]["constraints"] == {"required": True, "minimum": 0}
    assert fields["cost_lines", "category"]["constraints"]["enum"][:2] == ["staffing", "training"]
    assert fields["derived_figures", "evidence_rating"]["constraints"] == {"minimum": 0, "maximum": 5}
    assert fields["derived_figures", "cost_band"]["constraints"]["enum"] == [
        "very_low", "low", "moderate", "high", "very_high"]
    assert fields["outcome_measures", "pupil_group"]["constraints"]["required"] is True
    assert fields["outcome_measures", "baseline_value"]["unit"] == "the row's unit field"
    assert fields["projects", "start_year"]["unit"] == "year"
    used = {row["record_table"] for row in next(t for t in tables() if t.name == "record_citations").rows}
    assert used <= set(fields["record_citations", "record_table"]["constraints"]["enum"])


@pytest.mark.parametrize(("csv_name", "before", "after"), [
    ("cost_lines.csv", ",staffing,", ",bribery,"),  # not in the enum
    ("phases.csv", "Early years", "Early yearz"),  # valid, but no longer the file the hash names
])
def test_a_value_outside_its_constraints_or_a_changed_file_fails_validation(package, tmp_path, csv_name, before,
                                                                             after):
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    text = (broken / csv_name).read_text()
    assert before in text
    (broken / csv_name).write_text(text.replace(before, after, 1))
    assert not frictionless.validate(broken / "datapackage.json").valid


def test_the_zip_is_the_same_bytes_every_time_it_is_built(tmp_path, settings):
    first = build_package(tmp_path / "first")
    settings.EXPORT_DIR = tmp_path / "elsewhere"
    second = build_package(tmp_path / "second")
    zipped = [folder.parent / f"{folder.name}.zip" for folder in (first, second)]
    assert zipped[0].read_bytes() == zipped[1].read_bytes()
    with zipfile.ZipFile(zipped[0]) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_the_sqlite_database_holds_the_same_rows_as_the_database(package):
    database = sqlite3.connect(package / "evidence.sqlite")
    for table in tables():
        assert database.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone()[0] == len(table.rows), table.name
    assert database.execute("SELECT version FROM data_version").fetchone()[0] == package.name[len("oa-evidence-"):]
    from projects.models import Project

    assert database.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == Project.objects.count()


def test_the_sqlite_database_declares_its_foreign_keys_and_indexes_every_key_and_filter(package):
    database = sqlite3.connect(package / "evidence.sqlite")
    for table in tables():
        declared = {(row[3], row[2], row[4]) for row in database.execute(f"PRAGMA foreign_key_list('{table.name}')")}
        assert declared == set(table.foreign_keys), table.name
        indexes = [row[1] for row in database.execute(f"PRAGMA index_list('{table.name}')")]
        first_columns = {database.execute(f"PRAGMA index_info('{name}')").fetchone()[2] for name in indexes}
        first_columns.add(table.primary_key[0])  # the primary key (or rowid) leads with it
        wanted = {local for local, _, _ in table.foreign_keys} | set(SQLITE_INDEXES.get(table.name, []))
        assert wanted <= first_columns, (table.name, wanted - first_columns)
    assert "cost_per_pupil" in SQLITE_INDEXES["derived_figures"]
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    database.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("INSERT INTO projects (slug, title, area) VALUES ('x', 'X', 'atlantis')")


def test_the_sqlite_database_searches_project_titles_and_summaries(package):
    database = sqlite3.connect(package / "evidence.sqlite")
    hits = {slug for (slug,) in database.execute(
        "SELECT p.slug FROM projects_fts JOIN projects p ON p.rowid = projects_fts.rowid "
        "WHERE projects_fts MATCH ? ORDER BY rank", ["phonics"])}
    assert "derby-ks1-phonics" in hits
    assert all("phonic" in " ".join(database.execute("SELECT title || ' ' || summary FROM projects WHERE slug = ?",
                                                         [slug]).fetchone()).lower() for slug in hits)


def test_no_column_of_the_package_needs_quoting_in_sql(package):
    reserved = {"table", "group", "order", "select", "from", "where", "index", "limit", "default", "check",
                "references", "union", "join", "by", "values", "unique", "primary"}
    for table in tables():
        assert not reserved & set(table.fields), table.name
    database = sqlite3.connect(package / "evidence.sqlite")
    assert database.execute("SELECT cost_table FROM cost_lines LIMIT 1").fetchone()
    assert database.execute("SELECT pupil_group FROM outcome_measures LIMIT 1").fetchone()
    assert database.execute("SELECT position FROM phases ORDER BY position LIMIT 1").fetchone() == (1,)


def test_datasette_metadata_describes_every_table_and_column_with_units_and_licence(package):
    metadata = json.loads((package / "metadata.json").read_text())
    assert metadata["license"] == "Creative Commons Attribution 4.0"
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["title"] and metadata["source"] and metadata["description"]
    described = metadata["databases"]["evidence"]["tables"]
    database = sqlite3.connect(package / "evidence.sqlite")
    for table in tables():
        columns = [row[1] for row in database.execute(f"PRAGMA table_info('{table.name}')")]
        assert described[table.name]["description"]
        assert set(described[table.name]["columns"]) == set(columns), table.name
    assert "Unit: GBP." in described["cost_lines"]["columns"]["amount"]
    assert "Unit: year." in described["projects"]["columns"]["start_year"]
    assert "metadata.json" in {item["name"] for item in json.loads((package.parent / "manifest.json").read_text())[
        "files"]}


def test_every_field_is_described_once_from_the_dictionary(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        header = (package / resource["path"]).read_text().splitlines()[0].split(",")
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        assert all(field["description"] for field in resource["schema"]["fields"])


def test_export_data_writes_the_package_and_a_zip(tmp_path, capsys):
    call_command("export_data", "--out", str(tmp_path))
    zips = list(tmp_path.glob("*/oa-evidence-*.zip"))
    assert len(zips) == 1 and zips[0].stat().st_size > 10_000


def test_downloads_page_lists_files_with_size_checksum_version_and_licence(client):
    html = client.get("/data/").content.decode()
    assert "evidence.sqlite" in html and "datapackage.json" in html and "Creative Commons Attribution 4.0" in html
    sqlite_file = client.get("/data/evidence.sqlite")
    assert sqlite_file.status_code == 200
    body = b"".join(sqlite_file.streaming_content)
    assert hashlib.sha256(body).hexdigest()[:14] in html
    assert client.get("/data/../settings.py").status_code == 404
    assert "@misc{oaevidence_" in html  # cite this, as BibTeX


@pytest.mark.parametrize("url", ["/", "/data/"])
def test_json_ld_dataset_metadata_parses_and_names_the_licence(client, url):
    html = client.get(url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    metadata = json.loads(block)
    assert metadata["@type"] == "Dataset" and metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["version"] and any(item["contentUrl"].endswith(".zip") for item in metadata["distribution"])


def test_jsonl_lists_every_matching_row_with_no_envelope(client):
    body = client.get("/api/v1/projects/", {"format": "jsonl", "area": "derby"}).content.decode()
    rows = [json.loads(line) for line in body.splitlines()]
    from projects.models import Project

    assert len(rows) == Project.objects.filter(area__slug="derby").count() and all("slug" in row for row in rows)


@pytest.mark.parametrize("url", ["/api/v1/projects/", "/data/"])
def test_cors_on_the_api_and_downloads(client, url):
    response = client.get(url, HTTP_ORIGIN="https://observablehq.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_no_cors_on_pages(client):
    assert "Access-Control-Allow-Origin" not in client.get("/projects/", HTTP_ORIGIN="https://example.org")


def test_api_root_states_the_licence_and_attribution(client):
    body = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert body["licence"] == "Creative Commons Attribution 4.0" and "Open Government Licence" in body["attribution"]


@pytest.mark.live
def test_every_pandas_example_in_the_api_docs_runs(site, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    examples = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), re.S)
    assert len(examples) >= 2
    for code in examples:
        namespace = {"pd": pd}
        exec(code.replace("http://127.0.0.1:8000", site), namespace)  # noqa: S102 - our own documentation
    assert not namespace["spend"].empty and not namespace["quotes"].empty


def test_an_empty_jsonl_list_still_says_it_is_ndjson(client):
    response = client.get("/api/v1/projects/", {"format": "jsonl", "q": "zzzzqqqq"})
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Type"] == "application/x-ndjson"


def test_an_earlier_versions_package_stays_downloadable_after_a_reload(client, settings, tmp_path):
    from datetime import datetime, timedelta

    from core.models import DataVersion
    from core.versioning import forget_data_version

    settings.EXPORT_DIR = tmp_path / "exports"
    assert "None yet" in client.get("/data/").content.decode()  # builds this version's package
    old = DataVersion.objects.latest()
    DataVersion.objects.create(content_hash="f" * 64, loaded_at=old.loaded_at + timedelta(days=1))  # a reload
    forget_data_version()
    html = client.get("/data/").content.decode()
    assert "oa-evidence-ffffffffffff.zip" in html and "None yet" not in html
    row = re.search(rf'<tr data-version="{old.short_hash}">(.*?)</tr>', html, re.S).group(1)
    shown = datetime.fromisoformat(re.search(r'<time datetime="([^"]+)"', row).group(1))
    assert shown == old.loaded_at
    link = re.search(r'href="([^"]+)"', row).group(1)
    assert link == f"/data/{old.short_hash}/oa-evidence-{old.short_hash}.zip"
    body = b"".join(client.get(link).streaming_content)
    assert hashlib.sha256(body).hexdigest() in row
    assert client.get(f"/data/{old.short_hash}/../../settings.py").status_code == 404
    assert client.get(f"/data/{old.short_hash}/manifest.json").status_code == 404
    assert client.get(f"/data/nothex000000/oa-evidence-{old.short_hash}.zip").status_code == 404
