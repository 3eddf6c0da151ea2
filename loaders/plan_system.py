"""A plan's industry system: its industries, their tiers and segments, read from a
``专栏`` table (产业领域 and 重点环节 columns; tiers as rows of their own, as a merged first
column, or as cells of a table whose rows are not separated) or, when there is no such
table or it gives nothing, from the headings that name them (``（一）“2”个主导产业`` then
``1．锂电新能源``). Tier words are an open vocabulary: a word not known is kept as written."""

from __future__ import annotations

import re

from chainkg.loaders.document import Section, table_rows
from chainkg.loaders.plan_facts import Industry
from chainkg.loaders.text import name_and_detail, split_top, strip_end

# Tier words of the genre → the ontology's tiers; a word not listed is kept as written.
TIERS = (
    ("特色", "distinctive"),
    ("服务", "service"),
    ("优势", "advantage"),
    ("主导", "advantage"),
    ("支柱", "advantage"),
    ("重点", "advantage"),
    ("培育", "cultivated"),
    ("新兴", "cultivated"),
    ("先导", "cultivated"),
    ("未来", "cultivated"),
    ("潜力", "cultivated"),
)
COUNT = re.compile(r"^[“\"「]?[\dXxN一二两三四五六七八九十+]+[”\"」]?[个大]?")
VERBS = re.compile(r"^(做大做强|做强做优|做优做强|做强|做优|做大|壮大|发展|打造|提升|前瞻布局)")
TIER_PHRASE = re.compile(r"^(.{1,10}(?:产业|服务业))$")
HEADER_WORDS = ("序号", "类别", "层级", "类型", "产业领域", "环节", "细分", "领域")


def tier_of(text: str) -> tuple[str, str]:
    """(tier key or "", the tier as written) of a group row or heading: ``“3”个优势支柱产业``
    → (advantage, 优势支柱产业); an unknown word keeps its text and no key."""
    written = COUNT.sub("", text.strip()).strip()
    return next((key for word, key in TIERS if word in written), ""), written


def _tier_cell(cell: str) -> bool:
    """Whether a table cell names a tier (a short ``…产业`` phrase, counted or known)."""
    if len(cell) > 16 or re.search(r"[、，；。]", cell):
        return False
    written = COUNT.sub("", cell).strip()
    counted = written != cell.strip()
    return bool(TIER_PHRASE.match(written)) and (counted or bool(tier_of(cell)[0]))


def industry_system(sections: list[Section]) -> tuple[str, list[Industry]]:
    """(the system's name, its industries): from the first table that gives industries,
    else from the headings."""
    for box in (s for s in sections if s.kind == "box"):
        rows = table_rows(box)
        if rows and any("产业领域" in c for c in rows[0]):
            found = _table_industries(box, rows)
            if found:
                return box.title.strip(), found
    return _heading_industries(sections)


def _table_industries(box: Section, rows: list[list[str]]) -> list[Industry]:
    cells = [c for r in rows for c in r]
    width = next(
        (i for i, c in enumerate(cells) if not any(w in c for w in HEADER_WORDS) or len(c) > 12),
        len(cells),
    )
    header = cells[:width]
    name_col = next((i for i, c in enumerate(header) if "产业领域" in c), None)
    if name_col is None:
        return []
    tier_col = next((i for i, c in enumerate(header) if re.search("类别|层级|类型", c)), None)
    data_cols = [i for i in range(width) if i != tier_col]
    seg_col = next((i for i in data_cols if re.search("环节|细分", header[i])), None)
    tier, written, out = "", "", []
    rest, i = cells[width:], 0
    while i < len(rest):
        if not rest[i]:
            i += 1
            continue
        nxt = next((c for c in rest[i + 1 :] if c), "")
        if (_tier_cell(rest[i]) and "、" not in nxt) or (
            tier_col is None and _single_row(rows, rest[i])
        ):
            tier, written = tier_of(rest[i])
            i += 1
            continue
        values = dict(zip(data_cols, rest[i : i + len(data_cols)], strict=False))
        i += len(data_cols)
        name = values.get(name_col, "")
        if not name:
            continue
        ind = Industry(name, tier, box.id, tier_text=written)
        if seg_col is not None and values.get(seg_col):
            for part in split_top(strip_end(values[seg_col])):
                seg, detail = name_and_detail(part)
                ind.add_segment(seg, detail, box.id)
        out.append(ind)
    return out


def _single_row(rows: list[list[str]], cell: str) -> bool:
    """Whether ``cell`` is a row of its own (a group row, whatever its wording)."""
    return any(len([c for c in r if c]) == 1 and cell in r for r in rows[1:])


TIER_HEADING = re.compile(
    r"^(?:[“\"「]?[\dXxN一二两三四五六七八九十]+[”\"」]?[个大])?(.{1,10}(?:产业|服务业))$"
)


def _heading_industries(sections: list[Section]) -> tuple[str, list[Industry]]:
    """Industries named by headings under tier headings (``（一）“2”个主导产业``,
    ``（二）培育产业``, ``（四）生产性服务业``): a heading counts when it has a count or a
    known tier word, and numbered subsections under it."""
    out: list[Industry] = []
    for sec in sections:
        if sec.kind not in ("section", "chapter"):
            continue
        title = VERBS.sub("", sec.title.strip())
        m = TIER_HEADING.match(title)
        if not m or not (COUNT.match(title) or tier_of(m[1])[0]):
            continue
        tier, written = tier_of(m[1])
        for sub in sections:
            if sub.parent == sec.id and sub.kind == "subsection":
                out.append(Industry(sub.title.strip(), tier, sub.id, tier_text=written))
    if not out:
        return "", []
    parent = next(s for s in sections if s.id == out[0].section)
    chapter = next((s for s in sections if s.id == parent.parent), None)
    system = re.search(r"“[^”]+”[^，。]{0,12}体系", chapter.text if chapter else "")
    return (system[0] if system else ""), out
