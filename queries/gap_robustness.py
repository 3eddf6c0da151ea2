"""How stable the attraction ranking is under changes of its weights.

Each weight of :data:`chainkg.queries.gap_model.WEIGHTS` is scaled by 0.5 and by 1.5 in
turn, the gaps are assessed again, and the new top N of the attract list is compared with
the default one: the share of products still in it (overlap) and Kendall's τ-b over the
products in both. A model whose top N changes a lot under such changes ranks by the
weights, not by the facts.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from chainkg.graph.namespaces import Ids
from chainkg.queries import gap_model as gm
from chainkg.queries.gaps import assessed

FACTORS = (0.5, 1.5)


def kendall_tau(a: list[str], b: list[str]) -> float | None:
    """Kendall's τ-b of the order of the items both lists hold (None below two items)."""
    common = [x for x in a if x in b]
    if len(common) < 2:
        return None
    pos = {x: i for i, x in enumerate(b)}
    concordant = discordant = 0
    for x, y in combinations(common, 2):  # x before y in a
        if pos[x] < pos[y]:
            concordant += 1
        else:
            discordant += 1
    return round((concordant - discordant) / (concordant + discordant), 4)


def robustness(store, ids: Ids | None = None, top: int = 30) -> dict:
    """The default top ``top`` of the attract list, and per weight and factor the overlap
    and τ of the top ``top`` under that change."""
    g, ctx, found = assessed(store, ids)
    base = gm.ranked(found, g)["attract"][:top]
    rows: list[dict[str, Any]] = []
    for key in gm.WEIGHTS:
        for factor in FACTORS:
            weights = {key: gm.WEIGHTS[key] * factor}
            other = gm.ranked(gm.assess(g, ctx["facts"], weights), g)["attract"][:top]
            rows.append(
                {
                    "weight": key,
                    "factor": factor,
                    "overlap": round(len(set(base) & set(other)) / max(len(base), 1), 4),
                    "tau": kendall_tau(base, other),
                    "entered": [g.nodes[n]["label"] for n in other if n not in base],
                    "left": [g.nodes[n]["label"] for n in base if n not in other],
                }
            )
    taus = [r["tau"] for r in rows if r["tau"] is not None]
    return {
        "top": top,
        "base": [g.nodes[n]["label"] for n in base],
        "changes": rows,
        "min_overlap": min((r["overlap"] for r in rows), default=1.0),
        "min_tau": min(taus, default=None),
        "mean_overlap": round(sum(r["overlap"] for r in rows) / max(len(rows), 1), 4),
    }
