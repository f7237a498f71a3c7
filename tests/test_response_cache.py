"""Whole-response caching per data version (on in production)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.minimal import load_tree, write_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.RESPONSE_CACHE_SECONDS = 600


@pytest.mark.parametrize("url", ["/projects/?q=phonics", "/projects/blackpool-ks3-literacy/",
                                 "/api/v1/projects/?area=derby", "/api/v1/projects/?area=derby&format=csv",
                                 "/api/v1/projects/blackpool-ks3-literacy/"])
def test_a_repeated_request_is_served_from_the_cache(client, caching, url):
    accept = "application/json" if "/api/" in url and "format=" not in url else "*/*"
    first = client.get(url, HTTP_ACCEPT=accept)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url, HTTP_ACCEPT=accept)
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    # Only the data version is read (the cache key names the load); everything else is cached.
    assert [query["sql"].split('FROM "')[1].split('"')[0] for query in captured.captured_queries] == [
        "projects_dataversion"]
    assert second["X-Data-Version"] == first["X-Data-Version"]


def test_with_a_shared_cache_a_cached_response_runs_no_query(client, caching, settings):
    settings.DATA_VERSION_CACHE_SECONDS = 30  # what REDIS_URL turns on: the loader forgets it there
    client.get("/projects/?q=phonics")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/projects/?q=phonics").status_code == 200
    assert captured.captured_queries == []


def test_a_new_load_makes_cached_responses_stale(client, caching, tmp_path):
    before = client.get("/projects/?q=phonics").content.decode()
    assert "Derby KS1 Phonics project" in before
    load_tree(write_tree(tmp_path))  # a different corpus: a new data version
    after = client.get("/projects/?q=phonics").content.decode()
    assert "Derby KS1 Phonics project" not in after


def test_errors_are_not_cached(client, caching):
    assert client.get("/api/v1/projects/?min_cost=abc", HTTP_ACCEPT="application/json").status_code == 400
    assert not [key for key in cache._cache if "response:" in key]  # noqa: SLF001 - locmem internals


def test_throttling_still_applies_to_cached_api_responses(client, caching, monkeypatch):
    from core.throttling import AnonThrottle

    monkeypatch.setattr(AnonThrottle, "rate", "2/minute", raising=False)
    statuses = [client.get("/api/v1/themes/", HTTP_ACCEPT="application/json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
