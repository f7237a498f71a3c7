"""The OpenAPI schema describes what the API returns: every list field described from the data
dictionary, one shared error component, enums for the coded fields, and null (never "") for what
a record does not have, so each field has one type whatever the record or filter."""

from decimal import Decimal

import pytest

from costs.models import CostCategory, CostLine, FundingSource
from outcomes.evidence import Direction
from outcomes.models import EvidenceType, OutcomeMeasure, PupilGroup, Unit
from projects.models import Area, AreaKind, Project, Source, SourceKind, Theme
from tests import factories
from web.dictionary import DICTIONARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def test_every_field_of_a_listed_project_is_described_from_the_dictionary(schema):
    properties = schema["components"]["schemas"]["Project"]["properties"]
    assert len(properties) >= 36
    for name, field in properties.items():
        expected = DICTIONARY["projects"].get(name, ("", None))[1]
        assert field.get("description"), name
        if expected:
            assert field["description"] == expected, name
    assert properties["total_cost"]["x-unit"] == "GBP"


@pytest.mark.parametrize("component", ["Area", "Theme", "Phase", "Organisation", "Source", "Outcome", "CostLine"])
def test_every_field_of_each_endpoint_is_described(schema, component):
    properties = schema["components"]["schemas"][component]["properties"]
    assert [name for name, field in properties.items() if not field.get("description")] == []


def test_every_error_response_refers_to_one_shared_error_component(schema):
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"errors", "status"}
    operations = [operation for methods in schema["paths"].values() for operation in methods.values()]
    for operation in operations:
        for code in ("400", "404", "429"):
            content = operation["responses"][code]["content"]
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_coded_fields_are_enums(schema):
    enums = schema["components"]["schemas"]
    assert enums["CostBandEnum"]["enum"] == ["very_low", "low", "moderate", "high", "very_high"]
    assert enums["HeadlineDirectionEnum"]["enum"] == [choice.value for choice in Direction]
    band = schema["components"]["schemas"]["Project"]["properties"]["cost_band"]
    assert band["nullable"] is True and {"$ref": "#/components/schemas/CostBandEnum"} in band["oneOf"]


def _blank_strings(value, path=""):
    if value == "":
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _blank_strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _blank_strings(item, f"{path}/*")


@pytest.mark.parametrize("endpoint", ["projects", "outcomes", "costs", "areas", "themes", "phases", "organisations",
                                      "sources"])
def test_missing_values_are_null_never_an_empty_string(client, endpoint):
    rows = client.get(f"/api/v1/{endpoint}/", {"page_size": 100}).json()["results"]
    assert rows and list(_blank_strings(rows)) == []


def test_no_project_detail_holds_an_empty_string(client):
    blanks = {slug: list(_blank_strings(client.get(f"/api/v1/projects/{slug}/").json()))
              for slug in Project.objects.values_list("slug", flat=True)}
    assert {slug: paths for slug, paths in blanks.items() if paths} == {}


def test_a_project_without_a_cost_band_says_null_and_the_schema_allows_it(client, schema):
    assert schema["components"]["schemas"]["Project"]["properties"]["cost_band"]["nullable"] is True
    rows = client.get("/api/v1/projects/", {"page_size": 100}).json()["results"]
    assert {row["cost_band"] for row in rows} <= {None, "very_low", "low", "moderate", "high", "very_high"}
    assert None in {row["cost_band"] for row in rows}


def test_cors_lets_a_client_revalidate_with_if_none_match(client):
    response = client.options("/api/v1/projects/", HTTP_ORIGIN="https://observablehq.com",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert response.status_code == 200
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    exposed = client.get("/api/v1/projects/", HTTP_ORIGIN="https://observablehq.com")["Access-Control-Expose-Headers"]
    assert "ETag" in exposed


def test_the_link_header_uses_the_registered_relation_names(client):
    response = client.get("/api/v1/projects/", {"page": 2, "page_size": 10})
    assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]
    assert 'rel="previous"' not in response["Link"]


def _resolve(schema: dict, spec: dict) -> dict:
    """A property's schema with its reference followed and a lone `allOf` unwrapped (how
    drf-spectacular writes a nullable reference), keeping `nullable` from the outside."""
    while "$ref" in schema or len(schema.get("allOf", ())) == 1:
        inner = schema["allOf"][0] if "allOf" in schema else schema
        target = spec["components"]["schemas"][inner["$ref"].rsplit("/", 1)[1]]
        schema = {**target, **{key: value for key, value in schema.items() if key not in ("$ref", "allOf")}}
    return schema


def _nulls_the_schema_forbids(value, schema: dict, spec: dict, path: str = ""):
    """Each path in `value` holding null where its schema does not say nullable, or holding ""."""
    schema = _resolve(schema, spec)
    if value is None:
        if not schema.get("nullable"):
            yield path
    elif value == "":
        yield f"{path} is an empty string"
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _nulls_the_schema_forbids(item, schema["items"], spec, f"{path}/*")
    elif isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key in schema["properties"]:
                yield from _nulls_the_schema_forbids(item, schema["properties"][key], spec, f"{path}/{key}")
    elif isinstance(value, dict | list):
        yield from (f"{path}{blank} is an empty string" for blank in _blank_strings(value))


def _response_schema(spec: dict, path: str) -> dict:
    return spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def _operations(spec: dict):
    """Each list path of the API with the detail path beside it (the one with a `{key}`)."""
    for path in spec["paths"]:
        detail = next((other for other in spec["paths"] if other.startswith(path) and other != path
                       and other.count("/") == path.count("/") + 1 and other.endswith("}/")), None)
        if detail:
            yield path, detail


def _nulls_in_every_response(client, spec: dict) -> list[str]:
    """Walk every page of every list and every listed record's detail; each null the schema
    does not allow, and each "", by operation and place."""
    operations = list(_operations(spec))
    assert len(operations) == 8
    found = []
    for list_path, detail_path in operations:
        key = detail_path.rsplit("{", 1)[1].rstrip("}/")
        url = f"{list_path}?page_size=100"
        while url:
            page = client.get(url).json()
            found += [f"{list_path}{where}" for where in _nulls_the_schema_forbids(
                page, _response_schema(spec, list_path), spec)]
            for row in page["results"]:
                body = client.get(detail_path.replace("{" + key + "}", str(row[key]))).json()
                found += [f"{detail_path}{where}" for where in _nulls_the_schema_forbids(
                    body, _response_schema(spec, detail_path), spec)]
            url = page["next"]
    return sorted(set(found))


def test_wherever_a_response_holds_null_the_schema_says_nullable(client, schema):
    """Every page of every list and every record's detail, on the curated corpus: a null where
    the schema promises a value (or a "") would break a typed client, as schemathesis found."""
    assert _nulls_in_every_response(client, schema) == []


def test_a_record_with_only_its_required_fields_fits_the_schema(client, schema):
    """The curated corpus happens to give every project an evidence assessment and a headline;
    a project that has neither, with an outcome and a cost line with nothing optional, is a
    record the schema must describe too: every value left out is a null the schema allows."""
    area = Area.objects.create(slug="bare-area", name="Bare area", kind=AreaKind.OPPORTUNITY_AREA)
    project = Project.objects.create(key="bare", slug="bare", title="Bare project", area=area, summary="Bare.")
    OutcomeMeasure.objects.create(key="bare/outcome", project=project, metric="Bare measure", group=PupilGroup.ALL,
                                  unit=Unit.PERCENT, evidence_type=EvidenceType.NATIONAL_STATISTICS)
    CostLine.objects.create(key="bare/cost", project=project, table="Costs", description="Bare line",
                            category=CostCategory.STAFFING, amount=Decimal("1"), funding_source=FundingSource.OA)
    Theme.objects.create(slug="bare-theme", name="Bare theme")
    Source.objects.create(key="bare-source", title="Bare source", publisher="Tests", date_precision="unknown",
                          kind=SourceKind.PROJECT_REPORT, text="Bare.")
    factories.finish()
    bare = client.get("/api/v1/projects/bare/").json()
    assert bare["evidence"] is None and bare["headline"] is None and bare["cost_lines"][0]["period"] is None
    assert _nulls_in_every_response(client, schema) == []
