"""The questions users ask, answered by SPARQL over the built store, each with its source."""

from __future__ import annotations

from decimal import Decimal

from rdflib import URIRef

from chainkg.queries import get, named_queries

PLAN = "https://w3id.org/chainkg/plan/fu-ling-qu-2022-2026/"


def run(store, query_name, **params):
    q = get(query_name)
    return store.select(q.text, q.bindings(**params))


def test_named_queries_have_headers():
    queries = named_queries()
    assert {"park-hosts", "upstream", "indicator-target", "item-capacity"} <= set(queries)
    for q in queries.values():
        assert q.title and q.description, q.name
        for p in q.params:
            assert f"?{p.name}" in q.text.split("WHERE")[0], (q.name, p.name)


def test_which_park_hosts_polyester(store):
    rows = run(store, "park-hosts", name="聚酯新材料")
    parks = {(str(r["park_label"]), str(r["section"])) for r in rows}
    assert (("临港经济区", PLAN + "box2")) in parks
    assert {p for p, _ in parks} == {"临港经济区"}
    assert any(str(r["section_label"]).startswith("专栏2") for r in rows)


def test_upstream_of_nylon66_reaches_adipic_acid_and_adiponitrile(store):
    nylon = URIRef("https://w3id.org/chainkg/product/nylon-66")
    rows = run(store, "upstream", product=str(nylon))
    ups = {str(r["from_label"]) for r in rows}
    assert {"己二酸", "己二腈", "己二胺", "尼龙66盐"} <= ups
    step = next(r for r in rows if str(r["from_label"]) == "己二腈")
    assert str(step["to_label"]) == "己二胺"
    assert str(step["section"]) == PLAN + "ch3.1.1"
    assert "ADN" in str(step["quote"])
    # every link upstream names its evidence; plan-text links name their section
    for r in rows:
        if str(r["evidence"]).endswith("PlanTextEvidence"):
            assert str(r["section"]).startswith(PLAN)
        else:
            assert str(r["reason"])


def test_2026_target_of_new_materials(store):
    rows = run(store, "indicator-target", name="新材料")
    row = next(r for r in rows if str(r["label"]) == "新材料产业")
    assert Decimal(str(row["target"])) == Decimal(750)
    assert Decimal(str(row["baseline"])) == Decimal(300)
    assert (str(row["baseline_year"]), str(row["target_year"]), str(row["unit"])) == (
        "2021",
        "2026",
        "亿元",
    )
    assert str(row["section"]) == PLAN + "table1"


def test_capacity_of_the_12gwh_battery_project(store):
    rows = run(store, "item-capacity", text="年产12GWh动力电池")
    assert len({str(r["item"]) for r in rows}) == 1
    row = rows[0]
    assert (Decimal(str(row["value"])), str(row["unit"]), str(row["per_year"])) == (
        Decimal(12),
        "GWh",
        "true",
    )
    assert str(row["product"]) == "https://w3id.org/chainkg/product/power-battery"
    assert str(row["section"]) == PLAN + "box3"


def test_every_fact_node_carries_its_source(store):
    rows = store.select(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE {
          GRAPH ?g { ?s a ?cls }
          FILTER(STRSTARTS(STR(?cls), "https://w3id.org/chainkg/ontology#"))
          FILTER(?g != <https://w3id.org/chainkg/graph/ontology>)
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?src }
        } GROUP BY ?cls"""
    )
    unsourced = {str(r["cls"]).split("#")[1]: int(r["n"]) for r in rows}
    # sections, registry rows and the plan are the sources themselves
    assert set(unsourced) <= {"Plan", "PlanSection", "Chapter", "Box", "Table", "RegistryRow"}


def test_who_produces_adipic_acid(store):
    rows = run(store, "producers", product="https://w3id.org/chainkg/product/adipic-acid")
    by_kind = {str(r["kind"]): r for r in rows}
    firm = by_kind["enterprise"]
    assert str(firm["who_label"]) == "重庆华峰化工有限公司"
    assert str(firm["park_label"]) == "白涛新材料科技城"
    assert (Decimal(str(firm["value"])), str(firm["unit"])) == (Decimal(36), "万吨")
    assert str(firm["url"]).startswith("http://www.huafeng.com/")
    assert str(by_kind["plan item"]["who_label"]) == "115万吨己二酸扩建项目"


def test_projects_of_a_park_follow_what_it_hosts(store):
    rows = run(store, "projects", name="临港经济区")
    texts = {str(r["text"]) for r in rows}
    assert {"年产120万吨PTA项目", "120万吨PET"} <= texts
    assert "115万吨己二酸扩建项目" not in texts  # 白涛 hosts the polyamide chain
    by_industry = {str(r["text"]) for r in run(store, "projects", name="生物医药")}
    assert len(by_industry) == 18


def test_chain_gaps_in_sparql(store):
    rows = run(store, "chain-gaps", name="新材料")
    gaps = {str(r["label"]): (int(r["local_upstream"]), int(r["local_downstream"])) for r in rows}
    assert gaps["尼龙66盐"] == (2, 1)
    assert "己二酸" not in gaps and "PET" not in gaps  # local producers
    first = str(rows[0]["label"])
    assert sum(gaps[first]) == max(sum(v) for v in gaps.values())
