"""``/api/entities/{id}``: one entity as JSON (the model its HTML page is drawn from).

``id`` is the entity's IRI minus the configured base, e.g. ``product/adipic-acid``.
An unknown id answers 404 with search suggestions for its last path segment.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.graph.namespaces import Ids
from chainkg.graph.store import Store
from chainkg.queries.entities import describe

router = APIRouter(prefix="/api/entities", tags=["entities"])


def suggestions(store: Store, ids: Ids, entity_id: str, limit: int = 5) -> list[dict]:
    """Entities whose names come closest to the last path segment of ``entity_id``."""
    from chainkg.queries.search import search

    word = entity_id.strip("/").rsplit("/", 1)[-1]
    if not word:
        return []
    found = search(store, word, limit=limit, ids=ids)
    if not found and "-" in word:
        found = search(store, word.replace("-", " "), limit=limit, ids=ids)
    return found


def not_found(store: Store, ids: Ids, entity_id: str) -> dict:
    """The body of a 404 for ``entity_id``: what was missing and what may have been meant."""
    return {
        "detail": f"no entity {ids.base}{entity_id}",
        "suggestions": suggestions(store, ids, entity_id),
    }


NOT_FOUND = {404: {"description": "No such entity; `suggestions` lists close matches."}}


@router.get(
    "/{entity_id:path}",
    summary="One entity: types, labels, statements, provenance",
    responses=NOT_FOUND,
)
def entity(entity_id: str, store: StoreDep, ids: IdsDep) -> JSONResponse:
    """The entity ``{base}{entity_id}``: its types, labels, statements, incoming links,
    sources (plan section text, registry file row) and named graphs."""
    model = describe(store, ids.base + entity_id, ids)
    if model is None:
        return JSONResponse(not_found(store, ids, entity_id), status_code=404)
    return JSONResponse(model)
