"""The SPARQL 1.1 Protocol at /sparql, in process: every point the protocol names."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from chainkg.api.app import create_app
from chainkg.api.settings import Settings

CK = "https://w3id.org/chainkg/ontology#"
PARKS = f"SELECT ?p WHERE {{ ?p a <{CK}Park> }} ORDER BY ?p"
PLAN_GRAPH = "https://w3id.org/chainkg/graph/plan/fu-ling-qu-2022-2026"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def client(built_home):
    app = create_app(Settings(store=built_home.location, max_rows=500, workers=2))
    with TestClient(app) as c:
        yield c


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_query_by_get_post_form_and_post_direct(client):
    got = [
        bindings(client.get("/sparql", params={"query": PARKS})),
        bindings(client.post("/sparql", data={"query": PARKS})),
        bindings(
            client.post(
                "/sparql", content=PARKS, headers={"content-type": "application/sparql-query"}
            )
        ),
    ]
    assert len(got[0]) == 3
    assert got[0] == got[1] == got[2]
    assert {b["p"]["type"] for b in got[0]} == {"uri"}


def test_result_formats_by_accept_with_q_values(client):
    q = {"query": f"SELECT ?p ?l WHERE {{ ?p a <{CK}Park> ; <{RDFS.label}> ?l }} ORDER BY ?l"}
    xml = client.get(
        "/sparql",
        params=q,
        headers={"accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"},
    )
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    results = ET.fromstring(xml.content).findall(f".//{ns}result")
    assert len(results) == 3
    assert results[0].find(f"{ns}binding[@name='l']/{ns}literal").text == "临港经济区"
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get("/sparql", params=q, headers={"accept": "text/csv"}).text)
        )
    )
    assert csv_rows[0] == ["p", "l"] and csv_rows[1][1] == "临港经济区" and len(csv_rows) == 4
    tsv = client.get("/sparql", params=q, headers={"accept": "text/tab-separated-values"})
    lines = tsv.text.strip().split("\n")
    assert lines[0] == "?p\t?l" and lines[1].endswith('"临港经济区"@zh')
    assert client.get("/sparql", params=q, headers={"accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(client, accept, fmt):
    pattern = f"?p a <{CK}Park> ; <{RDFS.label}> ?l"
    q = f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.content, format=fmt)
    assert len(set(g.subjects(RDF.type, URIRef(CK + "Park")))) == 3
    assert (None, RDFS.label, Literal("临港经济区", lang="zh")) in g


def test_ask_and_describe(client):
    r = client.get("/sparql", params={"query": f"ASK {{ ?p a <{CK}Park> }}"})
    assert r.json() == {"head": {}, "boolean": True}
    d = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://w3id.org/chainkg/park/fu-ling-qu/lin-gang-jing-ji-qu>"},
        headers={"accept": "text/turtle"},
    )
    g = Graph().parse(data=d.text, format="turtle")
    assert (
        URIRef("https://w3id.org/chainkg/park/fu-ling-qu/lin-gang-jing-ji-qu"),
        RDF.type,
        URIRef(CK + "Park"),
    ) in g


def test_dataset_parameters(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_plan = bindings(
        client.get("/sparql", params={"query": count, "default-graph-uri": PLAN_GRAPH})
    )
    union = bindings(client.get("/sparql", params={"query": count}))
    assert 0 < int(only_plan[0]["n"]["value"]) < int(union[0]["n"]["value"])
    graphs = bindings(
        client.get(
            "/sparql",
            params=[
                ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
                ("named-graph-uri", PLAN_GRAPH),
            ],
        )
    )
    assert [b["g"]["value"] for b in graphs] == [PLAN_GRAPH]
    bad = client.get("/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


@pytest.mark.parametrize(
    "request_kwargs,status,words",
    [
        ({"method": "GET", "params": [("query", PARKS), ("query", PARKS)]}, 400, "more than one"),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "POST"),
        ({"method": "GET", "params": {"query": "SELEC ?x"}}, 400, "syntax error at line 1"),
        (
            {"method": "POST", "content": "x", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported",
        ),
        ({"method": "POST", "data": {"nothing": "1"}}, 400, "no query"),
        (
            {"method": "POST", "data": {"query": PARKS, "using-graph-uri": PLAN_GRAPH}},
            400,
            "updates",
        ),
        (
            {
                "method": "GET",
                "params": {
                    "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
                },
            },
            400,
            "SERVICE",
        ),
    ],
)
def test_protocol_errors(client, request_kwargs, status, words):
    kwargs = dict(request_kwargs)
    r = client.request(kwargs.pop("method"), "/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert words in r.text


def test_service_description_and_query_page(client):
    r = client.get("/sparql")
    g = Graph().parse(data=r.text, format="turtle")
    service = next(g.subjects(RDF.type, URIRef(SD + "Service")))
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) not in g
    names = set(g.objects(None, URIRef(SD + "name")))
    assert URIRef(PLAN_GRAPH) in names
    assert (service, URIRef(SD + "endpoint"), URIRef("http://127.0.0.1:8000/sparql")) in g
    page = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<textarea" in page.text
    assert re.findall(r'(?:src|href|action)="([^"]*)"', page.text) == ["/sparql"]


HTML_ACCEPT = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SD_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def description(client, media: str, **headers) -> Graph:
    r = client.get("/sparql", headers={"accept": media, **headers})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text
    return Graph().parse(data=r.text, format=SD_FORMATS[media])


@pytest.mark.parametrize("media", list(SD_FORMATS))
def test_service_description_ignores_a_forged_host(client, media):
    forged = {"host": "evil.example:666", "x-forwarded-host": "evil.example"}
    g = description(client, media, **forged)
    assert "evil" not in g.serialize(format="nt")
    endpoints = set(g.objects(None, URIRef(SD + "endpoint")))
    assert endpoints == {URIRef("http://127.0.0.1:8000/sparql")}
    assert len(set(g.objects(None, URIRef(SD + "name")))) >= 5
    page = client.get("/sparql", headers={**HTML_ACCEPT, **forged})
    assert "evil" not in page.text


@pytest.mark.parametrize(
    ("settings", "endpoint"),
    [
        (
            {"public_url": "https://kg.example.org/chainkg/"},
            "https://kg.example.org/chainkg/sparql",
        ),
        ({"public_url": "http://kg.example.org"}, "http://kg.example.org/sparql"),
        ({"host": "10.1.2.3", "port": 8123}, "http://10.1.2.3:8123/sparql"),
        ({"host": "::1", "port": 8123}, "http://[::1]:8123/sparql"),
        ({"public_url": "", "port": 8123}, "http://127.0.0.1:8123/sparql"),
    ],
)
def test_service_description_names_the_configured_endpoint(built_home, settings, endpoint):
    app = create_app(Settings(store=built_home.location, workers=1, **settings))
    with TestClient(app) as c:
        for media in SD_FORMATS:
            g = description(c, media, host="evil.example")
            service = URIRef(endpoint)
            assert set(g.objects(None, URIRef(SD + "endpoint"))) == {service}, media
            assert (service, RDF.type, URIRef(SD + "Service")) in g


@pytest.mark.parametrize(
    "url", ["kg.example.org", "ftp://kg.example.org/", "https://a b/", "https://x/?q"]
)
def test_public_url_must_be_an_http_url(url):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(public_url=url)


def test_service_description_says_what_is_enabled(built_home):
    def features(**settings):
        app = create_app(Settings(store=built_home.location, workers=1, **settings))
        with TestClient(app) as c:
            g = description(c, "text/turtle")
        return set(g.objects(None, URIRef(SD + "supportedLanguage"))) | set(
            g.objects(None, URIRef(SD + "feature"))
        )

    update, federated = URIRef(SD + "SPARQL11Update"), URIRef(SD + "BasicFederatedQuery")
    off = features()
    assert URIRef(SD + "SPARQL11Query") in off and URIRef(SD + "UnionDefaultGraph") in off
    assert update not in off and federated not in off
    on = features(update_token="s3cret", allow_network=True)
    assert update in on and federated in on


def test_row_cap_says_it_cut(built_home):
    app = create_app(Settings(store=built_home.location, max_rows=5, workers=1))
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(r.json()["results"]["bindings"]) == 5
        assert r.json()["chainkg"] == {"truncated": True, "rows": 5}
        assert r.headers["x-chainkg-truncated"].startswith("true")
        small = c.get("/sparql", params={"query": PARKS})
        assert "x-chainkg-truncated" not in small.headers


def test_request_body_cap(built_home):
    app = create_app(Settings(store=built_home.location, max_body=2000, workers=1))
    with TestClient(app) as c:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
        r = c.post("/sparql", content=big, headers={"content-type": "application/sparql-query"})
        assert r.status_code == 413


def test_cors_open_without_credentials(client):
    r = client.get(
        "/sparql", params={"query": PARKS}, headers={"origin": "https://elsewhere.example"}
    )
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = client.options(
        "/sparql", headers={"origin": "https://x.example", "access-control-request-method": "POST"}
    )
    assert pre.status_code == 200


def test_updates_are_off_without_a_token(client):
    r = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403
    assert bindings(client.get("/sparql", params={"query": PARKS}))


def test_updates_with_a_token(fresh_home):
    app = create_app(Settings(store=fresh_home.location, update_token="s3cret", workers=1))
    insert = (
        "INSERT DATA { GRAPH <http://example.org/g> { "
        '<http://example.org/a> <http://example.org/p> "新" } }'
    )
    with TestClient(app) as c:
        assert c.post("/sparql", data={"update": insert}).status_code == 401
        assert (
            c.post(
                "/sparql", data={"update": insert}, headers={"authorization": "Bearer nope"}
            ).status_code
            == 401
        )
        auth = {"authorization": "Bearer s3cret"}
        assert c.post("/sparql", data={"update": insert}, headers=auth).status_code == 204
        rows = bindings(
            c.get(
                "/sparql",
                params={
                    "query": "SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }"
                },
            )
        )
        assert [b["o"]["value"] for b in rows] == ["新"]
        # using-graph-uri sets the WHERE dataset of the update
        copy = "INSERT { GRAPH <http://example.org/h> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
        r = c.post(
            "/sparql",
            data={"update": copy, "using-graph-uri": "http://example.org/g"},
            headers=auth,
        )
        assert r.status_code == 204, r.text
        n = bindings(
            c.get(
                "/sparql",
                params=[
                    ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
                    ("default-graph-uri", "http://example.org/h"),
                ],
            )
        )
        assert n[0]["n"]["value"] == "1"
        both = c.post(
            "/sparql",
            headers=auth,
            data={
                "update": "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                "using-graph-uri": "http://example.org/g",
            },
        )
        assert both.status_code == 400
        direct = c.post(
            "/sparql",
            content="LOAD <http://example.org/data.ttl>",
            headers={**auth, "content-type": "application/sparql-update"},
        )
        assert direct.status_code == 400 and "LOAD" in direct.text
        bad = c.post("/sparql", data={"update": "INSERT NOTHING"}, headers=auth)
        assert bad.status_code == 400


HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "'; DROP ALL; #",
    "} UNION {",
    "\\u0022 ) || true || ( \\u0022",
    '聚酯新材料"@zh } #',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_named_query_parameters_are_only_data(client, value):
    r = client.get("/api/queries/park-hosts", params={"name": value})
    rows = bindings(r)
    assert rows == []
    ok = bindings(client.get("/api/queries/park-hosts", params={"name": "聚酯新材料"}))
    assert {b["name"]["value"] for b in ok} == {"聚酯新材料"}


def test_named_query_iri_parameter_refuses_non_iris(client):
    r = client.get("/api/queries/upstream", params={"product": "x> } ?s ?p ?o { <y"})
    assert r.status_code == 400
    ok = bindings(
        client.get(
            "/api/queries/upstream", params={"product": "https://w3id.org/chainkg/product/nylon-66"}
        )
    )
    assert {"己二酸", "己二腈"} <= {b["from_label"]["value"] for b in ok}


def test_named_query_listing_and_errors(client):
    listing = client.get("/api/queries").json()
    by_name = {q["name"]: q for q in listing}
    assert by_name["park-hosts"]["params"][0]["name"] == "name"
    missing = client.get("/api/queries/park-hosts")
    assert missing.status_code == 400 and missing.json()["missing"] == ["name"]
    unknown = client.get("/api/queries/park-host")
    assert unknown.status_code == 404
    assert [s["label"] for s in unknown.json()["suggestions"]] == ["park-hosts"]
    assert json.loads(client.get("/api/queries/graph-sizes").text)["results"]["bindings"]
