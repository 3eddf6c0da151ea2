"""Regional supply: which other districts of the store make a product.

A store of several district plans answers, for one district's gaps, where else in the
region the product is made or planned: each other plan's own producers (registry
production facts and plan items, read through that plan's view with the same
``gap-producers`` query as the local side), so nothing of another district ever counts as
local. The other districts of the store are taken as the neighbours: a manifest lists the
plans of a region together.
"""

from __future__ import annotations

import sys

from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import PlanScope, scoped
from chainkg.queries.chain import per_version
from chainkg.queries.plans import plans
from chainkg.queries.rows import grouped, interned, run
from chainkg.queries.search import entity_id, local_name

STATUS_ORDER = ("operating", "project", "plan")


def producer_rows(store) -> dict[str, list[dict]]:
    """The rows of ``gap-producers`` per product, their terms as (interned) text, once per
    store version: a district's own producers for its gap report and maps, another's for
    regional supply (a version keeps them with its reports)."""

    def build() -> dict[str, list[dict]]:
        rows = [{k: sys.intern(str(v)) for k, v in r.items()} for r in run(store, "gap-producers")]
        return grouped(rows, "product")

    return per_version(store, None, "view-gap-producers", build)


def _status(r: dict) -> str:
    if str(r["kind"]) != "enterprise":
        return "plan"
    return "operating" if local_name(str(r.get("status") or "")) == "Operating" else "project"


def _district(store: PlanScope, ids: Ids, plan: dict) -> dict[str, dict]:
    """What one other plan's district makes: product IRI → its entry."""
    view = scoped(store.whole, ids.graph("meta"), plan["iri"])
    out = {}
    for product, found in producer_rows(view).items():
        producers: dict[str, dict] = {}
        for r in found:
            p = producers.setdefault(
                str(r["who"]),
                {
                    "id": entity_id(str(r["who"]), ids),
                    "label": interned(r.get("who_label")),
                    "label_en": interned(r.get("who_label_en")),
                    "status": _status(r),
                    "park": interned(r.get("park_label")),
                },
            )
            p["park"] = p["park"] or interned(r.get("park_label"))
        listed = sorted(
            producers.values(), key=lambda p: (STATUS_ORDER.index(p["status"]), p["id"])
        )
        out[product] = {
            "plan": {k: plan[k] for k in ("id", "key", "label")},
            "region": plan["region"],
            "status": listed[0]["status"],
            "producers": listed,
        }
    return out


def regional_supply(store, ids: Ids | None = None) -> dict[str, list[dict]]:
    """For the plan ``store`` reads: product IRI → the other districts of the store that make
    or plan it, the ones with an operating producer first (empty for a one-plan store)."""
    ids = ids or Ids()
    if not isinstance(store, PlanScope):
        return {}

    def build() -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for plan in plans(store, ids):
            if plan["iri"] == store.plan:
                continue
            for product, entry in _district(store, ids, plan).items():
                out.setdefault(product, []).append(entry)
        for entries in out.values():
            entries.sort(key=lambda e: (STATUS_ORDER.index(e["status"]), e["plan"]["key"]))
        return out

    return per_version(store, ids, "regional-supply", build)
