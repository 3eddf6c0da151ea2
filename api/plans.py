"""``/api/plans``: the district plans of the store (every other route reads one: ``plan=``)."""

from __future__ import annotations

from fastapi import APIRouter

from chainkg.api.deps import IdsDep, WholeStoreDep
from chainkg.api.schemas import PlanSummary, answers
from chainkg.queries import plans as plan_queries

router = APIRouter(prefix="/api/plans", tags=["plans"])


@router.get("", summary="List the district plans", responses=answers(list[PlanSummary]))
def list_plans(store: WholeStoreDep, ids: IdsDep) -> list[dict]:
    """Every plan of the store, the default one first: id, key (what ``plan=`` takes on
    the other routes), title and region. A store built from a manifest with several
    plans holds one per district."""
    return plan_queries.plans(store, ids)
