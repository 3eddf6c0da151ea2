"""``/api/search``: find entities by zh or en name, alias or pinyin (``jiersuan``, ``jes``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.schemas import SearchResults, answers
from chainkg.queries.errors import BadParameter
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


@router.get(
    "/search",
    summary="Search entities by name, alias or pinyin",
    responses=answers(SearchResults, 400, 422),
)
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
        raise BadParameter("class", str(exc), list(CLASSES)) from None
    return {"q": q, "classes": classes, "count": len(results), "results": results}
