"""Linked data, in process: dereferenceable IRIs, dumps, ontology page, VoID, route order."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS, VOID

from chainkg.api.app import create_app
from chainkg.api.settings import Settings
from chainkg.graph.namespaces import CK, WD, Ids
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.ontology import ontology_text

ADIPIC = "https://w3id.org/chainkg/product/adipic-acid"
HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def rdf(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format=fmt)


class Links(HTMLParser):
    """Every src= and href= attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def assert_offline(html: str) -> list[str]:
    """No src or href leaves the server (a scheme-relative //host counts as leaving)."""
    parser = Links()
    parser.feed(html)
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.netloc or parts.netloc == "testserver", url
        assert parts.scheme in ("", "http", "https"), url
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//(?!testserver)""", html)
    return parser.urls


@pytest.mark.parametrize("accept", ["text/turtle", "*/*", None])
def test_entity_as_turtle_by_default(client, accept):
    r = client.get("/product/adipic-acid", headers={"accept": accept} if accept else {})
    assert r.headers["content-type"].startswith("text/turtle")
    assert "Accept" in r.headers["vary"]
    g = rdf(r, "turtle")
    assert (URIRef(ADIPIC), RDFS.label, Literal("己二酸", lang="zh")) in g
    assert (URIRef(ADIPIC), SKOS.exactMatch, WD.Q357415) in g


def test_entity_in_every_rdf_format_is_the_same_graph(client):
    turtle = rdf(client.get("/product/adipic-acid", headers={"accept": "text/turtle"}), "turtle")
    for media, fmt in [
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ]:
        r = client.get("/product/adipic-acid", headers={"accept": media})
        assert r.headers["content-type"].startswith(media)
        assert isomorphic(rdf(r, fmt), turtle), media
    jsonld = client.get("/product/adipic-acid?format=jsonld").json()
    assert jsonld["@context"]["label"] == {"@id": "rdfs:label", "@container": "@language"}
    node = next(n for n in jsonld["@graph"] if n.get("id") == ADIPIC)
    assert node["label"]["zh"] == "己二酸" and node["type"] == "Product"


def test_entity_as_html_page(client):
    r = client.get("/product/adipic-acid", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "己二酸" in html and "<mark>" in html
    urls = assert_offline(html)
    assert "/industry/fu-ling-qu-2022-2026/xin-cai-liao" in urls
    assert any(u.startswith("/plan/fu-ling-qu-2022-2026/") for u in urls)
    en = client.get("/product/adipic-acid?lang=en", headers=HTML).text
    assert '<html lang="en">' in en and "adipic acid" in en and "Sources" in en
    assert_offline(en)


@pytest.mark.parametrize(
    "path",
    [
        "/industry/fu-ling-qu-2022-2026/xin-cai-liao",
        "/plan/fu-ling-qu-2022-2026/box2",
        "/plan/fu-ling-qu-2022-2026",
        "/park/fu-ling-qu/bai-tao-xin-cai-liao-ke-ji-cheng",
        "/graph/plan/fu-ling-qu-2022-2026",
    ],
)
def test_other_kinds_dereference(client, path):
    iri = URIRef("https://w3id.org/chainkg" + path)
    assert (iri, RDFS.label, None) in rdf(client.get(path), "turtle")
    page = client.get(path, headers=HTML)
    assert page.status_code == 200
    assert_offline(page.text)
    assert client.get(path, headers={"accept": "application/json"}).json()["iri"] == str(iri)
    assert client.head(path).status_code == 200


def test_registry_source_shown_as_text(client, store, ids):
    row = store.select(
        "PREFIX ck: <https://w3id.org/chainkg/ontology#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "SELECT ?e ?url WHERE { ?e a ck:Production ; prov:wasDerivedFrom/ck:sourceUrl ?url } "
        "ORDER BY ?e LIMIT 1"
    )[0]
    html = client.get("/" + str(row["e"])[len(ids.base) :], headers=HTML).text
    assert str(row["url"]) in html
    assert_offline(html)


def test_unknown_entity_is_404_with_suggestions(client):
    r = client.get("/product/adipic-acd", headers={"accept": "text/turtle"})
    assert r.status_code == 404 and r.headers["vary"].startswith("Accept")
    assert any(s["id"] == "product/adipic-acid" for s in r.json()["suggestions"])
    page = client.get("/product/adipic-acd", headers=HTML)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "/product/adipic-acid" in assert_offline(page.text)
    for bad in ("/product/%1E%3C", "/product/a%20b"):
        assert client.get(bad).status_code == 404
        assert client.get(bad, headers=HTML).status_code == 404


def test_only_data_kinds_are_routed(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/api/queries").status_code == 200
    assert client.get("/api/entities/product/adipic-acid").json()["label"] == "己二酸"
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    r = client.get("/not-a-kind/adipic-acid")
    assert r.status_code == 404
    assert r.json() == {"status": 404, "error": "http", "detail": "Not Found"}
    assert client.get("/product/adipic-acid", headers={"accept": "image/png"}).status_code == 406


def test_dump_nquads_keeps_the_named_graphs(client, store):
    r = client.get("/dump.nq")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/n-quads")
    assert re.search(r'attachment; filename="chainkg-.+\.nq"', r.headers["content-disposition"])
    ds = Dataset()
    ds.parse(data=r.text, format="nquads")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert len(graphs) >= 5
    assert graphs == set(store.graphs())
    assert sum(len(ds.graph(g)) for g in graphs) == store.count()


@pytest.mark.parametrize(("fmt", "parse"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_triple_dumps_parse(client, fmt, parse):
    r = client.get(f"/dump.{fmt}")
    assert r.status_code == 200 and f'.{fmt}"' in r.headers["content-disposition"]
    g = Dataset(default_union=True)
    g.parse(data=r.text, format=parse)
    assert (URIRef(ADIPIC), RDFS.label, Literal("己二酸", lang="zh")) in g
    assert client.get("/dump.xyz").status_code == 404


def test_ontology_page_documents_every_term(client):
    r = client.get("/ontology", headers=HTML)
    assert r.status_code == 200
    html = r.text
    onto = Graph().parse(data=ontology_text(), format="turtle")
    terms = [name for name in CK.__annotations__ if not name.startswith("_")]
    assert len(terms) > 90
    for name in terms:
        assert f'id="{name}"' in html, name
        for label in onto.objects(CK[name], RDFS.label):
            assert str(label) in html, (name, label)
    assert "ck:Product" in html and 'href="#PlanSection"' in html
    assert_offline(html)
    turtle = client.get("/ontology", headers={"accept": "text/turtle"})
    assert turtle.text == ontology_text()
    assert isomorphic(rdf(client.get("/ontology?format=jsonld"), "json-ld"), onto)


@pytest.mark.parametrize("path", ["/.well-known/void", "/void"])
def test_void_describes_the_dataset(client, store, path):
    g = rdf(client.get(path), "turtle")
    ds = next(g.subjects(VOID.sparqlEndpoint, None))
    assert (ds, RDF.type, VOID.Dataset) in g
    assert int(g.value(ds, VOID.triples)) == store.count()
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    dumps = {str(d).rsplit("/", 1)[-1] for d in g.objects(ds, VOID.dataDump)}
    assert {"dump.nq", "dump.ttl", "dump.jsonld"} <= dumps
    assert "涪陵区" in str(g.value(ds, URIRef("http://purl.org/dc/terms/title")))
    parts = {
        g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
        for p in g.objects(ds, VOID.classPartition)
    }
    products = store.select(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{CK.Product}> }}")
    assert parts[CK.Product] == int(products[0]["n"])
    subsets = {str(s): int(g.value(s, VOID.triples)) for s in g.objects(ds, VOID.subset)}
    assert set(subsets) == set(store.graphs())
    assert sum(subsets.values()) == store.count()
    assert int(g.value(ds, VOID.entities)) > 1000
    jsonld = client.get(path, headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(rdf(jsonld, "json-ld"), g)


def test_void_names_the_configured_endpoint_not_the_host_header(client):
    g = rdf(client.get("/void", headers={"host": "evil.example"}), "turtle")
    named = {str(o) for o in g.objects(None, VOID.sparqlEndpoint)}
    named |= {str(o) for o in g.objects(None, VOID.dataDump)}
    assert named and not any("evil" in iri for iri in named)
    assert "http://127.0.0.1:8000/sparql" in named


@pytest.fixture(scope="module")
def local_base(backend):
    """A store whose base is this server's own address, so its IRIs resolve here."""
    home = backend.home()
    build(home, Manifest.read(builtin_manifest()), Ids("http://testserver/kg/"))
    settings = Settings(store=home.location, base_iri="http://testserver/kg/")
    with TestClient(create_app(settings), root_path="/kg") as c:
        yield c


def test_base_is_mapped_from_settings(local_base, client):
    iri = URIRef("http://testserver/kg/product/adipic-acid")
    r = local_base.get("/kg/product/adipic-acid")
    assert (iri, SKOS.exactMatch, WD.Q357415) in rdf(r, "turtle")
    html = local_base.get("/kg/product/adipic-acid", headers=HTML).text
    assert "/kg/industry/fu-ling-qu-2022-2026/xin-cai-liao" in assert_offline(html)
    assert client.get("/product/adipic-acid", headers=HTML).status_code == 200
