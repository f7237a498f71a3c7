"""The OpenAPI schema describes what the API returns: every list field described from the data
dictionary, one shared error component, enums for the coded fields, and null (never "") for what
a record does not have, so each field has one type whatever the record or filter."""

import pytest

from outcomes.evidence import Direction
from projects.models import Project
from web.dictionary import DICTIONARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def test_every_field_of_a_listed_project_is_described_from_the_dictionary(schema):
    properties = schema["components"]["schemas"]["Project"]["properties"]
    assert len(properties) == 36
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
