"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis), against the
site served by gunicorn: no server error, and every response matches the schema.

The positive-data check is left out on purpose: an unknown slug (`area=<random text>`) is a
valid string but must be a 400, as the API promises.
"""

import os

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
