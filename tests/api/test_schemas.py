"""The OpenAPI document describes what the JSON routes answer, and the answers fit it."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from chainkg.api import schemas

CASES = [
    ("/api/search?q=jes", schemas.SearchResults),
    ("/api/paths?from=己二酸&to=尼龙66", schemas.Paths),
    ("/api/paths?from=己二酸&to=尼龙66&all=true", schemas.Paths),
    ("/api/products/尼龙66/upstream", schemas.Closure),
    ("/api/products/己二酸/downstream?depth=1", schemas.Closure),
    ("/api/gaps?industry=新材料&top=5", schemas.GapReport),
    ("/api/industries", list[schemas.IndustrySummary]),
    ("/api/industries/xin-cai-liao", schemas.Industry),
    ("/api/parks", list[schemas.ParkSummary]),
    ("/api/parks/lin-gang-jing-ji-qu", schemas.Park),
    ("/api/indicators", list[schemas.Indicator]),
    ("/api/entities/product/adipic-acid", schemas.Entity),
    ("/api/industries/新才料", schemas.Error),
    ("/api/gaps?kind=gone", schemas.Error),
    ("/api/search", schemas.Error),
]


@pytest.mark.parametrize(("url", "model"), CASES, ids=[u for u, _ in CASES])
def test_answers_fit_their_models(client, url, model):
    r = client.get(url)
    value = TypeAdapter(model).validate_python(r.json())
    assert value
    if model is schemas.Error:
        assert r.status_code >= 400 and value.status == r.status_code
    else:
        assert r.status_code == 200


def test_the_openapi_document_names_the_models(client):
    doc = client.get("/openapi.json").json()
    names = set(doc["components"]["schemas"])
    assert {"SearchResults", "Paths", "Closure", "GapReport", "Industry", "Park", "Error"} <= names
    ok = doc["paths"]["/api/gaps"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"].endswith("/GapReport")
    missing = doc["paths"]["/api/industries/{industry_id}"]["get"]["responses"]["404"]
    assert missing["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
