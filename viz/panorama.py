"""The 产业链全景图: an industry's chain as stage columns of labelled boxes, in SVG.

Columns run 上游 (raw materials and energy) → 中游 (intermediates, materials, components) →
下游 (end products and applications); services, equipment and infrastructure sit in a band
of their own below. Inside a column, boxes are grouped by the plan segment (重点环节) that
names the product or whose items make it, else by its named chain. Each box is coloured by
local status, shows the number of local firms and projects and the gap mark (补链/强链/延链/
外部依赖 with its rank in its list), and links to the product's page. Supply links are drawn
between boxes; links the plan states are drawn solid and dark, domain links thin and dashed.

The SVG is built on the server as text (no scripts, no fonts fetched), so it is crisp,
prints, works offline and can be saved as a file (``chainkg map``, ``/api/map``).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from chainkg.graph.namespaces import Ids
from chainkg.queries.chain import chain_graph
from chainkg.queries.gaps import gap_report
from chainkg.queries.industries import industries
from chainkg.queries.rows import run
from chainkg.queries.search import pick

STAGES = (
    (
        "up",
        ("上游 · 原料与能源", "Upstream · raw materials and energy"),
        ("RawMaterial", "Utility"),
    ),
    (
        "mid",
        ("中游 · 中间体、材料与部件", "Midstream · intermediates and parts"),
        ("Intermediate", "Component"),
    ),
    ("down", ("下游 · 终端产品与应用", "Downstream · end products"), ("EndProduct",)),
)
BAND = ("band", ("配套 · 服务、装备与设施", "Support · services, equipment, facilities"))
STATUS = {  # fill, border
    "operating": ("#dcefe2", "#2a8a4a"),
    "project": ("#dde8f8", "#3a6fb5"),
    "plan": ("#fbeed2", "#b8860b"),
    "none": ("#eef0f3", "#8a929c"),
}
STATUS_TEXT = {
    "operating": ("本地在产", "made locally"),
    "project": ("在建/签约", "being built"),
    "plan": ("仅有规划", "plan only"),
    "none": ("本地空白", "nothing local"),
}
MARK = {"attract": "#c62828", "strengthen": "#b26a00", "risks": "#5b4b8a"}
BOX_W, BOX_H, GAP_Y, COL_GAP, HEAD_H, GROUP_H, PAD = 244, 48, 8, 96, 64, 24, 24
SHORT = {"missing": "missing", "weak": "weak", "extension": "extend", "external": "external"}
NAME_PX, SMALL_PX = 14, 12
SUB = "#4b5262"
FONTS = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"


@dataclass
class Box:
    iri: str
    stage: str
    group: str
    x: float = 0
    y: float = 0


def _text(cls: str, x: float, y: float, px: int, body: str, fill: str = "#1d2330", **more) -> str:
    """One <text> element; ``more`` are extra attributes (underscores become dashes)."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in more.items())
    return (
        f'<text class="{cls}" x="{x:.0f}" y="{y:.0f}" font-size="{px}" fill="{fill}"{extra}>'
        f"{escape(body)}</text>"
    )


def _width(text: str, px: float) -> float:
    """Rendered width estimate: CJK characters one em, others about 0.58 em."""
    return sum(px if ord(c) > 0x2E80 else px * 0.58 for c in text)


def _fit(text: str, room: float) -> tuple[str, int]:
    """The text and font size (14, else 12 px) that fit ``room``; cut with … at 12 px."""
    for px in (NAME_PX, SMALL_PX):
        if _width(text, px) <= room:
            return text, px
    while text and _width(text + "…", SMALL_PX) > room:
        text = text[:-1]
    return text + "…", SMALL_PX


def product_groups(store, industry: str) -> dict[str, dict]:
    """Each product's group in an industry: the first plan segment (重点环节) that names it
    or whose items make it, else its first named chain; ``{"iri", "label", "label_en",
    "order"}`` by product IRI (``order`` sorts groups in plan order, segments first)."""
    first: dict[str, dict] = {}
    for r in run(store, "panorama-groups", industry=industry):
        p = str(r["product"])
        order = (
            0 if str(r["how"]) == "segment" else 1,
            int(r["order"]) if r.get("order") else 10**6,
            str(r["group"]),
        )
        if p not in first or order < first[p]["order"]:
            zh, en = r.get("group_label"), r.get("group_label_en")
            first[p] = {
                "iri": str(r["group"]),
                "label": str(zh or en or r["group"]),
                "label_en": str(en) if en else None,
                "order": order,
            }
    return first


def group_labels(store, industry: str, lang: str) -> tuple[dict, list]:
    """Each product's group label (segment, else chain) and the group labels in plan order."""
    found = product_groups(store, industry)
    pick_label = (lambda g: g["label_en"] or g["label"]) if lang == "en" else (lambda g: g["label"])
    order = sorted({(g["order"], pick_label(g)) for g in found.values()})
    labels = list(dict.fromkeys(label for _, label in order))
    return {p: pick_label(g) for p, g in found.items()}, labels


def stage_of(kind: str | None) -> str:
    local = (kind or "").rsplit("#", 1)[-1]
    for key, _, kinds in STAGES:
        if local in kinds:
            return key
    return "band"


def layout(g, nodes: list[str], group_of: dict, groups: list) -> tuple[dict, dict, float, float]:
    """Boxes placed in stage columns (grouped) and the support band; the group headers;
    the drawing's width and height."""
    other = "其他"
    cols: dict[str, dict[str, list[str]]] = {key: {} for key, _, _ in STAGES} | {"band": {}}
    for n in nodes:
        cols[stage_of(g.nodes[n]["kind"])].setdefault(group_of.get(n, other), []).append(n)
    boxes, heads = {}, {}
    order = {name: i for i, name in enumerate([*groups, other])}
    bottom = HEAD_H
    for i, (key, _, _) in enumerate(STAGES):
        x, y = PAD + i * (BOX_W + COL_GAP), HEAD_H
        for name in sorted(cols[key], key=lambda k: (order.get(k, 10**6), k)):
            heads[(key, name)] = (x, y)
            y += GROUP_H
            for n in sorted(cols[key][name], key=lambda m: g.nodes[m]["id"]):
                boxes[n] = Box(n, key, name, x, y)
                y += BOX_H + GAP_Y
            y += GAP_Y
        bottom = max(bottom, y)
    width = PAD * 2 + 3 * BOX_W + 2 * COL_GAP
    band = [
        n
        for name in sorted(cols["band"], key=lambda k: (order.get(k, 10**6), k))
        for n in sorted(cols["band"][name], key=lambda m: g.nodes[m]["id"])
    ]
    if band:
        y = bottom + GROUP_H + 8
        heads[("band", "")] = (PAD, y - GROUP_H)
        per_row = max(1, (width - 2 * PAD + COL_GAP // 4) // (BOX_W + COL_GAP // 4))
        for i, n in enumerate(band):
            row, col = divmod(i, per_row)
            boxes[n] = Box(
                n, "band", "", PAD + col * (BOX_W + COL_GAP // 4), y + row * (BOX_H + GAP_Y)
            )
        bottom = y + ((len(band) - 1) // per_row + 1) * (BOX_H + GAP_Y)
    return boxes, heads, width, bottom + PAD


def _edge(a: Box, b: Box, planned: bool) -> str:
    y1, y2 = a.y + BOX_H / 2, b.y + BOX_H / 2
    if a.stage == b.stage or a.x >= b.x:  # same column: loop out on the right
        x1, x2 = a.x + BOX_W, b.x + BOX_W
        bend = x1 + 28 + min(abs(y2 - y1) / 8, 40)
        d = f"M{x1:.0f},{y1:.0f} C{bend:.0f},{y1:.0f} {bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    else:
        x1, x2 = a.x + BOX_W, b.x
        mid = (x1 + x2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    style = (
        'class="link plan" stroke="#3d4450" stroke-width="1.6"'
        if planned
        else 'class="link domain" stroke="#9aa1ab" stroke-width="1" stroke-dasharray="4 3"'
    )
    return f'<path {style} fill="none" d="{d}" marker-end="url(#arrow)"/>'


def find(store, ids: Ids | None, key: str) -> dict | None:
    """The industry named by ``key`` (slug, id, IRI, zh or en label), or None."""
    return pick(industries(store, ids), key)


def svg(store, ids: Ids | None, industry: str, lang: str = "zh", root: str = "") -> str:
    """The panorama of one industry (slug, id, IRI, zh or en label) as SVG text; KeyError
    if the industry names nothing."""
    ind = find(store, ids, industry)
    if ind is None:
        raise KeyError(industry)
    en = lang == "en"
    title = _title(ind, en)
    body, width, height = _drawing(store, ids, ind, en, root, "")
    return _document(title, body, width, height)


def district_svg(store, ids: Ids | None, lang: str = "zh", root: str = "") -> str:
    """The panoramas of every industry, one under the other in plan order, as one SVG."""
    en, parts, top, width = lang == "en", [], 0.0, 0.0
    for ind in industries(store, ids):
        body, w, h = _drawing(store, ids, ind, en, root, _title(ind, en))
        parts.append(f'<g class="industry" transform="translate(0,{top:.0f})">{body}</g>')
        top, width = top + h, max(width, w)
    title = "District industry chain panorama" if en else "全区产业链全景图"
    return _document(title, "\n".join(parts), width, top)


class PngUnavailable(RuntimeError):
    """PNG needs CairoSVG and the cairo library, which this machine lacks."""


def png(svg_text: str, scale: float = 2.0) -> bytes:
    """The panorama as PNG at ``scale`` × its drawing size (CairoSVG, offline)."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: the cairo library is missing
        raise PngUnavailable(
            f"PNG export needs CairoSVG and the cairo library ({exc}); install the system "
            "package libcairo2 (Debian/Ubuntu) or cairo (Homebrew), or save as SVG"
        ) from exc
    return cairosvg.svg2png(bytestring=svg_text.encode("utf-8"), scale=scale)


def _title(ind: dict, en: bool) -> str:
    if en:
        return (ind.get("label_en") or ind["label"]) + " · industry chain panorama"
    return f"{ind['label']}产业链全景图"


def _document(title: str, body: str, width: float, height: float) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'class="panorama" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" font-family="{FONTS}" '
            f'role="img" aria-label="{escape(title)}">',
            f"<title>{escape(title)}</title>",
            '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#5f6773"/>'
            "</marker></defs>",
            f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
            body,
            "</svg>",
        ]
    )


def _drawing(store, ids, ind: dict, en: bool, root: str, heading: str) -> tuple[str, float, float]:
    """One industry's drawing (without the <svg> element), its width and height."""
    g = chain_graph(store, ids)
    nodes = sorted(
        (n for n in g if g.nodes[n]["industry"] == ind["iri"]), key=lambda n: g.nodes[n]["id"]
    )
    group_of, groups = group_labels(store, ind["iri"], "en" if en else "zh")
    boxes, heads, width, height = layout(g, nodes, group_of, groups)
    marks = {
        gap["product"]["iri"]: gap for gap in gap_report(store, ids, industry=ind["iri"])["gaps"]
    }
    out = [_text("head", PAD, 26, 18, heading or _title(ind, en), font_weight="bold")]
    out.append(_legend(width, en))
    for i, (_, names, _) in enumerate(STAGES):
        x = PAD + i * (BOX_W + COL_GAP)
        out.append(_text("head stage", x, HEAD_H - 12, 14, names[en], font_weight="bold"))
    for (key, name), (x, y) in heads.items():
        label = BAND[1][en] if key == "band" else name
        text, px = _fit(label, BOX_W if key != "band" else width - 2 * PAD)
        out.append(_text("sub group", x, y + 16, px, text, SUB))
    for u, v, e in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        if u in boxes and v in boxes:
            out.append(_edge(boxes[u], boxes[v], e["evidence"] == "PlanTextEvidence"))
    for n, b in boxes.items():
        out.append(_box(g, n, b, marks.get(n), en, root))
    return "\n".join(out), width, height


def _box(g, n: str, b: Box, gap: dict | None, en: bool, root: str) -> str:
    d = g.nodes[n]
    st = d["local"]
    status = st.status
    fill, border = STATUS[status]
    name = (d["label_en"] or d["label"]) if en else d["label"]
    text, px = _fit(name, BOX_W - 16)
    facts = [
        f"{'firms' if en else '企业'} {st.operating}",
        f"{'proj.' if en else '项目'} {st.projects}",
    ]
    line2, px2 = _fit(" · ".join(facts), BOX_W - 16 - (96 if gap else 0))
    href = f"{root}/explore/product/{d['id'].rsplit('/', 1)[-1]}" + ("?lang=en" if en else "")
    tip = f"{d['label']} / {d['label_en'] or ''} — {STATUS_TEXT[status][en]}"
    parts = [
        f'<a class="box" data-product="{escape(d["id"])}" href="{escape(href)}" '
        f'xlink:href="{escape(href)}">',
        f"<title>{escape(tip)}</title>",
        f'<rect x="{b.x:.0f}" y="{b.y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" '
        f'stroke="{MARK[gap["list"]] if gap else border}" stroke-width="{2.4 if gap else 1.2}"/>',
        _text("name", b.x + 8, b.y + 20, px, text),
        _text("sub facts", b.x + 8, b.y + 39, px2, line2, SUB),
    ]
    if gap:
        kind = SHORT[gap["kind"]] if en else gap["kind_label"]["zh"]
        mark, mpx = _fit(f"{kind} #{gap['rank']}", 92)
        color = MARK[gap["list"]]
        at = (b.x + BOX_W - 8, b.y + 39)
        parts.append(_text("mark", *at, mpx, mark, color, text_anchor="end", font_weight="bold"))
    parts.append("</a>")
    return "".join(parts)


def _legend(width: float, en: bool) -> str:
    x, y, out = width - PAD, 22, []
    items = [(STATUS[s], STATUS_TEXT[s][en]) for s in ("operating", "project", "plan", "none")]
    for (fill, border), label in reversed(items):
        w = _width(label, SMALL_PX) + 22
        x -= w + 10
        out.append(
            f'<rect x="{x:.0f}" y="{y - 11}" width="14" height="14" rx="3" fill="{fill}" '
            f'stroke="{border}"/>' + _text("sub legend", x + 19, y + 1, SMALL_PX, label, SUB)
        )
    return '<g class="legend">' + "".join(out) + "</g>"
