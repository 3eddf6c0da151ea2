"""The facts the gap report reads from the store, gathered once per store version.

Producers (registry rows and plan items) with their capacities, the 重点引进 targets and the
products they cover, the plan's attract and strengthen clauses, park facts, and the
:class:`~chainkg.queries.gap_model.Facts` the model scores with. Everything is joined in
SPARQL (``gap-*.rq``, ``plan-statements.rq``) so it runs unchanged on a remote store.
"""

from __future__ import annotations

import re
import sys

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries import gap_model as gm
from chainkg.queries.chain import chain_graph
from chainkg.queries.industries import industries
from chainkg.queries.parks import parks as park_list
from chainkg.queries.regional import producer_rows, regional_supply
from chainkg.queries.rows import grouped, interned, run
from chainkg.queries.search import entity_id, local_name

NAMED = ("product", "segment", "industry")
BUILDING = ("UnderConstruction", "Operating")  # registry capacity counted in the balance


def _ref(iri, label, ids: Ids | None) -> dict | None:
    return None if iri is None else {"id": entity_id(str(iri), ids), "label": interned(label)}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _producers(found: list[dict], ids: Ids | None) -> list[dict]:
    out = []
    for r in found:
        status, value = r.get("status"), r.get("value")
        per_year = "/年" if str(r.get("per_year")) == "true" else ""
        out.append(
            {
                "kind": str(r["kind"]),
                "name": interned(r.get("who_label")),
                "name_en": interned(r.get("who_label_en")),
                "id": entity_id(str(r["who"]), ids),
                "status": _snake(local_name(str(status))) if status else "plan",
                "status_label": interned(r.get("status_label")),
                "park": interned(r.get("park_label")),
                "capacity": None if value is None else f"{value}{r.get('unit') or ''}{per_year}",
                "confidence": _snake(local_name(str(r["confidence"])))
                if r.get("confidence")
                else None,
                "source": (_ref(r.get("source"), r.get("source_label"), ids) or {})
                | {"url": interned(r.get("url"))}
                if r.get("source")
                else None,
            }
        )
    return out


def _capacity(found: list[dict]) -> dict[str, float]:
    """Registry capacity per unit (per year only) of the operating and building producers."""
    out: dict[str, float] = {}
    seen = set()
    for r in found:
        status = local_name(str(r.get("status") or ""))
        if str(r["kind"]) != "enterprise" or status not in BUILDING or r.get("value") is None:
            continue
        if str(r.get("per_year")) != "true" or (r["who"], r["value"], r["unit"]) in seen:
            continue
        seen.add((r["who"], r["value"], r["unit"]))
        unit = str(r["unit"])
        out[unit] = round(out.get(unit, 0.0) + float(r["value"]), 4)
    return out


def _targets(store, ids: Ids | None) -> tuple[dict, dict]:
    """Targets by IRI, and for each product the (level, target IRI, about) that cover it."""
    targets: dict[str, dict] = {}
    covers: dict[str, list[tuple[str, str, dict]]] = {}
    for iri, found in grouped(run(store, "gap-targets"), "target").items():
        head = next((r for r in found if r.get("level") is None), found[0])
        t = targets[iri] = {
            "id": entity_id(iri, ids),
            "label": interned(head.get("label")),
            "firm_kind": interned(head.get("firm_kind")),
            "industry": _ref(head.get("industry"), head.get("industry_label"), ids),
            "industry_iri": interned(head.get("industry")),
            "section": _ref(head.get("section"), head.get("section_label"), ids),
            "about": [],
            "covers": set(),
        }
        for r in found:
            if r.get("level") is None:
                continue
            about = (_ref(r["about"], r.get("about_label"), ids) or {}) | {"level": str(r["level"])}
            if about not in t["about"]:
                t["about"].append(about)
            if r.get("covers") is not None:
                t["covers"].add(str(r["covers"]))
                covers.setdefault(str(r["covers"]), []).append((str(r["level"]), iri, about))
    return targets, covers


def _named(g: nx.DiGraph, n: str, targets: dict, covers: dict) -> list[dict]:
    """The 重点引进 targets that name ``n``, each once at its most specific level."""
    industry = g.nodes[n]["industry"]
    hits = [(lvl, iri, about["label"]) for lvl, iri, about in covers.get(n, [])] + [
        ("industry", iri, t["industry"]["label"])
        for iri, t in targets.items()
        if not t["about"] and industry and t["industry_iri"] == industry
    ]
    best: dict[str, tuple] = {}
    for hit in sorted(hits, key=lambda h: (NAMED.index(h[0]), h[1], h[2] or "")):
        best.setdefault(hit[1], hit)
    return [
        {k: targets[iri][k] for k in ("id", "label", "firm_kind", "section")}
        | {"level": lvl, "about": about}
        for lvl, iri, about in sorted(best.values(), key=lambda h: (NAMED.index(h[0]), h[1]))
    ]


def _statements(store, ids: Ids | None, targets: dict) -> dict[str, list[dict]]:
    """Plan clauses per product; an attract clause that is a 重点引进 target's own words
    is left out (the target already counts)."""
    labels = [t["label"] for t in targets.values() if t["label"]]
    out: dict[str, list[dict]] = {}
    for r in run(store, "plan-statements"):
        intent = local_name(str(r["intent"]))
        if intent == gm.ATTRACT and any(label in str(r["text"]) for label in labels):
            continue
        out.setdefault(str(r["product"]), []).append(
            {
                "intent": intent,
                "text": interned(r["text"]),
                "section": _ref(r.get("section"), r.get("section_label"), ids),
            }
        )
    return out


def _layout(park_facts: list[dict]) -> str | None:
    via = {str(f["via"]) for f in park_facts}
    if "product" in via:
        return "layout"
    return "candidate" if via & {"chain", "segment"} else None


def _plain(rows: list[dict]) -> list[dict]:
    """Rows with their terms as (interned) strings: kept per store version, a park fact
    is only ever read as text, and ~55k of them at national scale are far smaller so."""
    return [{k: sys.intern(str(v)) for k, v in r.items()} for r in rows]


def context(store, ids: Ids | None) -> dict:
    """What every report of one store version shares: industries, parks, targets, producers,
    plan statements, and the model's facts."""
    g = chain_graph(store, ids)
    inds, plist = industries(store, ids), park_list(store, ids)
    targets, covers = _targets(store, ids)
    produced = producer_rows(store)
    park_facts = grouped(_plain(run(store, "gap-parks")), "product")
    statements = _statements(store, ids, targets)
    own = {n: _named(g, n, targets, covers) for n in g}
    categories = gm.broader(g)
    named = {}
    for n in g:  # a target naming a category names its members too
        named[n] = list(own[n])
        for p in categories.get(n, []):
            for t in own[p]:
                if t["level"] != "industry" and all(t["id"] != x["id"] for x in named[n]):
                    named[n].append(t | {"via": g.nodes[p]["label"]})
        named[n].sort(key=lambda t: NAMED.index(t["level"]))
    facts = gm.Facts(
        capacity={p: c for p, found in produced.items() if (c := _capacity(found))},
        statements=statements,
        target_level={n: t[0]["level"] for n, t in named.items() if t},
        growth={
            i["iri"]: i["indicator"]["cagr"]
            for i in inds
            if (i.get("indicator") or {}).get("cagr") is not None
        },
        layout={p: v for p, f in park_facts.items() if (v := _layout(f))},
    )
    facts = gm.inherit(g, facts)
    return {
        "ids": ids,
        "industry_list": inds,
        "park_list": plist,
        "targets": targets,
        "named": named,
        "facts": facts,
        "industries": {i["iri"]: i for i in inds},
        "park_facts": park_facts,
        "park_labels": {p["iri"]: p["label"] for p in plist},
        "local": {p: _producers(found, ids) for p, found in produced.items()},
        "regional": regional_supply(store, ids),
    }
