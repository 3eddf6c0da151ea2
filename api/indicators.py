"""``/api/indicators``: the plan's target table with the annual growth each target needs.

Optional filters narrow the table to one group (产业规模指标 …) or to the
indicators that measure one industry or park, named by slug, id or label.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.schemas import Indicator, answers
from chainkg.queries import indicators as indicator_queries
from chainkg.queries.search import pick

router = APIRouter(prefix="/api/indicators", tags=["indicators"])

GROUP_EXAMPLES = {
    "all": {"summary": "every group", "value": ""},
    "scale": {"summary": "industry scale", "value": "产业规模指标"},
}
MEASURES_EXAMPLES = {
    "all": {"summary": "every indicator", "value": ""},
    "industry": {"summary": "an industry, by slug", "value": "xin-cai-liao"},
    "park": {"summary": "a park, by name", "value": "临港经济区"},
}


def named(ref: dict | None, key: str) -> bool:
    """Whether the entity ``ref`` (``iri``, ``id``, ``label``) is the one ``key`` names."""
    return ref is not None and pick([ref], key) is not None


@router.get(
    "",
    summary="List the indicators with baseline, target and required growth",
    responses=answers(list[Indicator], 422),
)
def list_indicators(
    store: StoreDep,
    ids: IdsDep,
    group: Annotated[
        str | None,
        Query(description="Only this group (label or id).", openapi_examples=GROUP_EXAMPLES),
    ] = None,
    measures: Annotated[
        str | None,
        Query(
            description="Only indicators measuring this industry or park (slug, id or label).",
            openapi_examples=MEASURES_EXAMPLES,
        ),
    ] = None,
) -> list[dict]:
    """Every indicator in table order: group, nature (预期性/约束性), unit, baseline
    value and year, target value and year (or target text), parent, the industry or
    park it measures, its source section, ``cagr`` — the compound annual growth
    rate the target needs, ``(target/baseline)**(1/years) - 1`` rounded to 4
    decimals, null when not computable — and ``change`` (target − baseline)."""
    rows = indicator_queries.indicators(store, ids)
    if group:
        rows = [r for r in rows if named(r["group"], group)]
    if measures:
        rows = [r for r in rows if named(r["industry"], measures) or named(r["park"], measures)]
    return rows
