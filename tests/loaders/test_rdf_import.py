"""RDF import in every supported syntax, into a named graph; bad syntax loads nothing."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from chainkg.graph.store import OxigraphStore
from chainkg.loaders.build import build, load_rdf
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.loaders.errors import LoadError
from chainkg.loaders.rdf_import import import_graph_iri, rdf_file, syntax_error

EX = "http://example.org/"
INTO = EX + "into"


def streamed(path) -> Graph:
    """The triples of ``path`` as the store's loader writes them into one graph."""
    f = rdf_file(path)
    store = OxigraphStore()
    try:
        store.load_file(INTO, f.path, f.format, f.base)
    except SyntaxError as exc:
        raise syntax_error(f.path, exc) from exc
    return store.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(INTO)}
    )


SAMPLE = Graph()
SAMPLE.add((URIRef(EX + "firm"), URIRef(EX + "name"), Literal("示例", lang="zh")))
SAMPLE.add((URIRef(EX + "firm"), URIRef(EX + "size"), Literal(3)))


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("nq", "nquads"),
        ("trig", "trig"),
        ("jsonld", "json-ld"),
        ("rdf", "xml"),
    ],
)
def test_every_syntax_parses_to_the_same_triples(tmp_path, suffix, fmt):
    path = tmp_path / f"sample.{suffix}"
    data = SAMPLE
    if suffix in ("nq", "trig"):
        data = Dataset()
        data.graph(URIRef(EX + "g")).__iadd__(SAMPLE)
    data.serialize(path, format=fmt, encoding="utf-8")
    got = streamed(path)
    assert set(got) == set(SAMPLE)


def test_import_goes_to_its_named_graph_and_survives_a_rebuild(fresh_home, ids, tmp_path):
    path = tmp_path / "extra.ttl"
    SAMPLE.serialize(path, format="turtle")
    target = import_graph_iri(ids, path)
    load_rdf(fresh_home, path, target, ids)
    query = "SELECT ?g ?o WHERE { GRAPH ?g { ?s <http://example.org/size> ?o } }"
    store = fresh_home.open()
    assert [int(r["o"]) for r in store.select(query, {"g": target})] == [3]
    store.close()
    build(fresh_home, Manifest.read(builtin_manifest()), ids)
    store = fresh_home.open()
    assert [int(r["o"]) for r in store.select(query, {"g": target})] == [3]
    store.close()


def test_built_graphs_are_not_overwritten_by_accident(fresh_home, ids, tmp_path):
    path = tmp_path / "extra.ttl"
    SAMPLE.serialize(path, format="turtle")
    plan = URIRef("https://w3id.org/chainkg/graph/plan/fu-ling-qu-2022-2026")
    with pytest.raises(LoadError, match="--replace"):
        load_rdf(fresh_home, path, plan, ids)
    with pytest.raises(ValueError):
        load_rdf(fresh_home, path, URIRef("not an iri>"), ids)
    load_rdf(fresh_home, path, plan, ids, replace=True)
    store = fresh_home.open()
    n = store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"g": plan}
    )
    assert int(n[0]["n"]) == 2
    store.close()


def test_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    with pytest.raises(LoadError) as err:
        streamed(path)
    assert err.value.problems[0].line == 3
    assert "broken.ttl:3" in str(err.value)


def test_unknown_suffix_is_refused(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("x")
    with pytest.raises(LoadError, match="unknown RDF file type"):
        rdf_file(path)


def _lines(n: int, graph: str | None = None) -> str:
    g = f" <{graph}>" if graph else ""
    return "".join(f'<{EX}s{i}> <{EX}p> "{i}"{g} .\n' for i in range(n))


@pytest.mark.parametrize("suffix", ["nt", "nq"])
def test_a_large_file_is_streamed_whole_into_one_graph(fresh_home, ids, tmp_path, suffix):
    path = tmp_path / f"big.{suffix}"
    path.write_text(_lines(5000, EX + "elsewhere" if suffix == "nq" else None), "utf-8")
    target = import_graph_iri(ids, path)
    report = load_rdf(fresh_home, path, target, ids)
    assert report.graphs == {str(target): 5000}
    store = fresh_home.open()
    n = store.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"g": target}
    )
    assert int(n[0]["n"]) == 5000
    assert (
        store.select(  # the quads of an N-Quads file went to the target, not their graph
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(EX + "elsewhere")}
        )
        == []
    )
    store.close()


def test_a_syntax_error_late_in_a_file_names_its_line_and_loads_nothing(fresh_home, ids, tmp_path):
    path = tmp_path / "late.nt"
    path.write_text(_lines(3000) + f"<{EX}s> <{EX}p> oops .\n", "utf-8")
    before = fresh_home.version()
    with pytest.raises(LoadError) as err:
        load_rdf(fresh_home, path, import_graph_iri(ids, path), ids)
    assert err.value.problems[0].line == 3001 and "late.nt:3001" in str(err.value)
    assert fresh_home.version() == before
    store = fresh_home.open()
    assert str(import_graph_iri(ids, path)) not in store.graphs()
    store.close()
