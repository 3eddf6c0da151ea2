"""``/api/search``: find entities by zh or en name, alias or pinyin (``jiersuan``, ``jes``).

Also the 404 body the resource routers answer with: what was not found and the
search results for it, so a mistyped id or name still leads somewhere.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.graph.namespaces import Ids
from chainkg.queries.search import CLASSES, search

router = APIRouter(prefix="/api", tags=["search"])

Q_EXAMPLES = {
    "pinyin": {"summary": "full pinyin", "value": "jiersuan"},
    "spaced": {"summary": "pinyin with spaces", "value": "ji er suan"},
    "initials": {"summary": "pinyin initials", "value": "jes"},
    "chinese": {"summary": "Chinese name", "value": "己二酸"},
    "english": {"summary": "English name", "value": "adipic acid"},
    "alias": {"summary": "abbreviation (skos:altLabel)", "value": "ADN"},
}
CLASS_EXAMPLES = {
    "any": {"summary": "every class", "value": []},
    "products": {"summary": "products only", "value": ["Product"]},
    "places": {"summary": "parks and enterprises", "value": ["Park", "Enterprise"]},
}


def classes_of(values: list[str] | None) -> list[str] | None:
    """Class names from repeated and comma-separated ``class`` parameters."""
    names = [c.strip() for v in values or [] for c in v.split(",") if c.strip()]
    return names or None


def not_found(
    store, ids: Ids, what: str, key: str, classes: list[str], fallback: list[dict]
) -> JSONResponse:
    """404 ``{"detail", "suggestions"}``: search results for ``key`` among ``classes``.

    When nothing of those classes matches, closer-than-fuzzy matches of any class are
    offered, then ``fallback`` (the listed entities), so suggestions are never empty
    while there is data.
    """
    word = key.strip("/").rsplit("/", 1)[-1]
    found = search(store, word, limit=5, classes=classes, ids=ids)
    if not found:
        found = [r for r in search(store, word, limit=5, ids=ids) if r["score"] >= 0.5]
    if not found:
        found = [
            {k: item.get(k) for k in ("iri", "id", "label", "label_en")}
            | {"class": classes[0], "score": 0.0, "matched": None}
            for item in fallback[:5]
        ]
    return JSONResponse({"detail": f"no {what} {key!r}", "suggestions": found}, status_code=404)


@router.get("/search", summary="Search entities by name, alias or pinyin")
def search_entities(
    store: StoreDep,
    ids: IdsDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Words to find: zh or en name, alias, full pinyin (spaces and "
            "dashes optional) or pinyin initials; case-insensitive.",
            openapi_examples=Q_EXAMPLES,
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100, description="Most results returned.")] = 10,
    cls: Annotated[
        list[str] | None,
        Query(
            alias="class",
            description="Only these classes (repeat or comma-separate): "
            + ", ".join(CLASSES)
            + ". PlanItem includes projects.",
            openapi_examples=CLASS_EXAMPLES,
        ),
    ] = None,
):
    """Entities whose zh or en label, alias or pinyin matches ``q``, best first.

    Ranking: exact > prefix > substring > fuzzy; within each, labels before
    aliases before pinyin before initials. Each result has ``iri``, ``id``,
    ``label``, ``label_en``, ``class``, ``score`` and ``matched`` (which key
    matched and how).
    """
    classes = classes_of(cls)
    try:
        results = search(store, q, limit=limit, classes=classes, ids=ids)
    except ValueError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return {"q": q, "classes": classes, "count": len(results), "results": results}
