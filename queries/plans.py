"""The district plans of a store, and a store seen through one of them.

A store built from a manifest with several plans holds several districts; every report,
page and map reads one of them (:class:`~chainkg.graph.scope.PlanScope`): the default
plan (the manifest's first) unless a ``plan`` is named. A plan is named by its key
(``fu-ling-qu-2022-2026``, the last part of its IRI), its full id or IRI, its region
(涪陵区) or its title.
"""

from __future__ import annotations

from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import PlanScope, districts, scoped, whole
from chainkg.graph.store import Store
from chainkg.queries.chain import per_version
from chainkg.queries.errors import Unknown
from chainkg.queries.rows import grouped, run, text
from chainkg.queries.search import entity_id


def plans(store: Store, ids: Ids | None = None) -> list[dict]:
    """Every plan of the store, the default one first: id, key, label, region, default
    (read once per store version)."""
    ids = ids or Ids()
    store = whole(store)
    return per_version(store, ids, "plans", lambda: _plans(store, ids))


def _plans(store: Store, ids: Ids) -> list[dict]:
    order = districts(store, ids.graph("meta")).plans
    found = grouped(run(store, "plans"), "plan")
    out = []
    for iri in order:
        r = (found.get(iri) or [{}])[0]
        out.append(
            {
                "iri": iri,
                "id": entity_id(iri, ids),
                "key": iri.rstrip("/").rsplit("/", 1)[-1],
                "label": text(r.get("label")),
                "region": {
                    "id": entity_id(str(r["region"]), ids),
                    "label": text(r.get("region_label")),
                }
                if r.get("region") is not None
                else None,
                "default": iri == order[0],
            }
        )
    return out


def find(store: Store, ids: Ids | None, name: str | None) -> dict:
    """The plan ``name`` names (None: the default plan); :class:`Unknown` lists the plans
    when it names none, or several."""
    held = plans(store, ids)
    if not name:
        if not held:
            raise Unknown("plan", "", [], ["Plan"])
        return held[0]
    key = name.strip()
    hits = [
        p
        for p in held
        if key in (p["iri"], p["id"], p["key"], p["label"])
        or (p["region"] and key == p["region"]["label"])
    ]
    if len(hits) != 1:
        raise Unknown("plan", name, [_choice(p) for p in held], ["Plan"])
    return hits[0]


def _choice(p: dict) -> dict:
    return {"id": p["id"], "label": p["label"], "key": p["key"]}


def view(store: Store, ids: Ids | None, name: str | None = None) -> PlanScope:
    """``store`` seen through the plan ``name`` names (None: the default plan)."""
    ids = ids or Ids()
    store = whole(store)
    if not name:
        return scoped(store, ids.graph("meta"))
    return scoped(store, ids.graph("meta"), find(store, ids, name)["iri"])


def current(store: Store, ids: Ids | None) -> dict | None:
    """The plan a view reads (None for a store with no plan)."""
    iri = store.plan if isinstance(store, PlanScope) else None
    held = plans(store, ids)
    if iri is None:
        return held[0] if held else None
    return next((p for p in held if p["iri"] == iri), None)
