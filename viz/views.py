"""Bounded chain views: the part of the chain graph one map shows, cut at a node cap.

Each view is a plain dict ``{"nodes", "edges", "total", "shown", "more", "cap"}``: the
nodes in the order they were kept (most relevant first: the focus, path or gap nodes,
then their neighbours), each with its local status, hover sources, role and hierarchy
level; the links among the kept nodes with their evidence. ``more`` counts what the cap
left out, so a page can offer "N more" instead of drawing thousands of nodes. Levels run
upstream → downstream (longest path over the kept subgraph, sources pulled next to their
first consumer); enterprises from the registry sit one half-level before what they make.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from itertools import pairwise

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries import chain
from chainkg.queries.chain import chain_graph, edge_view, node_view, per_version
from chainkg.queries.gap_parks import HOSTING, VIA
from chainkg.queries.regional import producer_rows
from chainkg.queries.rows import grouped, run, text
from chainkg.queries.search import entity_id
from chainkg.viz.panorama import product_groups

CAP = 150
MAX_CAP = 1000
DEPTH = 2
MAX_DEPTH = 6


def _rows(store, name: str) -> dict[str, list[dict]]:
    """Rows of a parameterless named query grouped by ``product``, cached per store version."""
    return per_version(store, None, f"view-{name}", lambda: grouped(run(store, name), "product"))


def _industries_en(store) -> dict[str, str | None]:
    """English industry labels by industry IRI, cached per store version."""
    return per_version(
        store,
        None,
        "view-industries-en",
        lambda: {str(r["industry"]): text(r.get("label_en")) for r in run(store, "industries")},
    )


def _groups(store, industry: str | None) -> dict[str, dict]:
    """Each product's plan segment or chain within ``industry``, cached per store version."""
    if not industry:
        return {}
    return per_version(
        store, None, f"view-groups-{industry}", lambda: product_groups(store, industry)
    )


def cluster_of(store, g: nx.DiGraph, iri: str) -> list[dict]:
    """The groups a map may fold the node into, finest first: its plan segment or chain,
    then its industry (``{"id", "label", "label_en"}``)."""
    d = g.nodes[iri]
    out = []
    group = _groups(store, d["industry"]).get(iri)
    if group:
        out.append({"id": group["iri"], "label": group["label"], "label_en": group["label_en"]})
    if d["industry"]:
        english = _industries_en(store).get(d["industry"])
        out.append({"id": d["industry"], "label": d["industry_label"], "label_en": english})
    return out


def clear_cache() -> None:
    """Forget the cached query rows (for a store written in place)."""
    chain.clear_cache()


def sources(g: nx.DiGraph, iri: str, producers: list[dict], ids: Ids | None) -> list[dict]:
    """Where a node's facts come from: plan items, registry rows, and its links' sections."""
    out: list[dict] = []
    for r in producers:
        if str(r["kind"]) == "enterprise":
            where = entity_id(str(r["source"]), ids).removeprefix("source/registry/")
            item = {"kind": "registry", "where": where, "what": text(r.get("who_label"))}
        else:
            where = text(r.get("source_label"))
            item = {"kind": "plan", "where": where, "what": text(r.get("who_label"))}
        if item not in out:
            out.append(item)
    for u, v in sorted([*g.in_edges(iri), *g.out_edges(iri)]):
        e = g.edges[u, v]
        if e["evidence"] == "DomainKnowledge":
            item = {"kind": "domain", "where": None, "what": None}
        else:
            item = {"kind": "link", "where": e["section_label"], "what": None}
        if item not in out:
            out.append(item)
    return out


def levels(g: nx.DiGraph, nodes: Iterable[str]) -> dict[str, int]:
    """Hierarchy level of each node: longest path from a source over the subgraph of
    ``nodes`` (cycles collapsed), with each source pulled next to its nearest consumer."""
    sub = g.subgraph(nodes)
    cond = nx.condensation(sub)
    members = cond.graph["mapping"]
    first = {c: min(g.nodes[n]["id"] for n in cond.nodes[c]["members"]) for c in cond}
    order = list(nx.lexicographical_topological_sort(cond, key=lambda c: first[c]))
    level: dict[int, int] = {}
    for c in order:
        level[c] = max((level[p] + 1 for p in cond.predecessors(c)), default=0)
    for c in order:
        if not cond.in_degree(c) and cond.out_degree(c):
            level[c] = min(level[s] for s in cond.successors(c)) - 1
    return {n: level[members[n]] for n in sub}


def _firms(rows: list[dict], ids: Ids | None) -> list[dict]:
    """The registry enterprises among a product's producers, one per enterprise (a firm
    with several facts for the product, e.g. a plant and an expansion, lists every source
    row in ``where``)."""
    out: list[dict] = []
    for r in rows:
        if str(r["kind"]) != "enterprise":
            continue
        where = entity_id(str(r["source"]), ids).removeprefix("source/registry/")
        same = next((f for f in out if f["iri"] == str(r["who"])), None)
        if same is not None:
            if where not in same["where"].split("; "):
                same["where"] += "; " + where
            continue
        out.append(
            {
                "id": entity_id(str(r["who"]), ids),
                "iri": str(r["who"]),
                "label": text(r.get("who_label")) or entity_id(str(r["who"]), ids),
                "label_en": text(r.get("who_label_en")),
                "status": text(r.get("status_label")),
                "where": where,
            }
        )
    return out


def assemble(
    store,
    ids: Ids | None,
    ordered: list[tuple[str, str]],
    cap: int = CAP,
    firms: bool = True,
    marks: dict[str, str] | None = None,
    marked_edges: set[tuple[str, str]] | None = None,
    extra: Callable[[str, dict], None] | None = None,
) -> dict:
    """A view of the products ``ordered`` (``(iri, role)`` pairs, most relevant first).

    Products are kept in order, each followed by its registry enterprises (``firms``),
    until ``cap`` nodes; ``marks`` flags nodes (``focus``, ``path``, ``gap``) and
    ``marked_edges`` the links of a path; ``extra(iri, node)`` adds page-specific fields.
    """
    g = chain_graph(store, ids)
    producers = producer_rows(store)
    english = _industries_en(store)
    marks, marked_edges = marks or {}, marked_edges or set()
    seen: dict[str, str] = {}
    for iri, role in ordered:
        seen.setdefault(iri, role)
    firm_of = {iri: _firms(producers.get(iri, []), ids) if firms else [] for iri in seen}
    total = len(seen) + len({f["id"] for fs in firm_of.values() for f in fs})
    kept: list[str] = []
    firm_nodes: dict[str, dict] = {}
    for iri in seen:
        if len(kept) + len(firm_nodes) >= cap:
            break
        kept.append(iri)
        for f in firm_of[iri]:
            if f["id"] not in firm_nodes and len(kept) + len(firm_nodes) < cap:
                firm_nodes[f["id"]] = f | {"type": "enterprise", "role": "member", "products": []}
            if f["id"] in firm_nodes:
                firm_nodes[f["id"]]["products"].append((iri, f))
    level = levels(g, kept)
    nodes, edges = [], []
    for iri in kept:
        node = node_view(g, iri) | {
            "industry_en": english.get(g.nodes[iri]["industry"] or ""),
            "type": "product",
            "role": seen[iri],
            "mark": marks.get(iri),
            "level": 2 * level[iri] + 1,
            "sources": sources(g, iri, producers.get(iri, []), ids),
            "clusters": cluster_of(store, g, iri),
        }
        if extra:
            extra(iri, node)
        nodes.append(node)
    by_iri = {n["iri"]: n for n in nodes}
    for firm in firm_nodes.values():
        made = firm.pop("products")
        firm["level"] = min(by_iri[p]["level"] for p, _ in made) - 1
        firm["makes"] = [
            {k: by_iri[p][k] for k in ("label", "label_en")} | {"status": f["status"]}
            for p, f in made
        ]
        firm["sources"] = [{"kind": "registry", "where": f["where"], "what": None} for _, f in made]
        firm["clusters"] = by_iri[made[0][0]]["clusters"]
        firm["role"] = by_iri[made[0][0]]["role"]
        nodes.append(firm)
        for p, f in made:
            edges.append(
                {
                    "id": f"{firm['id']}>{by_iri[p]['id']}",
                    "from": firm["id"],
                    "to": by_iri[p]["id"],
                    "from_label": firm["label"],
                    "to_label": by_iri[p]["label"],
                    "evidence": "RegistryEvidence",
                    "quote": None,
                    "reason": f["status"],
                    "section": None,
                    "section_label": f["where"],
                    "mark": None,
                }
            )
    for u, v in sorted(
        g.subgraph(kept).edges, key=lambda e: (g.nodes[e[0]]["id"], g.nodes[e[1]]["id"])
    ):
        e = edge_view(g, u, v)
        edges.append(
            {
                "id": entity_id(e["link"], ids),
                "from": g.nodes[u]["id"],
                "to": g.nodes[v]["id"],
                "from_label": e["from"],
                "to_label": e["to"],
                "mark": "path" if (u, v) in marked_edges else None,
            }
            | {k: e[k] for k in ("evidence", "quote", "reason", "section", "section_label")}
        )
    shown = len(nodes)
    return {"nodes": nodes, "edges": edges, "total": total, "shown": shown} | {
        "more": total - shown,
        "cap": cap,
    }


def _by_degree(g: nx.DiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=lambda n: (-g.degree(n), g.nodes[n]["id"]))


def _neighbours(g: nx.DiGraph, nodes: Iterable[str]) -> list[str]:
    inside = set(nodes)
    found = {m for n in inside for m in (*g.predecessors(n), *g.successors(n))} - inside
    return sorted(found, key=lambda n: g.nodes[n]["id"])


def industry_view(store, ids: Ids | None, industry: str, cap: int = CAP) -> dict:
    """The industry's products (most linked first) and, as context, their neighbours in
    other industries, with the registry enterprises that make them."""
    g = chain_graph(store, ids)
    members = _by_degree(g, (n for n, d in g.nodes(data=True) if d["industry"] == industry))
    ordered = [(n, "member") for n in members] + [(n, "context") for n in _neighbours(g, members)]
    return assemble(store, ids, ordered, cap)


def park_products(store, park: str) -> dict[str, list[dict]]:
    """The products a park hosts (named by its layout, made there per a registry or the
    plan) and, after them, those inferred from a chain, segment or industry its layout
    names, each with the facts that place it there, most specific first."""
    found: dict[str, list[dict]] = {}
    for product, rows in _rows(store, "gap-parks").items():
        mine = [r for r in rows if str(r["park"]) == park]
        if mine:
            found[product] = sorted(mine, key=lambda r: VIA.index(str(r["via"])))
    return found


def park_view(store, ids: Ids | None, park: str, cap: int = CAP) -> dict:
    """The park's slice of the chain map: what its 产业布局 names or a registry or the plan
    places there (members), then, faded, the products of the chains, segments and
    industries its layout names (inferred by rule, never shown as hosted)."""
    g = chain_graph(store, ids)
    hosted = {p: rows for p, rows in park_products(store, park).items() if p in g}

    def rank(n: str) -> tuple:
        return (VIA.index(str(hosted[n][0]["via"])), -g.degree(n), g.nodes[n]["id"])

    def via(iri: str, node: dict) -> None:
        for r in hosted[iri][:3]:
            what = text(r.get("hosted_label")) or text(r.get("through_label"))
            kind = "park" if str(r["via"]) in HOSTING else "park-inferred"
            item = {"kind": kind, "where": text(r.get("source_label")), "what": what}
            if item not in node["sources"]:
                node["sources"].insert(0, item)

    ordered = [
        (n, "member" if str(hosted[n][0]["via"]) in HOSTING else "context")
        for n in sorted(hosted, key=rank)
    ]
    return assemble(store, ids, ordered, cap, extra=via)


def product_view(store, ids: Ids | None, iri: str, depth: int = DEPTH, cap: int = CAP) -> dict:
    """The product and what lies up to ``depth`` links upstream and downstream of it,
    nearest first; ``depth`` is kept in the view."""
    g = chain_graph(store, ids)
    dist = {iri: 0}
    for step in (g.predecessors, g.successors):
        todo = deque([iri])
        here = {iri: 0}
        while todo:
            n = todo.popleft()
            if here[n] >= depth:
                continue
            for m in sorted(step(n), key=lambda x: g.nodes[x]["id"]):
                if m not in here:
                    here[m] = here[n] + 1
                    todo.append(m)
        for n, d in here.items():
            dist[n] = min(d, dist.get(n, d))
    order = sorted(dist, key=lambda n: (dist[n], g.nodes[n]["id"]))
    ordered = [(n, "member") for n in order]
    view = assemble(store, ids, ordered, cap, marks={iri: "focus"})
    return view | {"depth": depth}


def gap_view(store, ids: Ids | None, report: dict, cap: int = CAP) -> dict:
    """The chain in the report's scope (its industry, park, or everything) with its gap
    nodes marked and ranked; gaps first, then (dimmed) their neighbours, then the rest."""
    g = chain_graph(store, ids)
    f = report["filters"]
    scope = set(g.nodes)
    if f["industry"]:
        scope = {n for n in scope if g.nodes[n]["industry"] == f["industry"]["iri"]}
    if f["park"]:
        scope &= set(park_products(store, f["park"]["iri"]))
    gaps = {gap["product"]["iri"]: gap for gap in report["gaps"] if gap["product"]["iri"] in g}
    first = [n for n in gaps if n in scope]
    near = [n for n in _neighbours(g, first) if n in scope]
    rest = sorted(scope - set(first) - set(near), key=lambda n: g.nodes[n]["id"])
    ordered = [(n, "member") for n in first] + [(n, "context") for n in [*near, *rest]]

    def mark(iri: str, node: dict) -> None:
        if iri in gaps:
            gap = gaps[iri]
            node["gap"] = {
                k: gap[k] for k in ("rank", "list", "list_label", "kind", "kind_label", "score")
            }

    return assemble(
        store, ids, ordered, cap, firms=False, marks=dict.fromkeys(first, "gap"), extra=mark
    )


def route_map(store, ids: Ids | None, path: list[str], cap: int = CAP) -> dict:
    """A path (product IRIs, upstream first) highlighted, with its nodes' other neighbours
    as context."""
    g = chain_graph(store, ids)
    ordered = [(n, "member") for n in path] + [(n, "context") for n in _neighbours(g, path)]
    marked = set(pairwise(path))
    view = assemble(
        store,
        ids,
        ordered,
        cap,
        firms=False,
        marks=dict.fromkeys(path, "path"),
        marked_edges=marked,
    )
    return view
