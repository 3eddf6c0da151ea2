"""Named queries over HTTP: ``/api/queries`` lists them, ``/api/queries/{name}`` runs one.

Parameters are typed by the query's header and bound as RDF terms (Oxigraph
substitutions): a value is only ever data, whatever characters it holds.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from chainkg.api.deps import ServicesDep
from chainkg.api.protocol import ProtocolError, formats
from chainkg.graph.executor import Job, QueryError
from chainkg.graph.namespaces import PREFIXES
from chainkg.graph.results import CONTENT_TYPE
from chainkg.loaders.errors import suggest
from chainkg.queries import NamedQuery, named_queries

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


def _substitution(ptype: str, value: str) -> tuple:
    if ptype == "iri":
        return ("iri", value, None)
    if ptype == "integer":
        int(value)
        return ("typed", value, "http://www.w3.org/2001/XMLSchema#integer")
    if ptype == "decimal":
        float(value)
        return ("typed", value, "http://www.w3.org/2001/XMLSchema#decimal")
    return ("plain", value, None)


@router.get("/{name}", summary="Run a named query", response_class=Response)
async def run_query(name: str, request: Request, services: ServicesDep) -> Response:
    """Run query ``name`` with its parameters from the query string; SPARQL JSON by default."""
    queries = named_queries()
    if name not in queries:
        return JSONResponse(
            {
                "detail": f"no named query {name!r}",
                "suggestions": [s for s in [suggest(name, list(queries))] if s],
            },
            status_code=404,
        )
    q = queries[name]
    given = dict(request.query_params)
    given.pop("format", None)
    unknown = sorted(set(given) - {p.name for p in q.params})
    missing = [p.name for p in q.params if p.name not in given]
    if unknown or missing:
        return JSONResponse(
            {
                "detail": "wrong parameters",
                "unknown": unknown,
                "missing": missing,
                "params": describe(q)["params"],
            },
            status_code=400,
        )
    try:
        subs = {p.name: _substitution(p.type, given[p.name]) for p in q.params}
        select_fmt, graph_fmt = formats(
            request.query_params.get("format") or request.headers.get("accept")
        )
    except ValueError as exc:
        return JSONResponse({"detail": f"bad parameter value: {exc}"}, status_code=400)
    except ProtocolError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    job = Job(
        q.text,
        select_fmt,
        graph_fmt,
        max_rows=services.settings.max_rows,
        substitutions=subs,
        prefixes=PREFIXES,
    )
    try:
        result = await run_in_threadpool(services.pool.run, job)
    except QueryError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    media = CONTENT_TYPE[select_fmt] if result.form != "graph" else graph_fmt
    return Response(result.body, media_type=media)
