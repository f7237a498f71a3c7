"""Smaller hardening: CSV that spreadsheets cannot run, consistent API errors, HEAD like GET,
no cookie on a cacheable response, a Content-Security-Policy everywhere, and a gated admin."""

import csv
import importlib
import io

import pytest
from django.urls import clear_url_caches

from core.csv import CSVTable, write_csv

pytestmark = pytest.mark.django_db


def test_csv_cells_that_would_run_as_formulas_are_neutralised_and_numbers_are_not():
    table = CSVTable([{"text": "=HYPERLINK(\"x\")", "plus": "+1", "at": "@SUM(A1)", "tab": "\tx", "number": -0.21,
                       "plain": "Phonics"}], ["text", "plus", "at", "tab", "number", "plain"])
    row = next(csv.DictReader(io.StringIO(write_csv(table))))
    assert row == {"text": "'=HYPERLINK(\"x\")", "plus": "'+1", "at": "'@SUM(A1)", "tab": "'\tx", "number": "-0.21",
                   "plain": "Phonics"}


def test_csv_errors_are_a_table_of_parameters_and_problems(client):
    response = client.get("/api/v1/projects/", {"format": "csv", "area": "nowhere"})
    assert response.status_code == 400
    lines = response.content.decode().splitlines()
    assert lines[0] == "parameter,problem" and lines[1].startswith("area,") and "{" not in response.content.decode()


@pytest.mark.parametrize("parameter", ["page", "page_size"])
def test_csv_validates_paging_like_json(client, parameter):
    assert client.get("/api/v1/projects/", {"format": "csv", parameter: "0"}).status_code == 400
    assert client.get("/api/v1/projects/", {"format": "csv", parameter: "2"}).status_code == 200


def test_an_unknown_format_is_a_400_naming_the_formats(client):
    response = client.get("/api/v1/projects/", {"format": "xml"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["format"] == ["Unknown format; use one of: json, api, csv, xlsx, jsonl."]


@pytest.mark.parametrize("url", ["/api/v1/themes/", "/projects/derby-ks1-phonics/", "/"])
def test_head_carries_the_etag_of_get(client, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head["ETag"] == get["ETag"]


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/projects/"])
def test_a_response_that_sets_a_cookie_is_never_public(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    if response.cookies:
        assert "public" not in response["Cache-Control"]
    else:
        assert response["Cache-Control"] == "public, max-age=300"


def test_the_docs_page_has_no_inline_script(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in html and '<script src="/api/v1/docs/?script=">' in html


@pytest.mark.parametrize("url", ["/", "/projects/", "/api/v1/docs/", "/api/v1/projects/"])
def test_every_response_has_a_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy


@pytest.fixture
def urlconf_with(settings):
    def reload(admin_enabled: bool):
        settings.ADMIN_ENABLED = admin_enabled
        importlib.reload(importlib.import_module("oa_evidence.urls"))
        clear_url_caches()
    yield reload
    reload(True)


def test_the_admin_is_served_only_when_enabled(client, urlconf_with):
    urlconf_with(False)
    assert client.get("/admin/login/").status_code == 404
    urlconf_with(True)
    assert client.get("/admin/login/").status_code == 200


def test_admin_logins_are_rate_limited(client, urlconf_with):
    urlconf_with(True)
    statuses = [client.post("/admin/login/", {"username": "x", "password": "y"}).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
