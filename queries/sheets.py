"""A gap report as tables: flat rows, CSV (UTF-8 with BOM, for Excel) and an XLSX workbook.

Everything here works on the report dict of :func:`chainkg.queries.gaps.gap_report`, so the
JSON answer, the CSV and the workbook always hold the same gaps in the same order. Column
headers are Chinese (``COLUMNS`` maps each to its row key).
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from chainkg.queries.reasons import KIND_TEXT, LEVEL_TEXT, LIST_TEXT

COLUMNS = (
    ("list", "清单"),
    ("rank", "排名"),
    ("kind", "类型"),
    ("product", "产品"),
    ("product_en", "产品（英文）"),
    ("id", "标识"),
    ("industry", "产业"),
    ("status", "本地状态"),
    ("score", "得分"),
    ("score_detail", "得分构成"),
    ("local_upstream", "本地上游"),
    ("local_downstream", "本地下游"),
    ("named", "规划重点引进"),
    ("statements", "规划原文（引进/强链）"),
    ("balance", "产能与本地需求"),
    ("growth", "产业目标年均增速"),
    ("attract", "招引企业类型"),
    ("parks", "承载园区（规划或名录）"),
    ("park_candidates", "候选园区（推断，非承载）"),
    ("local", "本地企业与项目"),
    ("regional", "周边区县供给"),
    ("reasons", "原因"),
    ("reasons_en", "原因（英文）"),
    ("evidence", "依据"),
)
COMPARE_COLUMNS = (
    ("verdict", "结论"),
    ("target", "重点引进对象"),
    ("industry", "产业"),
    ("about", "所指产品或环节"),
    ("gaps", "对应缺口"),
    ("why", "说明"),
    ("section", "出处"),
)
VERDICT = {"confirmed": "已印证", "not_confirmed": "未印证", "not_named": "规划未点名的缺口"}
VIA_TEXT = {
    "product": "布局点名",
    "presence": "规划称本地已有",
    "chain": "布局提及其产业链",
    "segment": "布局提及其环节",
    "registry": "企业",
    "industry": "布局提及其产业",
    "neighbour": "相邻环节所在园区",
}
PART = {
    "target": "重点引进",
    "attract_statement": "引进表述",
    "item": "专栏项目",
    "growth": "产业增速",
    "leverage": "链条带动",
    "feasibility": "园区布局",
    "strengthen": "强链表述",
    "shortfall": "产能缺口",
}
FEASIBLE = {"layout": "布局点名", "candidate": "布局提及其链或环节"}


def _join(items, sep: str = "、") -> str:
    return sep.join(i for i in items if i)


def _detail(components: dict) -> str:
    parts = []
    for key, c in components.items():
        value = c["value"]
        if key == "target":
            value = LEVEL_TEXT.get(value or "", "无")
        elif key == "feasibility":
            value = FEASIBLE.get(value or "", "无")
        elif key in ("growth", "shortfall") and value is not None:
            value = f"{value:.1%}"
        parts.append(f"{PART[key]} {value if value is not None else '无'} → {c['points']:g}")
    return "；".join(parts)


def _parks(parks: list[dict]) -> str:
    out = []
    for p in parks:
        via = _join(
            (VIA_TEXT[v["via"]] + "：" + (v["neighbour"] or v["through"] or v["hosted"] or ""))
            for v in p["via"]
        )
        out.append(f"{p['label']}（{via}）")
    return _join(out, "；")


def _local(local: list[dict]) -> str:
    out = []
    for p in local:
        facts = _join([p["status_label"] or p["kind"], p["park"], p["capacity"]], "，")
        out.append(f"{p['name']}（{facts}）")
    return _join(out)


STATUS_ZH = {"operating": "在产", "project": "在建或签约", "plan": "规划"}


def _regional(entries: list[dict]) -> str:
    out = []
    for e in entries:
        where = (e["region"] or {}).get("label") or e["plan"]["label"]
        firms = _join(f"{p['label']}（{STATUS_ZH[p['status']]}）" for p in e["producers"])
        out.append(f"{where}：{firms}")
    return _join(out, "；")


def _evidence(evidence: list[dict]) -> str:
    out = []
    for e in evidence:
        why = (
            f"“{e['quote']}”（{e['section_label']}）" if e["quote"] else f"行业常识：{e['reason']}"
        )
        out.append(f"{e['from']}→{e['to']}：{why}")
    return _join(out, "；")


def rows(report: dict) -> list[dict]:
    """One flat dict per gap, keyed as in ``COLUMNS``, in rank order."""
    out = []
    for gap in report["gaps"]:
        p, c = gap["product"], gap["components"]
        named = c["target"]["targets"]
        balance = gap["balance"]
        attract = gap["attract"]
        out.append(
            {
                "list": gap["list_label"]["zh"],
                "rank": gap["rank"],
                "kind": gap["kind_label"]["zh"],
                "product": p["label"],
                "product_en": p["label_en"],
                "id": p["id"],
                "industry": p["industry"],
                "status": p["status_text"]["zh"],
                "score": gap["score"],
                "score_detail": _detail(c),
                "local_upstream": _join(n["label"] for n in gap["upstream"]),
                "local_downstream": _join(n["label"] for n in gap["downstream"]),
                "named": _join(
                    (f"{t['label']}（按{LEVEL_TEXT[t['level']]}）" for t in named), "；"
                ),
                "statements": _join(
                    (f"“{st['text']}”（{(st['section'] or {}).get('label') or ''}）")
                    for st in gap["statements"]
                ),
                "balance": None
                if balance is None
                else f"产能 {balance['capacity']:g}{balance['unit']}，"
                f"本地需求 {balance['demand']:g}{balance['unit']}",
                "growth": c["growth"]["value"],
                "attract": _join([attract["zh"], *attract["targets"]], "；"),
                "parks": _parks(gap["parks"]),
                "park_candidates": _parks(gap["park_candidates"]),
                "local": _local(gap["local"]),
                "regional": _regional(gap.get("regional", [])),
                "reasons": "".join(gap["reasons"]["zh"]),
                "reasons_en": " ".join(gap["reasons"]["en"]),
                "evidence": _evidence(gap["evidence"]),
            }
        )
    return out


def comparison_rows(report: dict) -> list[dict]:
    """The 重点引进 comparison as flat dicts keyed as in ``COMPARE_COLUMNS``."""
    out = []
    for status in ("confirmed", "not_confirmed"):
        for t in report["targets"][status]:
            out.append(
                {
                    "verdict": VERDICT[status],
                    "target": t["label"],
                    "industry": (t["industry"] or {}).get("label"),
                    "about": _join(a["label"] for a in t["about"]),
                    "gaps": _join(
                        f"{g['label']}（{LIST_TEXT[g['list']][0]}第{g['rank']}名）"
                        for g in t["gaps"]
                    ),
                    "why": t["why"]["zh"],
                    "section": (t["section"] or {}).get("label"),
                }
            )
    for g in report["targets"]["not_named"]:
        out.append(
            dict.fromkeys(key for key, _ in COMPARE_COLUMNS)
            | {
                "verdict": VERDICT["not_named"],
                "gaps": f"{g['label']}（{KIND_TEXT[g['kind']][0]}，招引第{g['rank']}名）",
            }
        )
    return out


def to_csv(report: dict) -> str:
    """The gap rows as CSV text with Chinese headers, starting with a BOM for Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([zh for _, zh in COLUMNS])
    for row in rows(report):
        writer.writerow(["" if row[key] is None else row[key] for key, _ in COLUMNS])
    return "\ufeff" + buf.getvalue()


def _sheet(wb, title: str, columns: tuple, data: list[dict], wide: set[str]) -> None:
    ws = wb.create_sheet(title)
    ws.append([zh for _, zh in columns])
    for row in data:
        ws.append([row[key] for key, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, (key, zh) in enumerate(columns, 1):
        letter = ws.cell(1, i).column_letter
        ws.column_dimensions[letter].width = 48 if key in wide else max(10, 2 * len(zh) + 2)
        if key in wide:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if key == "growth":
            for cell in ws[letter][1:]:
                cell.number_format = "0.0%"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _formula(scoring: dict) -> str:
    w = scoring["weights"]
    return (
        f"规划意图 {w['intent']:g}×(1−Π(1−强度))，强度：重点引进点名产品{w['target_product']:g}"
        f"、环节{w['target_segment']:g}、产业{w['target_industry']:g}，"
        f"引进表述{w['attract_statement']:g}，专栏项目{w['item']:g}"
        f" + {w['growth']:g}×产业2026年目标年均增速"
        f" + 链条带动（本地上下游，边际递减，产业内归一）至多{w['leverage']:g}"
        f" + 园区布局点名{w['feasibility_layout']:g}"
        f"（提及其链或环节{w['feasibility_candidate']:g}）"
        f"；强链另加：强链表述{w['strengthen']:g}，产能缺口比例×{w['shortfall']:g}"
    )


def to_xlsx(report: dict) -> bytes:
    """An Excel workbook: 缺口清单 (the gap rows), 重点引进对照 (the comparison), 说明."""
    wb = Workbook()
    wb.remove(wb.active)
    wide = {
        "statements",
        "reasons",
        "reasons_en",
        "evidence",
        "parks",
        "park_candidates",
        "local",
        "score_detail",
        "why",
        "gaps",
    }
    _sheet(wb, "缺口清单", COLUMNS, rows(report), wide)
    _sheet(wb, "重点引进对照", COMPARE_COLUMNS, comparison_rows(report), wide)
    notes = wb.create_sheet("说明")
    f = report["filters"]
    for line in (
        ("产业", (f["industry"] or {}).get("label") or "全部"),
        ("园区", (f["park"] or {}).get("label") or "全部"),
        ("类型", _join((KIND_TEXT[k][0] for k in f["kind"] or []), "、") or "全部"),
        ("得分", _formula(report["scoring"])),
        ("清单", "招引企业（补链、延链）、强链环节（强链）、供应风险（外部依赖），各自排名"),
        ("排序", "得分从高到低；同分按 补链、强链、延链、外部依赖，再按产品标识"),
    ):
        notes.append(line)
    notes.column_dimensions["B"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
