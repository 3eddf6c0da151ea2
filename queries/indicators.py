"""Indicators of the plan's target table, with the growth each target needs.

One query (``indicators.rq``) gives every row of the table in table order; this
module turns it into plain dicts (one JSON model for the API and the HTML page)
and adds the compound annual growth rate from baseline to target,
``(target / baseline) ** (1 / (target_year - baseline_year)) - 1``, and the
absolute ``change``. For a percentage indicator the CAGR is still the growth of
the percentage itself; ``change`` gives the difference in points.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from chainkg.graph.namespaces import Ids
from chainkg.queries import get
from chainkg.queries.rows import text
from chainkg.queries.search import code, entity_id, ref


def number(term) -> int | float | None:
    """A numeric literal as an int when whole, else a float; None when missing or not a number."""
    if term is None:
        return None
    try:
        value = Decimal(str(term))
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def year(term) -> int | None:
    """A year literal (xsd:gYear, integer or string) as an int."""
    if term is None:
        return None
    found = re.match(r"-?\d{4,}", str(term).strip())
    return int(found.group()) if found else None


def cagr(baseline, target, baseline_year, target_year) -> float | None:
    """Compound annual growth rate from baseline to target, rounded to 4 decimals.

    None when it cannot be computed: a missing or non-positive value, or no years between.
    """
    if None in (baseline, target, baseline_year, target_year):
        return None
    years = target_year - baseline_year
    if years <= 0 or baseline <= 0 or target < 0:
        return None
    return round((target / baseline) ** (1 / years) - 1, 4)


def change(baseline, target) -> int | float | None:
    """``target - baseline`` (exact decimal arithmetic), or None."""
    if baseline is None or target is None:
        return None
    return number(Decimal(str(target)) - Decimal(str(baseline)))


def indicators(store, ids: Ids | None = None) -> list[dict]:
    """Every indicator in table order, with values, sources and required growth."""
    out: dict[str, dict] = {}
    for row in store.select(get("indicators").text):
        iri = str(row["indicator"])
        if iri in out:
            continue
        baseline, target = number(row.get("baseline")), number(row.get("target"))
        base_year, target_year = year(row.get("baseline_year")), year(row.get("target_year"))
        out[iri] = {
            "iri": iri,
            "id": entity_id(iri, ids),
            "label": text(row.get("label")),
            "group": ref(row.get("group"), row.get("group_label"), ids),
            "nature": code(row, "nature"),
            "unit": text(row.get("unit")),
            "baseline": baseline,
            "baseline_year": base_year,
            "target": target,
            "target_year": target_year,
            "target_text": text(row.get("target_text")),
            "cagr": cagr(baseline, target, base_year, target_year),
            "change": change(baseline, target),
            "parent": ref(row.get("parent"), None, ids),
            "industry": ref(row.get("industry"), row.get("industry_label"), ids),
            "park": ref(row.get("park"), row.get("park_label"), ids),
            "section": ref(row.get("section"), row.get("section_label"), ids),
        }
    labels = {iri: item["label"] for iri, item in out.items()}
    for item in out.values():
        if item["parent"]:
            item["parent"]["label"] = labels.get(item["parent"]["iri"])
    return list(out.values())


def measuring(items: list[dict], kind: str, iri: str) -> list[dict]:
    """The indicators among ``items`` that measure the industry or park ``iri``."""
    return [it for it in items if it[kind] and it[kind]["iri"] == iri]


def summary(item: dict | None) -> dict | None:
    """The short form of an indicator shown on industry and park pages."""
    if item is None:
        return None
    keys = ("iri", "id", "label", "unit", "baseline", "baseline_year", "target", "target_year")
    return {k: item[k] for k in keys} | {"target_text": item["target_text"], "cagr": item["cagr"]}
