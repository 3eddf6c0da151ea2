"""What the plan reader understood of a plan: the facts it read, per section, and every
line of a box or table it did not place, with the reason (``chainkg parse``).

Running text (chapters, sections) is kept as the text the facts cite, so it is always
placed; a box or table line is placed when a fact was read from it, when it is a row
label or a title, or when it belongs to a box's 重点工作 row (tasks, kept as the box's
text). Everything else is listed as unplaced, so that the person loading a plan sees
what the reader left.
"""

from __future__ import annotations

import re
from collections import Counter

from chainkg.loaders.document import ROW_KIND, Section
from chainkg.loaders.plan import Plan
from chainkg.loaders.plan_facts import LEVEL

KINDS = ("industries", "items", "capacities", "indicators", "layouts", "targets", "platforms")


def facts(plan: Plan) -> dict:
    """The facts of a plan as plain JSON (the shape of the fixtures' expected files)."""
    return {
        "title": plan.title,
        "period": list(plan.period),
        "industries": [
            {"name": i.name, "tier": i.tier_text, "segments": [s.name for s in i.segments]}
            for i in plan.industries
        ],
        "items": [{"text": i.text, "industry": i.industry} for i in plan.items],
        "capacities": [
            {
                "text": i.text,
                "value": float(i.capacity.value),
                "unit": i.capacity.unit,
                "per_year": i.capacity.per_year,
            }
            for i in plan.items
            if i.capacity
        ],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "nature": i.nature,
                "baseline_year": i.baseline_year,
                "baseline": None if i.baseline is None else float(i.baseline),
                "target_year": i.target_year,
                "target": None if i.target is None else float(i.target),
            }
            for i in plan.indicators
        ],
        "layouts": [{"park": lay.park, "hosts": lay.hosts} for lay in plan.layouts],
        "targets": [{"text": t.text, "industry": t.industry} for t in plan.targets],
        "parks": plan.parks,
    }


def _found(plan: Plan) -> dict[str, Counter]:
    """Section id → how many facts of each kind it gave."""
    out: dict[str, Counter] = {}

    def add(sid: str | None, kind: str) -> None:
        if sid:
            out.setdefault(sid, Counter())[kind] += 1

    for ind in plan.industries:
        add(ind.section, "industries")
    for item in plan.items:
        add(item.section, "items")
        if item.capacity:
            add(item.section, "capacities")
    for kind, facts_ in (
        ("indicators", plan.indicators),
        ("layouts", plan.layouts),
        ("targets", plan.targets),
        ("platforms", plan.platforms),
    ):
        for f in facts_:
            add(f.section, kind)
    for c in plan.clusters:
        add(c.section, "clusters")
    for _, sid in plan.future:
        add(sid, "future")
    return out


def _placed_by_pattern(text: str) -> bool:
    """Box paragraphs read by the platform and cluster readers."""
    return bool(re.match(r"^创新平台[。：:]", text) or LEVEL.match(text))


def unplaced(plan: Plan) -> list[dict]:
    """Every box or table line no fact was read from, with why; then the reader's own
    problems (rows it could not read). In line order."""
    system = {i.section for i in plan.industries}
    out = [{"line": n, "why": why} for n, why in plan.problems]
    seen = {n for n, _ in plan.problems}
    for sec in plan.sections:
        if sec.kind not in ("box", "table") or sec.id in system:
            continue
        out += _unplaced_in(plan, sec, seen)
    texts = {ln.number: ln.text for sec in plan.sections for ln in sec.lines}
    for entry in out:
        entry["text"] = texts.get(entry["line"], "")
    return sorted(out, key=lambda e: e["line"])


def _unplaced_in(plan: Plan, sec: Section, seen: set[int]) -> list[dict]:
    out = []
    row = ""
    for line in sec.lines[1:]:
        if not line.text or line.number in seen:
            continue
        if line.text in ROW_KIND:
            row = line.text
            continue
        if line.number in plan.used or ROW_KIND.get(row) == "work":
            continue
        if _placed_by_pattern(line.text):
            continue
        if sec.kind == "table":
            why = f"{sec.number}: not read as an indicator table (no 指标 or year column)"
        elif row:
            why = f"{sec.number} {row}: nothing was read from this line"
        elif m := re.match(r"^([^。，；]{2,16})。", line.text):
            why = f"{sec.number}: programme 「{m[1]}」, kept as the box's text (no fact kind)"
        else:
            why = f"{sec.number}: text before any row label that no reader takes"
        out.append({"line": line.number, "why": why, "section": sec.id})
    return out


def report(plan: Plan) -> dict:
    """The review report: the plan, what each section gave, the unplaced lines, a summary."""
    found = _found(plan)
    sections = [
        {
            "id": sec.id,
            "number": sec.number,
            "title": sec.title,
            "lines": list(sec.span),
            "found": dict(found[sec.id]),
        }
        for sec in plan.sections
        if sec.id in found
    ]
    left = unplaced(plan)
    counts = {
        "industries": len(plan.industries),
        "items": len(plan.items),
        "capacities": sum(1 for i in plan.items if i.capacity),
        "indicators": len(plan.indicators),
        "layouts": len(plan.layouts),
        "parks": len(plan.parks),
        "targets": len(plan.targets),
        "platforms": len(plan.platforms),
        "clusters": len(plan.clusters),
        "future_industries": len(plan.future),
    }
    understood = not left and bool(plan.industries)
    return {
        "plan": {
            "title": plan.title,
            "region": plan.region,
            "issuer": plan.issuer,
            "issued": plan.issued,
            "period": list(plan.period),
            "system": plan.system,
        },
        "counts": counts,
        "sections": sections,
        "unplaced": left,
        "summary": summary_line(counts, len(left), understood),
        "understood": understood,
        "facts": facts(plan),
    }


def summary_line(counts: dict[str, int], left: int, understood: bool) -> str:
    """One line for ``chainkg build`` and the end of ``chainkg parse``."""
    shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    if understood:
        return f"plan fully understood: {shown}"
    if not counts["industries"]:
        return f"no industry system found; {shown}; {left} line(s) not placed"
    return f"{shown}; {left} line(s) not placed (chainkg parse PLAN lists them)"
