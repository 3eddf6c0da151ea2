"""The parks of one gap: those that host it by the plan's words or a registry (``parks``)
and, apart, those inferred by a named rule (``park_candidates``): a layout that names the
product's chain, segment or industry, or, when none does, a park hosting a local neighbour.
Input: the rows of ``gap-parks`` grouped by product."""

from __future__ import annotations

from chainkg.graph.namespaces import Ids
from chainkg.queries.rows import interned
from chainkg.queries.search import entity_id

VIA = ("product", "presence", "registry", "chain", "segment", "industry", "neighbour")
HOSTING = ("product", "presence", "registry")  # the plan or a registry says so
RULES = {  # how a candidate park is inferred
    "chain": "layout-names-chain",
    "segment": "layout-names-segment",
    "industry": "layout-names-industry",
    "neighbour": "hosts-a-local-neighbour",
}


def _ref(iri, label, ids: Ids | None) -> dict | None:
    return None if iri is None else {"id": entity_id(str(iri), ids), "label": interned(label)}


def park_split(g, n, ups, downs, park_facts, labels, ids) -> dict[str, list[dict]]:
    """Parks hosting ``n`` and, apart, the candidate parks inferred by a rule (its chain,
    segment or industry named by a layout; when none, parks hosting its local neighbours)."""
    facts = [dict(f, neighbour=None) for f in park_facts.get(n, [])]
    if not any(str(f["via"]) in RULES for f in facts):
        facts += [
            dict(f, via="neighbour", neighbour=g.nodes[m]["label"])
            for m in sorted({*ups, *downs})
            for f in park_facts.get(m, [])
            if str(f["via"]) in HOSTING
        ]
    out: dict[tuple, dict] = {}
    for f in facts:
        park, via = str(f["park"]), str(f["via"])
        side = "parks" if via in HOSTING else "park_candidates"
        entry = out.setdefault(
            (side, park), {"id": entity_id(park, ids), "label": labels.get(park)}
        )
        entry.setdefault("via", []).append(
            {
                "via": via,
                "rule": RULES.get(via),
                "through": interned(f.get("through_label")),
                "neighbour": f["neighbour"],
                "hosted": interned(f.get("hosted_label")),
                "source": _ref(f.get("source"), f.get("source_label"), ids),
            }
        )
    for entry in out.values():
        entry["via"] = sorted({repr(v): v for v in entry["via"]}.values(), key=_via_order)
    hosts = {park for side, park in out if side == "parks"}
    return {
        side: sorted(
            (e for (s, p), e in out.items() if s == side and (s == "parks" or p not in hosts)),
            key=lambda p: (_via_order(p["via"][0]), p["id"]),
        )
        for side in ("parks", "park_candidates")
    }


def _via_order(v: dict) -> tuple:
    what = (v["neighbour"], v["through"], v["hosted"], (v["source"] or {}).get("id"))
    return (VIA.index(v["via"]), *(w or "" for w in what))
