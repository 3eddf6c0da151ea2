"""``/api/entities/{id}``: one entity as JSON (the model its HTML page is drawn from).

``id`` is the entity's IRI minus the configured base, e.g. ``product/adipic-acid``.
An unknown id answers 404 with search suggestions for its last path segment.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from chainkg.api.deps import IdsDep, WholeStoreDep
from chainkg.api.schemas import Entity, answers
from chainkg.graph.namespaces import Ids
from chainkg.graph.store import Store
from chainkg.queries.entities import describe
from chainkg.queries.errors import Unknown
from chainkg.queries.search import suggestions

router = APIRouter(prefix="/api/entities", tags=["entities"])


def not_found(store: Store, ids: Ids, entity_id: str) -> Unknown:
    """The error for an ``entity_id`` that names nothing, with close matches of its last
    path segment."""
    return Unknown("entity", ids.base + entity_id, suggestions(store, entity_id, None, None, ids))


@router.get(
    "/{entity_id:path}",
    summary="One entity: types, labels, statements, provenance",
    responses=answers(Entity, 404),
)
def entity(entity_id: str, store: WholeStoreDep, ids: IdsDep) -> JSONResponse:
    """The entity ``{base}{entity_id}``: its types, labels, statements, incoming links,
    sources (plan section text, registry file row) and named graphs."""
    model = describe(store, ids.base + entity_id, ids)
    if model is None:
        raise not_found(store, ids, entity_id)
    return JSONResponse(model)
