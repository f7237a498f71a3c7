"""The API's stored documents (web.documents) are exactly what the serializers produce, for every
project, and every load rebuilds them."""

import orjson
import pytest
from django.core.management import call_command

from core.csv import flatten, read_stored_row
from core.models import DataVersion
from core.renderers import ORJSONRenderer
from projects.models import Project
from tests.minimal import load_tree, project, write_tree
from web.api import ProjectDetailSerializer, ProjectSerializer
from web.loading.finish import analyze_tables
from web.models import ProjectDocument
from web.synthetic import generate_synthetic

pytestmark = pytest.mark.django_db


def serialized(serializer, queryset) -> dict:
    """What the serializer gives for each project, through the API's own JSON renderer."""
    render = ORJSONRenderer().render
    return {p.pk: orjson.loads(render(data)) for p, data in zip(queryset, serializer(queryset, many=True).data,
                                                                     strict=True)}


def assert_documents_match_the_serializers():
    projects = Project.objects.order_by("pk")
    details = serialized(ProjectDetailSerializer, list(projects.for_detail()))
    listed = list(projects.for_api_list())
    rows = serialized(ProjectSerializer, listed)
    csv_rows = {p.pk: flatten(data) for p, data in zip(listed, ProjectSerializer(listed, many=True).data,
                                                         strict=True)}
    stored = {d.project_id: d for d in ProjectDocument.objects.all()}
    assert set(stored) == set(details) == set(rows) and stored
    for pk, document in stored.items():
        detail, row = orjson.loads(document.detail), orjson.loads(document.row)
        assert list(detail) == list(details[pk])  # the same fields in the same order …
        for field, value in details[pk].items():  # … each with the same value
            assert detail[field] == value, (pk, field)
        assert list(row) == list(rows[pk])
        for field, value in rows[pk].items():
            assert row[field] == value, (pk, field)
        csv_row = read_stored_row(document.csv_row)  # exact: 1230000.00 stays 1230000.00
        assert list(csv_row) == list(csv_rows[pk])
        for field, value in csv_rows[pk].items():
            assert csv_row[field] == value and str(csv_row[field]) == str(value), (pk, field)


def test_every_curated_project_document_equals_the_serializers_output():
    assert_documents_match_the_serializers()


def test_every_synthetic_project_document_equals_the_serializers_output():
    Project.objects.all().delete()
    DataVersion.objects.all().delete()
    generate_synthetic(projects=40, areas=4, seed=3)
    assert ProjectDocument.objects.count() == 40
    assert_documents_match_the_serializers()


def test_the_api_writes_out_the_stored_documents(client):
    document = ProjectDocument.objects.select_related("project").get(project__slug="blackpool-ks3-literacy")
    detail = client.get("/api/v1/projects/blackpool-ks3-literacy/")
    assert detail.status_code == 200 and detail.content == document.detail.encode()
    listed = client.get("/api/v1/projects/", {"area": "blackpool", "page_size": 100}).json()
    assert orjson.loads(document.row) in listed["results"]


def test_every_load_rebuilds_the_documents(tmp_path, client):
    root = write_tree(tmp_path)
    load_tree(root)
    assert client.get("/api/v1/projects/derby-primary/").json()["title"] == "Derby primary school improvement"
    load_tree(write_tree(tmp_path / "changed", [project(title="Derby primary support, renamed")]))
    assert client.get("/api/v1/projects/derby-primary/").json()["title"] == "Derby primary support, renamed"
    row = client.get("/api/v1/projects/", {"q": "renamed"}).json()["results"][0]
    assert row["title"] == "Derby primary support, renamed"
    assert_documents_match_the_serializers()


def test_a_load_of_unchanged_fixtures_still_rebuilds_the_documents(settings):
    """The API's shape can change with the code while the data stays the same."""
    ProjectDocument.objects.all().delete()
    call_command("load_evidence", "--if-changed")
    assert ProjectDocument.objects.count() == Project.objects.count()
    assert_documents_match_the_serializers()


def test_an_unknown_project_is_not_found_and_says_so(client):
    response = client.get("/api/v1/projects/no-such-project/")
    assert response.status_code == 404
    assert response.json()["errors"] == {"detail": ["No Project matches the given query."]}


def test_the_csv_writes_amounts_exactly_as_the_serializer_gives_them(client):
    import csv
    import io

    body = client.get("/api/v1/projects/", {"area": "blackpool", "format": "csv"}).content.decode()
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body))}
    project = Project.objects.for_api_list().get(slug="blackpool-ks3-literacy")
    expected = flatten(ProjectSerializer(project).data)
    assert rows["blackpool-ks3-literacy"]["total_cost"] == str(expected["total_cost"]) == "1230000.00"


def test_a_load_analyzes_the_tables_once_it_has_committed(tmp_path, django_capture_on_commit_callbacks):
    # Only registered here, not run: statistics of a one-project tree would mislead the planner
    # for the tests that follow on the same connection.
    with django_capture_on_commit_callbacks() as callbacks:
        load_tree(write_tree(tmp_path))
    assert analyze_tables in callbacks


def test_a_load_of_unchanged_fixtures_analyzes_the_tables_after_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("load_evidence", "--if-changed")
    assert analyze_tables in callbacks
