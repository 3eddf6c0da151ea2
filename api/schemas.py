"""What the JSON routes answer, as pydantic models for the OpenAPI document (``/docs``).

The routes build plain dicts in ``queries/``; these models describe them for clients
(declared as ``responses=`` on each route, so nothing is filtered or copied on the way
out). Every model allows more fields than it names: a model lists the fields a client can
rely on. ``tests/api/test_schemas.py`` validates real answers against them, so the
document cannot drift from what the service sends.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Ref(Open):
    """An entity: its IRI, its id (the IRI minus the base) and labels."""

    iri: str | None = None
    id: str
    label: str | None = None
    label_en: str | None = None


class Error(Open):
    """Every refusal: HTTP status, short code, a sentence, and what helps next."""

    status: int
    error: str = Field(description="unknown, bad-parameter, invalid, protocol, query or http")
    detail: str
    suggestions: list[dict[str, Any]] | None = Field(None, description="for an unknown name")
    choices: list[str] | None = Field(None, description="for a value outside its set")
    errors: list[dict[str, Any]] | None = Field(None, description="request validation")


class SearchResult(Ref):
    cls: str = Field(alias="class")
    score: float
    matched: dict[str, Any] | None


class SearchResults(Open):
    q: str
    classes: list[str] | None
    count: int
    results: list[SearchResult]


class Path(Open):
    length: int
    nodes: list[str]
    labels: list[str | None]
    industries: list[str]
    steps: list[dict[str, Any]]


class Paths(Open):
    found: bool
    direction: str | None
    count: int
    more: bool
    paths: list[Path]
    nodes: list[dict[str, Any]]


class Closure(Open):
    product: dict[str, Any]
    direction: str
    depth: int
    count: int
    more: int
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class Gap(Open):
    rank: int
    list: str
    kind: str
    product: dict[str, Any]
    score: float
    reasons: dict[str, list[str]]
    headline: dict[str, str]
    attract: dict[str, Any]


class GapReport(Open):
    filters: dict[str, Any]
    scoring: dict[str, Any]
    gaps: list[Gap]
    by_industry: list[dict[str, Any]] | dict[str, Any]
    targets: dict[str, Any]
    counts: dict[str, Any]


class PlanSummary(Ref):
    """A district plan of the store: ``key`` is what ``plan=`` takes."""

    key: str
    region: dict[str, Any] | None
    default: bool


class IndustrySummary(Ref):
    """An industry in the list: how many segments and products it has."""

    tier: dict[str, Any] | None
    segments: int
    products: int
    indicator: dict[str, Any] | None


class Industry(Ref):
    """One industry with its segments, products, chains, items, parks and enterprises."""

    tier: dict[str, Any] | None
    segments: list[dict[str, Any]]
    products: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    parks: list[dict[str, Any]]
    enterprises: list[dict[str, Any]]
    indicator: dict[str, Any] | None


class ParkSummary(Ref):
    """A park in the list: how many layout entries and enterprises it has."""

    layouts: int
    enterprises: int
    indicator: dict[str, Any] | None


class Park(Ref):
    """One park: its layout entries, what it hosts, enterprises and indicators."""

    layouts: list[dict[str, Any]]
    hosts: dict[str, Any] | list[Any]
    enterprises: list[dict[str, Any]]
    indicator: dict[str, Any] | None


class Indicator(Ref):
    unit: str | None
    baseline: float | None
    target: float | None
    cagr: float | None


class Entity(Ref):
    types: list[Any]
    properties: list[Any] | dict[str, Any]
    provenance: list[Any] | dict[str, Any]
    graphs: list[Any]


def answers(model: Any, *errors: int) -> dict:
    """``responses=`` of a route: ``model`` for 200, :class:`Error` for ``errors``."""
    out: dict[int | str, dict[str, Any]] = {200: {"model": model}}
    for status in errors:
        out[status] = {"model": Error}
    return out
