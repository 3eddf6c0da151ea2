"""One error shape for every route, from one set of exception handlers.

Every refusal answers ``{"status", "error", "detail", ...}``: the HTTP status, a short
code, a sentence that names the parameter or the thing not found, and what helps next
(``suggestions`` for an unknown name, the allowed ``choices`` for a bad value, the
``errors`` of request validation). A browser (``Accept: text/html`` first) gets the same
as a small HTML page. Routers raise; :func:`install` registers the handlers in
``create_app``:

=====================  ======  ===============  ==========================================
exception              status  error            from
=====================  ======  ===============  ==========================================
``Unknown``            404     ``unknown``      a name or id that matches nothing
``BadParameter``       400     ``bad-parameter`` a value not of its parameter's type
``ApiError``           any     its own          a router's own refusal
``ProtocolError``      its     ``protocol``     the SPARQL protocol's refusals
``QueryError``         its     ``query``        the engine refused or stopped a query
validation             422     ``invalid``      FastAPI's parameter validation
HTTP (404 route, 405)  its     ``http``         Starlette
=====================  ======  ===============  ==========================================
"""

from __future__ import annotations

import logging
from html import escape

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from chainkg.api.protocol import ProtocolError
from chainkg.graph.executor import QueryError
from chainkg.queries.errors import BadParameter, Unknown

USER_SPARQL = ("/sparql", "/api/queries/")  # routes that run SPARQL the user wrote or chose
log = logging.getLogger("chainkg.api")
TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 422: "Invalid"}


class ApiError(Exception):
    """A router's own refusal: ``status``, ``error`` code, message and extra fields."""

    def __init__(self, status: int, error: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.extra = status, error, detail, extra


def body(status: int, error: str, detail: str, **extra) -> dict:
    """The error shape: ``{"status", "error", "detail"}`` and the extra fields."""
    return {"status": status, "error": error, "detail": detail} | extra


def wants_html(request: Request) -> bool:
    """Whether the client asked for a page first (a browser), not for data."""
    accept = request.headers.get("accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")


def respond(
    request: Request,
    status: int,
    error: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra,
) -> Response:
    """The error as JSON, or as a small HTML page for a browser."""
    content = body(status, error, detail, **extra)
    if not wants_html(request):
        return JSONResponse(content, status_code=status, headers=headers)
    root = escape(request.scope.get("root_path", ""))
    links = [
        (escape(s["id"]), escape(s.get("label") or s["id"]))
        for s in extra.get("suggestions", [])
        if isinstance(s, dict) and s.get("id")
    ]
    items = "".join(f'<li><a href="{root}/{i}">{label}</a></li>' for i, label in links)
    title = f"{status} {TITLES.get(status, 'Error')}"
    page = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'</head><body><h1>{escape(title)}</h1><p id="error-detail">{escape(detail)}</p>'
        + (f"<p>Did you mean / 您是否要找:</p><ul>{items}</ul>" if items else "")
        + "</body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=headers)


def _validation_detail(errors: list[dict]) -> str:
    parts = []
    for e in errors:
        where = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"parameter {'.'.join(where) or '?'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers of every error the routes raise."""

    @app.exception_handler(Unknown)
    async def unknown(request: Request, exc: Unknown) -> Response:
        extra = {"what": exc.what, "key": exc.key, "suggestions": exc.suggestions}
        return respond(request, 404, "unknown", str(exc), **extra)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        extra = {"parameter": exc.param} | ({"choices": exc.choices} if exc.choices else {})
        return respond(request, 400, "bad-parameter", str(exc), **extra)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.error, exc.detail, **exc.extra)

    @app.exception_handler(ProtocolError)
    async def protocol(request: Request, exc: ProtocolError) -> Response:
        headers = {"WWW-Authenticate": 'Bearer realm="chainkg"'} if exc.status == 401 else None
        return respond(request, exc.status, "protocol", str(exc), headers)

    @app.exception_handler(QueryError)
    async def query(request: Request, exc: QueryError) -> Response:
        if request.url.path.startswith(USER_SPARQL):  # the user's own query: say what failed
            return respond(request, exc.status, "query", str(exc), exc.headers or None)
        log.warning("query failed on %s: %s", request.url.path, exc)
        detail = "the store could not answer; try again later"
        status = exc.status if exc.status in (503, 504) else 502
        return respond(request, status, "query", detail, exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: e.get(k) for k in ("loc", "msg", "type")} for e in exc.errors()]
        detail = _validation_detail(errors)
        return respond(request, 422, "invalid", detail, errors=errors)

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        return respond(request, exc.status_code, "http", str(exc.detail), exc.headers)
