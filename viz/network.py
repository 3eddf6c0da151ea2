"""The pyvis network of a chain view, and its nodes, edges and options as JSON for a page.

Nodes are coloured by local status (operating, project, plan, none), shaped by product
kind (enterprises are boxes), and carry a hover title with label, status and sources;
edges are styled by evidence kind (plan text solid, domain knowledge dashed, registry
dotted). Each node carries its level (upstream → downstream, computed on the server) and
the groups a map may fold it into (plan segment or chain, then industry); the explorer's
script places the nodes in columns by level, folds a graph too big to label legibly, and
draws with physics off, so a view is drawn the same way on every load. Marked nodes (the
focus, the path, the top gaps) are ``pinned``: never folded. pyvis builds the network; its
HTML template (which loads Bootstrap from a CDN) is never used: :func:`chart` hands the
data to our own template.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from pyvis.network import Network

STATUS_COLORS = {
    "operating": "#2e9e5b",
    "project": "#2f7fd1",
    "plan": "#e0a526",
    "none": "#c5c9d2",
}
STATUS_LABELS = {
    "operating": ("在产", "operating"),
    "project": ("在建/签约项目", "project"),
    "plan": ("仅规划", "plan only"),
    "none": ("本地空白", "nothing local"),
}
FIRM_COLOR = "#7a5fb8"
KIND_SHAPES = {
    "RawMaterial": "triangle",
    "Intermediate": "dot",
    "Component": "square",
    "EndProduct": "diamond",
    "Equipment": "hexagon",
    "Service": "star",
    "Utility": "triangleDown",
    "Infrastructure": "database",
    None: "dot",
    "enterprise": "box",
}
KIND_LABELS = {
    "RawMaterial": ("原料", "raw material"),
    "Intermediate": ("中间体", "intermediate"),
    "Component": ("零部件", "component"),
    "EndProduct": ("终端产品", "end product"),
    "Equipment": ("装备", "equipment"),
    "Service": ("服务", "service"),
    "Utility": ("公用工程", "utility"),
    "Infrastructure": ("基础设施", "infrastructure"),
    "enterprise": ("企业", "enterprise"),
}
EVIDENCE_STYLES = {
    "PlanTextEvidence": {"color": "#1f5fae", "dashes": False},
    "DomainKnowledge": {"color": "#8a8f99", "dashes": [7, 5]},
    "RegistryEvidence": {"color": FIRM_COLOR, "dashes": [2, 4]},
}
EVIDENCE_LABELS = {
    "PlanTextEvidence": ("规划原文", "plan text"),
    "DomainKnowledge": ("领域知识", "domain knowledge"),
    "RegistryEvidence": ("名录", "registry"),
}
RANK_PREFIX = {"attract": ("#", "#"), "strengthen": ("强", "S"), "risks": ("险", "R")}
MARKS = {"path": "#d6336c", "gap": "#d62828", "focus": "#1d2330"}
TOP_GAPS = 10
FONT = "system-ui, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
OPTIONS = {
    # the page's script places the nodes (columns by ``level``, upstream on the left)
    "layout": {"randomSeed": 7, "improvedLayout": False, "hierarchical": {"enabled": False}},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False, "zoomView": True},
    "nodes": {
        "size": 11,
        "borderWidth": 1,
        "font": {"size": 14, "face": FONT, "color": "#1d2330"},
        "widthConstraint": {"maximum": 150},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
        "smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"},
        "width": 1.2,
        "selectionWidth": 1.5,
        "hoverWidth": 0.8,
    },
}


def _pick(lang: str) -> Callable[[tuple[str, str]], str]:
    return (lambda pair: pair[1]) if lang == "en" else (lambda pair: pair[0])


SOURCE_PREFIX = {
    "registry": ("名录 ", "registry "),
    "domain": ("领域知识（关联）", "domain knowledge (links)"),
    "park": ("园区布局 ", "park layout "),
    "park-inferred": (
        "推断（非承载）：园区布局提及其链条或领域 ",
        "inferred, not hosting: the layout names its chain or segment ",
    ),
}


def source_text(source: dict, lang: str) -> str:
    """One hover line for a source: where it is (section, registry row) and what it says."""
    tr = _pick(lang)
    head = tr(SOURCE_PREFIX.get(source["kind"], ("", ""))) + (source.get("where") or "")
    what = source.get("what")
    return f"{head}{tr(('：', ': '))}{what}" if what and head else head or what or ""


def label_of(node: dict, lang: str) -> str:
    """The node's label in ``lang`` (English falls back to Chinese)."""
    return (node.get("label_en") if lang == "en" else None) or node.get("label") or node["id"]


def node_title(node: dict, lang: str) -> str:
    """The hover text of a node: label, status with counts, kind and industry, sources."""
    tr = _pick(lang)
    other = node.get("label") if lang == "en" else node.get("label_en")
    head = label_of(node, lang) + (f" ({other})" if other and other != label_of(node, lang) else "")
    lines = [head]
    if node.get("type") == "enterprise":
        lines.append(tr(("企业（名录）", "enterprise (registry)")))
        for made in node.get("makes", []):
            status = f" ({made['status']})" if made.get("status") else ""
            lines.append(f"· {label_of(made | {'id': ''}, lang)}{status}")
    else:
        counts = tr(
            ("在产 {} · 项目 {} · 规划条目 {}", "operating {} · projects {} · plan items {}")
        )
        status = (node.get("status_text") or {}).get(lang) or node.get("status", "")
        lines.append(tr(("状态：", "status: ")) + status)
        lines.append(counts.format(node["operating"], node["projects"], node["plan_items"]))
        kind = tr(KIND_LABELS.get(node.get("kind"), ("产品", "product")))
        industry = (node.get("industry_en") if lang == "en" else None) or node.get("industry")
        lines.append(kind + (f" · {industry}" if industry else ""))
    if node.get("gap"):
        gap = node["gap"]
        lines.append(
            tr(("{} #{}：{}（{} 分）", "{} #{}: {} (score {})")).format(
                gap["list_label"][lang], gap["rank"], gap["kind_label"][lang], gap["score"]
            )
        )
    sources = node.get("sources", [])
    if sources:
        lines.append(tr(("来源：", "sources:")))
        lines += [f"· {source_text(s, lang)}" for s in sources[:6]]
        if len(sources) > 6:
            lines.append(tr(("· 另有 {} 项", "· {} more")).format(len(sources) - 6))
    return "\n".join(lines)


def edge_title(edge: dict, lang: str) -> str:
    """The hover text of a link: its ends, evidence kind, quote or reason, and section."""
    tr = _pick(lang)
    lines = [f"{edge['from_label']} → {edge['to_label']}"]
    lines.append(tr(EVIDENCE_LABELS.get(edge["evidence"], (edge["evidence"],) * 2)))
    if edge.get("quote"):
        lines.append(f"“{edge['quote']}”")
    if edge.get("reason"):
        lines.append(edge["reason"])
    if edge.get("section_label"):
        lines.append(edge["section_label"])
    return "\n".join(lines)


def short_label(node: dict, lang: str, most: int = 12) -> str:
    """A label cut to ``most`` characters (enterprise names are long; hover shows all)."""
    text = label_of(node, lang)
    most = most * 2 if lang == "en" else most
    return text if len(text) <= most else text[: most - 1] + "…"


def network(view: dict, lang: str = "zh", url: Callable[[dict], str] | None = None) -> Network:
    """The pyvis network of a view (see :mod:`chainkg.viz.views`): styled nodes and edges."""
    net = Network(directed=True, cdn_resources="local")
    for node in view["nodes"]:
        firm = node.get("type") == "enterprise"
        fill = FIRM_COLOR if firm else STATUS_COLORS.get(node.get("status"), STATUS_COLORS["none"])
        mark = node.get("mark")
        border = MARKS.get(mark or "", "#4b5262")
        extra: dict = {"font": {"color": "#ffffff"}} if firm else {}
        label = short_label(node, lang) if firm else label_of(node, lang)
        rank = (node.get("gap") or {}).get("rank")
        if mark == "gap" and rank and rank > TOP_GAPS:
            extra |= {"borderWidth": 2, "size": 15}
        elif mark:
            extra |= {"borderWidth": 4, "size": 20, "font": {"size": 16, "bold": True}}
        if mark == "gap" and rank and rank <= TOP_GAPS:
            label = f"{RANK_PREFIX[node['gap']['list']][lang == 'en']}{rank} {label}"
        if node.get("role") == "context":
            extra["opacity"] = 0.55
        net.add_node(
            node["id"],
            label=label,
            shape=KIND_SHAPES["enterprise" if firm else node.get("kind")],
            color={
                "background": fill,
                "border": border,
                "highlight": {"background": fill, "border": "#111"},
                "hover": {"background": fill, "border": "#111"},
            },
            title=node_title(node, lang),
            level=node["level"],
            url=url(node) if url else None,
            status="enterprise" if firm else node.get("status"),
            kind=node.get("kind"),
            mark=mark,
            role=node.get("role"),
            clusters=[
                {"id": c["id"], "label": label_of(c, lang)} for c in node.get("clusters", [])
            ],
            pinned=bool(mark in ("focus", "path") or (mark == "gap" and rank and rank <= TOP_GAPS)),
            gap=bool(mark == "gap"),
            **extra,
        )
    for edge in view["edges"]:
        style = EVIDENCE_STYLES.get(edge["evidence"], EVIDENCE_STYLES["DomainKnowledge"])
        marked = edge.get("mark") == "path"
        net.add_edge(
            edge["from"],
            edge["to"],
            id=edge["id"],
            color={"color": MARKS["path"] if marked else style["color"], "opacity": 0.9},
            dashes=style["dashes"],
            width=4 if marked else 1.2,
            title=edge_title(edge, lang),
            evidence=edge["evidence"],
            mark=edge.get("mark"),
        )
    net.options = copy.deepcopy(OPTIONS)
    return net


def network_data(net: Network) -> dict:
    """``{"nodes", "edges", "options"}`` of a pyvis network, ready for ``json.dumps``."""
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    options = net.options if isinstance(net.options, dict) else copy.deepcopy(OPTIONS)
    return {"nodes": nodes, "edges": edges, "options": options}


def legend(lang: str) -> dict:
    """What the colours, shapes and line styles mean, in ``lang``."""
    tr = _pick(lang)
    return {
        "status": [
            {"status": s, "color": c, "label": tr(STATUS_LABELS[s])}
            for s, c in STATUS_COLORS.items()
        ]
        + [{"status": "enterprise", "color": FIRM_COLOR, "label": tr(KIND_LABELS["enterprise"])}],
        "shapes": [
            {"kind": k, "shape": KIND_SHAPES[k], "label": tr(v)} for k, v in KIND_LABELS.items()
        ],
        "evidence": [
            {"evidence": k, "label": tr(EVIDENCE_LABELS[k])} | v for k, v in EVIDENCE_STYLES.items()
        ],
        "marks": {k: v for k, v in MARKS.items() if k != "focus"},
    }


def chart(view: dict, lang: str = "zh", url: Callable[[dict], str] | None = None) -> dict:
    """The map data a page embeds: nodes, edges, options, legend and the bound counts."""
    data = network_data(network(view, lang, url))
    counts = {k: view[k] for k in ("total", "shown", "more", "cap")}
    return data | counts | {"legend": legend(lang)}
