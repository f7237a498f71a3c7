"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis), against the
site served by gunicorn: no server error, and every response matches the schema. Besides the
random (fuzzing) phase, schemathesis's coverage phase (boundary and invalid values of every
parameter) and stateful phase (following the schema's links from each list to its records) run.

The positive-data check is left out on purpose: an unknown slug (`area=<random text>`) is a
valid string but must be a 400, as the API promises.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "200"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("served", ["site", "uncached_site"])
def test_api_conforms_to_its_schema(request, served):
    """Both with the production response cache and without it (where every request computes)."""
    site = request.getfixturevalue(served)
    schema = schemathesis.openapi.from_url(f"{site}/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()


@pytest.mark.django_db
def test_every_list_links_to_its_detail(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    links = {path: operations["get"]["responses"]["200"].get("links") for path, operations in schema["paths"].items()
             if "{" not in path and path != "/api/v1/dictionary/"}
    assert len(links) == 8 and all(links.values()), links
    assert links["/api/v1/projects/"] == {"projects_retrieve": {
        "operationId": "projects_retrieve", "parameters": {"slug": "$response.body#/results/0/slug"},
        "description": "The first listed record, by its slug."}}


def test_coverage_and_stateful_phases_find_no_server_error_or_schema_mismatch(site):
    """Bounded by FUZZ_PHASE_EXAMPLES (10 by default: about 1,250 requests in all)."""
    command = [str(Path(sys.executable).parent / "st"), "run", f"{site}/api/v1/schema/?format=json",
               "--phases=coverage,stateful", "--max-examples", os.environ.get("FUZZ_PHASE_EXAMPLES", "10"),
               "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
               "response_schema_conformance", "--seed", "1", "--no-color"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    summary = result.stdout[result.stdout.find("SUMMARY"):]
    assert result.returncode == 0, result.stdout[-6000:]
    assert "✅ Coverage" in summary and "✅ Stateful" in summary, summary
