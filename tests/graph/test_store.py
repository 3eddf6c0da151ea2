"""The embedded store: typed results, and parameters that are only ever data."""

from __future__ import annotations

import io

import pytest
from rdflib import Graph, Literal, URIRef

from chainkg.graph.store import OxigraphStore

EX = "http://example.org/"
HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "x' } ; DROP ALL ; #",
    "} UNION {",
    "\\u0022) || true || (\\u0022",
    '新材料"@zh . } #',
]


@pytest.fixture
def small(tmp_path):
    store = OxigraphStore(tmp_path / "db")
    g = Graph()
    g.add((URIRef(EX + "a"), URIRef(EX + "name"), Literal("新材料", lang="zh")))
    g.add((URIRef(EX + "b"), URIRef(EX + "name"), Literal("secret")))
    store.replace_graph(EX + "g", g)
    yield store
    store.close()


def test_select_ask_construct(small):
    rows = small.select(f"SELECT ?s WHERE {{ ?s <{EX}name> ?n }} ORDER BY ?s")
    assert [r["s"] for r in rows] == [URIRef(EX + "a"), URIRef(EX + "b")]
    assert small.ask(f"ASK {{ <{EX}a> ?p ?o }}") is True
    g = small.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    assert (URIRef(EX + "a"), URIRef(EX + "name"), Literal("新材料", lang="zh")) in g
    assert small.graphs() == [EX + "g"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_bound_as_terms(small, value):
    q = f"SELECT ?n ?s WHERE {{ ?s <{EX}name> ?x FILTER(STR(?x) = STR(?n)) }}"
    assert small.select(q, {"n": Literal(value)}) == []
    assert small.count() == 2


def test_iri_with_angle_bracket_is_refused_not_spliced(small):
    q = f"SELECT ?s ?n WHERE {{ ?s <{EX}name> ?n }}"
    with pytest.raises(ValueError, match="Invalid IRI"):
        small.select(q, {"s": URIRef(EX + "a> ?p ?o . <" + EX + "b")})
    assert small.count() == 2


def test_dump_formats(small):
    for fmt in ("nq", "trig", "ttl", "nt", "jsonld"):
        out = io.BytesIO()
        small.dump(out, fmt)
        text = out.getvalue().decode("utf-8")
        assert "新材料" in text or "\\u65B0" in text, fmt
        if fmt in ("nq", "trig"):
            assert EX + "g" in text
