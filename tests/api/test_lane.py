"""The SPARQL endpoint's fast lane: a script's GET /sparql gets the answer the full stack
gives (a browser's request, with Origin, goes through the full stack and CORS)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from chainkg.api.app import create_app
from chainkg.api.settings import Settings

PRODUCT = "https://w3id.org/chainkg/product/adiponitrile"
PX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
BROWSER = {"Origin": "https://example.org"}
CORS = ("access-control-allow-origin", "access-control-expose-headers", "vary")

CASES = [
    ({"query": f"SELECT ?p ?o WHERE {{ <{PRODUCT}> ?p ?o }} ORDER BY ?p ?o"}, {}),
    ({"query": PX + f'SELECT ?l {{ <{PRODUCT}> rdfs:label ?l FILTER(LANG(?l) = "zh") }}'}, {}),
    ({"query": f"ASK {{ <{PRODUCT}> ?p ?o }}", "format": "csv"}, {}),
    ({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, {"Accept": "text/csv"}),
    ({"query": f"CONSTRUCT WHERE {{ <{PRODUCT}> ?p ?o }}"}, {"Accept": "text/turtle"}),
    (
        {
            "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            "named-graph-uri": "https://w3id.org/chainkg/graph/ontology",
        },
        {},
    ),
    ({"query": "SELECT ?x WHERE { ?x ?y }"}, {}),  # a syntax error
    ({"query": "SELECT ?x WHERE { ?x ?y }"}, {"Accept": "text/html"}),
    ({"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": "not an iri"}, {}),
    ({"query": "SELECT * WHERE { ?s ?p ?o }"}, {"Accept": "image/png"}),  # 406
    ({"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}, {}),
]


def _seen(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in CORS}
    return response.status_code, headers, response.content


@pytest.mark.parametrize(("params", "headers"), CASES)
def test_a_script_gets_what_the_full_stack_gives(client, params, headers):
    lane = client.get("/sparql", params=params, headers=headers)
    full = client.get("/sparql", params=params, headers=headers | BROWSER)
    assert "access-control-allow-origin" not in lane.headers
    assert full.headers["access-control-allow-origin"] == "*"
    assert _seen(lane) == _seen(full)
    assert lane.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in lane.headers


def test_the_lane_answers_ahead_of_the_middleware(built_home):
    app = create_app(Settings(store=built_home.location))
    seen: list[str] = []

    class Recorder:
        def __init__(self, app) -> None:
            self.app = app

        async def __call__(self, scope, receive, send) -> None:
            if scope["type"] == "http":
                seen.append(f"{scope['method']} {scope['path']}")
            await self.app(scope, receive, send)

    app.add_middleware(Recorder)
    query = {"query": f"SELECT ?p WHERE {{ <{PRODUCT}> ?p ?o }}"}
    with TestClient(app) as client:
        answered = client.get("/sparql", params=query)
        assert answered.status_code == 200 and seen == []
        assert json.loads(answered.content)["results"]["bindings"]
        assert client.get("/sparql", params=query, headers=BROWSER).status_code == 200
        assert client.get("/sparql").status_code == 200  # the service description
        assert client.post("/sparql", data=query).status_code == 200
        assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 400
    assert seen == ["GET /sparql"] * 2 + ["POST /sparql", "GET /sparql"]
