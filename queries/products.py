"""One product in full: its local enterprises, the plan items that make it, the parks that
host it, the parks inferred from its chains (apart), and its non-supply links."""

from __future__ import annotations

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries.chain import node_view, related_view
from chainkg.queries.indicators import number
from chainkg.queries.rows import grouped, run, text
from chainkg.queries.search import entity_id, local_name, ref


def product_detail(store, g: nx.DiGraph, iri: str, ids: Ids | None = None) -> dict:
    """A node with its local enterprises, the plan items that make it and the parks hosting it."""
    enterprises, items = [], []
    for row in run(store, "producers", product=iri):
        capacity = None
        if row.get("value") is not None:
            capacity = {"value": number(row["value"]), "unit": text(row.get("unit"))}
        if str(row["kind"]) == "enterprise":
            enterprises.append(
                ref(row["who"], row.get("who_label"), ids)
                | {
                    "status": local_name(str(row["status"])),
                    "park": text(row.get("park_label")),
                    "capacity": capacity,
                    "confidence": local_name(str(row["confidence"])),
                    "source": entity_id(str(row["source"]), ids),
                    "url": text(row.get("url")),
                }
            )
        else:
            items.append(
                ref(row["who"], row.get("who_label"), ids)
                | {"capacity": capacity, "section": ref(row.get("source"), None, ids)}
            )
    return node_view(g, iri) | {
        "enterprises": enterprises,
        "items": items,
        "presence": [
            {
                "kind": local_name(str(r["kind"])),
                "kind_label": text(r.get("kind_label")),
                "quote": text(r.get("quote")),
                "section": ref(r.get("section"), r.get("section_label"), ids),
                "park": ref(r["park"], r.get("park_label"), ids) if r.get("park") else None,
            }
            for r in run(store, "presence", product=iri)
        ],
        "parks": product_parks(store, iri, ids),
        "park_candidates": park_candidates(store, iri, ids),
        "related": related_view(g, iri),
    }


def product_parks(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """Parks hosting the product, each with why: a layout entry naming it, a registry fact,
    or a plan statement that it is made there (never inferred from its chain)."""
    return _by_park(run(store, "product-parks", product=iri), ids, _hosting)


def _hosting(row: dict, ids: Ids | None) -> dict:
    kind = str(row["kind"])
    reason = {"kind": kind, "via": entity_id(str(row["via"]), ids)}
    section = ref(row.get("source"), row.get("source_label"), ids)
    if kind == "presence":
        return reason | {"quote": text(row.get("quote")), "section": section}
    if kind == "registry":
        return reason | {
            "enterprise": ref(row.get("enterprise"), row.get("enterprise_label"), ids),
            "status": local_name(str(row["status"])) if row.get("status") else None,
            "source": section,
            "url": text(row.get("url")),
        }
    return reason | {"hosted_label": text(row.get("hosted_label")), "section": section}


def park_candidates(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """Parks whose layout names a chain, segment or industry of the product: inferred by a
    named rule, not hosting (``product-park-candidates``)."""
    return _by_park(run(store, "product-park-candidates", product=iri), ids, _candidate)


def _candidate(row: dict, ids: Ids | None) -> dict:
    return {
        "rule": str(row["rule"]),
        "through": ref(row.get("through"), row.get("through_label"), ids),
        "hosted_label": text(row.get("hosted_label")),
        "section": ref(row.get("source"), row.get("source_label"), ids),
    }


def _by_park(rows: list[dict], ids: Ids | None, reason) -> list[dict]:
    """One entry per park with the distinct ``reason(row)`` of its rows, in row order."""
    out = []
    for park, mine in grouped(rows, "park").items():
        why = []
        for row in mine:
            r = reason(row, ids)
            if r not in why:
                why.append(r)
        out.append(ref(park, mine[0].get("park_label"), ids) | {"why": why})
    return out
