"""The product chain graph in memory (networkx), with each node's local status.

Only this graph is held in memory; it is read with three SPARQL queries
(``chain-nodes``, ``chain-links``, ``chain-status``, the status counted in the
store) and cached per store version, so a new build or load gives a new graph.
Everything else (producers, parks, sources of one node) is asked of the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import forget
from chainkg.queries import get
from chainkg.queries.derived import forget as forget_derived
from chainkg.queries.derived import stored
from chainkg.queries.errors import Unknown
from chainkg.queries.rows import text
from chainkg.queries.search import entity_id, search, suggestions

SUPPLY_RELATIONS = ("MaterialInput", "ComponentInput", "EquipmentInput")  # ck:SupplyLink
STATUSES = ("operating", "project", "plan", "none")
STATUS_TEXT = {
    "operating": ("有在产企业", "an operating local enterprise"),
    "project": ("有在建或签约的企业项目", "an enterprise project under construction or signed"),
    "plan": ("仅有规划项目", "only a project in the plan"),
    "none": ("本地无企业或项目", "nothing local"),
}


@dataclass(frozen=True)
class NodeStatus:
    """What is local about a chain node."""

    operating: int
    projects: int
    items: int
    targets: int
    present: int = 0  # plan statements that it is already made locally

    @property
    def status(self) -> str:
        if self.operating or self.present:
            return "operating"
        if self.projects:
            return "project"
        return "plan" if self.items else "none"

    @property
    def local(self) -> bool:
        return self.status != "none"


def load(store, ids: Ids | None = None) -> nx.DiGraph:
    """Build the chain graph: product nodes (labels, kind, industry, status) and link edges."""
    ids = ids or Ids()
    g = nx.DiGraph()
    for r in store.select(get("chain-nodes").text):
        iri = str(r["product"])
        g.add_node(
            iri,
            id=entity_id(iri, ids),
            label=text(r.get("zh")) or iri,
            label_en=text(r.get("en")),
            kind=text(r.get("kind")),
            industry=text(r.get("industry")),
            industry_label=text(r.get("industry_label")),
            local=NodeStatus(0, 0, 0, 0),
        )
    for r in store.select(get("chain-status").text):
        iri = str(r["product"])
        if iri in g:
            g.nodes[iri]["local"] = NodeStatus(
                int(r["operating"]),
                int(r["projects"]),
                int(r["items"]),
                int(r["targets"]),
                int(r.get("present") or 0),
            )
    g.graph["related"] = []  # non-supply links: shown, never paths or gaps
    for r in store.select(get("chain-links").text):
        up, down = str(r["up"]), str(r["down"])
        if up not in g or down not in g:
            continue
        edge = {
            "link": str(r["link"]),
            "relation": str(r["relation"]).split("#")[1],
            "evidence": str(r["evidence"]).split("#")[1],
            "quote": text(r.get("quote")),
            "reason": text(r.get("reason")),
            "section": text(r.get("section")),
            "section_label": text(r.get("section_label")),
            "ratio": float(r["ratio"]) if r.get("ratio") is not None else None,
        }
        if edge["relation"] in SUPPLY_RELATIONS:
            g.add_edge(up, down, **edge)
        else:
            g.graph["related"].append((up, down, edge))
    return g


class VersionCache:
    """Values built once per store version and key, the ``size`` most recently used kept.
    A key starts with the store's ``cache_key``, so a new version never sees old values."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.values: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], Any]) -> Any:
        """The value of ``key``, built (outside the lock) the first time it is asked for."""
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = build()
        with self.lock:
            self.values[key] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


_GRAPHS = VersionCache(8)
_DERIVED = VersionCache(32)


def chain_graph(store, ids: Ids | None = None) -> nx.DiGraph:
    """The chain graph of ``store``'s version: the one kept with the version when it was
    written (:mod:`chainkg.queries.derived`), else built; then cached (8 versions at most)."""
    return _GRAPHS.get(
        (store.cache_key, ids.base if ids else None),
        lambda: stored(store, ids, "chain") or load(store, ids),
    )


def per_version(store, ids: Ids | None, name: str, build):
    """``build()`` once per store version and ``name`` (like :func:`chain_graph`; what the
    version keeps under ``name`` is read instead when there is one), then cached."""
    return _DERIVED.get(
        (store.cache_key, ids.base if ids else None, name),
        lambda: stored(store, ids, name) or build(),
    )


def clear_cache() -> None:
    """Forget cached graphs and what was derived from them (for a store rewritten in place)."""
    _GRAPHS.clear()
    _DERIVED.clear()
    forget()
    forget_derived()


def resolve(store, g: nx.DiGraph, key: str, ids: Ids | None = None) -> str:
    """The product IRI for an IRI, id, slug, zh/en label, alias or pinyin; Unknown if none."""
    key = key.strip()
    if key in g:
        return key
    for iri, data in g.nodes(data=True):
        if key in (data["id"], data["id"].rsplit("/", 1)[-1], data["label"], data["label_en"]):
            return iri
    hits = search(store, key, limit=5, classes=["Product"], ids=ids)
    if hits and hits[0]["score"] >= 0.9 and hits[0]["iri"] in g:
        return hits[0]["iri"]
    raise Unknown(
        "product", key, hits or suggestions(store, key, ["Product"], None, ids), ["Product"]
    )


def node_view(g: nx.DiGraph, iri: str) -> dict:
    """A node as JSON: id, labels, kind, industry, local status and its counts."""
    d = g.nodes[iri]
    st: NodeStatus = d["local"]
    zh, en = STATUS_TEXT[st.status]
    return {
        "iri": iri,
        "id": d["id"],
        "label": d["label"],
        "label_en": d["label_en"],
        "kind": (d["kind"] or "").split("#")[-1] or None,
        "industry": d["industry_label"],
        "status": st.status,
        "status_text": {"zh": zh, "en": en},
        "operating": st.operating,
        "present": st.present,
        "projects": st.projects,
        "plan_items": st.items,
        "named_targets": st.targets,
    }


def edge_view(g: nx.DiGraph, up: str, down: str) -> dict:
    """A link as JSON: its ends, evidence kind, plan quote or reason, and source section."""
    return edge_dict(g, up, down, g.edges[up, down])


def edge_dict(g: nx.DiGraph, up: str, down: str, e: dict) -> dict:
    """A link as JSON from its edge data (a supply edge or a non-supply link)."""
    return {
        "link": e["link"],
        "from": g.nodes[up]["label"],
        "to": g.nodes[down]["label"],
        "relation": e["relation"],
        "evidence": e["evidence"],
        "quote": e["quote"],
        "reason": e["reason"],
        "section": e["section"],
        "section_label": e["section_label"],
    }


def related_view(g: nx.DiGraph, iri: str) -> list[dict]:
    """The non-supply links of a product (service, infrastructure, utility, category,
    complement): shown beside its chain, never counted as supply."""
    return [
        edge_dict(g, up, down, e) | {"direction": "upstream" if down == iri else "downstream"}
        for up, down, e in g.graph.get("related", [])
        if iri in (up, down)
    ]
