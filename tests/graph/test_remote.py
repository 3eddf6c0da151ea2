"""The remote backend on a real Virtuoso: scoping, graph names, bindings, versions, limits."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Literal, URIRef

from chainkg.api.settings import Settings, home_for
from chainkg.graph.executor import Job, QueryTimeout
from chainkg.graph.namespaces import Ids
from chainkg.graph.remote_home import RemoteHome, RemotePool
from chainkg.loaders.build import build, load_registry
from chainkg.loaders.dataset import Manifest, builtin_manifest, read_dataset

CK = "https://w3id.org/chainkg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PLAN = "https://w3id.org/chainkg/graph/plan/fu-ling-qu-2022-2026"


@pytest.fixture(scope="module")
def remote(virtuoso, ids) -> RemoteHome:
    home = home_for(Settings(store=f"sparql+{virtuoso.base}/sparql#https://example.org/remote"))
    build(home, Manifest.read(builtin_manifest()), ids)
    return home


def test_location_names_the_server_and_the_control_graph(virtuoso):
    home = home_for(Settings(store=f"sparql+{virtuoso.base}/sparql#urn:x:ctl"))
    assert isinstance(home, RemoteHome)
    assert (home.endpoint.query_url, home.control) == (f"{virtuoso.base}/sparql", "urn:x:ctl")
    assert not home.exists()
    other = home_for(Settings(store=f"sparql+{virtuoso.base}/sparql", base_iri="http://b/"))
    assert other.control == "http://b/store"


def test_other_data_on_the_server_is_never_read(remote, virtuoso):
    r = httpx.post(
        f"{virtuoso.base}/sparql-auth",
        data={"update": f"INSERT DATA {{ GRAPH <urn:elsewhere> {{ <urn:x> a <{CK}Industry> }} }}"},
        auth=httpx.DigestAuth("dba", "dba"),
    )
    assert r.status_code == 200
    store = remote.open()
    rows = store.select(f"SELECT ?i WHERE {{ ?i a <{CK}Industry> }}")
    assert len(rows) == 7 and URIRef("urn:x") not in {r["i"] for r in rows}
    # not even when the query asks for that graph by name
    assert not store.ask("ASK { GRAPH <urn:elsewhere> { ?s ?p ?o } }")
    assert "urn:elsewhere" not in store.graphs()


def test_graph_names_are_the_logical_ones_both_ways(remote, tmp_path):
    store = remote.open()
    assert PLAN in store.graphs()
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {str(r["g"]) for r in rows} == set(store.graphs())
    n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PLAN}> {{ ?s ?p ?o }} }}")
    # the plan graph as the loader reads it, triple for triple
    sources = read_dataset(Manifest.read(builtin_manifest()), Ids(), tmp_path)
    (plan,) = [s for s in sources if s.kind == "plan"]
    assert int(n[0]["n"]) == len(plan.data) > 2000
    bound = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(PLAN)}
    )
    assert int(bound[0]["n"]) == len(plan.data)
    # the meta graph describes graphs by their logical names
    label = store.select(f"SELECT ?l WHERE {{ <{PLAN}> <{RDFS}label> ?l }}")
    assert label and str(label[0]["l"]).startswith("plan:")


@pytest.mark.parametrize(
    "value", ['新材料" } UNION { ?s ?p ?o } #', "x' . ?s ?p ?o . FILTER('", 'a\\u0022b\n"']
)
def test_bound_values_are_data(remote, value):
    rows = remote.open().select(
        f"SELECT ?i ?name WHERE {{ ?i a <{CK}Industry> ; <{RDFS}label> ?l "
        "FILTER(STR(?l) = STR(?name)) }",
        {"name": Literal(value)},
    )
    assert rows == []
    hit = remote.open().select(
        f"SELECT ?i WHERE {{ ?i a <{CK}Industry> ; <{RDFS}label> ?l FILTER(STR(?l) = ?name) }}",
        {"name": Literal("新材料")},
    )
    assert len(hit) == 1


def test_a_load_shares_the_graphs_it_leaves_alone(remote, ids, tmp_path):
    before = remote.open()
    csv = tmp_path / "more.csv"
    csv.write_text(
        "enterprise_zh,enterprise_en,park,product,capacity_value,capacity_unit,as_of,status,"
        "confidence,source_url,note\n"
        "测试化工有限公司,Test Chem,白涛新材料科技城,尼龙66盐,,,2024,operating,sourced,"
        "https://example.org/r,\n",
        encoding="utf-8",
    )
    load_registry(remote, csv, ids)
    after = remote.open()
    assert after.version != before.version
    assert after.names[PLAN] == before.names[PLAN]  # not copied
    assert len(after.graphs()) == len(before.graphs()) + 1
    assert after.count() > before.count()


def test_a_slow_query_is_stopped_at_the_time_limit(remote):
    pool = RemotePool(remote, workers=1, timeout=2)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        pool.run(Job(slow))
    # and the server still answers at once afterwards
    fast = pool.run(Job("ASK { ?s ?p ?o }"))
    assert fast.form == "ask" and b"true" in fast.body
