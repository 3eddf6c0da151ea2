"""Property-based run over every operation of the OpenAPI schema: no input gives a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from chainkg.api.app import create_app
from chainkg.api.settings import Settings


@pytest.fixture(scope="module")
def api_schema(built_home):
    app = create_app(Settings(store=built_home.location, workers=2, query_timeout=20))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_gives_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
