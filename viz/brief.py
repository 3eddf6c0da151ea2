"""The one-page industry brief (产业链简报): what an officer prints for a meeting.

One A4 page per industry: the output indicator (2021 → 2026 and the growth a year it
needs), a compact chain panorama (the stage columns of the 产业链全景图 with each plan
segment's products as chips coloured by local status and marked with their gap rank), the
top of the three gap lists with the headline reason and the firm to attract, the parks
the plan's 产业布局 puts the industry in, and the key local firms from the registries.
Everything comes from the same models as the industry page, the gap report and the
panorama, so the brief, the pages, the API and the CLI agree.
"""

from __future__ import annotations

import re

from chainkg.graph.namespaces import Ids
from chainkg.queries.chain import chain_graph
from chainkg.viz.panorama import BAND, STAGES, group_labels, stage_of

TOP = {"attract": 5, "strengthen": 3, "risks": 2}
FIRMS = 6
STATUS_TEXT = {  # production status (ck:ProductionStatus), most advanced first
    "Operating": ("已投产", "operating"),
    "UnderConstruction": ("在建", "under construction"),
    "Signed": ("已签约", "signed"),
    "Planned": ("规划中", "planned"),
}
PAREN = re.compile(r"\s*[（(][^（()）]*[）)]$")  # a trailing gloss: 尼龙66盐（己二酸己二胺盐）
SHORT = {"attract": ("#", "#"), "strengthen": ("强", "S"), "risks": ("险", "R")}


def _label(x: dict, lang: str) -> str:
    return ((x.get("label_en") if lang == "en" else None) or x.get("label")) or x.get("id", "")


def stages(store, ids: Ids | None, iri: str, gaps: dict[str, dict], lang: str) -> list[dict]:
    """The industry's products in stage columns and plan-segment groups, as chips."""
    g = chain_graph(store, ids)
    group_of, order = group_labels(store, iri, lang)
    other = "other" if lang == "en" else "其他"
    rank = {name: i for i, name in enumerate([*order, other])}
    cols: dict[str, dict[str, list[dict]]] = {key: {} for key, _, _ in STAGES} | {"band": {}}
    for n in sorted(
        (n for n in g if g.nodes[n]["industry"] == iri), key=lambda m: g.nodes[m]["id"]
    ):
        d = g.nodes[n]
        gap = gaps.get(n)
        full = (d["label_en"] or d["label"]) if lang == "en" else d["label"]
        chip = {
            "id": d["id"],
            "label": PAREN.sub("", full) or full,
            "full": full,
            "status": d["local"].status,
            "gap": None
            if gap is None
            else {
                "list": gap["list"],
                "rank": gap["rank"],
                "mark": SHORT[gap["list"]][lang == "en"] + str(gap["rank"]),
                "kind": gap["kind_label"][lang],
            },
        }
        cols[stage_of(d["kind"])].setdefault(group_of.get(n, other), []).append(chip)
    names = [(key, label) for key, label, _ in STAGES] + [BAND]
    return [
        {
            "key": key,
            "label": label[lang == "en"],
            "groups": [
                {"label": name, "products": cols[key][name]}
                for name in sorted(cols[key], key=lambda k: (rank.get(k, 10**6), k))
            ],
        }
        for key, label in names
        if cols[key]
    ]


def _gap(gap: dict, lang: str) -> dict:
    return {
        "rank": gap["rank"],
        "list": gap["list"],
        "kind": gap["kind_label"][lang],
        "score": gap["score"],
        "product": gap["product"],
        "headline": gap["headline"][lang],
        "attract": gap["attract"][lang],
        "parks": [{"id": p["id"], "label": p["label"]} for p in gap["parks"][:2]],
        "candidates": [{"id": p["id"], "label": p["label"]} for p in gap["park_candidates"][:2]],
    }


def firms(found: dict, lang: str, english: dict[str, str], most: int = FIRMS) -> list[dict]:
    """Key local firms: those with an operating plant first, then by products made;
    ``english`` gives products' English names by id."""
    out = []
    for e in found["enterprises"]:
        made = e["productions"]
        states = sorted(
            {((p["status"] or {}).get("id") or "").rsplit("#", 1)[-1] for p in made} - {""},
            key=lambda s: list(STATUS_TEXT).index(s) if s in STATUS_TEXT else 9,
        )
        parks = {p["park"]["id"]: p["park"] for p in made if p.get("park")}
        names = [
            (english.get(p["product"]["id"]) if lang == "en" else None) or p["product"]["label"]
            for p in made
        ]
        status = states[0] if states else ""
        out.append(
            {
                "enterprise": {k: e[k] for k in ("id", "label", "label_en")},
                "products": list(dict.fromkeys(names)),
                "status": STATUS_TEXT.get(status, (status, status))[lang == "en"],
                "parks": list(parks.values()),
                "operating": status == "Operating",
            }
        )
    out.sort(key=lambda f: (not f["operating"], -len(f["products"]), f["enterprise"]["label"]))
    return out[:most]


def brief(store, ids: Ids | None, found: dict, report: dict, lang: str = "zh") -> dict:
    """The brief of the industry ``found`` (:func:`chainkg.queries.industries.industry`)
    with its gap ``report`` (see the module doc)."""
    gaps = {gap["product"]["iri"]: gap for gap in report["gaps"]}
    top = {
        name: [_gap(gap, lang) for gap in report["gaps"] if gap["list"] == name][:most]
        for name, most in TOP.items()
    }
    columns = stages(store, ids, found["iri"], gaps, lang)
    chips = [c for col in columns for grp in col["groups"] for c in grp["products"]]
    status = {
        s: sum(c["status"] == s for c in chips) for s in ("operating", "project", "plan", "none")
    }
    return {
        "page": "brief",
        "industry": {k: found[k] for k in ("iri", "id", "label", "label_en", "tier")},
        "indicator": found["indicator"],
        "stages": columns,
        "products": len(chips),
        "status": status,
        "gaps": top,
        "gap_counts": report["counts"]["lists"],
        "parks": [
            {"park": {k: p[k] for k in ("id", "label") if k in p}, "hosts": _hosted(p)}
            for p in found["parks"]
        ],
        "firms": firms(found, lang, english_names(store, ids)),
        "enterprises": len(found["enterprises"]),
    }


def english_names(store, ids: Ids | None) -> dict[str, str]:
    """Products' English names by id, from the chain graph."""
    g = chain_graph(store, ids)
    return {d["id"]: d["label_en"] for _, d in g.nodes(data=True) if d.get("label_en")}


def _hosted(park: dict) -> list[str]:
    return list(dict.fromkeys(layout["hosted_label"] for layout in park.get("layouts", [])))
