"""One JSON model per explorer page: the same dict feeds ``?format=json`` and the HTML page.

Each model is built from the query modules (industries, parks, indicators, paths, gaps)
and a bounded view (:mod:`chainkg.viz.views`) turned into map data
(:func:`chainkg.viz.network.chart`). Links inside a model point at this server only:
products, industries and parks at their explorer pages, anything else at its
dereferenceable IRI page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import whole
from chainkg.queries import gaps as gap_model
from chainkg.queries import get
from chainkg.queries import paths as path_model
from chainkg.queries.chain import (
    STATUSES,
    VersionCache,
    chain_graph,
    edge_dict,
    edge_view,
    resolve,
)
from chainkg.queries.indicators import indicators
from chainkg.queries.industries import industries, industry
from chainkg.queries.parks import park, parks
from chainkg.queries.plans import current, plans
from chainkg.queries.products import product_detail
from chainkg.queries.reasons import KIND_TEXT, LIST_TEXT
from chainkg.queries.regional import regional_supply
from chainkg.queries.rows import run
from chainkg.queries.search import entity_id, local_name
from chainkg.viz import brief, panorama, views
from chainkg.viz.network import chart

EXPLORED = ("product", "industry", "park")
KIND_LABELS = {k: {"zh": zh, "en": en} for k, (zh, en) in KIND_TEXT.items()}
LIST_LABELS = {k: {"zh": zh, "en": en} for k, (zh, en) in LIST_TEXT.items()}
PART_LABELS = {
    "target": {"zh": "重点引进", "en": "重点引进 target"},
    "attract_statement": {"zh": "引进表述", "en": "attraction clause"},
    "item": {"zh": "专栏项目", "en": "专栏 item"},
    "growth": {"zh": "产业增速", "en": "industry growth"},
    "leverage": {"zh": "链条带动", "en": "chain leverage"},
    "feasibility": {"zh": "园区布局", "en": "park layout"},
    "strengthen": {"zh": "强链表述", "en": "strengthen clause"},
    "shortfall": {"zh": "产能缺口", "en": "capacity shortfall"},
}
SNIPPET = 80


@dataclass(frozen=True)
class Links:
    """URLs of this server for one request: its root path, language and the district plan
    it reads (carried from page to page when one was named)."""

    root: str = ""
    lang: str = "zh"
    plan: str | None = None

    @property
    def q(self) -> str:
        given = {
            k: v
            for k, v in (("lang", "en" if self.lang == "en" else None), ("plan", self.plan))
            if v
        }
        return "?" + urlencode(given) if given else ""

    def url(self, path: str, **params) -> str:
        """``root + path`` with ``params`` (empty ones dropped), the language and plan."""
        given = {k: v for k, v in params.items() if v not in (None, "")}
        if self.lang == "en":
            given["lang"] = "en"
        if self.plan and "plan" not in given:
            given["plan"] = self.plan
        return self.root + path + ("?" + urlencode(given) if given else "")

    def of(self, ref: dict | None) -> str | None:
        """The page of an entity ``{"id": ...}``: its explorer, else its IRI's page."""
        ident = (ref or {}).get("id")
        if not ident or ident.startswith(("http:", "https:")) or "#" in ident:
            return None
        kind = ident.split("/", 1)[0]
        if kind in EXPLORED:
            return self.url(f"/explore/{kind}/{ident.rsplit('/', 1)[-1]}")
        return self.url(f"/{ident}")


_REPORTS = VersionCache(32)


def gap_report(store, ids: Ids | None, industry=None, park=None, kind=None) -> dict:
    """The gap report (:func:`chainkg.queries.gaps.gap_report`), cached per store version."""
    return _REPORTS.get(
        (store.cache_key, ids.base if ids else None, industry, park, kind),
        lambda: gap_model.gap_report(store, ids, industry=industry, park=park, kind=kind),
    )


def clear_cache() -> None:
    """Forget cached gap reports and view rows (for a store written in place)."""
    _REPORTS.clear()
    views.clear_cache()


def _map(view: dict, links: Links) -> dict:
    return chart(view, links.lang, links.of) | {k: view[k] for k in ("depth",) if k in view}


def home(store, ids: Ids | None) -> dict:
    """The industry system by tier (the plan's own tier words), the 表1 indicators with the
    growth each target needs and their usual baseline and target years, the parks."""
    tiers: dict[str, dict] = {}
    for ind in industries(store, ids):
        tier = ind["tier"] or {"name": "other", "label": "其他", "label_en": "other"}
        tier = {k: tier[k] for k in ("name", "label", "label_en")}
        if ind["tier_name"] and ind["tier_name"] != tier["label"]:  # the plan's own word
            tier = {"name": ind["tier_name"], "label": ind["tier_name"]} | {
                "label_en": tier["label_en"]
            }
        entry = tiers.setdefault(tier["name"], tier)
        entry.setdefault("industries", []).append(ind)
    measured = indicators(store, ids)
    years = [(i["baseline_year"], i["target_year"]) for i in measured if i.get("target_year")]
    g = chain_graph(store, ids)
    status = {s: 0 for s in STATUSES}
    for _, d in g.nodes(data=True):
        status[d["local"].status] += 1
    plans = store.select(get("void-plans").text)
    return {
        "page": "home",
        "plans": [
            {"iri": str(p["plan"]), "label": str(p.get("label") or p["plan"])} for p in plans
        ],
        "tiers": list(tiers.values()),
        "indicators": measured,
        "years": max(set(years), key=years.count) if years else None,
        "parks": parks(store, ids),
        "chain": {"products": g.number_of_nodes(), "links": g.number_of_edges(), "status": status},
    }


def _top_gaps(report: dict, n: int = 12) -> list[dict]:
    keys = ("rank", "list", "list_label", "kind", "kind_label", "score", "reasons", "attract")
    firsts = [gap for gap in report["gaps"] if gap["list"] == "attract"][:n]
    return [{k: gap[k] for k in keys} | {"product": gap["product"]} for gap in firsts]


def industry_page(store, ids: Ids | None, key: str, links: Links, cap: int) -> dict | None:
    """An industry: its chain map, segments, chains, projects, enterprises, targets, gaps."""
    found = industry(store, key, ids)
    if found is None:
        return None
    report = gap_report(store, ids, industry=found["iri"])
    view = views.industry_view(store, ids, found["iri"], cap)
    slug = found["id"].rsplit("/", 1)[-1]
    return {"page": "industry", "industry": found, "network": _map(view, links)} | {
        "panorama": panorama.svg(store, ids, found["iri"], links.lang, links.root),
        "panorama_href": links.root + f"/api/map/{slug}?lang={links.lang}&download=true",
        "panorama_png": links.root + f"/api/map/{slug}?lang={links.lang}&download=true&format=png",
        "gaps": _top_gaps(report),
        "gap_counts": report["counts"],
        "kind_labels": KIND_LABELS,
    }


def brief_page(store, ids: Ids | None, key: str, links: Links) -> dict | None:
    """The one-page brief of an industry (:mod:`chainkg.viz.brief`) with its links."""
    found = industry(store, key, ids)
    if found is None:
        return None
    model = brief.brief(
        store, ids, found, gap_report(store, ids, industry=found["iri"]), links.lang
    )
    slug = found["id"].rsplit("/", 1)[-1]
    plans = store.select(get("void-plans").text)
    mine = [p for p in plans if str(p["plan"]).rsplit("/", 1)[-1] in found["id"]] or plans
    plan = mine[0] if mine else {}
    label = plan.get("label_en") if links.lang == "en" else None
    return model | {
        "plan_label": str(label or plan.get("label") or ""),
        "sections": [s["label"] for s in found.get("sources", []) if s.get("label")][:3],
        "panorama_href": links.url(f"/api/map/{slug}"),
        "gaps_href": links.url("/explore/gaps", industry=slug),
        "download_href": links.url(f"/explore/brief/{slug}", download="true"),
        "generated": date.today().isoformat(),
    }


def park_page(store, ids: Ids | None, key: str, links: Links, cap: int) -> dict | None:
    """A park: what it hosts, its slice of the chain map, projects, enterprises, indicator."""
    found = park(store, key, ids)
    if found is None:
        return None
    q = get("projects")
    projects: dict[str, dict] = {}
    for r in store.select(q.text, q.bindings(name=found["label"])):
        projects.setdefault(
            str(r["item"]),
            {
                "id": entity_id(str(r["item"]), ids),
                "text": str(r["text"]),
                # a boolean, or 1/0 from servers without booleans in expressions (Virtuoso)
                "project": bool(r["is_project"].toPython()) if r.get("is_project") else False,
                "segment": str(r["segment_label"]) if r.get("segment_label") else None,
                "capacity": f"{r['value']}{r['unit']}" if r.get("value") is not None else None,
                "section": entity_id(str(r["section"]), ids),
            },
        )
    view = views.park_view(store, ids, found["iri"], cap)
    return {"page": "park", "park": found, "projects": list(projects.values())} | {
        "network": _map(view, links)
    }


def _aliases(store, iri: str) -> list[str]:
    """The entity's aliases (a point lookup: a page never waits for the search index)."""
    return [str(r["alias"]) for r in run(store, "aliases", entity=iri)]


def _quoted(text: str | None, quote: str | None) -> dict | None:
    """The part of a section's text around ``quote``: before, quote, after (and the whole)."""
    if not text:
        return None
    at = text.find(quote) if quote else -1
    if at < 0:
        return {"before": text[: 2 * SNIPPET] + ("…" if len(text) > 2 * SNIPPET else "")} | {
            "quote": "",
            "after": "",
            "full": text,
        }
    start, end = max(0, at - SNIPPET), at + len(quote or "")
    return {
        "before": ("…" if start else "") + text[start:at],
        "quote": quote,
        "after": text[end : end + SNIPPET] + ("…" if end + SNIPPET < len(text) else ""),
        "full": text,
    }


def evidence(store, iri: str, ids: Ids | None) -> list[dict]:
    """The links into and out of a product, each with its quote or reason and its section's
    text around the quote: supply links first, then the links that are not supply."""
    g = chain_graph(store, ids)
    texts: dict[str, str | None] = {}
    out = []
    edges = [(u, iri, "upstream", True) for u in g.predecessors(iri)]
    edges += [(iri, v, "downstream", True) for v in g.successors(iri)]
    edges += [
        (u, v, "upstream" if v == iri else "downstream", False)
        for u, v, _ in g.graph.get("related", [])
        if iri in (u, v)
    ]
    related = {(u, v): e for u, v, e in g.graph.get("related", [])}
    for u, v, side, supply in sorted(
        edges, key=lambda e: (not e[3], e[2] != "upstream", e[0], e[1])
    ):
        e = edge_view(g, u, v) if supply else edge_dict(g, u, v, related[u, v])
        if e["section"] and e["section"] not in texts:
            rows = run(store, "entity-sources", entity=e["link"])
            hit = next((r for r in rows if str(r["source"]) == e["section"]), None)
            texts[e["section"]] = str(hit["text"]) if hit and hit.get("text") else None
        other = u if side == "upstream" else v
        out.append(
            e
            | {
                "direction": side,
                "supply": supply,
                "from_en": g.nodes[u]["label_en"] or e["from"],
                "to_en": g.nodes[v]["label_en"] or e["to"],
                "id": entity_id(e["link"], ids),
                "other": {k: g.nodes[other][k] for k in ("id", "label", "label_en")},
                "section_id": entity_id(e["section"], ids) if e["section"] else None,
                "text": _quoted(texts.get(e["section"] or ""), e["quote"]),
            }
        )
    return out


def product_page(store, ids: Ids | None, key: str, links: Links, depth: int, cap: int) -> dict:
    """A product: its neighbourhood map, producers, projects, parks, evidence and gap.
    Raises :class:`~chainkg.queries.errors.Unknown` (with suggestions) for an unknown key."""
    g = chain_graph(store, ids)
    iri = resolve(store, g, key, ids)
    detail = product_detail(store, g, iri, ids)
    gap = next((x for x in gap_report(store, ids)["gaps"] if x["product"]["iri"] == iri), None)
    view = views.product_view(store, ids, iri, depth, cap)
    return {
        "page": "product",
        "product": detail | {"aliases": _aliases(store, iri)},
        "evidence": evidence(store, iri, ids),
        "gap": gap,
        "plans": naming_plans(store, ids, iri),
        "regional": (gap or {}).get("regional") or regional_supply(store, ids).get(iri, []),
        "network": _map(view, links),
    }


HOW = {
    "IndustryChain": "chain",
    "PlanItem": "items",
    "Project": "items",
    "AttractionTarget": "targets",
    "PlanStatement": "statements",
    "IndustrySegment": "segments",
}


def naming_plans(store, ids: Ids | None, iri: str) -> list[dict]:
    """The district plans of the store that name the product (whole store, not one plan's
    view): per plan, its items, targets, clauses and segments that name it, and whether its
    chains hold it; the plan this page reads is marked ``current``."""
    here = current(store, ids)
    counts: dict[str, dict[str, int]] = {}
    for r in run(whole(store), "product-plans", product=iri):
        how = HOW[local_name(str(r["how"]))]
        mine = counts.setdefault(str(r["plan"]), {})
        mine[how] = mine.get(how, 0) + int(r["n"])
    return [
        {k: p[k] for k in ("id", "key", "label", "region")}
        | {"current": bool(here and p["iri"] == here["iri"]), "named": counts[p["iri"]]}
        for p in plans(store, ids)
        if p["iri"] in counts
    ]


def paths_page(store, ids: Ids | None, frm: str, to: str, links: Links, cap: int) -> dict:
    """The path finder: the shortest chain path from ``frm`` to ``to``, each step explained,
    alternatives, and the path on the map. Raises ``paths.Unknown`` for unknown names."""
    model = {"page": "paths", "from": frm, "to": to, "result": None, "network": None}
    if not (frm and to):
        return model
    result = path_model.all_paths(store, frm, to, ids, max_len=6, max_paths=5)
    base = (ids or Ids()).base
    g = chain_graph(store, ids)
    for path in result["paths"]:
        path["labels_en"] = [g.nodes[base + n]["label_en"] for n in path["nodes"]]
        for step in path["steps"]:
            step["from_label_en"] = g.nodes[base + step["from_id"]]["label_en"]
            step["to_label_en"] = g.nodes[base + step["to_id"]]["label_en"]
            step["section_id"] = entity_id(step["section"], ids) if step["section"] else None
    model["result"] = result
    if result["paths"]:
        path = [base + n for n in result["paths"][0]["nodes"]]
        model["network"] = _map(views.route_map(store, ids, path, cap), links)
    return model


def gaps_page(store, ids: Ids | None, links: Links, cap: int, top: int = 30, **filters) -> dict:
    """The gap map: the chain in scope with its gaps marked, and the three ranked lists
    (their first ``top`` rows; all when 0). Raises ``gaps.Unknown`` or ValueError for
    unknown filters."""
    report = gap_report(store, ids, **{k: v or None for k, v in filters.items()})
    view = views.gap_view(store, ids, report, cap)
    params = {k: v for k, v in filters.items() if v}
    return {
        "page": "gaps",
        "report": report,
        "top": top,
        "all_href": links.url("/explore/gaps", **params, top="0"),
        "kind_labels": KIND_LABELS,
        "list_labels": LIST_LABELS,
        "part_labels": PART_LABELS,
        "network": _map(view, links),
        "choices": {
            "industries": [
                {k: i[k] for k in ("id", "label", "label_en")} for i in industries(store, ids)
            ],
            "parks": [{k: p[k] for k in ("id", "label", "label_en")} for p in parks(store, ids)],
            "kinds": list(gap_model.KINDS),
        },
        "exports": {
            fmt: links.root + "/api/gaps?" + urlencode(params | {"format": fmt})
            for fmt in ("csv", "xlsx")
        },
    }
