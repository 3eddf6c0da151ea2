"""Extract the facts of a development plan from its text.

Works on the genre, not on one file: the 3+3+X system table (the box whose rows
carry 产业领域 and 重点环节), the industry boxes (重点领域及项目, 重点工作, 产业布局),
indicator tables (指标名称 / 指标属性 / year columns), cluster, park and platform
boxes, and the 先导性产业 sentence. Every extracted fact keeps the id of the
section it came from.
"""

from __future__ import annotations

import itertools
import re

from chainkg.loaders.document import (
    Line,
    Section,
    box_cells,
    numbered_blocks,
    split_sections,
)
from chainkg.loaders.plan_facts import (
    Industry,
    Item,
    Plan,
    PlanError,
    Target,
    attraction_targets,
    clusters,
    future_industries,
    platforms,
    target_row,
)
from chainkg.loaders.plan_layouts import park_box, prose_layouts, read_layout
from chainkg.loaders.plan_system import industry_system
from chainkg.loaders.plan_tables import indicators
from chainkg.loaders.text import (
    Lexicon,
    detail_items,
    name_and_detail,
    parse_capacity,
    split_top,
    strip_end,
)

PERIOD = r"[（(](\d{4})\s*年?\s*[—\-–－~至]+\s*(\d{4})\s*年?[)）]"
ONE_LINE_TITLE = re.compile(rf"([^《》]{{4,80}}规划)\s*{PERIOD}")
FIVE_YEAR = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}


def _title_lines(lines: list[Line]) -> tuple[str, str]:
    """(title, period text) from the first lines: a title may wrap over up to three
    adjacent lines, with its years at its end or on the next line; a notice (关于印发…,
    现将…) is skipped."""
    lines = [ln for ln in lines if ln.text]
    texts = [ln.text for ln in lines]
    for i in range(len(lines)):
        for k in (1, 2, 3):
            run, parts = lines[i : i + k], texts[i : i + k]
            adjacent = all(b.number == a.number + 1 for a, b in itertools.pairwise(run))
            if (
                len(parts) < k
                or not adjacent
                or any(p.startswith(("关于", "现将")) or "《" in p for p in parts)
            ):
                break
            cand = "".join(parts)
            nxt = next((t for t in texts[i + k :] if t), "")
            if m := ONE_LINE_TITLE.fullmatch(cand):
                return m[1], cand[len(m[1]) :].strip()
            if cand.endswith("规划") and re.fullmatch(PERIOD, nxt):
                return cand, nxt
            if cand.endswith("规划") and any(k5 in cand for k5 in FIVE_YEAR):
                return cand, ""
    return "", ""


def _title(sections: list[Section]) -> tuple[str, str, str, str | None, tuple[int, int]]:
    """Title, region, issuer, issue date and period: the title on one line with its years,
    or on two (the years on the next line); a ``“十四五”…规划`` title takes its five years."""
    title, period_text = _title_lines(sections[0].lines)
    lines = [ln.text for ln in sections[0].lines if ln.text]
    if not title:
        raise PlanError(
            "not a plan: no plan title (a line ending in 规划 with its years, "
            "（YYYY—YYYY年）, on the same line or the next)"
        )
    years = re.findall(r"\d{4}", period_text)
    if not years:
        years = [str(y) for y in FIVE_YEAR[next(k for k in FIVE_YEAR if k in title)]]
    start, end = int(years[0]), int(years[-1])
    units = re.findall(
        r"[^省市区县旗州]+?[省市区县旗州]", re.split(r"战略性|产业|发展规划", title)[0]
    )
    region = [None, units[-1]] if units else None
    issuer = next((t for t in lines if re.fullmatch(r"\S+人民政府", t)), "")
    date = next(
        (
            re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
            for t in lines
            if re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
        ),
        None,
    )
    issued = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else None
    return title + period_text, region[1] if region else title, issuer, issued, (start, end)


def _box_industry(box: Section, industries: list[Industry]) -> Industry | None:
    """The industry a box or section title is about (its name, or its name's core)."""
    named = [i for i in industries if i.name in box.title]
    if named:
        return max(named, key=lambda i: len(i.name))
    lex = Lexicon()
    for ind in industries:
        lex.add(ind.name, ind)
        core = re.sub(r"(产业|行业|业)$", "", ind.name)
        if len(core) >= 2:
            lex.add(core, ind)
    title = re.sub(r"(产业|行业)?(发展重点|发展)$", "", box.title.strip())
    found = lex.resolve(title) if len(title) >= 2 else None
    return found if isinstance(found, Industry) else None


def _items_of(text: str) -> list[str]:
    """Plan items in one list paragraph: 、/， separated, parallel qualifiers kept together."""
    parts = split_top(strip_end(text), "、，；")
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        if (
            len(part) <= 4
            and nxt[:2] == part[:2]
            and len(nxt) > len(part) + 2
            and not nxt.startswith(part)
        ):
            out.append(part + "、" + nxt)
            i += 2
            continue
        out.append(part)
        i += 1
    return out


ITEM_LIKE = re.compile(r"\d|(项目|工程|建设|生产线|基地|产业化|改造)$")


def _item_like(heading: str) -> bool:
    """A numbered line that is an item (a project, with a quantity, or long), not the
    name of a segment heading a list."""
    return bool(ITEM_LIKE.search(strip_end(heading))) or len(heading) > 16


def _box_items(plan: Plan, box: Section, ind: Industry, cell: list) -> None:
    """Items of a box's item row: ``1．segment`` headings over 、；-separated lists, items
    numbered on lines of their own (wrapped or not), or plain lists."""
    for heading, lines in numbered_blocks(cell):
        body = lines[1:] if heading else lines
        if heading and _item_like(heading):
            joined = heading + "".join(ln.text for ln in body)  # an item wrapped over lines
            seg = ind.segment_like(heading)
        else:
            joined = "".join(ln.text for ln in body)  # a list may wrap onto several lines
            seg = ind.segment_for(heading, box.id) if heading else None
        texts = [t for sentence in joined.split("。") for t in _items_of(sentence)]
        if heading and not texts:
            texts = [strip_end(heading)]
        for text in texts:
            _, detail = name_and_detail(text)
            parts = detail_items(detail) if detail and "、" in detail else []
            plan.items.append(
                Item(text, ind.name, seg.name if seg else None, box.id, parse_capacity(text), parts)
            )
        plan.used.update(ln.number for ln in lines)


def parse_plan(text: str) -> Plan:
    """Parse a plan text into a :class:`Plan`; raises :class:`PlanError` if it is not one."""
    sections = split_sections(text)
    title, region, issuer, issued, period = _title(sections)
    system, industries = industry_system(sections)
    plan = Plan(title, region, issuer, issued, period, system, sections, industries)
    for box in (s for s in sections if s.kind == "box"):
        ind = _box_industry(box, industries)
        cells = box_cells(box)
        if "items" in cells and ind is None:
            why = f"{box.number} {box.title}: items of no industry (name one in the title)"
            plan.problems += [(ln.number, why) for ln in cells["items"]]
        elif "items" in cells and ind is not None:
            _box_items(plan, box, ind, cells["items"])
        if "layout" in cells:
            read_layout(plan, box, ind, cells["layout"])
        if ind and "work" in cells:
            plan.targets.extend(attraction_targets(cells["work"], ind.name, box.id))
        if ind and "targets" in cells:
            plan.targets.extend(target_row(cells["targets"], ind.name, box.id))
            plan.used.update(ln.number for ln in cells["targets"])
    for sec in sections:
        if sec.kind in ("section", "subsection"):
            ind = _box_industry(sec, industries)
            if ind and (ind.narrative is None or sec.kind == "subsection"):
                ind.narrative = sec.id
        if sec.kind not in ("box", "table"):
            plan.targets.extend(_narrative_targets(plan, sec))
            owner = next((i.name for i in industries if i.narrative == sec.id), None)
            prose_layouts(plan, sec, owner)
    for box in (s for s in sections if s.kind == "box"):
        park_box(plan, box)
    for table in (s for s in sections if s.kind == "table"):
        indicators(plan, table)
    plan.platforms = platforms(sections, industries)
    plan.clusters = clusters(sections, industries)
    plan.future = future_industries(sections)
    return plan


def _narrative_targets(plan: Plan, sec: Section) -> list[Target]:
    out = []
    lex = plan.industry_lexicon()
    ind = next((i for i in plan.industries if i.narrative == sec.id), None)
    for m in re.finditer(r"重点引进([^，。；]+)", sec.text.replace("\n", "")):
        industry = ind.name if ind else (lex.values_in(m[1]) or [None])[0]
        if industry and not any(t.text == m[1] and t.industry == industry for t in plan.targets):
            out.append(Target(m[1], industry, sec.id))
    return out
