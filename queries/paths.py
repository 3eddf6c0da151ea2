"""Paths along the product chains, each step explained: 己二酸 → 尼龙66盐 → 尼龙66.

Paths run over the in-memory chain graph (:func:`~chainkg.queries.chain.chain_graph`),
upstream → downstream. A path may end at a product, or at the nearest product of an
industry or of a park (named by its 产业布局, made there by a registry production fact or
stated by the plan to be made there; only when a park hosts nothing on the chain map, the
products of a chain its layout names, marked ``"hosting": "inferred"``). When nothing
leads from ``a`` to the target but something leads back, that path is given with
``"direction": "reversed"``; when nothing links them at all the answer is empty and says so.

Every step carries its link's evidence (plan quote and section, or domain reason) and
industries; every node its local status, enterprises, plan items and parks, asked of the
store with named queries (``producers``, ``product-parks``, ``park-products``). Ties are
broken by node id, so the same graph always gives the same paths.
"""

from __future__ import annotations

from collections import deque
from itertools import pairwise

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries.chain import (
    chain_graph,
    edge_view,
    node_view,
    resolve,
)
from chainkg.queries.errors import Unknown
from chainkg.queries.products import product_detail
from chainkg.queries.rows import run, unique
from chainkg.queries.search import find, search, suggestions

TO_KINDS = ("auto", "product", "industry", "park")
PLACE_CLASSES = {"industry": ["Industry"], "park": ["Park"]}
DIRECTIONS = ("upstream", "downstream")
BUDGET = 200_000  # most path extensions one all_paths call may try


def hubs(store, ids: Ids | None = None, n: int = 5) -> list[dict]:
    """The ``n`` products with the most links (ties by id): suggestions when nothing matches."""
    g = chain_graph(store, ids)
    best = sorted(g.nodes, key=lambda v: (-g.degree(v), g.nodes[v]["id"]))[:n]
    return [{k: node_view(g, v)[k] for k in ("iri", "id", "label", "label_en")} for v in best]


def _sorted(g: nx.DiGraph, nodes) -> list[str]:
    return sorted(nodes, key=lambda n: g.nodes[n]["id"])


def _steps(g: nx.DiGraph, reverse: bool):
    """Where a walk goes next (downstream, or upstream when ``reverse``) and where it came from."""
    return (g.predecessors, g.successors) if reverse else (g.successors, g.predecessors)


def _distances(g: nx.DiGraph, targets: set[str], back, limit: int | None = None) -> dict[str, int]:
    """Edges from each node to the nearest target, found by a search back from the targets."""
    dist = {t: 0 for t in targets}
    todo = deque(_sorted(g, targets))
    while todo:
        node = todo.popleft()
        if limit is not None and dist[node] >= limit:
            continue
        for prev in back(node):
            if prev not in dist:
                dist[prev] = dist[node] + 1
                todo.append(prev)
    return dist


def _shortest(g: nx.DiGraph, a: str, targets: set[str], reverse: bool) -> list[list[str]]:
    """The shortest walk from ``a`` to a target, smallest node ids first on ties."""
    forth, back = _steps(g, reverse)
    dist = _distances(g, targets, back)
    if a not in dist:
        return []
    path = [a]
    while dist[path[-1]]:
        here = dist[path[-1]]
        path.append(next(n for n in _sorted(g, forth(path[-1])) if dist.get(n) == here - 1))
    return [path]


def _walks(
    g: nx.DiGraph, a: str, targets: set[str], reverse: bool, max_len: int, want: int
) -> tuple[list[list[str]], bool]:
    """Up to ``want`` simple walks of at most ``max_len`` edges from ``a`` to a target.

    Shortest first, then by node ids; a walk stops at the first target it meets. The
    second value says whether the search ran out of budget.
    """
    forth, back = _steps(g, reverse)
    dist = _distances(g, targets, back, max_len)
    if a not in dist:
        return [], False
    found: list[list[str]] = []
    budget = BUDGET

    def extend(path: list[str], left: int) -> None:
        nonlocal budget
        node = path[-1]
        if node in targets:
            if left == 0:
                found.append(list(path))
            return
        for nxt in _sorted(g, forth(node)):
            if len(found) >= want or budget <= 0:
                return
            if nxt not in path and dist.get(nxt, max_len + 1) <= left - 1:
                budget -= 1
                path.append(nxt)
                extend(path, left - 1)
                path.pop()

    for length in range(dist[a], max_len + 1):
        extend([a], length)
        if len(found) >= want or budget <= 0:
            break
    return found, budget <= 0


def product(store, g: nx.DiGraph, key: str, ids: Ids | None = None) -> str:
    """The product IRI ``key`` names (see :func:`resolve`); :class:`Unknown` if none, with
    the best-linked products as suggestions when no name comes close."""
    try:
        return resolve(store, g, key, ids)
    except Unknown as missing:
        if missing.suggestions:
            raise
        raise Unknown("product", missing.key, hubs(store, ids), ["Product"]) from None


def target(store, g: nx.DiGraph, key: str, kind: str = "auto", ids: Ids | None = None) -> dict:
    """What ``key`` names as a path's end: a product, an industry or a park.

    Returns ``{"kind", "iri", "id", "label", "label_en", "products"}`` where
    ``products`` are the chain nodes that end a path there. ``auto`` tries a product
    first, then an industry or park. Unknown: :class:`Unknown` with suggestions.
    """
    if kind not in TO_KINDS:
        raise ValueError(f"to_kind must be one of {', '.join(TO_KINDS)}, not {kind!r}")
    iri: str | None
    if kind == "product":
        iri = product(store, g, key, ids)
    else:
        try:
            iri = resolve(store, g, key, ids) if kind == "auto" else None
        except Unknown:
            iri = None
    if iri is not None:
        node = node_view(g, iri)
        return {k: node[k] for k in ("iri", "id", "label", "label_en")} | {
            "kind": "product",
            "products": [iri],
        }
    classes = PLACE_CLASSES.get(kind, PLACE_CLASSES["industry"] + PLACE_CLASSES["park"])
    hit = _place(store, key, classes, ids)
    if hit is None:
        wanted = classes if kind != "auto" else ["Product", *classes]
        found = suggestions(store, key, wanted, hubs(store, ids), ids)
        what = kind if kind != "auto" else "product, industry or park"
        raise Unknown(what, key.strip(), found, wanted)
    if hit["class"] == "Industry":
        products = [n for n, d in g.nodes(data=True) if d["industry"] == hit["iri"]]
    else:
        rows = [r for r in run(store, "park-products", park=hit["iri"]) if str(r["product"]) in g]
        hosted = unique(str(r["product"]) for r in rows if str(r["kind"]) != "inferred")
        products = hosted or unique(str(r["product"]) for r in rows)
        hit = hit | {"hosting": "hosted" if hosted or not products else "inferred"}
    return {k: hit[k] for k in ("iri", "id", "label", "label_en")} | {
        "kind": hit["class"].lower(),
        "products": _sorted(g, products),
        "hosting": hit.get("hosting"),
    }


def _place(store, key: str, classes: list[str], ids: Ids | None) -> dict | None:
    """The industry or park that ``key`` names by IRI, id, slug or an exact search match."""
    found = find(store, key, classes, ids)
    if found:
        return found
    hits = search(store, key, limit=1, classes=classes, ids=ids)
    return hits[0] if hits and hits[0]["score"] >= 0.9 else None


def step_view(g: nx.DiGraph, up: str, down: str) -> dict:
    """One link of a path: :func:`edge_view` with the ids and industries of both ends."""
    a, b = g.nodes[up], g.nodes[down]
    return edge_view(g, up, down) | {
        "from_id": a["id"],
        "to_id": b["id"],
        "from_industry": a["industry_label"],
        "to_industry": b["industry_label"],
        "cross_industry": a["industry"] != b["industry"],
    }


def path_answer(g: nx.DiGraph, path: list[str]) -> dict:
    """A path as JSON: node ids, industries in order, and each step explained."""
    industries = unique(g.nodes[n]["industry_label"] for n in path)
    return {
        "length": len(path) - 1,
        "nodes": [g.nodes[n]["id"] for n in path],
        "labels": [g.nodes[n]["label"] for n in path],
        "industries": industries,
        "cross_industry": len(industries) > 1,
        "steps": [step_view(g, up, down) for up, down in pairwise(path)],
    }


def _answer(store, g, a, end, walks, direction, more, ids) -> dict:
    frm = {k: g.nodes[a][k] for k in ("id", "label", "label_en")}
    name = f"{end['label']} ({end['kind']})"
    if walks:
        message = f"{len(walks)} path(s) from {frm['label']} to {name}"
        if direction == "reversed":
            message = f"nothing leads from {frm['label']} to {name}; {len(walks)} path(s) lead back"
    else:
        message = f"no chain path links {frm['label']} and {name} in either direction"
    nodes = unique(n for walk in walks for n in walk)
    end_at = 0 if direction == "reversed" else -1
    return {
        "from": {"iri": a} | frm,
        "to": {k: v for k, v in end.items() if k != "products"}
        | {"products": len(end["products"])},
        "found": bool(walks),
        "direction": direction if walks else None,
        "message": message,
        "count": len(walks),
        "more": more,
        "paths": [path_answer(g, w) | {"reached": g.nodes[w[end_at]]["id"]} for w in walks],
        "nodes": [product_detail(store, g, n, ids) for n in nodes],
    }


def _paths(store, a, b, ids, to_kind, find) -> dict:
    g = chain_graph(store, ids)
    start = product(store, g, a, ids)
    end = target(store, g, b, to_kind, ids)
    targets, cut = set(end["products"]), False
    for direction, reverse in (("forward", False), ("reversed", True)):
        walks, more = find(g, start, targets, reverse)
        if walks:
            walks = [w[::-1] for w in walks] if reverse else walks
            return _answer(store, g, start, end, walks, direction, more, ids)
        cut = cut or more
    return _answer(store, g, start, end, [], "forward", cut, ids)


def shortest(store, a: str, b: str, ids: Ids | None = None, to_kind: str = "auto") -> dict:
    """The shortest path from product ``a`` to ``b`` (a product, industry or park), explained."""
    return _paths(store, a, b, ids, to_kind, lambda g, s, t, r: (_shortest(g, s, t, r), False))


def all_paths(
    store,
    a: str,
    b: str,
    ids: Ids | None = None,
    max_len: int = 6,
    max_paths: int = 20,
    to_kind: str = "auto",
) -> dict:
    """Up to ``max_paths`` paths of at most ``max_len`` links from ``a`` to ``b``, shortest first.

    ``"more": true`` when there are more than ``max_paths`` (or the search was cut).
    """

    def find(g, s, t, r):
        walks, cut = _walks(g, s, t, r, max_len, max_paths + 1)
        return walks[:max_paths], cut or len(walks) > max_paths

    return _paths(store, a, b, ids, to_kind, find)


def closure(
    store,
    key: str,
    direction: str = "upstream",
    depth: int = 3,
    ids: Ids | None = None,
    limit: int = 200,
) -> dict:
    """Everything up- or downstream of a product within ``depth`` links, explained.

    ``nodes`` holds the product itself (depth 0) and at most ``limit`` others, nearest
    first then by id, each with its depth; ``more`` counts the nodes cut by ``limit``.
    ``edges`` are the links among the nodes kept.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    g = chain_graph(store, ids)
    root = product(store, g, key, ids)
    forth, _ = _steps(g, direction == "upstream")
    seen, todo = {root: 0}, deque([root])
    while todo:
        node = todo.popleft()
        if seen[node] < depth:
            for nxt in _sorted(g, forth(node)):
                if nxt not in seen:
                    seen[nxt] = seen[node] + 1
                    todo.append(nxt)
    order = sorted(seen, key=lambda n: (seen[n], g.nodes[n]["id"]))
    kept = order[: limit + 1]
    edges = sorted(
        ((u, v) for u, v in g.subgraph(kept).edges),
        key=lambda e: (g.nodes[e[0]]["id"], g.nodes[e[1]]["id"]),
    )
    return {
        "product": node_view(g, root),
        "direction": direction,
        "depth": depth,
        "limit": limit,
        "count": len(kept) - 1,
        "more": len(order) - len(kept),
        "industries": unique(g.nodes[n]["industry_label"] for n in kept),
        "nodes": [product_detail(store, g, n, ids) | {"depth": seen[n]} for n in kept],
        "edges": [step_view(g, u, v) for u, v in edges],
    }
