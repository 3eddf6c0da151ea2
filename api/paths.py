"""``/api/paths`` and ``/api/products/{id}/upstream|downstream``: chain paths, explained.

A thin router over :mod:`chainkg.queries.paths`: every step of a path carries its
evidence (plan quote and section, or domain reason) and every node its local
enterprises, plan items and parks. Unknown names answer 404 with suggestions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.schemas import Closure, Paths, answers
from chainkg.queries import paths as path_queries

router = APIRouter(prefix="/api", tags=["paths"])

FROM_EXAMPLES = {
    "zh": {"summary": "Chinese name", "value": "己二酸"},
    "pinyin": {"summary": "full pinyin", "value": "jiersuan"},
    "alias": {"summary": "abbreviation", "value": "ADN"},
    "id": {"summary": "id", "value": "product/shale-gas"},
}
TO_EXAMPLES = {
    "product": {"summary": "a product", "value": "尼龙66"},
    "cross": {"summary": "a product in another industry", "value": "PET"},
    "industry": {"summary": "an industry", "value": "新能源与智能网联汽车"},
    "park": {"summary": "a park", "value": "白涛新材料科技城"},
}
ID_EXAMPLES = {
    "zh": {"summary": "Chinese name", "value": "尼龙66"},
    "slug": {"summary": "slug", "value": "nylon-66"},
    "id": {"summary": "full id", "value": "product/nylon-66"},
    "pinyin": {"summary": "full pinyin", "value": "jiersuan"},
}

ProductId = Annotated[
    str,
    Path(
        description="Id, slug, IRI, zh or en name, alias or pinyin of the product.",
        openapi_examples=ID_EXAMPLES,
    ),
]
Depth = Annotated[int, Query(ge=1, le=10, description="Most links away from the product.")]
Limit = Annotated[
    int, Query(ge=1, le=500, description="Most nodes returned besides the product itself.")
]


@router.get(
    "/paths",
    summary="Chain paths from a product to a product, industry or park",
    responses=answers(Paths, 404, 422),
)
def get_paths(
    store: StoreDep,
    ids: IdsDep,
    start: Annotated[
        str,
        Query(
            alias="from",
            min_length=1,
            max_length=200,
            description="The upstream product: id, slug, IRI, zh or en name, alias or pinyin.",
            openapi_examples=FROM_EXAMPLES,
        ),
    ],
    to: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Where the path ends: a product, an industry (its nearest product) "
            "or a park (the nearest product it hosts).",
            openapi_examples=TO_EXAMPLES,
        ),
    ],
    to_kind: Annotated[
        Literal["auto", "product", "industry", "park"],
        Query(description="What `to` names; `auto` tries a product, then an industry or park."),
    ] = "auto",
    every: Annotated[
        bool,
        Query(alias="all", description="All paths (up to `max_paths`), not just the shortest."),
    ] = False,
    max_len: Annotated[
        int, Query(ge=1, le=10, description="Most links in a path (with `all=true`).")
    ] = 6,
    max_paths: Annotated[
        int, Query(ge=1, le=100, description="Most paths returned (with `all=true`).")
    ] = 20,
):
    """Paths along the chain links, upstream → downstream, shortest first, ties by id.

    When nothing leads from `from` to `to` but something leads back, those paths are
    given with `"direction": "reversed"`; when nothing links them, `found` is false
    and `paths` empty. Each path lists its nodes, industries and steps (link, evidence
    kind, plan quote or domain reason, section); `nodes` explains each product (local
    status, enterprises, plan items, parks). Unknown names: 404 with suggestions.
    """
    if every:
        return path_queries.all_paths(store, start, to, ids, max_len, max_paths, to_kind)
    return path_queries.shortest(store, start, to, ids, to_kind)


def _closure(store, ids, product_id: str, direction: str, depth: int, limit: int):
    return path_queries.closure(store, product_id, direction, depth, ids, limit)


@router.get(
    "/products/{product_id:path}/upstream",
    summary="What feeds a product",
    responses=answers(Closure, 404, 422),
)
def get_upstream(
    product_id: ProductId, store: StoreDep, ids: IdsDep, depth: Depth = 3, limit: Limit = 200
):
    """Products upstream of this one within `depth` links: `nodes` (the product at depth
    0, then nearest first, each explained) and `edges` (the links among them with their
    evidence); `more` counts nodes cut by `limit`. Unknown: 404 with suggestions."""
    return _closure(store, ids, product_id, "upstream", depth, limit)


@router.get(
    "/products/{product_id:path}/downstream",
    summary="What a product feeds",
    responses=answers(Closure, 404, 422),
)
def get_downstream(
    product_id: ProductId, store: StoreDep, ids: IdsDep, depth: Depth = 3, limit: Limit = 200
):
    """Products downstream of this one within `depth` links: `nodes` (the product at
    depth 0, then nearest first, each explained) and `edges` (the links among them with
    their evidence); `more` counts nodes cut by `limit`. Unknown: 404 with suggestions."""
    return _closure(store, ids, product_id, "downstream", depth, limit)
