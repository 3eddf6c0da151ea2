"""The kinds of fact a plan states (and :class:`Plan`, all of them), and the extractors
for the smaller ones.

Industries, items, indicators and layouts are read in :mod:`chainkg.loaders.plan`;
attraction targets, platforms, clusters and future industries are read here.
Each fact records the id of the section that states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from chainkg.loaders.document import Line, Section, join_wrapped, numbered_blocks
from chainkg.loaders.text import Lexicon, Quantity, chinese_number, split_top, strip_end


@dataclass
class Segment:
    """A 重点环节/细分领域 of an industry."""

    name: str
    detail: str | None
    section: str


@dataclass
class Industry:
    """An industry of the system table, with its tier and segments."""

    name: str
    tier: str  # advantage | distinctive | service | cultivated | "" (a word not known)
    section: str
    segments: list[Segment] = field(default_factory=list)
    narrative: str | None = None
    tier_text: str = ""  # the tier as the plan words it (优势支柱产业, 培育产业, …)

    def add_segment(self, name: str, detail: str | None, section: str) -> Segment:
        """Add a segment unless one of that name exists; return the segment."""
        for seg in self.segments:
            if seg.name == name:
                return seg
        seg = Segment(name, detail, section)
        self.segments.append(seg)
        return seg

    def segment_like(self, label: str) -> Segment | None:
        """The segment a text names (fuzzy), if any; nothing is added."""
        lex = Lexicon()
        for seg in self.segments:
            lex.add(seg.name, seg)
        found = lex.resolve(label, fuzzy=True)
        return found if isinstance(found, Segment) else None

    def segment_for(self, label: str, section: str) -> Segment:
        """The segment a box heading means (fuzzy), or a new one named ``label``."""
        lex = Lexicon()
        for seg in self.segments:
            lex.add(seg.name, seg)
        found = lex.resolve(label, fuzzy=True)
        return found if isinstance(found, Segment) else self.add_segment(label, None, section)


@dataclass
class Item:
    """An entry under 重点领域及项目 of an industry box."""

    text: str
    industry: str
    segment: str | None
    section: str
    capacity: Quantity | None
    parts: list[str]


@dataclass
class Indicator:
    """A row of an indicator table."""

    name: str
    group: str
    nature: str
    unit: str
    section: str
    number: str | None
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_text: str | None = None
    baseline_year: int = 0
    target_year: int = 0
    parent: str | None = None
    industry: str | None = None
    park: str | None = None


@dataclass
class Layout:
    """A park hosting what a 产业布局 block or park box names."""

    park: str
    hosts: list[str]
    section: str
    industry: str | None


@dataclass
class Target:
    """A kind of firm or project the plan wants to attract (重点引进)."""

    text: str
    industry: str
    section: str


@dataclass
class Platform:
    """An innovation platform the plan names."""

    name: str
    industry: str | None
    section: str


@dataclass
class Cluster:
    """An industry cluster with its level and, where stated, its scale."""

    industry: str
    level: str
    section: str
    scale: str | None = None
    scale_value: Decimal | None = None
    scale_section: str | None = None


NUMBER = re.compile(r"^\s*(?:\d+[．.、]|[（(]\d+[)）])\s*")
ORG_WORD = re.compile(r"(企业|机构|项目|单位|公司)$")
VERB = re.compile(r"^(重点|大力|积极|加快|加大)?(引进|引入|引育)?")


def attraction_targets(cell: list[Line], industry: str, section: str) -> list[Target]:
    """Targets from the 招商 item of a box's 重点工作 cell."""
    out: list[Target] = []
    for heading, lines in numbered_blocks(cell):
        if "招商" not in heading:
            continue
        text = "".join(ln.text for ln in lines[1:])
        for clause in re.split(r"[，。；]", text):
            if not re.search(r"引进|引入", clause):
                continue
            clause = re.sub(r"(引进)?力度$", "", VERB.sub("", clause.strip()))
            parts = split_top(clause, "、")
            firms = sum(bool(ORG_WORD.search(p)) for p in parts)
            if firms >= 2 or firms == 0:
                out.extend(Target(p, industry, section) for p in parts)
            else:
                out.append(Target(clause, industry, section))
    return out


def target_row(cell: list[Line], industry: str, section: str) -> list[Target]:
    """Targets of a box row of their own (重点引进 / 招商方向 / 引进方向): each line a list
    of kinds of firm or project, 、；， separated, numbered or not."""
    out: list[Target] = []
    for line in cell:
        text = NUMBER.sub("", strip_end(line.text))
        for part in split_top(text, "、，；;"):
            part = re.sub(r"等$", "", re.sub(r"(引进)?力度$", "", VERB.sub("", part.strip())))
            if part:
                out.append(Target(part, industry, section))
    return out


def platforms(sections: list[Section], industries: list[Industry]) -> list[Platform]:
    """Platforms of the box paragraph ``创新平台。a、b；c、d等。``."""
    lex = Lexicon()
    for ind in industries:
        lex.add(ind.name, ind.name)
    boxes = [s for s in sections if s.kind == "box"]
    out: list[Platform] = []
    for box in boxes:
        for line in join_wrapped(box.lines):
            m = re.match(r"^创新平台[。：:](.+)$", line.text)
            if not m:
                continue
            for group in split_top(strip_end(m[1]), "；;"):
                names = [re.sub(r"等$", "", n) for n in split_top(group, "、")]
                found = [_platform_industry(n, lex, boxes, industries) for n in names]
                fallback = next((f for f in found if f), None)
                out.extend(
                    Platform(n, f or fallback, box.id) for n, f in zip(names, found, strict=True)
                )
    return out


def _platform_industry(
    name: str, lex: Lexicon, boxes: list[Section], industries: list[Industry]
) -> str | None:
    named = lex.values_in(name)
    if named:
        return named[0]
    for box in boxes:
        owner = [i for i in industries if i.name in box.title]
        if owner and any(name[k:] in box.text for k in range(0, max(1, len(name) - 7))):
            return owner[0].name
    for ind in industries:
        for seg in ind.segments:
            if len(seg.name) >= 3 and (seg.name in name or seg.name[-3:] in name):
                return ind.name
    return None


LEVEL = re.compile(r"^(国家级|省级|市级|区级|县级)[^。]{0,20}集群[。：:](.+)$")
SCALE = "[一二两三四五六七八九十百千万]+亿级"


def clusters(sections: list[Section], industries: list[Industry]) -> list[Cluster]:
    """Clusters of the box with ``国家级…集群。`` paragraphs, with scales found nearby."""
    lex = Lexicon()
    for ind in industries:
        lex.add(ind.name, ind.name)
        for seg in ind.segments:
            lex.add(seg.name, ind.name)
    out: list[Cluster] = []
    for box in (s for s in sections if s.kind == "box"):
        for line in join_wrapped(box.lines):
            m = LEVEL.match(line.text)
            if not m:
                continue
            for name in lex.values_in(m[2]):
                if not any(c.industry == name for c in out):
                    out.append(Cluster(str(name), m[1], box.id))
    by_id = {s.id: s for s in sections}
    for cl in out:
        box = by_id[cl.section]
        ordered = [by_id[box.parent]] if box.parent in by_id else []
        ordered += [s for s in sections if s.kind != "box" and s not in ordered]
        for sec in ordered:
            text = sec.text.replace("\n", "")
            name = re.escape(cl.industry)
            m = re.search(rf"({SCALE}){name}(?:产业)?集群", text) or re.search(
                rf"{name}(?:产业)?({SCALE})(?:产业)?集群", text
            )
            if m:
                cl.scale, cl.scale_section = m[1], sec.id
                number = chinese_number(m[1].removesuffix("亿级"))
                cl.scale_value = Decimal(number) if number else None
                break
    return out


def future_industries(sections: list[Section]) -> list[tuple[str, str]]:
    """(name, section id) of the 先导性产业 the plan names, the longest list first."""
    out: list[tuple[str, str]] = []
    for sec in sections:
        text = sec.text.replace("\n", "")
        for m in re.finditer(r"前瞻布局([^。；]+?)等(?:先导性|未来)产业", text):
            for name in split_top(m[1], "、"):
                if name not in [n for n, _ in out]:
                    out.append((name, sec.id))
    return out


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
    used: set[int] = field(default_factory=set)  # source lines a fact was read from
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, why not read)

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
