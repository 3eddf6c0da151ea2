"""``/api/industries``: the plan's industries, and one industry with everything it links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.schemas import Industry, IndustrySummary, answers
from chainkg.queries import industries as industry_queries
from chainkg.queries.errors import Unknown
from chainkg.queries.search import suggestions

router = APIRouter(prefix="/api/industries", tags=["industries"])

ID_EXAMPLES = {
    "slug": {"summary": "slug", "value": "xin-cai-liao"},
    "id": {"summary": "full id", "value": "industry/fu-ling-qu-2022-2026/xin-cai-liao"},
    "zh": {"summary": "Chinese name", "value": "新材料"},
    "en": {"summary": "English name", "value": "new materials"},
}


@router.get("", summary="List the industries", responses=answers(list[IndustrySummary]))
def list_industries(store: StoreDep, ids: IdsDep) -> list[dict]:
    """Every industry in plan order: zh and en label, tier, number of segments and
    products, and the indicator that measures it (2021 value, 2026 target, CAGR)."""
    return industry_queries.industries(store, ids)


@router.get(
    "/{industry_id:path}",
    summary="One industry and what it links",
    responses=answers(Industry, 404),
)
def get_industry(
    industry_id: Annotated[
        str,
        Path(
            description="Slug, full id, zh or en name of the industry.",
            openapi_examples=ID_EXAMPLES,
        ),
    ],
    store: StoreDep,
    ids: IdsDep,
):
    """The industry with its segments (and details), chains, products (with kind),
    plan items and projects (with capacity), attraction targets, clusters, platforms,
    parks hosting it (per layout entry), enterprises producing its products, its
    indicator and its source sections. Unknown: 404 with suggestions."""
    found = industry_queries.industry(store, industry_id, ids)
    if found is None:
        listed = industry_queries.industries(store, ids)
        hints = suggestions(store, industry_id, ["Industry"], listed, ids)
        raise Unknown("industry", industry_id, hints, ["Industry"])
    return found
