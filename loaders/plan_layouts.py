"""Where a plan puts its industries: 产业布局 rows of the industry boxes (a park line then
its ``布局…`` line, or ``园区：布局…``), a park box of ``园区。a、b。`` paragraphs, and
layouts stated in running text (``在XX园区布局A、B产业``)."""

from __future__ import annotations

import re

from chainkg.loaders.document import Line, Section, join_wrapped
from chainkg.loaders.plan_facts import Industry, Layout, Plan
from chainkg.loaders.text import split_top, strip_end

PARK_WORDS = (
    r"(?:园区|园|开发区|新区|高新区|经济区|科技城|产业城|新城|基地|港区|综保区|片区|集聚区|"
    r"集中区|工业区|示范区)"
)
PROSE_LAYOUT = re.compile(
    rf"在([^，。；、在]{{2,24}}?{PARK_WORDS})(?:内)?(?:重点|集中|主要)?布局([^，。；]+)"
)
PARK_LINE_LAYOUT = re.compile(
    rf"^([^，。；、]{{2,24}}?{PARK_WORDS})[：:。]\s*(?:重点|集中|主要)?布局(.+)$"
)


def hosts(text: str) -> list[str]:
    """What a 布局 clause names: 、/和-separated, each without a trailing 产业/等."""
    out = []
    for h in split_top(strip_end(text), "、"):
        for part in re.split(r"(?<!碳中)和", re.sub(r"等$", "", h)):
            part = re.sub(r"产业$", "", part.strip())
            if part:
                out.append(part)
    return out


def prose_layouts(plan: Plan, sec: Section, industry: str | None) -> int:
    """Layouts stated in running text: ``在XX园区布局A、B产业``; returns how many."""
    found = 0
    for para in paragraphs(sec.lines):
        text = "".join(ln.text for ln in para)  # a sentence may wrap onto several lines
        for m in PROSE_LAYOUT.finditer(text):
            add_park(plan, m[1])
            plan.layouts.append(Layout(m[1], hosts(m[2]), sec.id, industry))
            plan.used.update(ln.number for ln in para)
            found += 1
    return found


def paragraphs(lines: list) -> list[list]:
    """Runs of non-blank lines."""
    out: list[list] = [[]]
    for line in lines:
        if line.text:
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def read_layout(plan: Plan, box: Section, ind: Industry | None, cell: list) -> None:
    """A layout row: a park line then its ``布局…`` line, ``园区：布局…`` on one line, or
    prose (``在XX园区布局…``); a park line with no 布局 line hosts the box's industry."""
    park = None
    name = ind.name if ind else None
    lines, cover = _joined(cell)
    for line in lines:
        t = strip_end(line.text)
        if t.startswith("布局") and park:
            plan.layouts.append(Layout(park, hosts(re.sub(r"^布局", "", t)), box.id, name))
            plan.used.update(cover[line.number])
            park = None
            continue
        if park and ind:
            plan.layouts.append(Layout(park, [ind.name], box.id, ind.name))
        park = None
        if m := PARK_LINE_LAYOUT.match(t):
            add_park(plan, m[1])
            plan.layouts.append(Layout(m[1], hosts(m[2]), box.id, name))
            plan.used.update(cover[line.number])
        elif PROSE_LAYOUT.search(t):
            if prose_layouts(plan, Section(box.id, "box", "", "", 0, lines=[line]), name):
                plan.used.update(cover[line.number])
        elif len(t) <= 24 and not re.search(r"[。，；：:]", t):
            park = t
            add_park(plan, t)
            plan.used.add(line.number)
    if park and ind:
        plan.layouts.append(Layout(park, [ind.name], box.id, ind.name))


def _joined(cell: list[Line]) -> tuple[list[Line], dict[int, list[int]]]:
    """A layout line wrapped after a list mark (、，；, or 和/及 in a ``布局…`` line) joined
    with the next line; with the source lines each joined line covers."""
    out: list[Line] = []
    cover: dict[int, list[int]] = {}
    for line in cell:
        last = out[-1] if out else None
        marks = "、，；和及" if last and "布局" in last.text else "、，；"
        if last and line.text and last.text.endswith(tuple(marks)):
            out[-1] = Line(last.number, last.text + line.text, last.cell)
            cover[last.number].append(line.number)
        else:
            out.append(line)
            cover[line.number] = [line.number]
    return out, cover


def add_park(plan: Plan, name: str) -> None:
    if name not in plan.parks:
        plan.parks.append(name)


PARK_NAME = re.compile(rf"{PARK_WORDS}$")


def park_box(plan: Plan, box: Section) -> bool:
    """A box of ``园区。a、b（c、d）。`` paragraphs: each park and what it hosts."""
    found = False
    for line in join_wrapped(box.lines[1:]):
        m = re.match(r"^([^。，]{2,20}?)。(.+)$", line.text)
        if m and (m[1] in plan.parks or ("园区" in box.title and PARK_NAME.search(m[1]))):
            add_park(plan, m[1])
            plan.used.add(line.number)
            plan.layouts.append(Layout(m[1], split_top(strip_end(m[2]), "、"), box.id, None))
            found = True
    return found
