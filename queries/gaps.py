"""The gap report for investment promotion (招商): three ranked lists with reasons.

The criteria and the score are in :mod:`chainkg.queries.gap_model` (read its docstring:
补链/强链/延链/外部依赖, plan intent, chain leverage, feasibility); the facts it reads are
gathered by :mod:`chainkg.queries.gap_facts`. This module builds each entry (reasons in zh
and en with the plan's words and the registry rows behind them, the firm to attract, host
and candidate parks, the local firms up and downstream) and compares the report with the
plan's own 重点引进 list.

Lists: ``attract`` (missing and extension: firms to go and attract), ``strengthen`` (weak:
local links the plan or the capacity balance says to reinforce) and ``risks`` (external
inputs: supplied from outside, kept apart from the attraction list). A gap's ``parks`` are
the parks that host it by the plan's words or a registry; ``park_candidates`` are inferred by
a named ``rule`` and never presented as hosting. A park filter keeps the products the park
hosts or is a candidate for. ``top`` keeps the first N of each list; ``by_industry`` gives the
first five of the attract list per industry. Only the chain graph is held in memory; parks,
producers, targets and statements are joined in SPARQL (``gap-*.rq``, ``plan-statements.rq``),
so the report runs unchanged on a remote store.
"""

from __future__ import annotations

import copy

import networkx as nx

from chainkg.graph.namespaces import Ids
from chainkg.queries import gap_facts, reasons
from chainkg.queries import gap_model as gm
from chainkg.queries.chain import chain_graph, edge_view, node_view, per_version
from chainkg.queries.errors import Unknown
from chainkg.queries.gap_parks import park_split
from chainkg.queries.search import pick, suggestions
from chainkg.queries.sheets import COLUMNS, rows, to_csv, to_xlsx

__all__ = [
    "COLUMNS",
    "KINDS",
    "LISTS",
    "Unknown",
    "gap_report",
    "kinds_of",
    "rows",
    "to_csv",
    "to_xlsx",
]

KINDS = gm.KINDS
LISTS = gm.LIST_NAMES


def kinds_of(kind: str | list[str] | None) -> list[str]:
    """Gap kinds from a comma-separated string or a list; ValueError for an unknown one."""
    parts = kind.split(",") if isinstance(kind, str) else kind or []
    out = [k.strip().lower() for k in parts if k and k.strip()]
    for k in out:
        if k not in KINDS:
            raise ValueError(f"unknown kind {k!r}; one of {', '.join(KINDS)}")
    return sorted(set(out), key=KINDS.index)


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
        "producers": reasons.names(local.get(m, []), status)
    }


def _balance_view(g: nx.DiGraph, b: dict | None) -> dict | None:
    if b is None:
        return None
    uses = [u | {"product": g.nodes[u["product"]]["label"]} for u in b["uses"]]
    return b | {"uses": uses}


def _entry(g: nx.DiGraph, n: str, found: dict, ctx: dict) -> dict:
    d, kind = g.nodes[n], found["kind"]
    ups, downs, local = found["ups"], found["downs"], ctx["local"]
    named = ctx["named"].get(n, [])
    industry = ctx["industries"].get(d["industry"]) or {}
    indicator = industry.get("indicator") or {}
    facts = ctx["facts"]
    said = [
        st | ({"via": g.nodes[st["via"]]["label"]} if st.get("via") else {})
        for st in facts.statements.get(n, [])
    ]
    balance = _balance_view(g, gm.balance(g, n, facts))
    parts = copy.deepcopy(found["components"])
    parts["growth"]["indicator"] = (
        {k: indicator.get(k) for k in ("id", "label")} if indicator else None
    )
    parts["target"]["targets"] = named
    why = reasons.reasons(g, n, kind, ups, downs, local, named, said, balance, parts)
    return {
        "list": found["list"],
        "list_label": dict(zip(("zh", "en"), reasons.LIST_TEXT[found["list"]], strict=True)),
        "kind": kind,
        "kind_label": dict(zip(("zh", "en"), reasons.KIND_TEXT[kind], strict=True)),
        "product": node_view(g, n) | {"industry_en": industry.get("label_en")},
        "score": found["score"],
        "components": parts,
        "upstream": [_neighbour(g, u, local) for u in ups],
        "downstream": [_neighbour(g, v, local) for v in downs],
        "reasons": why,
        "headline": reasons.headline(why, kind),
        "statements": said,
        "balance": balance,
        "evidence": _evidence(g, n, ups, downs),
        "attract": reasons.attract(g, n, kind, named),
        **park_split(g, n, ups, downs, ctx["park_facts"], ctx["park_labels"], ctx["ids"]),
        "local": local.get(n, []),
        "regional": ctx["regional"].get(n, []),
    }


def _short(gap: dict) -> dict:
    p = gap["product"]
    return {"id": p["id"], "label": p["label"], "kind": gap["kind"]} | {
        "list": gap["list"],
        "rank": gap["rank"],
    }


def _asked_by_plan(gap: dict) -> bool:
    parts = gap["components"]
    return parts["target"]["value"] in ("product", "segment") or bool(
        parts["attract_statement"]["value"]
    )


def _compare(gaps: list[dict], targets: dict, industries: set | None, top: int) -> dict:
    """Each 重点引进 target (of ``industries``, or all) covered or not by the report's gaps,
    and the high-ranked attraction gaps the plan did not name."""
    by_iri = {gap["product"]["iri"]: gap for gap in gaps}
    out: dict[str, list] = {"confirmed": [], "not_confirmed": []}
    for t in sorted(targets.values(), key=lambda t: t["id"]):
        if industries is not None and t["industry_iri"] not in industries:
            continue
        hits = sorted(
            (by_iri[p] for p in t["covers"] if p in by_iri),
            key=lambda x: (LISTS.index(x["list"]), x["rank"]),
        )
        status = "confirmed" if hits else "not_confirmed"
        out[status].append(
            {k: t[k] for k in ("id", "label", "firm_kind", "industry", "section", "about")}
            | {"status": status, "gaps": [_short(h) for h in hits]}
            | {"why": reasons.verdict(t["about"], t["covers"], hits)}
        )
    out["not_named"] = [
        _short(gap) | {"score": gap["score"]}
        for gap in gaps
        if gap["list"] == "attract" and gap["rank"] <= top and not _asked_by_plan(gap)
    ]
    return out


def assessed(store, ids: Ids | None = None, weights: dict | None = None) -> tuple:
    """The chain graph, the shared context and every gap (``gap_model.assess``), the last
    cached per store version unless ``weights`` differ from the defaults."""
    ctx = per_version(store, ids, "gap-context", lambda: gap_facts.context(store, ids))
    g = chain_graph(store, ids)
    if weights:
        return g, ctx, gm.assess(g, ctx["facts"], weights)
    return g, ctx, per_version(store, ids, "gaps", lambda: gm.assess(g, ctx["facts"]))


def gap_report(
    store,
    ids: Ids | None = None,
    industry: str | None = None,
    park: str | None = None,
    kind: str | list[str] | None = None,
    top: int | None = None,
) -> dict:
    """The three ranked lists of the chain graph, optionally of one industry, park and
    kind(s), each cut to its first ``top`` entries (all when None or 0).

    ``industry`` and ``park`` are a slug, id, IRI, zh or en label (:class:`Unknown` if they
    name nothing); ``kind`` one or more of ``KINDS`` (ValueError otherwise). Returns
    ``{"filters", "scoring", "gaps", "by_industry", "targets", "counts"}``; every gap has its
    ``list`` and its ``rank`` in that list.
    """
    kinds = kinds_of(kind)
    if top is not None and top < 0:
        raise ValueError(f"top must be 0 or more, not {top}")
    g, ctx, found = assessed(store, ids)
    inds, plist, targets = ctx["industry_list"], ctx["park_list"], ctx["targets"]
    ind = pick(inds, industry) if industry else None
    if industry and ind is None:
        raise Unknown(
            "industry",
            industry,
            suggestions(store, industry, ["Industry"], inds, ids),
            ["Industry"],
        )
    prk = pick(plist, park) if park else None
    if park and prk is None:
        raise Unknown("park", park, suggestions(store, park, ["Park"], plist, ids), ["Park"])

    def keep(n: str) -> bool:
        if ind and g.nodes[n]["industry"] != ind["iri"]:
            return False
        facts = ctx["park_facts"].get(n, [])
        return not prk or any(str(f["park"]) == prk["iri"] for f in facts)

    considered = [n for n in g if keep(n)]
    lists = gm.ranked(found, g, lambda n: keep(n) and (not kinds or found[n]["kind"] in kinds))
    gaps, ranked, cut = [], [], top or None
    for name in LISTS:
        for rank, n in enumerate(lists[name], 1):
            ranked.append(_ranked(g, found, n, rank))
            if cut is None or rank <= cut:
                gaps.append({"rank": rank} | _entry(g, n, found[n], ctx))
    by_industry = []
    for i in inds:
        firsts = [n for n in lists["attract"] if g.nodes[n]["industry"] == i["iri"]][:5]
        if firsts:
            ranks = {n: r for r, n in enumerate(lists["attract"], 1)}
            by_industry.append(
                {"industry": {k: i[k] for k in ("id", "label", "label_en")}}
                | {"attract": [_short_of(g, found, n, ranks[n]) for n in firsts]}
            )
    scope = {g.nodes[n]["industry"] for n in considered} if ind or prk else None
    compared = _compare(ranked, targets, scope, top or 30)
    short = ("iri", "id", "label", "label_en")
    flagged = sum(len(v) for v in lists.values())
    return {
        "filters": {
            "industry": {k: ind[k] for k in short} if ind else None,
            "park": {k: prk[k] for k in short} if prk else None,
            "kind": kinds or None,
            "top": top or None,
        },
        "scoring": {"weights": dict(gm.WEIGHTS), "kinds": list(KINDS), "lists": list(LISTS)},
        "gaps": gaps,
        "by_industry": by_industry,
        "targets": compared,
        "counts": {
            "products": len(considered),
            "gaps": flagged,
            "shown": len(gaps),
            "lists": {name: len(lists[name]) for name in LISTS},
            "kinds": {
                k: sum(found[n]["kind"] == k for v in lists.values() for n in v) for k in KINDS
            },
            "confirmed": len(compared["confirmed"]),
            "not_confirmed": len(compared["not_confirmed"]),
            "not_named": len(compared["not_named"]),
        },
    }


def _ranked(g: nx.DiGraph, found: dict, n: str, rank: int) -> dict:
    """What the 重点引进 comparison reads of a ranked gap, shown or not."""
    f = found[n]
    return {
        "product": {k: g.nodes[n][k] for k in ("id", "label", "label_en")} | {"iri": n},
        "list": f["list"],
        "list_label": dict(zip(("zh", "en"), reasons.LIST_TEXT[f["list"]], strict=True)),
        "kind": f["kind"],
        "rank": rank,
        "score": f["score"],
        "components": f["components"],
    }


def _short_of(g: nx.DiGraph, found: dict, n: str, rank: int) -> dict:
    d = g.nodes[n]
    return {"id": d["id"], "label": d["label"], "label_en": d["label_en"]} | {
        "kind": found[n]["kind"],
        "rank": rank,
        "score": found[n]["score"],
    }
