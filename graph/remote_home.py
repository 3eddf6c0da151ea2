"""A chainkg store on a SPARQL server, with versions switched atomically.

The server holds, besides the data, one small *control graph* (``{base}store``):

- ``<ctl> c:live <version>`` — the live version; ``c:previous`` the one before it;
- ``<version> c:graph <physical>`` — the physical graphs of a version;
- ``<physical> c:logical <graph>`` — which logical graph each one holds;
- ``<ctl> c:staged <physical>`` — every physical graph a writer has started.

A write (build, load, update) uploads new physical graphs beside the live ones,
then describes its version and switches ``c:live`` in one single-operation update:
readers see either the old version or the new one, never a mix, and a write that
fails or is killed changes nothing they see. Its staged graphs are dropped by the
next write. Graphs a load leaves unchanged are shared by both versions (no copy).
Writers on one machine are serialised by a lock file; the lock does not span
machines, so run one writer at a time per store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import ClassVar

import anyio.to_thread
import pyoxigraph as ox
from platformdirs import user_data_dir
from rdflib import Graph

from chainkg.graph.executor import PoolBusy
from chainkg.graph.home import KEPT, Home, StoreHome, StoreMissing, file_lock
from chainkg.graph.remote import Endpoint, RemoteStore, checked_update, upload, with_base
from chainkg.graph.scope import PlanScope
from chainkg.graph.sparqltext import absolute_graphs, iris_after, rename_iris
from chainkg.graph.store import OxigraphStore, Store, WritableStore
from chainkg.graph.store import ox_term as _ox

C = "urn:chainkg:store#"
Progress = Callable[[str], None]


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))  # validates, and writes it as <…>


class RemoteWriter(RemoteStore):
    """A new version being written: reads see the graphs written so far."""

    def __init__(self, home: RemoteHome, names: dict[str, str], version: str, progress) -> None:
        super().__init__(home.endpoint, names, version)
        self.home, self.progress, self.staged = home, progress, 0
        self.derived = home.derived(version)

    def _stage(self, graph: str) -> str:
        """A new, empty physical graph for logical ``graph``, recorded before it is written."""
        self.staged += 1
        physical = f"{graph}~{self.version}.{self.staged}"
        ctl = _iri(self.home.control)
        self.endpoint.update(
            f"INSERT DATA {{ GRAPH {ctl} {{ {ctl} <{C}staged> {_iri(physical)} . "
            f"{_iri(physical)} <{C}logical> {_iri(graph)} }} }}"
        )
        self.names[graph] = physical
        self._refresh()
        return physical

    def write_triples(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace logical ``graph`` with ``triples`` (sent in chunks); its size (a triple
        sent twice counts once)."""
        physical = self._stage(graph)
        upload(self.endpoint, physical, triples, self._out, self.progress, graph)
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(physical)} {{ ?s ?p ?o }} }}"
        found = self.endpoint.query(text, "application/sparql-results+json", [], []).content
        return int(json.loads(found)["results"]["bindings"][0]["n"]["value"])

    def bulk_add(self, graph: str, data: Graph) -> int:
        """Write ``data`` as the new content of ``graph``."""
        return self.write_triples(graph, (ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in data))

    replace_graph = bulk_add

    def load_file(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> int:
        """Replace ``graph`` with an RDF file's triples, parsed as a stream and sent in
        chunks (a dataset file's quads all go into ``graph``)."""
        quads = ox.parse(path=str(path), format=fmt, base_iri=base_iri)
        return self.write_triples(
            graph, (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        )

    def load_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Write a stream of quads, one new physical graph per named graph met."""
        buffers: dict[str, list[ox.Triple]] = {}
        physical: dict[str, str] = {}
        sent = 0
        for q in quads:
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            if g is None:
                raise ValueError("quads in the default graph: give every quad a named graph")
            if g not in physical:
                physical[g] = self._stage(g)
                buffers[g] = []
            buffers[g].append(ox.Triple(q.subject, q.predicate, q.object))
            if len(buffers[g]) >= 20_000:
                sent += upload(self.endpoint, physical[g], buffers[g], self._out)
                buffers[g] = []
                self.progress(f"sent {sent} triples")
        for g, rest in buffers.items():
            sent += upload(self.endpoint, physical[g], rest, self._out)
        return sent

    def update(
        self, text: str, base_iri: str | None = None, timeout: float | None = None, limits=None
    ) -> None:
        """Run a SPARQL Update on a copy of every graph (and on new graphs it names),
        the user's update stopped after ``timeout`` seconds (``limits`` are the server's)."""
        checked_update(text, base_iri)
        text = with_base(absolute_graphs(text, base_iri), base_iri)
        old = dict(self.names)
        for graph, src in old.items():
            dst = self._stage(graph)
            self.endpoint.update(f"COPY SILENT {_iri(src)} TO {_iri(dst)}")
        words = ("GRAPH", "INTO", "WITH", "TO", "USING")
        for graph in iris_after(text, words):
            if graph not in self.names:
                self._stage(graph)
        self.endpoint.update(rename_iris(text, self.names), timeout)
        for graph, p in list(self.names.items()):
            if not self.endpoint_ask(p):
                del self.names[graph]
        self._refresh()

    def endpoint_ask(self, physical: str) -> bool:
        """Whether physical graph ``physical`` holds anything."""
        r = self.endpoint.query(
            "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
            "application/sparql-results+json",
            [physical],
            [],
        )
        return bool(r.json()["results"]["bindings"])

    def flush(self) -> None:
        """Nothing to do: every request was committed by the server."""


class RemoteHome:
    """The versions of one chainkg store on a SPARQL server."""

    _live: ClassVar[dict[tuple[str, str], tuple[float, RemoteStore | None]]] = {}
    _lock = threading.Lock()
    ttl = 1.0  # seconds a reader trusts the live version it last read

    def __init__(self, endpoint: Endpoint, control: str, local: Path | None = None) -> None:
        self.endpoint = endpoint
        self.control = str(ox.NamedNode(control).value)
        self.location = f"sparql+{endpoint.query_url}#{self.control}"
        key = hashlib.sha1(f"{endpoint.query_url} {self.control}".encode()).hexdigest()[:16]
        self.path = Path(local or Path(user_data_dir("chainkg")) / "remote" / key)
        self._key = (endpoint.query_url, self.control)

    # -- reading -------------------------------------------------------------------------
    def _read(self) -> RemoteStore | None:
        ctl = _iri(self.control)
        text = (
            f"SELECT ?v ?p ?l WHERE {{ {ctl} <{C}live> ?v . "
            f"OPTIONAL {{ ?v <{C}graph> ?p . ?p <{C}logical> ?l }} }}"
        )
        r = self.endpoint.query(text, "application/sparql-results+json", [self.control], [])
        rows = r.json()["results"]["bindings"]
        if not rows or rows[0]["v"]["value"] == f"{C}none":
            return None
        version = rows[0]["v"]["value"].rsplit("/", 1)[-1]
        names = {b["l"]["value"]: b["p"]["value"] for b in rows if "l" in b}
        store = RemoteStore(self.endpoint, names, version)
        store.derived = self.derived(version)
        return store

    def _live_store(self, fresh: bool = False) -> RemoteStore | None:
        now = time.monotonic()
        with self._lock:
            hit = self._live.get(self._key)
        if hit and not fresh and now - hit[0] < self.ttl:
            return hit[1]
        store = self._read()
        if hit and hit[1] and store and hit[1].version == store.version:
            store = hit[1]  # keep the same object, so per-version caches stay warm
        with self._lock:
            self._live[self._key] = (now, store)
        return store

    def exists(self) -> bool:
        """Whether a finished store is there."""
        return self._live_store() is not None

    def current(self) -> str:
        """The id of the live version."""
        return self.open().version

    def derived(self, version: str) -> Path:
        """Where the reports computed for ``version`` are kept (a local file)."""
        return self.path / "derived" / f"{version}.derived"

    def open(self) -> RemoteStore:
        """The live version, read through the protocol (writes go through :meth:`new_version`)."""
        store = self._live_store()
        if store is None:
            raise StoreMissing(f"no chainkg store on {self.location} (run `chainkg build` first)")
        return store

    def live(self) -> RemoteStore:
        """The live version for readers (re-read at most every ``ttl`` seconds)."""
        return self.open()

    def version(self) -> str:
        """The id of the live version."""
        return self.current()

    def query_pool(self, workers: int, timeout: float, queue_wait: float, limits) -> RemotePool:
        """Bounded concurrent requests to the server (``limits`` are the server's own)."""
        return RemotePool(self, workers, timeout, queue_wait)

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, progress: Progress = lambda _: None) -> Iterator[None]:
        """Serialise writers on this machine; says if it has to wait."""
        self.path.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path / ".lock", progress):
            yield

    @contextlib.contextmanager
    def new_version(
        self, from_current: bool = False, progress: Progress = lambda _: None
    ) -> Iterator[RemoteWriter]:
        """A new version to write; it goes live only if the block ends without error."""
        with self.lock(progress):
            self._claim()
            self._sweep()
            live = self._live_store(fresh=True)
            names = dict(live.names) if (from_current and live) else {}
            stamp = f"v{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
            writer = RemoteWriter(self, names, stamp, progress)
            try:
                yield writer
            except BaseException:
                with contextlib.suppress(Exception):
                    self._sweep()
                raise
            self._switch(writer)
            self._sweep()

    def _claim(self) -> None:
        """Give a new control graph its two pointers (to ``c:none``), so that the switch
        is one DELETE/INSERT whose WHERE always matches (no OPTIONAL: Virtuoso inserts
        nothing from an all-OPTIONAL WHERE that matches nothing)."""
        ctl = _iri(self.control)
        r = self.endpoint.query(
            f"SELECT ?v WHERE {{ {ctl} <{C}live> ?v . {ctl} <{C}previous> ?w }}",
            "application/sparql-results+json",
            [self.control],
            [],
        )
        if not r.json()["results"]["bindings"]:
            self.endpoint.update(
                f"INSERT DATA {{ GRAPH {ctl} {{ {ctl} <{C}live> <{C}none> . "
                f"{ctl} <{C}previous> <{C}none> }} }}"
            )

    def _switch(self, writer: RemoteWriter) -> None:
        ctl, v = _iri(self.control), _iri(f"{self.control}/{writer.version}")
        parts = " ".join(f"{v} <{C}graph> {_iri(p)} ." for p in writer.names.values())
        self.endpoint.update(f"INSERT DATA {{ GRAPH {ctl} {{ {v} a <{C}Version> . {parts} }} }}")
        self.endpoint.update(
            f"DELETE {{ GRAPH {ctl} {{ {ctl} <{C}live> ?old . {ctl} <{C}previous> ?before }} }} "
            f"INSERT {{ GRAPH {ctl} {{ {ctl} <{C}live> {v} . {ctl} <{C}previous> ?old }} }} "
            f"WHERE {{ GRAPH {ctl} {{ {ctl} <{C}live> ?old . {ctl} <{C}previous> ?before }} }}"
        )
        with self._lock:
            live = RemoteStore(self.endpoint, writer.names, writer.version)
            live.derived = writer.derived
            self._live[self._key] = (time.monotonic(), live)

    def _sweep(self) -> None:
        """Drop staged graphs no kept version uses (killed or failed writes, old versions)
        and the descriptions of versions older than the previous one."""
        ctl = _iri(self.control)
        text = (
            f"SELECT ?kind ?x ?y WHERE {{ "
            f"{{ {ctl} <{C}staged> ?x BIND('staged' AS ?kind) }} UNION "
            f"{{ ?x <{C}graph> ?y BIND('graph' AS ?kind) }} UNION "
            f"{{ {ctl} ?rel ?x FILTER(?rel IN (<{C}live>, <{C}previous>)) "
            f"BIND('keep' AS ?kind) }} }}"
        )
        rows = self.endpoint.query(text, "application/sparql-results+json", [self.control], [])
        staged: set[str] = set()
        keep: set[str] = set()
        graphs: dict[str, set[str]] = {}
        for b in rows.json()["results"]["bindings"]:
            kind, x = b["kind"]["value"], b["x"]["value"]
            if kind == "staged":
                staged.add(x)
            elif kind == "graph":
                graphs.setdefault(x, set()).add(b["y"]["value"])
            else:
                keep.add(x)
        used = set().union(*(graphs.get(v, set()) for v in keep))
        for p in sorted(staged - used):
            self.endpoint.update(
                f"DROP SILENT GRAPH {_iri(p)} ; DELETE DATA {{ GRAPH {ctl} "
                f"{{ {ctl} <{C}staged> {_iri(p)} }} }} ; "
                f"DELETE WHERE {{ GRAPH {ctl} {{ {_iri(p)} <{C}logical> ?l }} }}"
            )
        for v in sorted(set(graphs) - keep):
            self.endpoint.update(f"DELETE WHERE {{ GRAPH {ctl} {{ {_iri(v)} ?p ?o }} }}")
        kept = {v.rsplit("/", 1)[-1] for v in keep}
        folder = self.path / "derived"
        for f in folder.iterdir() if folder.is_dir() else []:
            if f.suffix in KEPT and f.stem not in kept:  # of a version gone or never live
                f.unlink(missing_ok=True)


class RemotePool:
    """Runs protocol jobs on the live remote version, at most ``workers`` at a time; a
    job that finds every slot busy for ``queue_wait`` seconds is answered "busy"."""

    def __init__(
        self, home: RemoteHome, workers: int = 2, timeout: float = 30.0, queue_wait: float = 2.0
    ) -> None:
        self.home, self.size, self.timeout = home, workers, timeout
        self.queue_wait = queue_wait
        self.slots = threading.BoundedSemaphore(workers)
        self.lock = threading.Lock()
        self.deadlines: dict[int, float] = {}

    def run(self, job, timeout: float | None = None):
        """Run ``job`` within ``timeout`` seconds (default: the pool's)."""
        limit = self.timeout if timeout is None else timeout
        if not self.slots.acquire(timeout=self.queue_wait):
            with self.lock:
                soonest = min(self.deadlines.values(), default=time.monotonic() + 1)
            wait = max(1, math.ceil(soonest - time.monotonic()))
            raise PoolBusy(
                f"all {self.size} query slots are busy; try again in {wait} s", retry_after=wait
            )
        key = object()
        try:
            with self.lock:
                self.deadlines[id(key)] = time.monotonic() + limit
            return self.home.open().run(job, limit)
        finally:
            with self.lock:
                self.deadlines.pop(id(key), None)
            self.slots.release()

    async def arun(self, job, timeout: float | None = None):
        """:meth:`run` from the service's event loop (in a thread: the call is HTTP)."""
        return await anyio.to_thread.run_sync(self.run, job, timeout)

    def warm(self) -> None:
        """Read the live version once (start-up is not query time)."""
        self.home.open()

    def close(self) -> None:
        """Nothing to stop: the server runs the queries."""


def _conforms(
    home: StoreHome,
    remote: RemoteHome,
    embedded: OxigraphStore,
    writer: RemoteWriter,
    view: PlanScope,
) -> None:
    """Never called: the type checker (CI) proves each backend implements the protocols."""
    homes: list[Home] = [home, remote]
    stores: list[Store] = [embedded, remote.open(), view]
    writers: list[WritableStore] = [embedded, writer]
    del homes, stores, writers
