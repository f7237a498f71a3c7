"""Every operation of the API schema answers every format it advertises, an empty or unknown
`?format=` is a 400 naming the formats, and every file a spreadsheet may open is safe to open."""

import csv
import io
import json
import re

import pytest

from core.csv import CSVTable, neutralise, write_csv
from projects.models import Area, Organisation, Phase, Project, Source, Theme
from web.export import build_package

pytestmark = pytest.mark.django_db

# The formats a list or detail endpoint names in its 400 for an unknown format, and what each answers with.
CONTENT_TYPES = {"json": "application/json", "api": "text/html", "csv": "text/csv", "jsonl": "application/x-ndjson"}


def _operations(client) -> list[str]:
    """Every GET path of the schema, with its path parameter filled in from a real record."""
    slugs = {"areas": Area.objects.first().slug, "projects": Project.objects.first().slug,
             "themes": Theme.objects.first().slug, "phases": Phase.objects.first().slug,
             "organisations": Organisation.objects.first().slug, "sources": Source.objects.first().key}
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = []
    for path, operations in schema["paths"].items():
        assert "get" in operations
        if "{" in path:
            collection = path.split("/")[3]
            if collection not in slugs:  # outcomes and costs are listed, never fetched one by one
                continue
            path = re.sub(r"\{[^}]+\}", slugs[collection], path)
        paths.append(path)
    return paths


def test_the_schema_lists_every_endpoint(client):
    paths = _operations(client)
    assert len(paths) >= 14
    assert "/api/v1/projects/" in paths and any(path.startswith("/api/v1/projects/") and path.count("/") == 5
                                                 for path in paths)


def test_every_operation_answers_every_format_it_advertises(client):
    checked = 0
    for path in _operations(client):
        unknown = client.get(path, {"format": "xml"})
        assert unknown.status_code == 400, path
        formats = re.search(r"use one of: ([a-z, ]+)\.", unknown.json()["errors"]["format"][0]).group(1).split(", ")
        for name in formats:
            response = client.get(path, {"format": name})
            assert response.status_code == 200, (path, name, response.content[:200])
            if name in CONTENT_TYPES:
                assert response["Content-Type"].startswith(CONTENT_TYPES[name]), (path, name)
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/projects/", "/api/v1/projects/blackpool-ks3-literacy/",
                                  "/api/v1/dictionary/", "/api/v1/schema/"])
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_format_is_a_400_not_a_silent_default(client, path, value):
    response = client.get(path, {"format": value})
    assert response.status_code == 400
    assert "The format is empty; use one of: " in response.content.decode()  # the schema answers in YAML


def test_a_project_as_csv_is_its_one_flat_row_with_the_lists_columns(client):
    listed = list(csv.DictReader(io.StringIO(client.get("/api/v1/projects/", {"format": "csv"}).content.decode())))
    for project in Project.objects.all():
        response = client.get(f"/api/v1/projects/{project.slug}/", {"format": "csv"})
        assert response.status_code == 200, project.slug
        assert response["Content-Disposition"] == f'attachment; filename="{project.slug}.csv"'
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows == [row for row in listed if row["slug"] == project.slug]


def test_an_unknown_project_as_csv_is_a_404_table(client):
    response = client.get("/api/v1/projects/no-such-project/", {"format": "csv"})
    assert response.status_code == 404
    assert response.content.decode().splitlines()[0] == "parameter,problem"


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1/nowhere/", "/api/v2/projects/"])
def test_unknown_api_paths_answer_json(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"detail": ["Not found."]}, "status": 404}


@pytest.mark.parametrize("url", ["/", "/projects/", "/api/v1/projects/", "/api/v1/docs/", "/data/", "/no-such-page/"])
def test_every_response_switches_off_browser_features_the_site_never_uses(client, url):
    policy = client.get(url)["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.mark.parametrize("text", [" =1+1", "  +1", "\n@SUM(A1)", " -2+3", "=1", "\tx"])
def test_formulas_are_neutralised_after_leading_whitespace_too(text):
    assert neutralise(text) == "'" + text
    row = next(csv.DictReader(io.StringIO(write_csv(CSVTable([{"cell": text}], ["cell"])))))
    assert row["cell"].startswith("'")


@pytest.mark.parametrize("text", ["Phonics", "KS2 = 10%", "", "1 - 2"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralise(text) == text


def test_the_open_data_csv_files_neutralise_formulas(tmp_path):
    project = Project.objects.first()
    Project.objects.filter(pk=project.pk).update(summary=' =HYPERLINK("http://example.org","x")')
    package = build_package(tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text())
    projects_file = next(resource["path"] for resource in descriptor["resources"] if resource["name"] == "projects")
    with (package / projects_file).open(newline="", encoding="utf-8") as handle:
        row = next(row for row in csv.DictReader(handle) if row["slug"] == project.slug)
    assert row["summary"] == "' =HYPERLINK(\"http://example.org\",\"x\")"
