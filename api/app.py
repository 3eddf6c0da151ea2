"""The app factory: ``create_app(settings)`` returns the whole service.

The app is a thin shell: each router holds one resource and the work happens in
``queries/`` and ``graph/``. Limits (body size, CORS) are middleware here.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse

from chainkg import __version__
from chainkg.api import (
    entities,
    gaps,
    health,
    indicators,
    industries,
    linked,
    named,
    pages,
    parks,
    paths,
    search,
    sparql,
)
from chainkg.api.deps import Services
from chainkg.api.settings import Settings

DESCRIPTION = """A knowledge graph of the industry chains of a district development plan
(built in: 涪陵区战略性新兴产业发展规划（2022—2026年）). SPARQL 1.1 at `/sparql`; named
queries at `/api/queries`; JSON for industries, parks, indicators, search and entities."""


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

    app = FastAPI(title="chainkg", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.services = services
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["X-Chainkg-Rows", "X-Chainkg-Truncated"],
    )

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body:
            return PlainTextResponse(f"request body over {settings.max_body} bytes\n", 413)
        if request.method == "POST" and not length:
            body = await request.body()
            if len(body) > settings.max_body:
                return PlainTextResponse(f"request body over {settings.max_body} bytes\n", 413)
        return await call_next(request)

    for module in (
        health,
        sparql,
        named,
        entities,
        search,
        industries,
        parks,
        indicators,
        paths,
        gaps,
        pages,
        linked,
    ):
        app.include_router(module.router)
    return app
