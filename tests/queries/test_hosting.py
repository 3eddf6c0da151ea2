"""Which park hosts what comes only from the plan's 产业布局 / 园区载体 entries, registry rows
and plan-stated local presence; what is inferred from chain membership stays apart."""

from __future__ import annotations

import pytest

from chainkg.queries.chain import chain_graph
from chainkg.queries.gaps import gap_report
from chainkg.queries.products import park_candidates, product_detail, product_parks

CK = "https://w3id.org/chainkg/ontology#"
HOSTING = {"layout", "registry", "presence"}


def ask(store, text: str) -> bool:
    rows = store.select(text)
    return bool(rows)


def test_every_hosting_triple_has_a_plan_or_registry_source(store):
    prefix = f"PREFIX ck: <{CK}> PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    # a layout that hosts something comes from a plan section
    assert not ask(
        store,
        prefix + "SELECT ?l WHERE { ?l ck:hosts ?x . "
        "FILTER NOT EXISTS { ?l a ck:ParkLayout ; prov:wasDerivedFrom ?s . ?s ck:inPlan ?p } }",
    )
    # a production placed in a park comes from a registry row with its public source
    assert not ask(
        store,
        prefix + "SELECT ?f WHERE { ?f a ck:Production ; ck:inPark ?park . "
        "FILTER NOT EXISTS { ?f prov:wasDerivedFrom ?r . ?r a ck:RegistryRow ; ck:sourceUrl ?u } }",
    )
    # a plan-stated presence in a park quotes a plan section
    assert not ask(
        store,
        prefix + "SELECT ?e WHERE { ?e a ck:LocalPresence ; ck:inPark ?park . "
        "FILTER NOT EXISTS { ?e ck:evidenceText ?q ; prov:wasDerivedFrom ?s . ?s ck:inPlan ?p } }",
    )
    # and there is something of each kind to check
    for cls in ("ParkLayout", "Production", "LocalPresence"):
        assert ask(store, prefix + f"SELECT ?x WHERE {{ ?x a ck:{cls} }} LIMIT 1"), cls


def test_product_parks_are_hosting_and_candidates_name_their_rule(store, ids):
    g = chain_graph(store, ids)
    for iri in g:
        for park in product_parks(store, iri, ids):
            assert {w["kind"] for w in park["why"]} <= HOSTING, (iri, park)
        for park in park_candidates(store, iri, ids):
            assert all(w["rule"].startswith("layout-names-") for w in park["why"])


@pytest.mark.parametrize(
    ("product", "park"),
    [("页岩气", "临港经济区"), ("己二酸", "临港经济区"), ("PTA", "白涛新材料科技城")],
)
def test_chain_membership_does_not_make_a_host(store, ids, product, park):
    """临港经济区's layout names the polyester chain; that does not put 页岩气 there."""
    g = chain_graph(store, ids)
    iri = next(n for n, d in g.nodes(data=True) if d["label"] == product)
    assert park not in {p["label"] for p in product_parks(store, iri, ids)}


def test_gap_report_keeps_inferred_parks_apart(store, ids):
    report = gap_report(store, ids)
    inferred = 0
    for gap in report["gaps"]:
        for host in gap["parks"]:
            assert {v["via"] for v in host["via"]} <= {"product", "presence", "registry"}
            assert all(v["rule"] is None for v in host["via"])
        for cand in gap["park_candidates"]:
            assert all(v["rule"] for v in cand["via"])
            inferred += 1
    assert inferred


def test_the_district_vehicle_maker_is_local_presence(store, ids):
    """The plan builds on the district's existing 整车企业: 新能源汽车 is made here."""
    g = chain_graph(store, ids)
    nev = next(n for n, d in g.nodes(data=True) if d["label"] == "新能源汽车")
    detail = product_detail(store, g, nev, ids)
    assert detail["status"] == "operating" and detail["present"] >= 1
    quotes = [p["quote"] for p in detail["presence"]]
    assert any("整车企业" in q for q in quotes)
    assert all(p["section"]["id"].startswith("plan/") for p in detail["presence"])
    gap = next((x for x in gap_report(store, ids)["gaps"] if x["product"]["iri"] == nev), None)
    assert gap is None or gap["kind"] == "weak"
    if gap is not None:
        assert "尚无在产企业" not in gap["reasons"]["zh"][0]
