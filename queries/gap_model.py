"""The gap model: which chain products are gaps, of what kind, and how they rank.

A product is **supplied** locally when an enterprise makes it (operating), the plan says it
is already made locally (local presence), or an enterprise is building or has signed for it
(a project). A plan item alone is intent, not supply. The plan **asks for** a product when a
重点引进 target names it, or a clause of the plan asks to attract firms making it
(引进/引育/招引 …, a ``ck:PlanStatement``), or a 专栏 item or project makes it.

Kinds (one per product at most; utilities and infrastructure are never gaps):

- **missing (补链)**: not supplied, with a supplied node directly upstream *and* downstream;
  or not supplied, nothing supplied upstream, and the plan asks for it.
- **weak (强链)**: supplied but insufficient: local capacity below local downstream demand
  (both known, same unit, demand = Σ input ratio × downstream capacity), or a clause of the
  plan asks to expand or strengthen it (扩大/扩建/做强/技改 …). A producer with capacity to
  spare is not weak, however few producers there are.
- **extension (延链)**: not supplied, a supplied node directly upstream (local intermediates
  feed it), nothing supplied downstream.
- **external (外部依赖)**: not supplied, feeding a supplied node, nothing supplied upstream,
  and the plan does not ask for it: a supply risk, not a firm to attract.

Three lists: **attract** (missing and extension), **strengthen** (weak), **risks** (external).
Products already made at scale are supplied, so they are never on the attract list.

Score, every component returned with its value, weight and points (``WEIGHTS``):

- plan intent: each way the plan asks for the product is a strength between 0 and 1 —
  ``target_product``, ``target_segment`` or ``target_industry`` for the most specific
  重点引进 target naming it (or its segment, or only its industry), ``attract_statement`` if
  a clause asks to attract firms making it, ``item`` if a 专栏 item or project makes it —
  and they combine as independent evidence (noisy-OR): ``intent × (1 − Π(1 − strength))``.
  Corroboration adds less and less, so no single kind of mention decides the rank; each
  ask's ``points`` are its share of the combined points by log-odds. A product inherits
  the targets and attract clauses of the categories it belongs to (``category`` links:
  what the plan asks of 锂电池材料 it asks of 电解液). ``strengthen`` if a clause asks to
  expand it (weak only); ``growth`` × the CAGR its industry's 2026 target needs;
- chain leverage, with diminishing returns and normalised per industry:
  ``log2(1 + supplied downstream) × 2 + log2(1 + supplied upstream)``, divided by the
  largest value among the gaps of the same industry, times ``leverage`` — so a densely
  modelled industry cannot crowd out the others;
- ``shortfall`` × the share of local demand that local capacity does not cover (weak only);
- feasibility: ``feasibility_layout`` if a park's 产业布局 names the product,
  ``feasibility_candidate`` if one names its chain or segment.

Order within a list: (-score, kind order as in ``KINDS``, product id), so ties are
deterministic and the same report twice is identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

KINDS = ("missing", "weak", "extension", "external")
LISTS = {"missing": "attract", "extension": "attract", "weak": "strengthen", "external": "risks"}
LIST_NAMES = ("attract", "strengthen", "risks")
NEVER_GAPS = ("Utility", "Infrastructure")
WEIGHTS = {
    "intent": 12.0,  # points when the plan's asks are certain; each ask below is a strength
    "target_product": 0.8,
    "target_segment": 0.4,
    "target_industry": 0.1,
    "attract_statement": 0.6,
    "item": 0.4,
    "strengthen": 5.0,
    "growth": 10.0,
    "leverage": 4.0,
    "shortfall": 4.0,
    "feasibility_layout": 2.0,
    "feasibility_candidate": 1.0,
}
LEVELS = ("product", "segment", "industry")
MOST = 0.95  # a strength never reaches certainty, however it is scaled
ATTRACT, STRENGTHEN = "AttractIntent", "StrengthenIntent"


@dataclass
class Facts:
    """What the model reads besides the chain graph, keyed by product IRI."""

    capacity: dict[str, dict[str, float]] = field(default_factory=dict)  # unit → total
    statements: dict[str, list[dict]] = field(default_factory=dict)  # intent, text, section
    target_level: dict[str, str] = field(default_factory=dict)  # product | segment | industry
    growth: dict[str, float] = field(default_factory=dict)  # industry IRI → CAGR
    layout: dict[str, str] = field(default_factory=dict)  # "layout" | "candidate"


def broader(g: nx.DiGraph) -> dict[str, list[str]]:
    """Every product's categories, nearest first (the transitive ``category`` links)."""
    up: dict[str, list[str]] = {}
    for child, parent, e in g.graph.get("related", []):
        if e["relation"] == "CategoryRelation":
            up.setdefault(child, []).append(parent)
    out: dict[str, list[str]] = {}
    for n in g:
        seen, todo = [], list(sorted(up.get(n, [])))
        while todo:
            m = todo.pop(0)
            if m not in seen and m != n:
                seen.append(m)
                todo += sorted(up.get(m, []))
        if seen:
            out[n] = seen
    return out


def inherit(g: nx.DiGraph, facts: Facts) -> Facts:
    """``facts`` with each product given the 重点引进 level and attract clauses of its
    categories (an inherited clause carries ``via``: the category's IRI)."""
    levels, statements = dict(facts.target_level), {k: list(v) for k, v in facts.statements.items()}
    for n, parents in broader(g).items():
        found = [facts.target_level[p] for p in parents if p in facts.target_level]
        if n in facts.target_level:
            found.append(facts.target_level[n])
        if found:
            levels[n] = min(found, key=LEVELS.index)
        for p in parents:
            for st in facts.statements.get(p, []):
                if st["intent"] == ATTRACT and not any(
                    x["text"] == st["text"] for x in statements.get(n, [])
                ):
                    statements.setdefault(n, []).append(st | {"via": p})
    return Facts(facts.capacity, statements, levels, facts.growth, facts.layout)


def supplied(g: nx.DiGraph, n: str) -> bool:
    """Made, stated as made, or being built locally (a plan item alone does not count)."""
    st = g.nodes[n]["local"]
    return bool(st.operating or st.present or st.projects)


def never(g: nx.DiGraph, n: str) -> bool:
    return (g.nodes[n]["kind"] or "").rsplit("#", 1)[-1] in NEVER_GAPS


def said(facts: Facts, n: str, intent: str) -> list[dict]:
    return [s for s in facts.statements.get(n, []) if s["intent"] == intent]


def asks_for(g: nx.DiGraph, n: str, facts: Facts) -> bool:
    """The plan asks for ``n``: a 重点引进 target names it, a clause asks to attract it, or a
    专栏 item or project makes it."""
    return bool(
        facts.target_level.get(n) == "product"
        or said(facts, n, ATTRACT)
        or g.nodes[n]["local"].items
    )


def balance(g: nx.DiGraph, n: str, facts: Facts) -> dict | None:
    """Local capacity of ``n`` against local downstream demand, in the first unit both
    sides know; ``None`` when no supplied downstream product has a ratio and a capacity."""
    have = facts.capacity.get(n, {})
    for unit, capacity in sorted(have.items()):
        uses = []
        for m in sorted(g.successors(n), key=str):
            ratio = g.edges[n, m].get("ratio")
            theirs = facts.capacity.get(m, {}).get(unit)
            if ratio and theirs and supplied(g, m):
                uses.append({"product": m, "ratio": ratio, "capacity": theirs})
        if uses:
            demand = round(sum(u["ratio"] * u["capacity"] for u in uses), 4)
            return {"unit": unit, "capacity": capacity, "demand": demand, "uses": uses}
    return None


def classify(g: nx.DiGraph, n: str, facts: Facts) -> tuple[str | None, list[str], list[str]]:
    """The kind of gap ``n`` is (or None), with its supplied upstream and downstream."""
    if never(g, n):
        return None, [], []
    ups = sorted((u for u in g.predecessors(n) if supplied(g, u)), key=str)
    downs = sorted((v for v in g.successors(n) if supplied(g, v)), key=str)
    if supplied(g, n):
        b = balance(g, n, facts)
        short = b is not None and b["capacity"] < b["demand"]
        return ("weak" if short or said(facts, n, STRENGTHEN) else None), ups, downs
    if ups and downs:
        return "missing", ups, downs
    if ups:
        return "extension", ups, downs
    if asks_for(g, n, facts):
        return "missing", ups, downs
    return ("external" if downs else None), ups, downs


def leverage_raw(ups: list, downs: list) -> float:
    """Diminishing returns: the second local buyer adds less than the first."""
    return 2 * math.log2(1 + len(downs)) + math.log2(1 + len(ups))


def _c(value, weight: float, counted: float | None = None) -> dict:
    counted = (1.0 if value else 0.0) if counted is None else counted
    return {"value": value, "weight": weight, "points": round(weight * counted, 4)}


def components(
    g: nx.DiGraph,
    n: str,
    kind: str,
    ups: list,
    downs: list,
    facts: Facts,
    top_leverage: float,
    weights: dict | None = None,
) -> dict:
    """The scored components of one gap (see the module docstring)."""
    w = WEIGHTS | (weights or {})
    level = facts.target_level.get(n)
    cagr = facts.growth.get(g.nodes[n]["industry"] or "")
    raw = leverage_raw(ups, downs)
    layout = facts.layout.get(n)
    asks = {
        "target": (level, w[f"target_{level}"] if level else 0.0),
        "attract_statement": (len(said(facts, n, ATTRACT)) or None, w["attract_statement"]),
        "item": (g.nodes[n]["local"].items or None, w["item"]),
    }
    odds = {k: -math.log(1 - min(MOST, s)) if v else 0.0 for k, (v, s) in asks.items()}
    intent = w["intent"] * (1 - math.exp(-sum(odds.values())))
    total = sum(odds.values())
    out = {
        k: {"value": v, "weight": s, "points": round(intent * odds[k] / total, 4) if total else 0.0}
        for k, (v, s) in asks.items()
    }
    out |= {
        "growth": _c(cagr, w["growth"], cagr or 0.0),
        "leverage": _c(round(raw, 4), w["leverage"], raw / top_leverage if top_leverage else 0.0),
        "feasibility": _c(
            layout,
            w["feasibility_layout"] if layout == "layout" else w["feasibility_candidate"],
        ),
    }
    if kind == "weak":
        b = balance(g, n, facts)
        gap = max(0.0, (b["demand"] - b["capacity"]) / b["demand"]) if b and b["demand"] else 0.0
        out["strengthen"] = _c(len(said(facts, n, STRENGTHEN)) or None, w["strengthen"])
        out["shortfall"] = _c(round(gap, 4) if gap else None, w["shortfall"], gap)
    return out


def score(parts: dict) -> float:
    return round(sum(c["points"] for c in parts.values()), 4)


def assess(g: nx.DiGraph, facts: Facts, weights: dict | None = None) -> dict[str, dict]:
    """Every gap of ``g``: ``{iri: {"kind", "list", "ups", "downs", "components", "score"}}``."""
    found: dict[str, dict] = {}
    for n in sorted(g, key=str):
        kind, ups, downs = classify(g, n, facts)
        if kind:
            found[n] = {"kind": kind, "list": LISTS[kind], "ups": ups, "downs": downs}
    top: dict[str, float] = {}
    for n, f in found.items():
        key = g.nodes[n]["industry"] or ""
        top[key] = max(top.get(key, 0.0), leverage_raw(f["ups"], f["downs"]))
    for n, f in found.items():
        parts = components(
            g, n, f["kind"], f["ups"], f["downs"], facts, top[g.nodes[n]["industry"] or ""], weights
        )
        f["components"], f["score"] = parts, score(parts)
    return found


def ranked(found: dict[str, dict], g: nx.DiGraph, keep=None) -> dict[str, list[str]]:
    """Product IRIs per list, best first; ``keep`` filters the IRIs considered."""
    out: dict[str, list[str]] = {name: [] for name in LIST_NAMES}
    order = sorted(
        (n for n in found if keep is None or keep(n)),
        key=lambda n: (-found[n]["score"], KINDS.index(found[n]["kind"]), g.nodes[n]["id"]),
    )
    for n in order:
        out[found[n]["list"]].append(n)
    return out
