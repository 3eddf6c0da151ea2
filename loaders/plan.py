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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from chainkg.loaders.document import (
    NUMBERED,
    Section,
    box_cells,
    numbered_blocks,
    split_sections,
    table_rows,
)
from chainkg.loaders.plan_facts import (
    Cluster,
    Indicator,
    Industry,
    Item,
    Layout,
    Platform,
    Target,
    attraction_targets,
    clusters,
    future_industries,
    platforms,
)
from chainkg.loaders.text import (
    Lexicon,
    detail_items,
    name_and_detail,
    parse_capacity,
    split_top,
    strip_end,
)

TIERS = (
    ("特色", "distinctive"),
    ("服务", "service"),
    ("优势", "advantage"),
    ("主导", "advantage"),
    ("支柱", "advantage"),
    ("重点", "advantage"),
)


class PlanError(ValueError):
    """A plan text that cannot be read as a plan of this genre."""


@dataclass
class Plan:
    """Everything extracted from one plan text."""

    title: str
    region: str
    issuer: str
    issued: str | None
    period: tuple[int, int]
    system: str
    sections: list[Section]
    industries: list[Industry] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    layouts: list[Layout] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    platforms: list[Platform] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    future: list[tuple[str, str]] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)

    def section(self, sid: str) -> Section:
        """The section with id ``sid``."""
        for sec in self.sections:
            if sec.id == sid:
                return sec
        raise KeyError(sid)

    def industry(self, name: str) -> Industry:
        """The industry named ``name``."""
        return next(i for i in self.industries if i.name == name)

    def industry_lexicon(self) -> Lexicon:
        """Industry and segment names → industry name."""
        lex = Lexicon()
        for ind in self.industries:
            lex.add(ind.name, ind.name)
        for ind in self.industries:
            for seg in ind.segments:
                lex.add(seg.name, ind.name)
        return lex


def _title(sections: list[Section]) -> tuple[str, str, str, str | None, tuple[int, int]]:
    lines = [ln.text for ln in sections[0].lines if ln.text]
    title = period_text = ""
    for a, b in itertools.pairwise(lines):
        m = re.fullmatch(r"（(\d{4})\s*[—\-–－~至]+\s*(\d{4})年）", b)
        if m and a.endswith("规划") and not a.startswith("关于"):
            title, period_text = a, b
            break
    if not title:
        raise PlanError("no plan title: expected a line ending in 规划 followed by （YYYY—YYYY年）")
    start, end = (int(x) for x in re.findall(r"\d{4}", period_text))
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


def _industries(sections: list[Section]) -> tuple[str, list[Industry]]:
    for box in (s for s in sections if s.kind == "box"):
        rows = table_rows(box)
        if not rows or not any("产业领域" in c for c in rows[0]):
            continue
        header = rows[0]
        name_col = next(i for i, c in enumerate(header) if "产业领域" in c)
        seg_col = next((i for i, c in enumerate(header) if "环节" in c or "细分" in c), None)
        tier, out = "", []
        for row in rows[1:]:
            cells = [c for c in row if c]
            if len(cells) == 1:
                tier = next((key for word, key in TIERS if word in cells[0]), "")
                if not tier:
                    raise PlanError(
                        f"{box.number}: group row {cells[0]!r} names no tier "
                        "(特色…, …服务业, 优势…/主导…/支柱…)"
                    )
                continue
            if len(row) <= name_col:
                continue
            if not tier:
                raise PlanError(
                    f"{box.number}: industry {row[name_col]!r} comes before any tier row"
                )
            ind = Industry(row[name_col], tier, box.id)
            if seg_col is not None and seg_col < len(row):
                for part in split_top(strip_end(row[seg_col])):
                    name, detail = name_and_detail(part)
                    ind.add_segment(name, detail, box.id)
            out.append(ind)
        return box.title.strip(), out
    raise PlanError("no industry system table: a 专栏 with columns 产业领域 and 重点环节/细分领域")


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


def _box_items(plan: Plan, box: Section, ind: Industry, cell: list) -> None:
    for heading, lines in numbered_blocks(cell):
        body = [ln for ln in lines if not NUMBERED.match(ln.text)] if heading else lines
        seg = ind.segment_for(heading, box.id) if heading else None
        texts = [t for ln in body for t in _items_of(ln.text)]
        if heading and not texts:
            texts = [heading]
        for text in texts:
            _, detail = name_and_detail(text)
            parts = detail_items(detail) if detail and "、" in detail else []
            plan.items.append(
                Item(text, ind.name, seg.name if seg else None, box.id, parse_capacity(text), parts)
            )


def _layout(plan: Plan, box: Section, ind: Industry | None, cell: list) -> None:
    park = None
    for line in cell:
        t = strip_end(line.text)
        if t.startswith("布局") and park:
            body = re.sub(r"^布局", "", t)
            hosts = [re.sub(r"产业$", "", h) for h in split_top(body, "、")]
            hosts = [p for h in hosts for p in re.split(r"(?<!碳中)和", h) if p]
            plan.layouts.append(
                Layout(
                    park,
                    [re.sub(r"产业$", "", h) for h in hosts],
                    box.id,
                    ind.name if ind else None,
                )
            )
            park = None
        else:
            if park and ind:
                plan.layouts.append(Layout(park, [ind.name], box.id, ind.name))
            park = t
            _add_park(plan, t)
    if park and ind:
        plan.layouts.append(Layout(park, [ind.name], box.id, ind.name))


def _add_park(plan: Plan, name: str) -> None:
    if name not in plan.parks:
        plan.parks.append(name)


PARK_NAME = re.compile(r"(园区|园|开发区|新区|高新区|经济区|科技城|产业城|基地|港区|综保区)$")


def _park_box(plan: Plan, box: Section) -> bool:
    """A box of ``园区。a、b（c、d）。`` paragraphs: each park and what it hosts."""
    found = False
    for line in box.lines[1:]:
        m = re.match(r"^([^。，]{2,20}?)。(.+)$", line.text)
        if m and (m[1] in plan.parks or ("园区" in box.title and PARK_NAME.search(m[1]))):
            _add_park(plan, m[1])
            plan.layouts.append(Layout(m[1], split_top(strip_end(m[2]), "、"), box.id, None))
            found = True
    return found


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


UNIT_IN_NAME = re.compile(r"[（(](%|％|[家个项户亿万元吨人]+)[)）]$")


def _indicators(plan: Plan, table: Section) -> None:
    rows = table_rows(table)
    if not rows or not any("指标名称" in c for c in rows[0]):
        return
    header = rows[0]
    col = {c: i for i, c in enumerate(header)}
    name_i = col["指标名称"]
    nature_i = next(i for c, i in col.items() if "属性" in c)
    years = [(i, int(m[1])) for i, c in enumerate(header) if (m := re.match(r"(\d{4})年", c))]
    unit = next(
        (re.sub(r"^单位[：:]", "", ln.text) for ln in table.lines if ln.text.startswith("单位")), ""
    )
    group, parent = "", None
    lex = plan.industry_lexicon()
    for row in rows[1:]:
        if len([c for c in row if c]) == 2 and len(row) == 2:
            group = row[1]
            continue
        if len(row) < len(header):
            continue
        raw = row[name_i]
        name = re.sub(r"^其中[：:]", "", raw).strip().lstrip("①②③④⑤⑥⑦⑧⑨⑩").strip()
        m = UNIT_IN_NAME.search(name)
        ind = Indicator(
            name,
            group,
            row[nature_i],
            m[1].replace("％", "%") if m else unit,
            table.id,
            row[0] or None,
        )
        (b_i, ind.baseline_year), (t_i, ind.target_year) = years[0], years[-1]
        ind.baseline, ind.target = _number(row[b_i]), _number(row[t_i])
        if ind.target is None:
            ind.target_text = row[t_i]
        if row[0]:
            parent = ind
        elif parent is not None:
            ind.parent = parent.name
            bare = re.sub(r"产业$", "", name)
            ind.industry = lex.get(bare) or lex.resolve(bare)
        ind.park = next((p for p in plan.parks if p in name), None)
        plan.indicators.append(ind)


def parse_plan(text: str) -> Plan:
    """Parse a plan text into a :class:`Plan`; raises :class:`PlanError` if it is not one."""
    sections = split_sections(text)
    title, region, issuer, issued, period = _title(sections)
    system, industries = _industries(sections)
    plan = Plan(title, region, issuer, issued, period, system, sections, industries)
    for box in (s for s in sections if s.kind == "box"):
        ind = _box_industry(box, industries)
        cells = box_cells(box)
        if "重点领域及项目" in cells:
            if ind is None:
                raise PlanError(
                    f"{box.number} {box.title}: its 重点领域及项目 belong to no "
                    "industry of the system table (name the industry in the title)"
                )
            _box_items(plan, box, ind, cells["重点领域及项目"])
        if "产业布局" in cells:
            _layout(plan, box, ind, cells["产业布局"])
        if ind and "重点工作" in cells:
            plan.targets.extend(attraction_targets(cells["重点工作"], ind.name, box.id))
    for sec in sections:
        if sec.kind in ("section", "subsection"):
            ind = _box_industry(sec, industries)
            if ind and (ind.narrative is None or sec.kind == "subsection"):
                ind.narrative = sec.id
        if sec.kind != "box":
            plan.targets.extend(_narrative_targets(plan, sec))
    for box in (s for s in sections if s.kind == "box"):
        _park_box(plan, box)
    for table in (s for s in sections if s.kind == "table"):
        _indicators(plan, table)
    plan.platforms = platforms(sections, industries)
    plan.clusters = clusters(sections, industries)
    plan.future = future_industries(sections)
    return plan


def _narrative_targets(plan: Plan, sec: Section) -> list[Target]:
    out = []
    lex = plan.industry_lexicon()
    ind = next((i for i in plan.industries if i.narrative == sec.id), None)
    for m in re.finditer(r"重点引进([^，。；]+)", sec.text):
        industry = ind.name if ind else (lex.values_in(m[1]) or [None])[0]
        if industry and not any(t.text == m[1] and t.industry == industry for t in plan.targets):
            out.append(Target(m[1], industry, sec.id))
    return out
