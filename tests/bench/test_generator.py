"""The benchmark's graph generator: deterministic, valid N-Quads, the product's layout."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.graph.namespaces import CK, Ids

SPEC = importlib.util.spec_from_file_location(
    "bench_generator", Path(__file__).resolve().parents[2] / "bench" / "generator.py"
)
generator = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = generator
SPEC.loader.exec_module(generator)

SIZE = 5_000


def text(seed: int, size: int = SIZE) -> str:
    out = io.StringIO()
    generator.generate(out, size, seed)
    return out.getvalue()


@pytest.fixture(scope="module")
def data() -> str:
    return text(7)


@pytest.fixture(scope="module")
def store(data: str) -> ox.Store:
    s = ox.Store()
    s.load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return s


def test_same_seed_gives_same_bytes(data: str, tmp_path: Path) -> None:
    generator.write(tmp_path / "a.nq", SIZE, 7)
    generator.write(tmp_path / "b.nq", SIZE, 7)
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()
    assert (tmp_path / "a.nq").read_bytes() == data.encode("utf-8")


def test_other_seed_gives_other_bytes(data: str) -> None:
    assert text(8) != data


def test_size_is_near_the_target(data: str, store: ox.Store) -> None:
    lines = data.count("\n")
    assert SIZE <= lines < SIZE * 1.05
    assert len(store) == lines  # no duplicate quads


def test_graph_layout(store: ox.Store) -> None:
    ids = Ids()
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {str(ids.graph("chains", "national")), str(ids.graph("registry", "national"))}
    rows = store.query(
        "SELECT ?g ?c (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g ?c"
    )
    where = {(r["c"].value, r["g"].value.rsplit("/", 2)[-2]): int(r["n"].value) for r in rows}
    for cls in ("Product", "ChainLink", "Industry"):
        assert where.get((str(CK[cls]), "chains"), 0) > 0, cls
    for cls in ("Enterprise", "Production", "Park", "Region", "RegistryRow"):
        assert where.get((str(CK[cls]), "registry"), 0) > 0, cls


def test_every_link_has_one_upstream_and_one_downstream_product(store: ox.Store) -> None:
    q = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
    SELECT ?link (COUNT(DISTINCT ?up) AS ?u) (COUNT(DISTINCT ?down) AS ?d) WHERE {
      ?link a ck:ChainLink .
      OPTIONAL { ?link ck:upstream ?up . ?up a ck:Product }
      OPTIONAL { ?link ck:downstream ?down . ?down a ck:Product }
    } GROUP BY ?link"""
    rows = list(store.query(q, use_default_graph_as_union=True))
    assert rows
    assert all(int(r["u"].value) == 1 and int(r["d"].value) == 1 for r in rows)


def test_productions_and_labels(store: ox.Store) -> None:
    q = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    ASK { ?f a ck:Production ;
        FILTER NOT EXISTS { ?f ck:producer/a ck:Enterprise ; ck:product/a ck:Product ;
                              ck:inPark/a ck:Park ; ck:status ?s ; ck:confidence ?c ;
                              prov:wasDerivedFrom/a ck:RegistryRow } }"""
    assert not store.query(q, use_default_graph_as_union=True)
    q = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    ASK { ?e a ck:Enterprise
        FILTER NOT EXISTS { ?e rdfs:label ?zh , ?en FILTER(LANG(?zh) = "zh" && LANG(?en) = "en") }
    }"""
    assert not store.query(q, use_default_graph_as_union=True)
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    ASK { ?s skos:altLabel ?a }"""
    assert store.query(q, use_default_graph_as_union=True)
