"""The words of a gap report, in Chinese and English, generated from the graph's facts.

Each sentence says what the graph holds: the node's local status and its producers, its
local neighbours with theirs, what the gap would connect, the 重点引进 targets that name
it (and at which level), and the growth its industry's 2026 target needs.
"""

from __future__ import annotations

import networkx as nx

from chainkg.queries.chain import STATUS_TEXT

KIND_TEXT = {
    "missing": ("补链", "missing link"),
    "weak": ("强链", "weak link"),
    "extension": ("延链", "extension"),
    "external": ("外部依赖", "external dependency"),
}
LEVEL_TEXT = {"product": "产品", "segment": "环节", "industry": "产业"}
FIRM = {
    "RawMaterial": ("原料供应企业", "raw-material supplier"),
    "Intermediate": ("中间体生产企业", "intermediate producer"),
    "Component": ("零部件制造企业", "component maker"),
    "EndProduct": ("终端产品制造企业", "end-product maker"),
    "Equipment": ("装备制造企业", "equipment maker"),
    "Service": ("服务机构", "service provider"),
}
PRODUCER_STATUS = {
    "operating": ("operating",),
    "project": ("under_construction", "signed", "planned"),
    "plan": ("plan",),
}


def names(producers: list[dict], status: str, zh: bool = True) -> list[str]:
    """Names of the producers that give a node its status (enterprises, projects or items)."""
    keep = PRODUCER_STATUS.get(status, ())
    found = [(p["name"] if zh else p.get("name_en") or p["name"]) for p in producers]
    return list(
        dict.fromkeys(n for n, p in zip(found, producers, strict=True) if n and p["status"] in keep)
    )


def who(found: list[str], zh: bool) -> str:
    """At most three names, then 等 / and others."""
    shown = ("、" if zh else ", ").join(found[:3])
    return shown + (("等" if zh else " and others") if len(found) > 3 else "")


def _label(g: nx.DiGraph, n: str, zh: bool) -> str:
    d = g.nodes[n]
    return d["label"] if zh else d["label_en"] or d["label"]


def local_text(g: nx.DiGraph, n: str, local: dict, zh: bool) -> str:
    """``己二酸（有在产企业：重庆华峰化工有限公司）`` and its English form."""
    st = g.nodes[n]["local"].status
    status = STATUS_TEXT[st][0 if zh else 1]
    found = names(local.get(n, []), st, zh)
    if found:
        status += ("：" if zh else ": ") + who(found, zh)
    return f"{_label(g, n, True)}（{status}）" if zh else f"{_label(g, n, False)} ({status})"


def _status(g: nx.DiGraph, n: str, local: dict) -> tuple[str, str]:
    st = g.nodes[n]["local"]
    zh, en = _label(g, n, True), _label(g, n, False)
    by_zh = who(names(local.get(n, []), st.status), True)
    by_en = who(names(local.get(n, []), st.status, False), False)
    if st.status == "none":
        return (
            f"本地尚无{zh}的在产企业、企业项目或规划项目。",
            f"Nothing local makes {en}: no enterprise, enterprise project or plan item.",
        )
    if st.status == "operating" and not st.operating:
        return (
            f"规划原文称本地已有{zh}生产，但企业名录中尚无它的在产企业，只有这一处依据。",
            f"The plan says {en} is already made locally, but no operating producer of it is"
            " in the registry: that statement is the only evidence.",
        )
    if st.status == "operating":
        return (
            f"{zh}仅有一家在产企业（{by_zh}），缺少第二家供应来源。",
            f"{en} has a single operating producer ({by_en}).",
        )
    text = STATUS_TEXT[st.status]
    return (
        f"{zh}尚无在产企业，{text[0]}（{by_zh}）。",
        f"{en} has no operating producer, {text[1]} ({by_en}).",
    )


def reasons(
    g: nx.DiGraph,
    n: str,
    kind: str,
    ups: list[str],
    downs: list[str],
    local: dict,
    named: dict,
    growth: dict,
    plan_named: tuple[str, str] | None,
) -> dict:
    """``{"zh": [...], "en": [...]}``: the sentences that explain one gap."""
    zh_label, en_label = _label(g, n, True), _label(g, n, False)
    first = _status(g, n, local)
    zh, en = [first[0]], [first[1]]
    for side, nodes, word in (("上游", ups, "upstream"), ("下游", downs, "downstream")):
        if nodes:
            zh.append(
                f"本地{side}：" + "、".join(local_text(g, m, local, True) for m in nodes) + "。"
            )
            en.append(
                f"Local {word}: " + "; ".join(local_text(g, m, local, False) for m in nodes) + "."
            )
    if kind == "missing":
        up, down = ("、".join(_label(g, m, True) for m in side) for side in (ups, downs))
        up_en, down_en = (", ".join(_label(g, m, False) for m in side) for side in (ups, downs))
        zh.append(f"补上{zh_label}可连通本地链条：{up} → {zh_label} → {down}。")
        en.append(f"A maker of it would join the local chain: {up_en} → {en_label} → {down_en}.")
    elif kind == "extension" and plan_named:
        zh.append(f"本地下游尚无承接；规划提及它（{plan_named[0]}），可向下游延伸。")
        en.append(f"Nothing local takes it further; the plan names it ({plan_named[1]}).")
    elif kind == "external":
        zh.append("本地下游依赖它，但本地没有它的上游，目前需从区外供应。")
        en.append(
            "Local downstream depends on it and nothing local is upstream: supply is external."
        )
    for t in named["targets"]:
        where = (t["section"] or {}).get("label") or ""
        zh.append(
            f"规划重点引进「{t['label']}」（按{LEVEL_TEXT[t['level']]}：{t['about']}；{where}）。"
        )
        en.append(f"The plan lists 「{t['label']}」 to attract (by {t['level']}; {where}).")
    if growth["value"] is not None:
        industry = g.nodes[n]["industry_label"]
        zh.append(f"{industry}产业2026年目标需年均增长{growth['value']:.1%}。")
        en.append(f"Its industry's 2026 target needs {growth['value']:.1%} growth a year.")
    return {"zh": zh, "en": en}


def attract(g: nx.DiGraph, n: str, kind: str, named: dict) -> dict:
    """The kind of firm to attract: from the product's kind and label, plus the plan's targets."""
    d = g.nodes[n]
    firm = FIRM.get((d["kind"] or "").rsplit("#", 1)[-1], ("生产企业", "producer"))
    more = kind == "weak"
    return {
        "zh": f"{d['label']}{firm[0]}" + ("（新增或扩能）" if more else ""),
        "en": f"{firm[1]} of {_label(g, n, False)}"
        + (" (another, or more capacity)" if more else ""),
        "targets": list(
            dict.fromkeys(t["firm_kind"] for t in named["targets"] if t["level"] != "industry")
        ),
    }


def plan_named(g: nx.DiGraph, n: str, named: dict) -> tuple[str, str] | None:
    """Where the plan names ``n``: a plan-text link touching it, a plan item or a target."""
    for u, v in sorted([*g.in_edges(n), *g.out_edges(n)]):
        e = g.edges[u, v]
        if e["evidence"] == "PlanTextEvidence" and e["quote"]:
            where = e["section_label"] or ""
            return f"{where}：“{e['quote']}”", f"{where}: “{e['quote']}”"
    st = g.nodes[n]["local"]
    if st.items:
        return "规划项目", "a plan item"
    if st.targets or any(t["level"] == "product" for t in named["targets"]):
        return "重点引进", "an attraction target"
    return None


def verdict(about: list[dict], covers: set, hits: list[dict]) -> dict:
    """Why a 重点引进 target is confirmed by the report's gaps, or not."""
    what = "、".join(a["label"] or a["id"] for a in about)
    if hits:
        found = "、".join(f"{h['product']['label']}（{h['kind_label']['zh']}）" for h in hits)
        en = ", ".join(f"{h['product']['label_en'] or h['product']['label']}" for h in hits)
        return {"zh": f"所指{what}有缺口：{found}。", "en": f"What it names has gaps: {en}."}
    if not about:
        return {"zh": "未指明产品或环节，只对应整个产业。", "en": "It names only its industry."}
    if not covers:
        return {"zh": f"所指{what}在链条中没有对应产品。", "en": "What it names has no product."}
    return {"zh": f"所指{what}在本报告范围内没有缺口。", "en": "What it names has no gap here."}
