"""Run SPARQL in worker processes, so that a query past its time limit can really be stopped.

pyoxigraph cannot cancel a running query, so each query runs in one of a few
worker processes that hold the live store open read-only; a query that outlives
its timeout has its process killed (which frees the CPU at once) and replaced.
Workers follow the store: when ``current`` switches to a new version, idle
workers are replaced by ones that open it.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from chainkg.graph import results


class QueryError(Exception):
    """A query the engine refused or failed on; ``status`` is the HTTP status to give."""

    status = 400


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""

    status = 503


class PoolBusy(QueryError):
    """No worker became free in time."""

    status = 503


@dataclass
class Job:
    """One query for a worker."""

    text: str
    select_fmt: str = "json"
    graph_fmt: str = "text/turtle"
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    max_rows: int = 10000
    union: bool = True  # default graph = union of all graphs, unless the query has FROM
    substitutions: dict[str, tuple] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    """What a worker sends back."""

    form: str  # select | ask | graph
    body: bytes
    rows: int = 0
    truncated: bool = False


def _term(spec: tuple):
    kind, value, extra = spec
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra)) if extra else ox.Literal(value)


def job_terms(job: Job) -> dict[str, object]:
    """The job's parameters as pyoxigraph terms, by variable name."""
    return {k: _term(v) for k, v in job.substitutions.items()}


def execute(store: ox.Store, job: Job) -> Answer:
    """Run ``job`` on ``store`` and serialise the result (also used in-process)."""
    kwargs: dict = {}
    if job.default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): t for k, t in job_terms(job).items()}
    result = store.query(job.text, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", results.ask_body(bool(result), job.select_fmt), 1)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, truncated = [], False
        for sol in result:
            if len(rows) >= job.max_rows:
                truncated = True
                break
            rows.append([sol[n] for n in names])
        body = results.select_body(names, rows, job.select_fmt, truncated)
        return Answer("select", body, len(rows), truncated)
    triples, truncated = [], False
    for t in result:
        if len(triples) >= job.max_rows:
            truncated = True
            break
        triples.append(t)
    fmt = results.GRAPH_TYPES[job.graph_fmt]
    return Answer("graph", results.graph_body(triples, fmt, job.prefixes), len(triples), truncated)


def _serve(conn, path: str) -> None:
    """Worker process main loop: open the store read-only and answer jobs until told to stop."""
    store = ox.Store.read_only(path)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            conn.send(("ok", execute(store, job)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:  # the engine's own errors go back to the caller
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx, path: Path) -> None:
        self.path = path
        self.started = False
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, str(path)), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, seconds: float = 120.0) -> None:
        """Block until the worker has opened the store (start-up is not query time)."""
        if self.started:
            return
        if not self.conn.poll(seconds) or self.conn.recv() != "ready":
            raise QueryError("query worker did not start")
        self.started = True

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
            self.proc.join(2)
        self.kill()


class QueryPool:
    """A fixed number of query workers over the live version of a store."""

    def __init__(
        self, locate, workers: int = 2, timeout: float = 30.0, queue_timeout: float = 60.0
    ) -> None:
        """``locate()`` returns the folder of the live store version (checked per query);
        a query may wait ``queue_timeout`` seconds for a free worker, then run ``timeout``."""
        self.locate, self.size, self.timeout = locate, workers, timeout
        self.queue_timeout = queue_timeout
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.path = Path(locate())
        for _ in range(workers):
            self.idle.put(_Worker(self.ctx, self.path))

    def _fresh(self, worker: _Worker) -> _Worker:
        if worker.path != self.path or not worker.proc.is_alive():
            worker.stop()
            return _Worker(self.ctx, self.path)
        return worker

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        """Run ``job`` within ``timeout`` seconds (default: the pool's)."""
        limit = self.timeout if timeout is None else timeout
        live = Path(self.locate())
        if live != self.path:
            with self.lock:
                self.path = live
        try:
            worker = self._fresh(self.idle.get(timeout=self.queue_timeout))
        except queue.Empty:
            raise PoolBusy(
                f"all {self.size} query workers stayed busy for {self.queue_timeout:g} s"
            ) from None
        try:
            worker.wait_ready()
            deadline = time.monotonic() + limit
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.kill()
                worker = _Worker(self.ctx, self.path)
                raise QueryTimeout(f"query stopped after the {limit:g} s time limit")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.kill()
            worker = _Worker(self.ctx, self.path)
            raise QueryError(f"query worker failed: {exc}") from exc
        finally:
            self.idle.put(worker)
        if status == "ok":
            return payload
        raise QueryError(payload)

    def warm(self) -> None:
        """Wait until every idle worker has started (call once at service start)."""
        workers = []
        while not self.idle.empty():
            workers.append(self.idle.get_nowait())
        try:
            for w in workers:
                w.wait_ready()
        finally:
            for w in workers:
                self.idle.put(w)

    def close(self) -> None:
        """Stop every worker."""
        while not self.idle.empty():
            self.idle.get_nowait().stop()
