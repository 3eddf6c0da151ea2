"""Indicator tables (``表N``): columns found by their header names in any order, a unit
column, a ``单位：`` line or a unit in the name, years from the year headers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from chainkg.loaders.document import Section, table_rows
from chainkg.loaders.plan_facts import Indicator, Plan


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


UNIT_IN_NAME = re.compile(r"[（(](%|％|[家个项户亿万元吨人]+)[)）]$")


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where an indicator table keeps each thing, found by the header's words in any order:
    name (指标名称/指标), nature (属性), unit (单位), number (序号); None if no name column."""
    col: dict[str, int] = {}
    for i, c in enumerate(header):
        if "属性" in c:
            col.setdefault("nature", i)
        elif "指标" in c:
            col.setdefault("name", i)
        elif c.startswith("单位"):
            col.setdefault("unit", i)
        elif c in ("序号", "编号"):
            col.setdefault("number", i)
    return col if "name" in col else None


def indicators(plan: Plan, table: Section) -> None:
    """The rows of an indicator table (``表N``): columns by header name, years from the
    year headers (the first is the baseline, the last the target), the unit from a unit
    column, the name's ``（%）`` or the ``单位：`` line."""
    rows = table_rows(table)
    col = _columns(rows[0]) if rows else None
    if col is None:
        return
    header = rows[0]
    years = sorted(
        ((i, int(m[1])) for i, c in enumerate(header) if (m := re.match(r"(\d{4})年?", c))),
        key=lambda iy: iy[1],
    )
    if not years:
        return
    plan.used.update(ln.number for ln in table.lines)
    unit_line = next(
        (
            m[1]
            for ln in table.lines
            if not ln.cell and (m := re.match(r"^单位[：:]\s*(.+)$", ln.text))
        ),
        "",
    )
    group, parent = "", None
    lex = plan.industry_lexicon()

    def get(row: list[str], key: str) -> str:
        return row[col[key]] if key in col and col[key] < len(row) else ""

    for row in rows[1:]:
        filled = [c for c in row if c]
        if len(row) < len(header):
            if 1 <= len(filled) <= 2 and all(_number(c) is None for c in filled):
                group = filled[-1]
            else:
                plan.problems.append(
                    (
                        _row_line(table, row),
                        f"{table.number}: a row of "
                        f"{len(row)} cells under a header of {len(header)}",
                    )
                )
            continue
        raw = get(row, "name")
        name = re.sub(r"^其中[：:]", "", raw).strip().lstrip("①②③④⑤⑥⑦⑧⑨⑩").strip()
        m = UNIT_IN_NAME.search(name)
        unit = get(row, "unit") or (m[1].replace("％", "%") if m else unit_line)
        number = get(row, "number") if "number" in col else None
        ind = Indicator(name, group, get(row, "nature"), unit, table.id, number or None)
        (b_i, ind.baseline_year), (t_i, ind.target_year) = years[0], years[-1]
        ind.baseline, ind.target = _number(row[b_i]), _number(row[t_i])
        if ind.target is None:
            ind.target_text = row[t_i]
        if "number" not in col or number:
            parent = ind
        elif parent is not None:
            ind.parent = parent.name
            bare = re.sub(r"产业$", "", name)
            ind.industry = lex.get(bare) or lex.resolve(bare)
        ind.park = next((p for p in plan.parks if p in name), None)
        plan.indicators.append(ind)


def _row_line(table: Section, row: list[str]) -> int:
    """The source line of a table row's first non-empty cell."""
    first = next((c for c in row if c), "")
    return next((ln.number for ln in table.lines if ln.cell and ln.text == first), table.span[0])
