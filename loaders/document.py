"""The structure of a plan document: chapters, sections, 专栏 boxes and 表 tables.

The genre (Chinese district development plans) marks structure with headings
(``三、`` chapters, ``（一）`` sections, ``1．`` subsections), ``专栏N`` boxes whose
labelled cells (重点领域及项目, 重点工作, 产业布局) are tab-indented lines, and
``表N`` tables whose cells are tab-indented lines with rows separated by blank
lines. Nothing here depends on one particular plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CHAPTER = re.compile(
    r"^(?:(?P<n>[一二三四五六七八九十]+)、|第(?P<nth>[一二三四五六七八九十]+)[章篇部分]+\s*)"
    r"(?P<title>[^。]{1,40})$"
)
SECTION = re.compile(r"^（(?P<n>[一二三四五六七八九十]+)）(?P<title>[^。]{1,40})$")
NUMBERED = re.compile(r"^(?P<n>\d+)(?:[．、]|\.(?!\d))\s*(?P<title>.+)$")
BOX = re.compile(r"^专栏\s*(?P<n>\d+)\s+(?P<title>.+)$")
TABLE = re.compile(r"^表\s*(?P<n>\d+)\s+(?P<title>.+)$")
HEAD_STOP = re.compile(r"[。；;，]")  # a numbered line holding these is text, not a heading
FIGURE = re.compile(r"^图\s*\d+\s+\S+")
FOOTNOTE = "\ufffd"
# Box row labels by what the row holds (the genre words them several ways).
ROW_KINDS = {
    "items": ("重点领域及项目", "重点领域和项目", "重点项目", "重大项目", "重点任务", "重点领域"),
    "work": ("重点工作", "重点举措", "主要举措"),
    "targets": ("重点引进", "招商方向", "引进方向", "招商引资方向", "重点招商", "招商重点"),
    "layout": ("产业布局", "空间布局", "布局"),
}
ROW_KIND = {label: kind for kind, labels in ROW_KINDS.items() for label in labels}


@dataclass
class Line:
    """One line of the source: 1-based number, text without blanks, tab-cell flag."""

    number: int
    text: str
    cell: bool


@dataclass
class Section:
    """A part of the plan that facts cite: chapter, section, subsection, box, table."""

    id: str
    kind: str  # preamble | chapter | section | subsection | box | table | notes
    number: str
    title: str
    order: int
    parent: str | None = None
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The section's own text, one source line per line."""
        return "\n".join(line.text for line in self.lines if line.text)

    @property
    def span(self) -> tuple[int, int]:
        """First and last source line numbers."""
        nums = [line.number for line in self.lines] or [0]
        return min(nums), max(nums)


_CN = "一二三四五六七八九十"


def _cn_index(numeral: str) -> int:
    if numeral.startswith("十"):
        return 10 + (_CN.index(numeral[1]) + 1 if len(numeral) > 1 else 0)
    return _CN.index(numeral[0]) + 1 if len(numeral) == 1 else 10 + _CN.index(numeral[-1]) + 1


def read_lines(text: str) -> list[Line]:
    """Source lines with their numbers; a ``重点领域`` cell followed by ``及项目`` is joined."""
    raw = text.replace("\r\n", "\n").split("\n")
    lines: list[Line] = []
    for i, row in enumerate(raw, start=1):
        stripped = row.strip(" \t\u3000\ufeff")
        lines.append(Line(i, stripped, row.startswith("\t")))
    for i, line in enumerate(lines):
        if line.text == "重点领域":
            j = i + 1
            while j < len(lines) and not lines[j].text:
                j += 1
            if j < len(lines) and lines[j].text == "及项目":
                line.text = "重点领域及项目"
                lines[j].text = ""
    return lines


class _Splitter:
    """Walks the lines once and assigns each to the section that owns it."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.sections: list[Section] = []
        self.chapter: Section | None = None
        self.section: Section | None = None
        self.sub: Section | None = None
        self.box: Section | None = None
        self.box_state = ""  # "" | row kind (items, work, targets, layout) | "table"

    def add(self, sid: str, kind: str, number: str, title: str, parent: Section | None) -> Section:
        sec = Section(sid, kind, number, title, len(self.sections), parent.id if parent else None)
        self.sections.append(sec)
        return sec

    def host(self) -> Section:
        return self.sub or self.section or self.chapter or self.sections[0]

    def run(self) -> list[Section]:
        self.add("preamble", "preamble", "", "", None)
        for idx, line in enumerate(self.lines):
            t = line.text
            if not t:
                if self.box is not None:
                    self.box.lines.append(line)
                continue
            if t.startswith(FOOTNOTE):
                self._footnote(line)
                continue
            if self.box is not None and not self._box_continues(idx):
                self.box = None
            if self.box is not None:
                self.box.lines.append(line)
                self._box_label(t)
                continue
            if FIGURE.match(t):
                continue
            self._heading_or_text(line)
        return self.sections

    def _footnote(self, line: Line) -> None:
        notes = next((s for s in self.sections if s.id == "notes"), None)
        notes = notes or self.add("notes", "notes", "注", "注释", None)
        self.box = None
        line.text = line.text.lstrip(FOOTNOTE).strip()
        notes.lines.append(line)

    def _heading_or_text(self, line: Line) -> None:
        t = line.text
        if m := CHAPTER.match(t):
            numeral = m["n"] or m["nth"]
            n = _cn_index(numeral)
            self.chapter = self.add(f"ch{n}", "chapter", numeral, m["title"].strip(), None)
            self.section = self.sub = None
        elif (m := SECTION.match(t)) and self.chapter:
            n = f"{self.chapter.id}.{_cn_index(m['n'])}"
            self.section = self.add(
                n, "section", f"{self.chapter.number}（{m['n']}）", m["title"], self.chapter
            )
            self.sub = None
        elif (m := NUMBERED.match(t)) and self.section and len(t) <= 30 and not HEAD_STOP.search(t):
            sid = f"{self.section.id}.{m['n']}"
            self.sub = self.add(
                sid, "subsection", f"{self.section.number}{m['n']}", m["title"], self.section
            )
        elif m := BOX.match(t):
            self.box = self.add(f"box{m['n']}", "box", f"专栏{m['n']}", m["title"], self.host())
            self.box_state = ""
        elif m := TABLE.match(t):
            self.box = self.add(f"table{m['n']}", "table", f"表{m['n']}", m["title"], self.host())
            self.box_state = "table"
        else:
            self.host().lines.append(line)
            return
        self.sections[-1].lines.append(line)

    def _box_label(self, t: str) -> None:
        if t in ROW_KIND:
            self.box_state = ROW_KIND[t]

    def _box_continues(self, idx: int) -> bool:
        """Whether line ``idx`` still belongs to the open box or table."""
        line = self.lines[idx]
        t = line.text
        if CHAPTER.match(t) or SECTION.match(t) or BOX.match(t) or TABLE.match(t):
            return False
        prev = self._previous_text(idx)
        wrapped = prev.endswith(("、", "，", "；")) and self.lines[idx - 1].text != ""
        if self.box_state == "table":
            return line.cell or t.startswith("单位") or wrapped
        after_blank = idx > 0 and not self.lines[idx - 1].text
        if (
            after_blank
            and not line.cell
            and NUMBERED.match(t)
            and len(t) <= 30
            and not HEAD_STOP.search(t)
        ):
            return not self._next_part_starts(idx)  # a heading after the box, not a row of it
        if self.box_state == "layout":
            if line.cell or t.startswith("布局") or prev.endswith(tuple("、，；和及")):
                return True
            return len(t) <= 20 and not re.search(r"[。，；]", t) and not NUMBERED.match(t)
        return True

    def _previous_text(self, idx: int) -> str:
        """The last non-blank line before line ``idx`` (no copy of the lines)."""
        j = idx - 1
        while j >= 0 and not self.lines[j].text:
            j -= 1
        return self.lines[j].text if j >= 0 else ""

    def _next_part_starts(self, idx: int) -> bool:
        """Whether a new box, table or heading comes after line ``idx`` before any box row
        label: then the numbered line at ``idx`` heads running text after the box."""
        for line in self.lines[idx + 1 :]:
            t = line.text
            if t in ROW_KIND:
                return False
            if CHAPTER.match(t) or SECTION.match(t) or BOX.match(t) or TABLE.match(t):
                return True
        return True


def split_sections(text: str) -> list[Section]:
    """All sections of a plan text in document order."""
    return _Splitter(read_lines(text)).run()


def box_cells(box: Section) -> dict[str, list[Line]]:
    """The lines of each row of a box by the row's kind (:data:`ROW_KINDS`: items, work,
    targets, layout; ``""`` for lines before any label)."""
    cells: dict[str, list[Line]] = {"": []}
    current = ""
    for line in box.lines[1:]:
        if line.text in ROW_KIND:
            current = ROW_KIND[line.text]
            cells.setdefault(current, [])
        elif line.text:
            cells[current].append(line)
    return cells


def join_wrapped(lines: list[Line]) -> list[Line]:
    """Lines with a line that was wrapped after a list mark (、，；) joined to the next."""
    out: list[Line] = []
    for line in lines:
        last = out[-1] if out else None
        if last and line.text and last.text.endswith(("、", "，", "；")):
            out[-1] = Line(last.number, last.text + line.text, last.cell)
        elif line.text or not last or last.text:
            out.append(line)
    return out


LIST_NUMBER = re.compile(
    r"^(?:(?P<n>\d+)(?:[．、]|\.(?!\d))|[（(](?P<p>\d+)[)）])\s*(?P<title>.+)$"
)


def numbered_blocks(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Group lines under their numbered lines (``1．``, ``1、``, ``（1）``):
    [(heading, lines, the numbered line first)]."""
    blocks: list[tuple[str, list[Line]]] = []
    for line in lines:
        m = LIST_NUMBER.match(line.text)
        if m and len(m["title"]) <= 40 and not m["title"].endswith("。"):
            blocks.append((m["title"].strip(), [line]))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append(("", [line]))
    return blocks


def table_rows(table: Section) -> list[list[str]]:
    """The rows of a tab table: cells are tab lines (a cell wrapped after a list mark goes
    on without its tab), blank lines end a row."""
    rows: list[list[str]] = []
    current: list[str] = []
    for line in table.lines[1:]:
        if line.cell:
            current.append(line.text)
        elif line.text and current and current[-1].endswith(("、", "，", "；")):
            current[-1] += line.text  # a cell wrapped after a list mark
        elif not line.text:
            if current:
                rows.append(current)
            current = []
    if current:
        rows.append(current)
    return [r for r in rows if any(c for c in r)]
