"""One error shape on every route: ``{"status", "error", "detail", ...}`` from the handlers
``create_app`` registers, and a small HTML page for a browser."""

from __future__ import annotations

import re

import pytest

from chainkg.api.errors import body
from chainkg.queries import Param
from chainkg.queries.errors import BadParameter, Unknown

JSON = {"accept": "application/json"}
SHAPE = {"status", "error", "detail"}
NOWHERE = "zz-no-such-thing"


def assert_shape(r, status: int, error: str | None = None) -> dict:
    assert r.status_code == status, (r.request.url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    data = r.json()
    assert set(data) >= SHAPE, data
    assert data["status"] == status and isinstance(data["detail"], str) and data["detail"]
    if error:
        assert data["error"] == error, data
    return data


def get_operations(client) -> list[tuple[str, list[dict]]]:
    """Every GET route the OpenAPI document lists, with its parameters."""
    paths = client.get("/openapi.json").json()["paths"]
    return [(path, ops["get"].get("parameters", [])) for path, ops in paths.items() if "get" in ops]


def test_every_route_with_an_unknown_key_answers_the_shape_or_a_page(client):
    routes = [(p, params) for p, params in get_operations(client) if "{" in p]
    assert len(routes) >= 10
    for path, _ in routes:
        url = re.sub(r"\{[^}]+\}", NOWHERE, path)
        r = client.get(url, headers=JSON)
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
        if r.status_code >= 400 and r.headers["content-type"].startswith("application/json"):
            data = assert_shape(r, r.status_code)
            if r.status_code == 404:
                assert data["error"] in ("unknown", "http"), (url, data)


def test_every_route_missing_a_required_parameter_answers_invalid(client):
    checked = 0
    for path, params in get_operations(client):
        required = [p["name"] for p in params if p["in"] == "query" and p.get("required")]
        if "{" in path or not required:
            continue
        data = assert_shape(client.get(path, headers=JSON), 422, "invalid")
        assert any(f"parameter {n}" in data["detail"] for n in required), (path, data)
        assert data["errors"] and all("loc" in e and "msg" in e for e in data["errors"])
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    ("url", "status", "error", "field"),
    [
        ("/api/queries/producers?product=notaniri", 400, "bad-parameter", "parameter"),
        ("/api/queries/producers?product=urn:x%20y", 400, "bad-parameter", "parameter"),
        (
            "/api/queries/producers?product=http://x.example/%25zz",
            400,
            "bad-parameter",
            "parameter",
        ),
        ("/api/queries/producers", 400, "bad-parameter", "missing"),
        ("/api/queries/produsers", 404, "unknown", "suggestions"),
        ("/api/industries/新才料", 404, "unknown", "suggestions"),
        ("/api/parks/nowhere", 404, "unknown", "suggestions"),
        ("/api/products/己二晴/upstream", 404, "unknown", "suggestions"),
        ("/api/paths?from=己二酸&to=nowhere-at-all&to_kind=park", 404, "unknown", "suggestions"),
        ("/api/gaps?kind=gone", 400, "bad-parameter", "choices"),
        ("/api/gaps?industry=新才料", 404, "unknown", "suggestions"),
        ("/api/entities/product/adipic-acd", 404, "unknown", "suggestions"),
        ("/api/map/新才料", 404, "unknown", "suggestions"),
        ("/api/search?q=x&class=Nope", 400, "bad-parameter", "choices"),
        ("/api/search", 422, "invalid", "errors"),
        ("/api/paths?from=a&to=b&max_len=11", 422, "invalid", "errors"),
        ("/sparql?query=SELECT%20nonsense", 400, "query", None),
        ("/sparql?update=DROP%20ALL", 400, "protocol", None),
        ("/dump.nope", 404, "unknown", "formats"),
        ("/static/nope.js", 404, "unknown", "files"),
        ("/no/such/route", 404, "http", None),
    ],
)
def test_each_kind_of_refusal(client, url, status, error, field):
    data = assert_shape(client.get(url, headers=JSON), status, error)
    if field:
        assert data[field], data
    if error == "unknown" and field == "suggestions":
        assert all({"id", "label"} <= set(s) for s in data["suggestions"]), data


def test_refusals_of_other_methods_and_bodies(client):
    assert_shape(client.put("/sparql", headers=JSON), 405, "http")
    r = client.post("/sparql", content=b"x", headers={"content-type": "text/plain", **JSON})
    assert_shape(r, 415, "protocol")
    r = client.post(
        "/sparql", content=b"DROP ALL", headers={"content-type": "application/sparql-update"}
    )
    assert r.status_code in (401, 403)
    assert_shape(r, r.status_code, "protocol")


def test_a_bad_iri_names_its_parameter(client):
    data = assert_shape(client.get("/api/queries/producers?product=notaniri"), 400)
    assert data["parameter"] == "product"
    assert data["detail"] == "parameter product: not an absolute IRI: 'notaniri'"


def test_a_browser_gets_a_page(client):
    r = client.get("/api/industries/新才料", headers={"accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'id="error-detail"' in r.text and "新才料" in r.text
    assert 'href="/industry/' in r.text  # the suggestions link to their pages


def test_the_shape_and_the_errors():
    assert body(404, "unknown", "no x", suggestions=[]) == {
        "status": 404,
        "error": "unknown",
        "detail": "no x",
        "suggestions": [],
    }
    err = Unknown("industry", "新才料", [{"id": "industry/x"}], ["Industry"])
    assert str(err) == "no industry '新才料'" and err.choices == err.suggestions
    with pytest.raises(BadParameter, match="parameter n: not integer: 'x'"):
        Param("n", "integer", "").term("x")
    with pytest.raises(BadParameter, match="not a finite decimal"):
        Param("d", "decimal", "").term("NaN")
    for huge in ("1e999999999", "1e-999999999"):  # would be written out digit by digit
        with pytest.raises(BadParameter, match="not a finite decimal"):
            Param("d", "decimal", "").term(huge)
    with pytest.raises(BadParameter, match="not an absolute IRI"):
        Param("p", "iri", "").term("http://x.example/%zz")
    assert str(Param("d", "decimal", "").term("1e2")) == "100"
    assert str(Param("p", "iri", "").term("https://w3id.org/chainkg/product/pet")).endswith("pet")
