"""A store of several district plans, seen through one plan (graph/scope.py)."""

from __future__ import annotations

import pytest

from chainkg.graph.scope import PlanScope, districts, scoped, whole

FULING = "https://w3id.org/chainkg/plan/fu-ling-qu-2022-2026"
XISHAN = "https://w3id.org/chainkg/plan/xi-shan-qu-2024-2028"
MADE = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
SELECT ?p ?firm WHERE { ?f a ck:Production ; ck:product ?p ; ck:producer ?firm }"""


def test_the_build_records_each_plan_and_the_graphs_it_owns(region_store, ids):
    found = districts(region_store, ids.graph("meta"))
    assert found.plans == (FULING, XISHAN)  # the manifest's first plan is the default
    base = "https://w3id.org/chainkg/graph/"
    assert found.members[XISHAN] == {
        base + "chains/xi-shan-qu-2024-2028",
        base + "plan/xi-shan-qu-2024-2028",
        base + "registry/xishan-firms",
    }
    assert base + "registry/enterprises-public" in found.members[FULING]
    assert found.owner(base + "ontology") is None  # shared by both


def test_a_plan_view_sees_its_own_registry_only(region_store, ids):
    meta = ids.graph("meta")
    hydrogen = {"p": ids.iri("product", "hydrogen")}
    fuling, xishan = scoped(region_store, meta), scoped(region_store, meta, XISHAN)
    assert fuling.plan == FULING
    firms = {str(r["firm"]).rsplit("/", 1)[-1] for r in xishan.select(MADE, hydrogen)}
    assert firms == {"xi-shan-lv-qing-neng-yuan-you-xian-gong-si"}
    assert fuling.select(MADE, hydrogen) == []
    assert len(region_store.select(MADE, hydrogen)) == 1  # the whole store has it
    plans = "PREFIX ck: <https://w3id.org/chainkg/ontology#> SELECT ?x WHERE { ?x a ck:Plan }"
    assert [str(r["x"]) for r in fuling.select(plans)] == [FULING]
    assert fuling.ask("ASK { ?s ?p ?o }")
    assert len(fuling.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) < len(
        region_store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    )


def test_every_graph_stays_reachable_by_name_in_a_view(region_store, ids):
    xishan = scoped(region_store, ids.graph("meta"), XISHAN)
    rows = xishan.select(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    assert ids.graph("registry", "enterprises-public") in {r["g"] for r in rows}
    assert whole(xishan) is region_store and isinstance(xishan, PlanScope)
    assert xishan.cache_key != scoped(region_store, ids.graph("meta")).cache_key


def test_a_store_of_one_plan_reads_every_graph(store, ids):
    view = scoped(store, ids.graph("meta"))
    assert view.within is None and view.plan == FULING
    with pytest.raises(KeyError):
        scoped(store, ids.graph("meta"), XISHAN)
