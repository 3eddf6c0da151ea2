"""The entity JSON model, in process: ``describe``, ``concise_graph`` and ``/api/entities``."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from chainkg.graph.namespaces import CK, WD
from chainkg.queries.entities import concise_graph, describe

ADIPIC = "product/adipic-acid"
REGISTRY_ENTITY = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?entity ?row ?url WHERE {
  ?entity a ck:Production ; prov:wasDerivedFrom ?row .
  ?row ck:sourceFile ?file ; ck:lineNumber ?line ; ck:sourceUrl ?url .
} ORDER BY ?entity LIMIT 1"""


def get_entity(client, ident: str) -> dict:
    r = client.get(f"/api/entities/{ident}")
    assert r.status_code == 200, r.text
    return r.json()


def test_adipic_acid_model(client, ids):
    e = get_entity(client, ADIPIC)
    assert e["iri"] == str(ids.iri("product", "adipic-acid"))
    assert e["id"] == ADIPIC
    assert e["label"] == "己二酸" and e["label_en"] == "adipic acid"
    assert e["labels"]["zh"] == ["己二酸"]
    assert {"AA", "肥酸"} <= {v for vs in e["alt_labels"].values() for v in vs}
    product = next(t for t in e["types"] if t["iri"] == str(CK.Product))
    assert (product["name"], product["label"], product["label_en"]) == (
        "Product",
        "产品",
        "product",
    )
    props = {p["iri"]: p for p in e["properties"]}
    match = props[str(SKOS.exactMatch)]["values"]
    assert {"iri": str(WD.Q357415), "curie": "wd:Q357415"}.items() <= match[0].items()
    industry = props[str(CK.inIndustry)]["values"][0]
    assert industry["label"] == "新材料" and industry["id"].startswith("industry/")
    assert props[str(CK.inIndustry)]["label"] == "所属产业"
    cas = props[str(CK.casNumber)]["values"]
    assert cas == [{"value": "124-04-9"}]
    assert e["graphs"] and all(g["triples"] > 0 for g in e["graphs"])
    assert any(g["id"].startswith("graph/chains/") for g in e["graphs"])


def test_adipic_acid_provenance_quotes_the_plan(client):
    prov = get_entity(client, ADIPIC)["provenance"]
    sections = [s for s in prov["sources"] if s["kind"] == "plan-section"]
    assert sections, prov
    names = {s["iri"].rsplit("/", 1)[-1] for s in sections}
    assert names & {"ch3.1.1", "box2"}
    section = next(s for s in sections if s["iri"].rsplit("/", 1)[-1] in {"ch3.1.1", "box2"})
    assert "己二酸" in section["text"]
    assert section["number"] and section["plan"]["label"].startswith("涪陵区")
    assert prov["evidence"]["kind"]["name"] == "PlanTextEvidence"
    quote = prov["evidence"]["quotes"][0]
    assert section["quote"] == quote
    assert section["text"][section["quote_at"] :].startswith(quote)
    rows = [s for s in prov["sources"] if s["kind"] == "registry-row"]
    assert {r["file"] for r in rows} >= {"chains.yaml"}
    assert all(isinstance(r["line"], int) and r["line"] > 0 for r in rows)


def test_registry_source_has_file_line_and_url(client, store, ids):
    row = store.select(REGISTRY_ENTITY)[0]
    e = get_entity(client, str(row["entity"])[len(ids.base) :])
    source = next(s for s in e["provenance"]["sources"] if s["iri"] == str(row["row"]))
    assert source["kind"] == "registry-row"
    assert source["file"].endswith(".csv")
    assert source["line"] > 1
    assert source["url"] == str(row["url"]) and source["url"].startswith("http")


def test_chain_link_carries_its_evidence(client, store, ids):
    rows = store.select(
        "PREFIX ck: <https://w3id.org/chainkg/ontology#>\n"
        "SELECT ?link ?reason WHERE { ?link a ck:ChainLink ; ck:reason ?reason } "
        "ORDER BY ?link LIMIT 1"
    )
    e = get_entity(client, str(rows[0]["link"])[len(ids.base) :])
    ev = e["provenance"]["evidence"]
    assert ev["kind"]["name"] == "DomainKnowledge"
    assert ev["reasons"][0]["value"] == str(rows[0]["reason"])
    props = {p["name"] for p in e["properties"]}
    assert {"upstream", "downstream"} <= props


def test_incoming_links_are_capped_with_a_count(store, ids):
    rows = store.select(
        "SELECT ?s ?p WHERE { ?s ?p <https://w3id.org/chainkg/ontology#RegistryRow> }"
    )
    pairs = {(r["s"].n3().strip("<>"), str(r["p"])) for r in rows}
    assert len(pairs) > 200
    incoming = describe(store, str(CK.RegistryRow), ids)["incoming"]
    assert incoming["total"] == len(pairs)
    assert incoming["shown"] == len(incoming["links"]) == 200
    assert incoming["more"] == len(pairs) - 200
    shown = {(x["subject"]["iri"], x["property"]["iri"]) for x in incoming["links"]}
    assert len(shown) == 200 and shown <= pairs
    assert {x["property"]["curie"] for x in incoming["links"]} <= {"rdf:type", "rdf:first"}


def test_incoming_links_carry_labels(client):
    links = get_entity(client, ADIPIC)["incoming"]["links"]
    makers = [x for x in links if x["property"]["name"] == "makesProduct"]
    assert makers and all(x["property"]["label"] == "生产产品" for x in makers)
    assert any(x["subject"]["label"] == "115万吨己二酸扩建项目" for x in makers)


@pytest.mark.parametrize("ident", ["%C3%9E%C2%8A%1E", "product/a%20b", "product/%3C%3E", ""])
def test_ids_that_are_no_iri_are_404(client, ident):
    r = client.get(f"/api/entities/{ident}")
    assert r.status_code == 404 and isinstance(r.json()["suggestions"], list)


def test_unknown_entity_is_404_with_suggestions(client):
    r = client.get("/api/entities/product/adipic-acd")
    assert r.status_code == 404
    body = r.json()
    assert "adipic-acd" in body["detail"]
    assert any(s["id"] == ADIPIC for s in body["suggestions"])
    assert len(body["suggestions"]) <= 5


def test_describe_and_concise_graph(store, ids):
    iri = str(ids.iri("product", "adipic-acid"))
    assert describe(store, iri + "-nothing", ids) is None
    assert describe(store, iri + "\x1e<>", ids) is None
    assert len(concise_graph(store, iri + " x")) == 0
    g = concise_graph(store, iri)
    subject = URIRef(iri)
    assert (subject, RDFS.label, Literal("己二酸", lang="zh")) in g
    assert (subject, SKOS.exactMatch, WD.Q357415) in g
    assert (subject, SKOS.altLabel, Literal("AA")) in g
    industry = g.value(subject, CK.inIndustry)
    assert (industry, RDFS.label, Literal("新材料", lang="zh")) in g
    assert (CK.Product, RDFS.label, Literal("产品", lang="zh")) in g
    for source in g.objects(subject, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
        assert (source, None, None) in g, source
