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
LIST_TEXT = {
    "attract": ("招引企业", "firms to attract"),
    "strengthen": ("强链环节", "links to strengthen"),
    "risks": ("供应风险", "supply risks"),
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
    status = st.status if st.operating or st.present or st.projects else "none"
    by_zh = who(names(local.get(n, []), status), True)
    by_en = who(names(local.get(n, []), status, False), False)
    if status == "none":
        planned = "（规划有项目，但尚无企业承接）" if st.items else ""
        return (
            f"本地尚无{zh}的在产企业或企业项目{planned}。",
            f"Nothing local makes {en}: no operating enterprise and no enterprise project"
            + (" (the plan has an item for it, with no firm yet)." if st.items else "."),
        )
    if status == "operating" and not st.operating:
        return (
            f"规划原文称本地已有{zh}生产，企业名录中尚无它的在产企业。",
            f"The plan says {en} is already made locally; no operating producer of it is in"
            " the registry.",
        )
    text = STATUS_TEXT[status]
    return f"{zh}{text[0]}：{by_zh}。", f"{en}: {text[1]} ({by_en})."


def _quote(s: dict) -> tuple[str, str]:
    where = (s.get("section") or {}).get("label") or ""
    return f"{where}：“{s['text']}”", f"{where}: “{s['text']}”"


def reasons(
    g: nx.DiGraph,
    n: str,
    kind: str,
    ups: list[str],
    downs: list[str],
    local: dict,
    named: list[dict],
    said: list[dict],
    balance: dict | None,
    parts: dict,
) -> dict:
    """``{"zh": [...], "en": [...]}``: the sentences that explain one gap, each with the
    plan's words or the registry rows behind it."""
    zh_label, en_label = _label(g, n, True), _label(g, n, False)
    first = _status(g, n, local)
    zh, en = [first[0]], [first[1]]
    for t in named:
        where = (t["section"] or {}).get("label") or ""
        via = t.get("via")
        zh.append(
            f"规划重点引进「{t['label']}」（按{LEVEL_TEXT[t['level']]}：{t['about']}"
            + (f"，{via}的一类" if via else "")
            + f"；{where}）。"
        )
        en.append(
            f"The plan lists 「{t['label']}」 to attract (by {t['level']}"
            + (f", as a kind of {via}" if via else "")
            + f"; {where})."
        )
    for s in said:
        q = _quote(s)
        if s["intent"] == "AttractIntent":
            via = s.get("via")
            zh.append(f"规划要求引进{f'（{via}，它是其中一类）' if via else ''}：{q[0]}。")
            en.append(
                f"The plan asks to attract {f'{via} (it is one kind)' if via else 'it'}: {q[1]}."
            )
        elif kind == "weak":
            zh.append(f"规划要求扩大或做强：{q[0]}。")
            en.append(f"The plan asks to expand or strengthen it: {q[1]}.")
    if balance is not None:
        unit = balance["unit"]
        uses_zh = "、".join(
            f"{u['product']} {u['capacity']:g}×{u['ratio']:g}" for u in balance["uses"]
        )
        zh.append(
            f"本地产能 {balance['capacity']:g}{unit}，本地下游需求约 {balance['demand']:g}{unit}"
            f"（{uses_zh}）。"
        )
        en.append(
            f"Local capacity {balance['capacity']:g} {unit} against local downstream demand of"
            f" about {balance['demand']:g} {unit} ({uses_zh})."
        )
    for side, nodes, word in (("上游", ups, "upstream"), ("下游", downs, "downstream")):
        if nodes:
            zh.append(
                f"本地{side}：" + "、".join(local_text(g, m, local, True) for m in nodes) + "。"
            )
            en.append(
                f"Local {word}: " + "; ".join(local_text(g, m, local, False) for m in nodes) + "."
            )
    up, down = ("、".join(_label(g, m, True) for m in side) for side in (ups, downs))
    up_en, down_en = (", ".join(_label(g, m, False) for m in side) for side in (ups, downs))
    if kind == "missing" and ups and downs:
        zh.append(f"补上{zh_label}可连通本地链条：{up} → {zh_label} → {down}。")
        en.append(f"A maker of it would join the local chain: {up_en} → {en_label} → {down_en}.")
    elif kind == "missing":
        zh.append("规划点名要它，本地尚无供应。")
        en.append("The plan asks for it and nothing local supplies it.")
    elif kind == "extension":
        zh.append(f"本地{up}可供它作原料，本地下游尚无承接：可向下游延链。")
        en.append(f"Local {up_en} could feed it and nothing local takes it further: extend.")
    elif kind == "external":
        zh.append(
            "本地下游依赖它，但本地没有它的上游，规划也未要求引进：供应来自区外，属供应风险。"
        )
        en.append(
            "Local downstream depends on it, nothing local is upstream and the plan does not"
            " ask for it: supply is external, a supply risk."
        )
    growth = parts.get("growth") or {}
    if growth.get("value") is not None:
        industry = g.nodes[n]["industry_label"]
        zh.append(f"{industry}产业2026年目标需年均增长{growth['value']:.1%}。")
        en.append(f"Its industry's 2026 target needs {growth['value']:.1%} growth a year.")
    if (parts.get("feasibility") or {}).get("value") == "layout":
        zh.append("有园区的产业布局点名它，可就地落位。")
        en.append("A park's 产业布局 names it: there is a place for it.")
    return {"zh": zh, "en": en}


def headline(reasons: dict, kind: str) -> dict:
    """The most telling reason in each language: for a weak link the plan's call to expand
    it or the capacity balance; else the plan's words, then the chain the gap would join;
    else the first."""
    out = {}
    expand = ("规划要求扩大", "The plan asks to expand", "本地产能", "Local capacity")
    for lang in ("zh", "en"):
        found = reasons[lang]
        tests = (
            lambda x: kind == "weak" and x.startswith(expand),
            lambda x: "“" in x or "「" in x,
            lambda x: "→" in x,
        )
        out[lang] = next((x for test in tests for x in found if test(x)), found[0] if found else "")
    return out


def attract(g: nx.DiGraph, n: str, kind: str, named: list[dict]) -> dict:
    """The kind of firm to attract: from the product's kind and label, plus the plan's targets."""
    d = g.nodes[n]
    firm = FIRM.get((d["kind"] or "").rsplit("#", 1)[-1], ("生产企业", "producer"))
    more = kind == "weak"
    return {
        "zh": f"{d['label']}{firm[0]}" + ("（扩能或新增产能）" if more else ""),
        "en": f"{firm[1]} of {_label(g, n, False)}"
        + (" (more capacity, or another producer)" if more else ""),
        "targets": list(dict.fromkeys(t["firm_kind"] for t in named if t["level"] != "industry")),
    }


def verdict(about: list[dict], covers: set, hits: list[dict]) -> dict:
    """Why a 重点引进 target is confirmed by the report's gaps, or not."""
    what = "、".join(a["label"] or a["id"] for a in about)
    if hits:
        found = "、".join(
            f"{h['product']['label']}（{h['list_label']['zh']}第{h['rank']}位）" for h in hits
        )
        en = ", ".join(
            f"{h['product']['label_en'] or h['product']['label']} ({h['list']} #{h['rank']})"
            for h in hits
        )
        return {"zh": f"所指{what}有缺口：{found}。", "en": f"What it names has gaps: {en}."}
    if not about:
        return {"zh": "未指明产品或环节，只对应整个产业。", "en": "It names only its industry."}
    if not covers:
        return {"zh": f"所指{what}在链条中没有对应产品。", "en": "What it names has no product."}
    return {"zh": f"所指{what}在本报告范围内没有缺口。", "en": "What it names has no gap here."}
