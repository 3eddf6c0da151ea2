"""``/api/parks``: parks, one park with what it hosts, and the park × segment/product matrix."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.schemas import Park, ParkSummary, answers
from chainkg.queries import parks as park_queries
from chainkg.queries.errors import Unknown
from chainkg.queries.search import suggestions

router = APIRouter(prefix="/api/parks", tags=["parks"])

ID_EXAMPLES = {
    "slug": {"summary": "slug", "value": "lin-gang-jing-ji-qu"},
    "id": {"summary": "full id", "value": "park/fu-ling-qu/lin-gang-jing-ji-qu"},
    "zh": {"summary": "Chinese name", "value": "临港经济区"},
}
AXIS_EXAMPLES = {
    "segment": {"summary": "park × segment (and whole industries)", "value": "segment"},
    "product": {"summary": "park × product (layouts and registry facts)", "value": "product"},
}


@router.get("", summary="List the parks", responses=answers(list[ParkSummary]))
def list_parks(store: StoreDep, ids: IdsDep) -> list[dict]:
    """Every park with its region, how many layout entries and enterprises it has,
    and the indicator that measures it (2021 value, 2026 target, CAGR)."""
    return park_queries.parks(store, ids)


@router.get("/matrix", summary="Park × segment or park × product matrix")
def park_matrix(
    store: StoreDep,
    ids: IdsDep,
    axis: Annotated[
        Literal["segment", "product"],
        Query(description="Columns: segments or products.", openapi_examples=AXIS_EXAMPLES),
    ] = "segment",
) -> dict:
    """``{"axis", "parks", "segments"|"products", "cells"}``; each cell names a park, a
    column and its sources: layout entries (kind ``layout``, with the plan section)
    and, for products, registry production facts in the park (kind ``registry``)."""
    return park_queries.matrix(store, axis, ids)


@router.get("/{park_id:path}", summary="One park and what it hosts", responses=answers(Park, 404))
def get_park(
    park_id: Annotated[
        str,
        Path(description="Slug, full id, zh or en name of the park.", openapi_examples=ID_EXAMPLES),
    ],
    store: StoreDep,
    ids: IdsDep,
):
    """The park with each layout entry (hosted words, what they resolve to, source
    section), what it hosts by class, enterprises and production facts placed in it,
    the indicators that measure it and its source sections. Unknown: 404 with
    suggestions."""
    found = park_queries.park(store, park_id, ids)
    if found is None:
        hints = suggestions(store, park_id, ["Park"], park_queries.parks(store, ids), ids)
        raise Unknown("park", park_id, hints, ["Park"])
    return found
