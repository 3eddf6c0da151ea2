"""Gaps in the industry chains, ranked and explained for investment promotion (招商).

Each product node of the chain graph (:mod:`chainkg.queries.chain`) gets at most one kind:

- ``missing`` (补链): nothing local, with a local node directly upstream and one downstream;
- ``weak`` (强链): local but fragile, with at most one operating producer (one enterprise, or
  only an enterprise project, or only a plan item);
- ``extension`` (延链): nothing local, a local node upstream, none downstream, and the plan
  names it (a plan-text link touches it, or a plan item or 重点引进 target names it);
- ``external`` (外部依赖): nothing local, feeding a local node downstream, nothing local upstream.

Score, every component returned with its value, weight and points::

    3 × local upstream neighbours + 3 × local downstream neighbours
    + 0.5 × downstream reach (descendants in the chain graph, counted up to 10)
    + named by a 重点引进 target: 4 if it names the product (ck:aboutProduct), 2 if it names
      a segment covering it (ck:aboutSegment), 1 if a target of the product's industry
      names neither product nor segment
    + 10 × the CAGR its industry's 2026 target needs (indicator with ck:measuresIndustry)

A segment covers the products its plan items make and the products sharing a chain with
them in the segment's industry. A gap's ``parks`` are the parks that host it by the plan's
words or a registry (a 产业布局 entry naming the product, a registry producer, a plan
statement that it is made there); ``park_candidates`` are inferred by a named ``rule``
(the park's layout names its chain, a segment covering it or its industry, or hosts a local
neighbour) and are never presented as hosting. A park filter keeps the products the park
hosts or is a candidate for. Utilities and infrastructure are never gaps.
The 重点引进 comparison takes the targets of the industries in scope (all without a filter)
and checks them against the report's gaps, after its filters.

Ranking: (-score, kind order as in ``KINDS``, product id). Only the chain graph is held in
memory; parks, producers and targets are joined in SPARQL (``gap-*.rq``), so the report runs
unchanged on a remote store.
"""

from __future__ import annotations

import copy
import re
import sys

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries import reasons as words
from chainkg.queries.chain import chain_graph, edge_view, node_view, per_version
from chainkg.queries.gap_parks import park_split
from chainkg.queries.industries import grouped, industries, run
from chainkg.queries.parks import parks as park_list
from chainkg.queries.search import entity_id, local_name, pick
from chainkg.queries.sheets import COLUMNS, rows, to_csv, to_xlsx

__all__ = ["COLUMNS", "KINDS", "Unknown", "gap_report", "kinds_of", "rows", "to_csv", "to_xlsx"]

KINDS = ("missing", "weak", "extension", "external")
WEIGHTS = {"local_upstream": 3.0, "local_downstream": 3.0, "reach": 0.5, "growth": 10.0}
NAMED = {"product": 4.0, "segment": 2.0, "industry": 1.0}
REACH_CAP = 10
NEVER_GAPS = ("Utility", "Infrastructure")


class Unknown(LookupError):
    """An industry or park filter that names nothing; ``choices`` lists what exists."""

    def __init__(self, what: str, key: str, choices: list[dict]) -> None:
        super().__init__(f"no {what} {key!r}")
        self.what, self.key, self.choices = what, key, choices


def kinds_of(kind: str | list[str] | None) -> list[str]:
    """Gap kinds from a comma-separated string or a list; ValueError for an unknown one."""
    parts = kind.split(",") if isinstance(kind, str) else kind or []
    out = [k.strip().lower() for k in parts if k and k.strip()]
    for k in out:
        if k not in KINDS:
            raise ValueError(f"unknown kind {k!r}; one of {', '.join(KINDS)}")
    return sorted(set(out), key=KINDS.index)


def _s(term) -> str | None:
    return None if term is None else sys.intern(str(term))  # labels repeat across gaps


def _ref(iri, label, ids: Ids | None) -> dict | None:
    return None if iri is None else {"id": entity_id(str(iri), ids), "label": _s(label)}


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
                "name": _s(r.get("who_label")),
                "name_en": _s(r.get("who_label_en")),
                "id": entity_id(str(r["who"]), ids),
                "status": _snake(local_name(str(status))) if status else "plan",
                "status_label": _s(r.get("status_label")),
                "park": _s(r.get("park_label")),
                "capacity": None if value is None else f"{value}{r.get('unit') or ''}{per_year}",
                "confidence": _snake(local_name(str(r["confidence"])))
                if r.get("confidence")
                else None,
                "source": _ref(r.get("source"), r.get("source_label"), ids)
                | {"url": _s(r.get("url"))}
                if r.get("source")
                else None,
            }
        )
    return out


def _targets(store, ids: Ids | None) -> tuple[dict, dict]:
    """Targets by IRI, and for each product the (level, target IRI, about) that cover it."""
    targets: dict[str, dict] = {}
    covers: dict[str, list[tuple[str, str, dict]]] = {}
    for iri, found in grouped(run(store, "gap-targets"), "target").items():
        head = next((r for r in found if r.get("level") is None), found[0])
        t = targets[iri] = {
            "id": entity_id(iri, ids),
            "label": _s(head.get("label")),
            "firm_kind": _s(head.get("firm_kind")),
            "industry": _ref(head.get("industry"), head.get("industry_label"), ids),
            "industry_iri": _s(head.get("industry")),
            "section": _ref(head.get("section"), head.get("section_label"), ids),
            "about": [],
            "covers": set(),
        }
        for r in found:
            if r.get("level") is None:
                continue
            about = _ref(r["about"], r.get("about_label"), ids) | {"level": str(r["level"])}
            if about not in t["about"]:
                t["about"].append(about)
            if r.get("covers") is not None:
                t["covers"].add(str(r["covers"]))
                covers.setdefault(str(r["covers"]), []).append((str(r["level"]), iri, about))
    return targets, covers


def _named(g: nx.DiGraph, n: str, targets: dict, covers: dict) -> dict:
    """The 重点引进 targets that name ``n``, each once at its most specific level."""
    industry = g.nodes[n]["industry"]
    hits = [(lvl, iri, about["label"]) for lvl, iri, about in covers.get(n, [])] + [
        ("industry", iri, t["industry"]["label"])
        for iri, t in targets.items()
        if not t["about"] and industry and t["industry_iri"] == industry
    ]
    best: dict[str, tuple] = {}
    for hit in sorted(hits, key=lambda h: (list(NAMED).index(h[0]), h[1], h[2] or "")):
        best.setdefault(hit[1], hit)
    named = [
        {k: targets[iri][k] for k in ("id", "label", "firm_kind", "section")}
        | {"level": lvl, "about": about}
        for lvl, iri, about in sorted(best.values(), key=lambda h: (list(NAMED).index(h[0]), h[1]))
    ]
    level = named[0]["level"] if named else None
    points = NAMED.get(level or "", 0.0)
    return {"value": level, "weight": points, "points": points, "targets": named}


def _component(value, weight: float, counted=None) -> dict:
    counted = value if counted is None else counted
    return {"value": value, "weight": weight, "points": round(weight * (counted or 0), 4)}


def _evidence(g: nx.DiGraph, n: str, ups: list, downs: list) -> list[dict]:
    """The links to the local neighbours, then any plan-text link that names the node."""
    pairs = [(u, n, "upstream") for u in ups] + [(n, v, "downstream") for v in downs]
    if not pairs:
        pairs = [
            (u, v, "upstream" if v == n else "downstream")
            for u, v in sorted([*g.in_edges(n), *g.out_edges(n)])
            if g.edges[u, v]["evidence"] == "PlanTextEvidence"
        ][:1]
    return [edge_view(g, u, v) | {"direction": d} for u, v, d in pairs]


def _neighbour(g: nx.DiGraph, m: str, local: dict) -> dict:
    d = g.nodes[m]
    status = d["local"].status
    return {"id": d["id"], "label": d["label"], "label_en": d["label_en"], "status": status} | {
        "producers": words.names(local.get(m, []), status)
    }


def _gap(g: nx.DiGraph, n: str, ctx: dict) -> dict | None:
    d, st = g.nodes[n], g.nodes[n]["local"]
    if (d["kind"] or "").rsplit("#", 1)[-1] in NEVER_GAPS:
        return None
    ups = sorted((u for u in g.predecessors(n) if g.nodes[u]["local"].local), key=str)
    downs = sorted((v for v in g.successors(n) if g.nodes[v]["local"].local), key=str)
    named = _named(g, n, ctx["targets"], ctx["covers"])
    plan_named = words.plan_named(g, n, named)
    kind = None
    if st.local:
        kind = "weak" if max(st.operating, st.present) <= 1 else None
    elif ups and downs:
        kind = "missing"
    elif ups and plan_named:
        kind = "extension"
    elif downs:
        kind = "external"
    if kind is None:
        return None
    reach = len(nx.descendants(g, n))
    industry = ctx["industries"].get(d["industry"]) or {}
    indicator = industry.get("indicator") or {}
    growth = _component(indicator.get("cagr"), WEIGHTS["growth"])
    growth["indicator"] = {k: indicator.get(k) for k in ("id", "label")} if indicator else None
    components = {
        "local_upstream": _component(len(ups), WEIGHTS["local_upstream"]),
        "local_downstream": _component(len(downs), WEIGHTS["local_downstream"]),
        "reach": _component(reach, WEIGHTS["reach"], min(reach, REACH_CAP)),
        "named": named,
        "growth": growth,
    }
    local = ctx["local"]
    return {
        "kind": kind,
        "kind_label": dict(zip(("zh", "en"), words.KIND_TEXT[kind], strict=True)),
        "product": node_view(g, n) | {"industry_en": industry.get("label_en")},
        "score": round(sum(c["points"] for c in components.values()), 4),
        "components": components,
        "upstream": [_neighbour(g, u, local) for u in ups],
        "downstream": [_neighbour(g, v, local) for v in downs],
        "reasons": words.reasons(g, n, kind, ups, downs, local, named, growth, plan_named),
        "evidence": _evidence(g, n, ups, downs),
        "attract": words.attract(g, n, kind, named),
        **park_split(g, n, ups, downs, ctx["park_facts"], ctx["park_labels"], ctx["ids"]),
        "local": local.get(n, []),
    }


def _short(gap: dict) -> dict:
    p = gap["product"]
    return {"id": p["id"], "label": p["label"], "kind": gap["kind"], "rank": gap["rank"]}


def _compare(gaps: list[dict], targets: dict, industries: set | None) -> dict:
    """Each 重点引进 target (of ``industries``, or all) confirmed or not by the report's gaps,
    and the gaps the plan did not name."""
    by_iri = {gap["product"]["iri"]: gap for gap in gaps}
    out: dict[str, list] = {"confirmed": [], "not_confirmed": []}
    for t in sorted(targets.values(), key=lambda t: t["id"]):
        if industries is not None and t["industry_iri"] not in industries:
            continue
        hits = sorted((by_iri[p] for p in t["covers"] if p in by_iri), key=lambda x: x["rank"])
        status = "confirmed" if hits else "not_confirmed"
        out[status].append(
            {k: t[k] for k in ("id", "label", "firm_kind", "industry", "section", "about")}
            | {"status": status, "gaps": [_short(h) for h in hits]}
            | {"why": words.verdict(t["about"], t["covers"], hits)}
        )
    out["not_named"] = [
        _short(gap) | {"score": gap["score"]}
        for gap in gaps
        if gap["components"]["named"]["value"] not in ("product", "segment")
    ]
    return out


def _plain(rows: list[dict]) -> list[dict]:
    """Rows with their terms as (interned) strings: kept per store version, a park fact
    is only ever read as text, and ~55k of them at national scale are far smaller so."""
    return [{k: sys.intern(str(v)) for k, v in r.items()} for r in rows]


def _context(store, ids: Ids | None) -> dict:
    """What every report of one store version shares: industries, parks, targets, producers."""
    inds, plist = industries(store, ids), park_list(store, ids)
    targets, covers = _targets(store, ids)
    return {
        "ids": ids,
        "industry_list": inds,
        "park_list": plist,
        "targets": targets,
        "covers": covers,
        "industries": {i["iri"]: i for i in inds},
        "park_facts": grouped(_plain(run(store, "gap-parks")), "product"),
        "park_labels": {p["iri"]: p["label"] for p in plist},
        "local": {
            p: _producers(found, ids)
            for p, found in grouped(run(store, "gap-producers"), "product").items()
        },
    }


def gap_report(
    store,
    ids: Ids | None = None,
    industry: str | None = None,
    park: str | None = None,
    kind: str | list[str] | None = None,
) -> dict:
    """The ranked gaps of the chain graph, optionally of one industry, park and kind(s).

    ``industry`` and ``park`` are a slug, id, IRI, zh or en label (:class:`Unknown` if they
    name nothing); ``kind`` one or more of ``KINDS`` (ValueError otherwise). Returns
    ``{"filters", "scoring", "gaps", "targets", "counts"}``.
    """
    kinds = kinds_of(kind)
    ctx = per_version(store, ids, "gap-context", lambda: _context(store, ids))
    inds, plist, targets = ctx["industry_list"], ctx["park_list"], ctx["targets"]
    ind = pick(inds, industry) if industry else None
    if industry and ind is None:
        raise Unknown("industry", industry, inds)
    prk = pick(plist, park) if park else None
    if park and prk is None:
        raise Unknown("park", park, plist)
    g = chain_graph(store, ids)
    every = per_version(
        store, ids, "gaps", lambda: {n: _gap(g, n, ctx) for n in sorted(g, key=str)}
    )
    considered, gaps = [], []
    for n, gap in every.items():
        if ind and g.nodes[n]["industry"] != ind["iri"]:
            continue
        if prk and all(str(f["park"]) != prk["iri"] for f in ctx["park_facts"].get(n, [])):
            continue
        considered.append(n)
        if gap and (not kinds or gap["kind"] in kinds):
            gaps.append(copy.deepcopy(gap))
    gaps.sort(key=lambda x: (-x["score"], KINDS.index(x["kind"]), x["product"]["id"]))
    for rank, gap in enumerate(gaps, 1):
        gap["rank"] = rank
    scope = {g.nodes[n]["industry"] for n in considered} if ind or prk else None
    compared = _compare(gaps, targets, scope)
    short = ("iri", "id", "label", "label_en")
    return {
        "filters": {
            "industry": {k: ind[k] for k in short} if ind else None,
            "park": {k: prk[k] for k in short} if prk else None,
            "kind": kinds or None,
        },
        "scoring": {
            "weights": dict(WEIGHTS),
            "named": dict(NAMED),
            "reach_cap": REACH_CAP,
            "kinds": list(KINDS),
        },
        "gaps": [{"rank": gap.pop("rank")} | gap for gap in gaps],
        "targets": compared,
        "counts": {
            "products": len(considered),
            "gaps": len(gaps),
            "kinds": {k: sum(gap["kind"] == k for gap in gaps) for k in KINDS},
            "confirmed": len(compared["confirmed"]),
            "not_confirmed": len(compared["not_confirmed"]),
            "not_named": len(compared["not_named"]),
        },
    }
