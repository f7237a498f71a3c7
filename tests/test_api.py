"""The REST API: filters, shapes, CSV, errors, headers and query counts, through real HTTP."""

import csv
import io
import json
from decimal import Decimal

import pytest

from costs.models import CostLine
from outcomes.models import OutcomeMeasure
from projects.models import Project
from tests.helpers import queries_for
from web.dictionary import DICTIONARY

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def get_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def all_results(client, url):
    results, page = [], get_json(client, url)
    results += page["results"]
    while page["next"]:
        page = get_json(client, page["next"])
        results += page["results"]
    return results


@pytest.mark.parametrize("params, expected", [
    ("area=derby", lambda p: p.area.slug == "derby"),
    ("area=derby&area=oldham", lambda p: p.area.slug in ("derby", "oldham")),
    ("theme=phonics", lambda p: p.themes.filter(slug="phonics").exists()),
    ("phase=ks3", lambda p: p.phases.filter(slug="ks3").exists()),
    ("organisation=york-consulting", lambda p: p.organisations.filter(slug="york-consulting").exists()),
    ("start_year=2020", lambda p: p.start_year is not None and p.start_year >= 2020),
    ("end_year=2020", lambda p: p.end_year is not None and p.end_year <= 2020),
    ("q=phonics", lambda p: "phonics" in (p.title + p.summary + p.search_document).lower()),
])
def test_project_filters_narrow_to_exactly_the_matching_projects(client, params, expected):
    slugs = {row["slug"] for row in all_results(client, f"/api/v1/projects/?page_size=100&{params}")}
    matching = {p.slug for p in Project.objects.all() if expected(p)}
    assert slugs and slugs < {p.slug for p in Project.objects.all()}
    assert slugs == matching


def test_cost_filters_and_ordering(client):
    rows = all_results(client, "/api/v1/projects/?min_cost=500000&ordering=-total_cost")
    costs = [row["total_cost"] for row in rows]
    assert costs == sorted(costs, reverse=True) and min(costs) >= 500000
    cheap = all_results(client, "/api/v1/projects/?max_cost=100000")
    assert all(row["total_cost"] is not None and row["total_cost"] <= 100000 for row in cheap)
    per_pupil = all_results(client, "/api/v1/projects/?max_cost_per_pupil=100")
    assert per_pupil and all(row["cost_per_pupil"] <= 100 for row in per_pupil)


def test_project_list_shape_money_as_numbers_and_data_version(client, settings):
    body = get_json(client, "/api/v1/projects/?area=blackpool")
    assert set(body) == {"count", "next", "previous", "data_version", "results"}
    assert len(body["data_version"]["hash"]) == 12
    row = body["results"][0]
    assert row["slug"] == "blackpool-ks3-literacy"
    assert row["total_cost"] == 1230000 and isinstance(row["total_cost"], float | int)
    assert row["oa_cost"] == 865000
    assert row["citations"][0]["source"] == "000_1f1c3d470389f224"


def test_project_detail_nests_everything_with_citations(client):
    body = get_json(client, "/api/v1/projects/blackpool-ks3-literacy/")
    assert len(body["cost_lines"]) == 5
    leadership = next(line for line in body["cost_lines"] if line["description"] == "Project Leadership")
    assert leadership["amount"] == 45000
    assert "45,000" in leadership["citations"][0]["quote"]
    assert {t["amount"] for t in body["cost_totals"]} >= {865000, 365000}
    total = body["derived_figures"]["total_cost"]
    assert total["value"] == 1230000 and total["formula"] == "sum of the cost lines" and total["reason"] is None
    assert body["derived_figures"]["cost_per_pupil_per_year"]["qualifier"] == "about"
    assert body["evidence"]["rating"] == 2 and body["evidence"]["citations"]
    assert body["evidence"]["outcome_kinds"] == ["attainment", "participation"]
    assert {o["kind"] for o in body["outcomes"]} == {"attainment", "participation"}
    assert body["headline"]["direction"] == "improved" and body["headline"]["citations"]
    assert body["outcomes"] and all(o["citations"] for o in body["outcomes"])
    assert {o["role"] for o in body["organisations"]} >= {"lead", "delivery_partner"}
    assert body["findings"] and body["interventions"] and body["themes"] and body["phases"]


def test_outcome_and_cost_filters(client):
    outcomes = all_results(client, "/api/v1/outcomes/?area=hampshire&unit=percent&subject=maths")
    expected = OutcomeMeasure.objects.filter(project__area__slug="hampshire", unit="percent", subject="maths")
    assert len(outcomes) == expected.count() > 0
    costs = all_results(client, "/api/v1/costs/?project=hastings-maths-project&funding_source=mixed")
    assert len(costs) == CostLine.objects.filter(project__slug="hastings-maths-project", funding_source="mixed").count()
    by_year = all_results(client, "/api/v1/costs/?start_year=2020")
    assert by_year and all(row["start_year"] >= 2020 for row in by_year)


@pytest.mark.parametrize("endpoint", ["projects", "outcomes", "costs", "areas", "themes", "phases", "organisations",
                                      "sources"])
def test_csv_has_every_row_and_the_same_values_as_json(client, endpoint):
    json_rows = all_results(client, f"/api/v1/{endpoint}/?page_size=100")
    csv_rows = get_csv(client, f"/api/v1/{endpoint}/?format=csv")
    assert len(csv_rows) == len(json_rows) > 0
    key = "key" if endpoint == "sources" else ("id" if endpoint in ("outcomes", "costs") else "slug")
    by_key = {str(row[key]): row for row in csv_rows}
    for record in json_rows:
        row = by_key[str(record[key])]
        for name, value in record.items():
            if name == "citations":
                assert row["source_quotes"] == " | ".join(c["quote"] for c in value)
            elif isinstance(value, list):
                assert row[name] == "; ".join(map(str, value))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                assert Decimal(row[name]) == Decimal(str(value)), (name, row[name], value)
            elif not isinstance(value, dict):
                assert row[name] == ("" if value is None else str(value)), name


def test_csv_keeps_the_filters_and_reads_into_pandas(live_server):
    import pandas

    frame = pandas.read_csv(f"{live_server.url}/api/v1/projects/?format=csv&area=derby")
    assert set(frame["area"]) == {"derby"}
    assert len(frame) == Project.objects.filter(area__slug="derby").count()
    assert {"source_keys", "source_locators", "source_quotes", "total_cost"} <= set(frame.columns)


@pytest.mark.parametrize("endpoint", ["projects", "outcomes", "costs", "areas", "themes", "phases", "organisations",
                                      "sources"])
def test_data_dictionary_describes_every_csv_column(client, endpoint):
    header = client.get(f"/api/v1/{endpoint}/?format=csv").content.decode().splitlines()[0].split(",")
    assert set(header) <= set(DICTIONARY[endpoint]), set(header) - set(DICTIONARY[endpoint])
    assert get_json(client, "/api/v1/dictionary/")[endpoint]


@pytest.mark.parametrize("url, parameter", [
    ("/api/v1/projects/?area=atlantis", "area"),
    ("/api/v1/projects/?theme=astrology", "theme"),
    ("/api/v1/projects/?phase=ks9", "phase"),
    ("/api/v1/projects/?min_cost=abc", "min_cost"),
    ("/api/v1/projects/?max_cost_per_pupil=-1", "max_cost_per_pupil"),
    ("/api/v1/projects/?start_year=19", "start_year"),
    ("/api/v1/projects/?ordering=price", "ordering"),
    ("/api/v1/projects/?page=0", "page"),
    ("/api/v1/projects/?page=abc", "page"),
    ("/api/v1/projects/?page_size=101", "page_size"),
    ("/api/v1/projects/?page_size=0", "page_size"),
    ("/api/v1/outcomes/?evidence_type=gossip", "evidence_type"),
    ("/api/v1/projects/?outcome_kind=vibes", "outcome_kind"),
    ("/api/v1/projects/?outcome_kind=attainment&outcome_kind=vibes", "outcome_kind"),
    ("/api/v1/outcomes/?subject=alchemy", "subject"),
    ("/api/v1/costs/?category=yachts", "category"),
])
def test_bad_input_is_a_400_naming_the_parameter(client, url, parameter):
    body = get_json(client, url, status=400)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_a_page_past_the_end_is_a_404_naming_the_parameter(client):
    body = get_json(client, "/api/v1/projects/?page=999", status=404)
    assert body["errors"] == {"page": ["There is no page 999."]}


def test_unknown_slug_is_a_404_with_a_json_body(client):
    body = get_json(client, "/api/v1/projects/no-such-project/", status=404)
    assert body["status"] == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_are_not_allowed(client, method):
    assert getattr(client, method)("/api/v1/projects/blackpool-ks3-literacy/").status_code == 405
    assert getattr(client, method)("/api/v1/projects/").status_code == 405


def test_pagination_links_and_headers(client):
    response = client.get("/api/v1/projects/?page_size=5&page=2", HTTP_ACCEPT="application/json")
    body = response.json()
    assert "page=3" in body["next"] and "page_size=5" in body["next"]
    assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]
    assert response["X-Data-Version"] == body["data_version"]["hash"]
    assert "max-age" in response["Cache-Control"]
    assert response["ETag"]


def test_conditional_get_answers_304(client):
    first = client.get("/api/v1/areas/", HTTP_ACCEPT="application/json")
    again = client.get("/api/v1/areas/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("endpoint", ["projects", "outcomes", "costs", "organisations", "sources"])
def test_query_count_is_constant_in_the_page_size(client, endpoint):
    assert queries_for(client, f"/api/v1/{endpoint}/?page_size=3") == queries_for(
        client, f"/api/v1/{endpoint}/?page_size=100")


def test_query_count_of_csv_export_is_constant(client):
    client.get("/api/v1/projects/?format=csv&area=blackpool")  # the areas' slugs, read once per process
    assert queries_for(client, "/api/v1/projects/?format=csv&area=oldham") == queries_for(
        client, "/api/v1/projects/?format=csv&area=stoke-on-trent")


def test_schema_validates_and_docs_are_served_locally(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    validate_schema(SchemaGenerator().get_schema(request=None, public=True))
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert "cdn" not in docs.lower()
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/projects/" in schema["paths"]


def test_an_empty_csv_export_still_has_its_header(client):
    response = client.get("/api/v1/projects/?format=csv&q=zzzyzzyx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [",".join(
        list(DICTIONARY["projects"])[:-4] + ["source_keys", "source_locators", "source_quotes"])]


def test_anonymous_clients_are_throttled_at_the_documented_rate(client, settings):
    documented = "600/minute"  # README and docs/api.md
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == documented
    statuses = [client.get("/api/v1/themes/", HTTP_ACCEPT="application/json").status_code for _ in range(601)]
    assert statuses[:600] == [200] * 600 and statuses[600] == 429


def test_a_searchs_pages_together_are_its_one_long_page_in_rank_order(client):
    whole = client.get("/api/v1/projects/?q=school&page_size=100").json()
    assert whole["count"] == len(whole["results"]) > 4
    pages, url = [], "/api/v1/projects/?q=school&page_size=3"
    while url:
        body = client.get(url).json()
        assert body["count"] == whole["count"]
        pages += body["results"]
        url = body["next"]
    assert [row["slug"] for row in pages] == [row["slug"] for row in whole["results"]]
    lines = client.get("/api/v1/projects/?q=school&format=jsonl").content.decode().splitlines()
    assert [json.loads(line)["slug"] for line in lines] == [row["slug"] for row in whole["results"]]
