"""The app factory: ``create_app(settings)`` returns the whole service.

The app is a thin shell: each router holds one resource and the work happens in
``queries/`` and ``graph/``. Limits (body size, CORS) and security headers are middleware
here (``api/security.py``). The API docs at ``/docs`` (Swagger UI) load their scripts from
this server (the assets of the ``fastapi-offline`` package), never from a CDN; ReDoc is off,
as its page fetches a logo from its vendor's CDN whatever its options.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from chainkg import __version__
from chainkg.api import (
    entities,
    errors,
    gaps,
    health,
    indicators,
    industries,
    linked,
    maps,
    named,
    pages,
    parks,
    paths,
    plans,
    search,
    sparql,
)
from chainkg.api.deps import Services
from chainkg.api.lane import Lane
from chainkg.api.security import (
    BodyLimit,
    SecurityHeaders,
    policy,
    template_hashes,
    with_own_policy,
)
from chainkg.api.settings import Settings

DESCRIPTION = """A knowledge graph of the industry chains of a district development plan
(built in: 涪陵区战略性新兴产业发展规划（2022—2026年）). SPARQL 1.1 at `/sparql`; named
queries at `/api/queries`; JSON for industries, parks, indicators, search and entities."""


DOCS_ASSETS = "/docs/assets"  # Swagger UI, from the fastapi-offline package


class App(FastAPI):
    """FastAPI with the security headers outside everything, even the 500 error handler,
    and the SPARQL endpoint's fast lane in front."""

    content_security_policy = policy(*template_hashes())

    def build_middleware_stack(self) -> ASGIApp:
        secured = SecurityHeaders(super().build_middleware_stack(), self.content_security_policy)
        return Lane(secured, self, secured)  # GET /sparql from scripts: api/lane.py


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service for ``settings`` (default: from ``CHAINKG_*`` variables)."""
    settings = settings or Settings()
    services = Services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if services.home.exists():
            await run_in_threadpool(lambda: services.pool.warm())
        yield
        services.close()

    app = App(
        title="chainkg",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    errors.install(app)
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["X-Chainkg-Rows", "X-Chainkg-Truncated"],
    )
    app.mount(
        DOCS_ASSETS,
        StaticFiles(packages=[("fastapi_offline", "static")]),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=root + app.openapi_url,
            title="chainkg API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"validatorUrl": None},
        )
        return with_own_policy(page)

    for module in (
        health,
        sparql,
        named,
        entities,
        search,
        plans,
        industries,
        parks,
        indicators,
        paths,
        gaps,
        maps,
        pages,
        linked,
    ):
        app.include_router(module.router)
    app.router.routes[0:0] = sparql.ROUTES  # the SPARQL endpoint's fast path
    return app
