"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: query, update, service description.

Requests reach it through plain Starlette routes (:data:`ROUTES`, put ahead of the
others by the app factory) that call the same functions as the FastAPI routes, which stay
for the API docs: FastAPI's parameter resolution costs about 0.3 ms a request, half of
what a point lookup costs the engine's own server.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.routing import Route

from chainkg.api.deps import ServicesDep
from chainkg.api.description import describe, public_base
from chainkg.api.protocol import (
    Operation,
    ProtocolError,
    apply_using,
    check_network,
    form_pairs,
    formats,
    keywords,
    operation_from,
)
from chainkg.graph.executor import Answer, Job
from chainkg.graph.namespaces import PREFIXES
from chainkg.graph.results import CONTENT_TYPE

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}
DIRECT = {"application/sparql-query": "query", "application/sparql-update": "update"}


def endpoint_url(settings) -> str:
    """The endpoint's URL, also the base IRI of relative IRIs in queries and updates."""
    return public_base(settings) + "/sparql"


@router.get(
    "/sparql", summary="SPARQL query by GET, or the service description", response_class=Response
)
async def sparql_get(request: Request, services: ServicesDep) -> Response:
    """SPARQL 1.1 Protocol query via GET; without ``query``: service description or HTML page."""
    pairs = list(request.query_params.multi_items())
    if any(k == "update" for k, _ in pairs):
        raise ProtocolError(400, "an update must be sent by POST")
    op = operation_from(pairs)
    if op.query is None:
        return describe(request, services)
    return await answer(request, services, op)


@router.post(
    "/sparql", summary="SPARQL query or update by POST (form or direct)", response_class=Response
)
async def sparql_post(request: Request, services: ServicesDep) -> Response:
    """SPARQL 1.1 Protocol query or update via URL-encoded form or direct body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    pairs = list(request.query_params.multi_items())
    body = await request.body()
    if ctype == FORM:
        op = operation_from(pairs + form_pairs(body))
    elif ctype in DIRECT:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "request body is not UTF-8") from None
        op = operation_from(pairs, DIRECT[ctype], text)
    else:
        raise ProtocolError(
            415,
            f"unsupported media type {ctype or '(none)'}; send {FORM}, "
            "application/sparql-query or application/sparql-update",
        )
    if op.update is not None:
        return await update(request, services, op)
    if op.query is None:
        raise ProtocolError(400, "no query or update in the request")
    return await answer(request, services, op)


def job_for(settings, op: Operation, accept: str | None) -> Job:
    """The job of a query operation, its results in the format ``accept`` asks for."""
    check_network(op.query or "", settings.allow_network)
    select_format, graph_media_type = formats(accept)
    words = keywords(op.query or "")
    return Job(
        op.query or "",
        select_format,
        graph_media_type,
        union="FROM" not in words,
        default_graphs=op.default_graphs or None,
        named_graphs=op.named_graphs or None,
        max_rows=settings.max_rows,
        prefixes=PREFIXES if words & GRAPH_FORMS else {},  # for the serialised graph
        base_iri=endpoint_url(settings),
    )


def reply_headers(job: Job, result: Answer, settings) -> dict[str, str]:
    """The headers of an answer: its media type, rows and whether the cap cut it."""
    media = CONTENT_TYPE[job.select_format] if result.form != "graph" else job.graph_media_type
    headers = {"Content-Type": media, "X-Chainkg-Rows": str(result.rows)}
    if result.truncated:
        headers["X-Chainkg-Truncated"] = f"true; limit={settings.max_rows}"
    return headers


async def answer(request: Request, services: ServicesDep, op: Operation) -> Response:
    settings = services.settings
    accept = request.query_params.get("format") or request.headers.get("accept")
    job = job_for(settings, op, accept)
    result = await services.pool.arun(job)
    headers = reply_headers(job, result, settings)
    return Response(result.body, media_type=headers.pop("Content-Type"), headers=headers)


async def update(request: Request, services: ServicesDep, op: Operation) -> Response:
    token = services.settings.update_token
    if not token:
        raise ProtocolError(
            403, "SPARQL Update is disabled on this endpoint (set CHAINKG_UPDATE_TOKEN)"
        )
    auth = request.headers.get("authorization", "")
    if not hmac.compare_digest(auth.encode(), f"Bearer {token}".encode()):
        raise ProtocolError(401, "SPARQL Update needs the header 'Authorization: Bearer <token>'")
    check_network(op.update or "", services.settings.allow_network, update=True)
    text = apply_using(op.update or "", op.using_graphs, op.using_named_graphs)

    settings = services.settings

    def run() -> None:
        with services.home.new_version(from_current=True) as store:
            store.update(text, endpoint_url(settings), settings.query_timeout, services.limits)

    try:
        await run_in_threadpool(run)
    except SyntaxError as exc:
        raise ProtocolError(400, str(exc)) from None
    except (OSError, ValueError, RuntimeError) as exc:  # QueryError (refused, time, memory) passes
        raise ProtocolError(400, f"{type(exc).__name__}: {exc}") from None
    return Response(status_code=204)


async def _get(request: Request) -> Response:
    return await sparql_get(request, request.app.state.services)


async def _post(request: Request) -> Response:
    return await sparql_post(request, request.app.state.services)


ROUTES = [Route("/sparql", _get, methods=["GET"]), Route("/sparql", _post, methods=["POST"])]
