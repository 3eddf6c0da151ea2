"""The gap criteria on small chain graphs built here: one test per kind and per rule."""

from __future__ import annotations

import networkx as nx
import pytest

from chainkg.queries import gap_model as gm
from chainkg.queries.chain import NodeStatus
from chainkg.queries.gap_robustness import kendall_tau

CK = "https://w3id.org/chainkg/ontology#"
IND = "industry/a"


def graph(*edges, **status) -> nx.DiGraph:
    """Nodes named by letters; ``status`` gives a node's (operating, projects, items)."""
    g = nx.DiGraph()
    names = {n for e in edges for n in e[:2]} | set(status)
    for n in sorted(names):
        op, proj, items = status.get(n, (0, 0, 0))
        kind = CK + ("Utility" if n.startswith("util") else "Intermediate")
        g.add_node(
            n,
            id=f"product/{n}",
            label=n,
            label_en=n,
            kind=kind,
            industry=IND,
            industry_label="A",
            local=NodeStatus(op, proj, items, 0),
        )
    g.graph["related"] = []
    for e in edges:
        ratio = e[2] if len(e) > 2 else None
        g.add_edge(e[0], e[1], ratio=ratio, evidence="DomainKnowledge")
    return g


def kind(g, n, facts=None):
    return gm.classify(g, n, facts or gm.Facts())[0]


def test_missing_between_supplied_neighbours():
    g = graph(("a", "b"), ("b", "c"), a=(1, 0, 0), c=(0, 1, 0))
    assert kind(g, "b") == "missing"
    assert gm.LISTS["missing"] == "attract"


def test_missing_when_the_plan_asks_and_nothing_local_is_upstream():
    g = graph(("x", "b"), ("b", "c"), c=(1, 0, 0))
    assert kind(g, "b") == "external"  # local buyer, not asked for: a supply risk
    asked = gm.Facts(statements={"b": [{"intent": gm.ATTRACT, "text": "引进b"}]})
    assert kind(g, "b", asked) == "missing"
    assert kind(g, "b", gm.Facts(target_level={"b": "product"})) == "missing"
    assert kind(graph(("x", "b"), ("b", "c"), b=(0, 0, 1), c=(1, 0, 0)), "b") == "missing"
    # a segment-level target alone is not an ask for this product
    assert kind(g, "b", gm.Facts(target_level={"b": "segment"})) == "external"


def test_extension_is_fed_by_local_and_feeds_nothing_local():
    g = graph(("a", "b"), ("b", "c"), a=(1, 0, 0))
    assert kind(g, "b") == "extension"


def test_a_plan_item_alone_is_not_local_supply():
    g = graph(("a", "b"), a=(0, 0, 1))
    assert not gm.supplied(g, "a")
    assert kind(g, "b") is None
    assert gm.supplied(graph(("a", "b"), a=(0, 1, 0)), "a")  # a firm building it is


def test_weak_when_capacity_is_below_local_demand():
    g = graph(("a", "b", 0.5), a=(1, 0, 0), b=(1, 0, 0))
    short = gm.Facts(capacity={"a": {"万吨": 4.0}, "b": {"万吨": 10.0}})
    assert kind(g, "a", short) == "weak"
    b = gm.balance(g, "a", short)
    assert (b["capacity"], b["demand"], b["unit"]) == (4.0, 5.0, "万吨")
    enough = gm.Facts(capacity={"a": {"万吨": 36.0}, "b": {"万吨": 10.0}})
    assert kind(g, "a", enough) is None  # one producer with capacity to spare is not weak
    other_unit = gm.Facts(capacity={"a": {"万吨": 4.0}, "b": {"GWh": 10.0}})
    assert gm.balance(g, "a", other_unit) is None and kind(g, "a", other_unit) is None


def test_weak_when_the_plan_asks_to_expand_it():
    g = graph(("a", "b"), a=(1, 0, 0))
    said = gm.Facts(statements={"a": [{"intent": gm.STRENGTHEN, "text": "扩大a产能"}]})
    assert kind(g, "a", said) == "weak"
    assert kind(g, "a") is None


def test_utilities_are_never_gaps():
    g = graph(("util-power", "b"), b=(1, 0, 0))
    asked = gm.Facts(target_level={"util-power": "product"})
    assert kind(g, "util-power", asked) is None


def test_categories_pass_their_asks_to_members():
    g = graph(("a", "m"), a=(1, 0, 0))
    g.add_node("cat", **{**g.nodes["m"], "id": "product/cat", "label": "cat"})
    g.graph["related"] = [("m", "cat", {"relation": "CategoryRelation"})]
    facts = gm.Facts(
        statements={"cat": [{"intent": gm.ATTRACT, "text": "引进cat"}]},
        target_level={"cat": "product"},
    )
    got = gm.inherit(g, facts)
    assert got.target_level["m"] == "product"
    assert got.statements["m"][0]["via"] == "cat"


def test_intent_combines_as_independent_evidence():
    g = graph(("a", "b"), ("b", "c"), a=(1, 0, 0), c=(1, 0, 0))
    one = gm.components(
        g, "b", "missing", ["a"], ["c"], gm.Facts(target_level={"b": "product"}), 1.0
    )
    both = gm.components(
        g,
        "b",
        "missing",
        ["a"],
        ["c"],
        gm.Facts(
            target_level={"b": "product"}, statements={"b": [{"intent": gm.ATTRACT, "text": "t"}]}
        ),
        1.0,
    )
    intent_one = one["target"]["points"]
    intent_both = both["target"]["points"] + both["attract_statement"]["points"]
    assert intent_one == pytest.approx(12 * 0.8)
    assert intent_one < intent_both < intent_one + 12 * 0.6  # corroboration adds less
    assert intent_both == pytest.approx(12 * (1 - 0.2 * 0.4), abs=1e-3)


def test_leverage_has_diminishing_returns_and_is_normalised_per_industry():
    assert gm.leverage_raw([], ["x"]) == 2
    assert gm.leverage_raw([], ["x", "y"]) - 2 < 2  # the second buyer adds less
    g = graph(("a", "b"), ("b", "c"), ("b", "d"), a=(1, 0, 0), c=(1, 0, 0), d=(1, 0, 0))
    found = gm.assess(g, gm.Facts())
    assert found["b"]["components"]["leverage"]["points"] == pytest.approx(4.0)


def test_ranking_is_deterministic_on_ties():
    g = graph(("a", "b"), ("a", "c"), a=(1, 0, 0))
    found = gm.assess(g, gm.Facts())
    assert found["b"]["score"] == found["c"]["score"]
    assert gm.ranked(found, g)["attract"] == ["b", "c"]


def test_kendall_tau():
    assert kendall_tau(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert kendall_tau(["a", "b", "c"], ["c", "b", "a"]) == -1.0
    assert kendall_tau(["a"], ["a"]) is None
