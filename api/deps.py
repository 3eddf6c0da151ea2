"""Dependencies shared by the routers: settings, the live store, the query pool, IRIs.

Tests override them through ``app.dependency_overrides`` or by building the app
with their own :class:`~chainkg.api.settings.Settings`.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Query, Request
from jinja2 import Environment, PackageLoader, select_autoescape

from chainkg.api.settings import Settings, home_for
from chainkg.graph.executor import QueryPool
from chainkg.graph.namespaces import Ids
from chainkg.graph.remote_home import RemotePool
from chainkg.graph.sandbox import Limits
from chainkg.graph.store import Store
from chainkg.queries import plans as plan_queries


class LiveStore:
    """The live store version of a home, for the routers (the home opens it, read-only,
    once per version)."""

    def __init__(self, home) -> None:
        self.home = home

    def get(self) -> Store:
        """The store of the live version."""
        return self.home.live()

    @property
    def version(self) -> str:
        """The id of the live version (a folder name, or a remote version id)."""
        return self.home.version()


class Services:
    """What one app instance holds: settings, IRIs, the live store and the SPARQL pool."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = home_for(settings)
        self.ids = Ids(settings.base_iri)
        self.live = LiveStore(self.home)
        self._pool: QueryPool | RemotePool | None = None
        self._pool_lock = threading.Lock()

    @property
    def pool(self) -> QueryPool | RemotePool:
        """The SPARQL runner: worker processes (embedded) or bounded requests (remote)."""
        with self._pool_lock:
            if self._pool is None:
                s = self.settings
                self._pool = self.home.query_pool(
                    s.workers, s.query_timeout, s.queue_wait, self.limits
                )
            return self._pool

    @property
    def limits(self) -> Limits:
        """What a process running user SPARQL may use (memory, network)."""
        return Limits(self.settings.worker_memory, self.settings.allow_network)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()


templates = Environment(
    loader=PackageLoader("chainkg.api", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
"""The page templates (``api/templates``), shared by the linked-data and explorer pages."""


def services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(services)]


def settings(request: Request) -> Settings:
    return request.app.state.services.settings


def store(
    request: Request,
    plan: Annotated[
        str | None,
        Query(
            max_length=200,
            description="The district plan to read, for a store of several districts: its "
            "key (fu-ling-qu-2022-2026), id, region (涪陵区) or title. Default: the "
            "store's default plan.",
        ),
    ] = None,
) -> Store:
    """The live store seen through one district plan (see :mod:`chainkg.queries.plans`)."""
    services = request.app.state.services
    return plan_queries.view(services.live.get(), services.ids, plan)


def whole_store(request: Request) -> Store:
    """The live store with every plan (entity pages, VoID: an IRI names one thing)."""
    return request.app.state.services.live.get()


def ids(request: Request) -> Ids:
    return request.app.state.services.ids


SettingsDep = Annotated[Settings, Depends(settings)]
StoreDep = Annotated[Store, Depends(store)]
WholeStoreDep = Annotated[Store, Depends(whole_store)]
IdsDep = Annotated[Ids, Depends(ids)]
