"""Chain paths over the built-in dataset: each step carries its evidence and industries."""

from __future__ import annotations

import json
from itertools import pairwise

import networkx as nx
import pytest

from chainkg.queries import chain
from chainkg.queries.chain import chain_graph
from chainkg.queries.paths import Unknown, all_paths, closure, shortest, target

PLAN = "https://w3id.org/chainkg/plan/"
EVIDENCE = {"PlanTextEvidence", "DomainKnowledge"}


def labels(answer: dict) -> list[list[str]]:
    return [p["labels"] for p in answer["paths"]]


def nodes(answer: dict) -> dict[str, dict]:
    return {n["label"]: n for n in answer["nodes"]}


def assert_explained(answer: dict) -> None:
    """Every step names its evidence and source; every node on a path is explained."""
    explained = nodes(answer)
    for path in answer["paths"]:
        assert path["length"] == len(path["steps"]) == len(path["nodes"]) - 1
        pairs = list(pairwise(path["labels"]))
        for step, (up, down) in zip(path["steps"], pairs, strict=True):
            assert (step["from"], step["to"]) == (up, down)
            assert step["evidence"] in EVIDENCE
            assert step["from_industry"] and step["to_industry"]
            if step["evidence"] == "PlanTextEvidence":
                assert step["quote"] and step["section"].startswith(PLAN), step
                assert step["section_label"]
            else:
                assert step["reason"], step
        for label in path["labels"]:
            node = explained[label]
            assert node["status"] in chain.STATUSES
            assert {"enterprises", "items", "parks"} <= set(node)


def test_adipic_acid_to_nylon_66_goes_through_the_salt(store, ids):
    answer = shortest(store, "己二酸", "尼龙66", ids)
    assert answer["found"] and answer["direction"] == "forward"
    assert labels(answer) == [["己二酸", "尼龙66盐", "尼龙66"]]
    path = answer["paths"][0]
    assert path["nodes"] == ["product/adipic-acid", "product/nylon-66-salt", "product/nylon-66"]
    assert path["industries"] == ["新材料"] and not path["cross_industry"]
    # the plan glosses the salt as 己二酸己二胺盐 (plan text); it only lists salt and PA66,
    # so the polycondensation step rests on domain knowledge with its reason
    assert [s["evidence"] for s in path["steps"]] == ["PlanTextEvidence", "DomainKnowledge"]
    assert "polycondensation" in path["steps"][1]["reason"]
    assert path["steps"][0]["section"] == PLAN + "fu-ling-qu-2022-2026/ch3.1.1"
    assert "尼龙66盐" in path["steps"][0]["quote"]
    assert_explained(answer)


def test_nodes_carry_enterprises_items_and_parks(store, ids):
    adipic = nodes(shortest(store, "己二酸", "尼龙66", ids))["己二酸"]
    assert adipic["status"] == "operating"
    firm = next(e for e in adipic["enterprises"] if e["label"] == "重庆华峰化工有限公司")
    assert (firm["status"], firm["park"], firm["confidence"]) == (
        "Operating",
        "白涛新材料科技城",
        "Sourced",
    )
    assert firm["url"].startswith("http")
    assert any("己二酸" in item["label"] for item in adipic["items"])
    assert all(item["section"]["iri"].startswith(PLAN) for item in adipic["items"])
    # hosting comes from the registry (and the plan's words); a layout that names the
    # product's chain makes the park a candidate, by a named rule, never a host
    parks = {p["label"]: p for p in adipic["parks"]}
    assert {w["kind"] for w in parks["白涛新材料科技城"]["why"]} == {"registry"}
    hosting = {w["kind"] for p in adipic["parks"] for w in p["why"]}
    assert hosting <= {"layout", "registry", "presence"}
    candidates = {p["label"]: p for p in adipic["park_candidates"]}
    why = candidates["白涛新材料科技城"]["why"]
    rule = next(w for w in why if w["rule"] == "layout-names-chain")
    assert rule["section"]["iri"].startswith(PLAN) and rule["through"]["label"] == "聚酰胺产业链"


def test_shale_gas_to_pet_crosses_industries_through_ethylene_glycol(store, ids):
    answer = shortest(store, "页岩气", "PET", ids)
    assert labels(answer) == [["页岩气", "乙二醇", "PET"]]
    path = answer["paths"][0]
    assert path["industries"] == ["清洁能源", "新材料"] and path["cross_industry"]
    crossing = [s for s in path["steps"] if s["cross_industry"]]
    assert [(s["from_industry"], s["to_industry"]) for s in crossing] == [("清洁能源", "新材料")]
    assert any("乙二醇" in p for p in labels(all_paths(store, "页岩气", "PET", ids)))
    assert_explained(answer)


def test_shale_gas_reaches_hydrogen_by_supply_and_fuels_the_fuel_cell_apart(store, ids):
    answer = all_paths(store, "页岩气", "氢气", ids)
    assert answer["found"] and answer["count"] >= 1 and not answer["more"]
    for path in labels(answer):
        assert path[0] == "页岩气" and path[-1] == "氢气"
    lengths = [p["length"] for p in answer["paths"]]
    assert lengths == sorted(lengths)
    assert labels(shortest(store, "页岩气", "氢气", ids))[0] == labels(answer)[0]
    assert_explained(answer)
    # hydrogen is the fuel a fuel cell runs on, not a material it is made of: no supply
    # path goes from hydrogen into the fuel cell, and no supply step ever rests on a
    # non-supply link
    g = chain_graph(store, ids)
    fuel = next(n for n, d in g.nodes(data=True) if d["label"] == "氢气")
    cell = next(n for n, d in g.nodes(data=True) if d["label"] == "氢燃料电池")
    assert cell not in nx.descendants(g, fuel)
    kinds = {g.edges[e]["relation"] for e in g.edges}
    assert kinds <= {"MaterialInput", "ComponentInput", "EquipmentInput"}
    assert any(e["relation"] == "UtilityRelation" for _, _, e in g.graph["related"])


def test_all_paths_are_bounded(store, ids):
    two = all_paths(store, "己二酸", "尼龙66", ids)
    assert labels(two) == [
        ["己二酸", "尼龙66盐", "尼龙66"],
        ["己二酸", "己二腈", "己二胺", "尼龙66盐", "尼龙66"],
    ]
    one = all_paths(store, "己二酸", "尼龙66", ids, max_paths=1)
    assert one["count"] == 1 and one["more"] is True
    short = all_paths(store, "己二酸", "尼龙66", ids, max_len=3)
    assert labels(short) == [["己二酸", "尼龙66盐", "尼龙66"]]
    assert not all_paths(store, "页岩气", "氢燃料电池", ids, max_len=3)["found"]


def test_reversed_direction_is_reported(store, ids):
    answer = shortest(store, "尼龙66", "己二酸", ids)
    assert answer["found"] and answer["direction"] == "reversed"
    assert labels(answer) == [["己二酸", "尼龙66盐", "尼龙66"]]
    assert "lead back" in answer["message"]
    assert all_paths(store, "尼龙66", "己二酸", ids)["direction"] == "reversed"


def test_no_path_at_all_is_an_empty_answer(store, ids):
    answer = shortest(store, "氨纶", "PET", ids)
    assert (answer["found"], answer["direction"], answer["count"]) == (False, None, 0)
    assert answer["paths"] == [] and answer["nodes"] == []
    assert "no chain path" in answer["message"]


def test_to_an_industry_reaches_its_nearest_product(store, ids):
    answer = shortest(store, "页岩气", "新能源与智能网联汽车", ids)
    assert answer["to"]["kind"] == "industry" and answer["to"]["products"] > 1
    path = answer["paths"][0]
    reached = nodes(answer)[path["labels"][-1]]
    assert reached["industry"] == "新能源与智能网联汽车"
    assert path["industries"][0] == "清洁能源" and path["industries"][-1] == "新能源与智能网联汽车"
    assert reached["id"] == path["reached"]
    # nothing before the end is in the industry: it is the nearest
    assert all(nodes(answer)[x]["industry"] != "新能源与智能网联汽车" for x in path["labels"][:-1])
    assert_explained(answer)


def test_to_a_park_reaches_a_product_it_hosts(store, ids):
    answer = shortest(store, "氢气", "白涛新材料科技城", ids)
    assert answer["to"]["kind"] == "park" and answer["direction"] == "forward"
    assert labels(answer) == [["氢气", "BDO"]]
    hosted = {p["label"]: p for p in nodes(answer)["BDO"]["parks"]}
    assert "白涛新材料科技城" in hosted
    assert "白涛新材料科技城" not in {p["label"] for p in nodes(answer)["氢气"]["parks"]}
    assert_explained(answer)


def test_to_a_park_upstream_is_reversed(store, ids):
    answer = shortest(store, "汽车零部件", "白涛新材料科技城", ids, to_kind="park")
    assert answer["direction"] == "reversed"
    (path,) = labels(answer)
    assert path[-1] == "汽车零部件"
    hosts = {p["label"]: p for p in nodes(answer)[path[0]]["parks"]}
    why = {w["kind"] for w in hosts["白涛新材料科技城"]["why"]}
    assert why <= {"layout", "registry", "presence"}
    assert answer["paths"][0]["cross_industry"]


def test_a_layout_that_names_the_product_hosts_it(store, ids):
    """涪陵高新区's layout says 「布局页岩气、新能源、储能产业」: its words name 页岩气."""
    answer = shortest(store, "页岩气", "涪陵高新区", ids, to_kind="park")
    assert labels(answer) == [["页岩气"]]
    park = next(p for p in nodes(answer)["页岩气"]["parks"] if p["label"] == "涪陵高新区")
    assert park["why"][0]["kind"] == "layout" and park["why"][0]["section"]["iri"].startswith(PLAN)


def test_a_product_hosted_by_the_park_is_its_own_path(store, ids):
    answer = shortest(store, "己二腈", "白涛新材料科技城", ids)
    assert labels(answer) == [["己二腈"]] and answer["paths"][0]["steps"] == []


def test_target_kinds(store, ids):
    g = chain.chain_graph(store, ids)
    assert target(store, g, "尼龙66", ids=ids)["kind"] == "product"
    assert target(store, g, "xin-cai-liao", ids=ids)["kind"] == "industry"
    assert target(store, g, "park/fu-ling-qu/lin-gang-jing-ji-qu", ids=ids)["kind"] == "park"
    with pytest.raises(Unknown) as err:
        target(store, g, "新材料", "park", ids)
    assert err.value.classes == ["Park"] and err.value.suggestions
    with pytest.raises(ValueError):
        target(store, g, "新材料", "segment", ids)


def test_closure_upstream_of_nylon_66(store, ids):
    answer = closure(store, "尼龙66", "upstream", 2, ids)
    depth = {n["label"]: n["depth"] for n in answer["nodes"]}
    assert depth["尼龙66"] == 0 and depth["尼龙66盐"] == 1
    assert depth["己二胺"] == 2 and depth["己二酸"] == 2
    assert "己二腈" not in depth and max(depth.values()) <= 2
    assert answer["count"] == len(answer["nodes"]) - 1 and answer["more"] == 0
    edges = {(e["from"], e["to"]) for e in answer["edges"]}
    assert {("己二胺", "尼龙66盐"), ("尼龙66盐", "尼龙66")} <= edges
    assert all(a in depth and b in depth for a, b in edges)
    assert all(e["evidence"] in EVIDENCE for e in answer["edges"])
    deeper = closure(store, "尼龙66", "upstream", 3, ids)
    assert "己二腈" in {n["label"] for n in deeper["nodes"]}


def test_closure_downstream_is_capped(store, ids):
    full = closure(store, "页岩气", "downstream", 3, ids)
    assert full["more"] == 0 and full["count"] > 5
    cut = closure(store, "页岩气", "downstream", 3, ids, limit=3)
    assert cut["count"] == 3 and cut["more"] == full["count"] - 3
    assert [n["id"] for n in cut["nodes"]] == [n["id"] for n in full["nodes"][:4]]
    with pytest.raises(ValueError):
        closure(store, "页岩气", "sideways", 3, ids)


def test_pinyin_alias_and_id_are_keys(store, ids):
    expected = shortest(store, "己二酸", "尼龙66", ids)
    for key in ("jiersuan", "AA", "adipic acid", "product/adipic-acid", "adipic-acid"):
        assert shortest(store, key, "nylon-66", ids) == expected


def test_unknown_names_raise_with_suggestions(store, ids):
    with pytest.raises(Unknown) as err:
        shortest(store, "己二晴", "尼龙66", ids)
    assert err.value.what == "product"
    assert "己二腈" in {s["label"] for s in err.value.suggestions}
    with pytest.raises(Unknown):
        closure(store, "no-such-thing-at-all", ids=ids)


def test_same_graph_same_paths(store, ids):
    first = all_paths(store, "页岩气", "新能源与智能网联汽车", ids)
    chain.clear_cache()
    again = all_paths(store, "页岩气", "新能源与智能网联汽车", ids)
    assert json.dumps(first, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)
