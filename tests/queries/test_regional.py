"""Several districts in one store: each plan's gap report counts only its own district,
and names the other districts that make a missing product (queries/regional.py)."""

from __future__ import annotations

from chainkg.queries import plans
from chainkg.queries.gaps import gap_report
from chainkg.queries.regional import regional_supply
from chainkg.viz.models import naming_plans

XISHAN = "xi-shan-qu-2024-2028"
SHARED = {
    "product/h2-production-equipment",
    "product/hydrogen",
    "product/on-board-h2-storage",
    "product/fuel-cell",
}


def _ranked(report: dict) -> list[tuple]:
    return [
        (g["list"], g["rank"], g["product"]["id"], g["kind"], g["score"]) for g in report["gaps"]
    ]


def test_a_second_district_changes_nothing_in_the_first_ones_report(store, region_store, ids):
    alone = gap_report(plans.view(store, ids), ids, top=0)
    together = gap_report(plans.view(region_store, ids), ids, top=0)
    assert _ranked(together) == _ranked(alone)
    assert together["counts"] == alone["counts"]
    local = {g["product"]["id"]: g["local"] for g in together["gaps"]}
    assert local == {g["product"]["id"]: g["local"] for g in alone["gaps"]}


def test_a_districts_report_reads_its_own_chains_and_firms(region_store, ids):
    report = gap_report(plans.view(region_store, ids, "西山区"), ids, top=0)
    products = {g["product"]["id"] for g in report["gaps"]}
    assert "product/sic-growth-furnace" in products
    assert all(p.startswith("product/") for p in products)
    assert report["counts"]["products"] == 8  # the Xishan chains file's products only
    firms = {p["id"] for g in report["gaps"] for p in g["local"] if p["kind"] == "enterprise"}
    assert all(f.startswith("enterprise/xi-shan") for f in firms)
    # its own firm makes hydrogen, so it is no gap here (it is one in Fuling)
    assert "product/hydrogen" not in products


def test_the_gap_report_names_the_neighbour_that_makes_a_missing_product(region_store, ids):
    report = gap_report(plans.view(region_store, ids), ids, top=0)
    hydrogen = next(g for g in report["gaps"] if g["product"]["id"] == "product/hydrogen")
    assert hydrogen["list"] == "attract" and hydrogen["kind"] == "missing"
    assert all(p["kind"] != "enterprise" for p in hydrogen["local"])  # Xishan's firm is not
    (supply,) = hydrogen["regional"]
    assert supply["plan"]["key"] == XISHAN and supply["region"]["label"] == "西山区"
    assert supply["status"] == "operating"
    assert [(p["label"], p["status"], p["park"]) for p in supply["producers"]] == [
        ("西山绿氢能源有限公司", "operating", "西山氢能产业园")
    ]
    with_supply = {g["product"]["id"] for g in report["gaps"] if g["regional"]}
    assert with_supply <= SHARED  # only products both districts' chains hold


def test_one_plan_has_no_neighbours(store, ids):
    assert regional_supply(plans.view(store, ids), ids) == {}
    report = gap_report(plans.view(store, ids), ids, top=5)
    assert all(g["regional"] == [] for g in report["gaps"])


def test_a_product_lists_the_district_plans_that_name_it(region_store, ids):
    view = plans.view(region_store, ids, XISHAN)
    hydrogen = naming_plans(view, ids, str(ids.iri("product", "hydrogen")))
    assert [(p["key"], p["current"]) for p in hydrogen] == [
        ("fu-ling-qu-2022-2026", False),
        (XISHAN, True),
    ]
    assert hydrogen[0]["named"]["chain"] >= 1 and hydrogen[1]["named"]["chain"] >= 1
    adipic = naming_plans(view, ids, str(ids.iri("product", "adipic-acid")))
    assert [p["key"] for p in adipic] == ["fu-ling-qu-2022-2026"]
    assert adipic[0]["named"]["items"] >= 1


CROSS = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?product ?maker_region WHERE {
  ?product a ck:Product ; ck:inIndustry ?a , ?b .
  ?a prov:wasDerivedFrom/ck:inPlan ?pa . ?b prov:wasDerivedFrom/ck:inPlan ?pb .
  FILTER(STR(?pa) < STR(?pb))
  OPTIONAL {
    ?f a ck:Production ; ck:product ?product ; ck:status ck:Operating ; ck:inPark ?park .
    ?park ck:inRegion/rdfs:label ?maker_region
  }
} ORDER BY ?product"""


def test_sparql_answers_a_question_across_both_plans(region_store, ids):
    """Which products do both districts' chains hold, and where is one made?"""
    rows = region_store.select(CROSS)
    found = {(str(r["product"]).removeprefix(ids.base), str(r.get("maker_region"))) for r in rows}
    assert {p for p, _ in found} == SHARED
    assert ("product/hydrogen", "西山区") in found
