"""The built data conforms to the SHACL shapes and is consistent with the ontology (HermiT)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from chainkg.graph.namespaces import CK
from chainkg.graph.store import OxigraphStore
from chainkg.graph.validation import reason, shacl_report


def test_built_data_conforms_to_shapes(store):
    conforms, text = shacl_report(store)
    assert conforms, text[:5000]


def test_built_data_is_consistent_under_hermit(store):
    consistent, message = reason(store)
    assert consistent, message
    assert "consistent" in message


def test_shapes_catch_a_product_without_kind_or_source():
    bad = OxigraphStore()
    g = Graph()
    p = URIRef("https://w3id.org/chainkg/product/orphan")
    g.add((p, RDF.type, CK.Product))
    g.add((p, RDFS.label, Literal("孤儿产品", lang="zh")))
    bad.replace_graph("https://w3id.org/chainkg/graph/test", g)
    conforms, text = shacl_report(bad)
    assert not conforms
    assert "productKind" in text and "wasDerivedFrom" in text


def test_reasoner_catches_a_contradiction():
    bad = OxigraphStore()
    g = Graph()
    x = URIRef("https://w3id.org/chainkg/x")
    g.add((x, RDF.type, CK.ChainLink))
    g.add((x, RDF.type, CK.Production))  # declared disjoint in the ontology
    bad.replace_graph("https://w3id.org/chainkg/graph/test", g)
    consistent, message = reason(bad)
    assert not consistent
    assert "INCONSISTENT" in message
