"""Named queries over HTTP: ``/api/queries`` lists them, ``/api/queries/{name}`` runs one.

Parameters are typed by the query's header and bound as RDF terms (Oxigraph
substitutions): a value is only ever data, whatever characters it holds.
"""

from __future__ import annotations

import difflib

from fastapi import APIRouter, Request
from fastapi.responses import Response

from chainkg.api.deps import ServicesDep
from chainkg.api.errors import ApiError
from chainkg.api.protocol import formats
from chainkg.graph.executor import Job
from chainkg.graph.namespaces import PREFIXES
from chainkg.graph.results import CONTENT_TYPE
from chainkg.queries import NamedQuery, Param, named_queries
from chainkg.queries.errors import Unknown

router = APIRouter(prefix="/api/queries", tags=["named queries"])


def describe(q: NamedQuery) -> dict:
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "params": [
            {"name": p.name, "type": p.type, "description": p.description} for p in q.params
        ],
        "sparql": q.text,
    }


@router.get("", summary="List the named queries")
def list_queries() -> list[dict]:
    """Every named query with its title, description, typed parameters and SPARQL text."""
    return [describe(q) for q in named_queries().values()]


def _substitution(param: Param, value: str) -> tuple:
    """How the query process binds ``value``: checked as ``param``'s type first
    (:class:`BadParameter` if it is not one)."""
    term = param.term(value)
    if param.type == "iri":
        return ("iri", str(term), None)
    if param.type in ("integer", "decimal"):
        return ("typed", str(term), str(term.datatype))
    return ("plain", value, None)


@router.get("/{name}", summary="Run a named query", response_class=Response)
async def run_query(name: str, request: Request, services: ServicesDep) -> Response:
    """Run query ``name`` with its parameters from the query string; SPARQL JSON by default."""
    queries = named_queries()
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.6)
        hints = [{"id": f"api/queries/{s}", "label": s, "class": "NamedQuery"} for s in close]
        raise Unknown("named query", name, hints, ["NamedQuery"])
    q = queries[name]
    given = dict(request.query_params)
    given.pop("format", None)
    unknown = sorted(set(given) - {p.name for p in q.params})
    missing = [p.name for p in q.params if p.name not in given]
    if unknown or missing:
        said = "; ".join(
            [f"unknown: {', '.join(unknown)}"] * bool(unknown)
            + [f"missing: {', '.join(missing)}"] * bool(missing)
        )
        raise ApiError(
            400,
            "bad-parameter",
            f"wrong parameters for {name} ({said})",
            unknown=unknown,
            missing=missing,
            params=describe(q)["params"],
        )
    subs = {p.name: _substitution(p, given[p.name]) for p in q.params}
    select_format, graph_media_type = formats(
        request.query_params.get("format") or request.headers.get("accept")
    )
    job = Job(
        q.text,
        select_format,
        graph_media_type,
        max_rows=services.settings.max_rows,
        substitutions=subs,
        prefixes=PREFIXES,
    )
    result = await services.pool.arun(job)
    media = CONTENT_TYPE[select_format] if result.form != "graph" else graph_media_type
    return Response(result.body, media_type=media)
