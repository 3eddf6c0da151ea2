"""Run SPARQL in worker processes, so that a query past its time limit can really be stopped.

pyoxigraph cannot cancel a running query, so each query runs in one of a few
worker processes that hold the live store open read-only; a query that outlives
its timeout has its process killed (which frees the CPU at once) and replaced.
Workers follow the store: when ``current`` switches to a new version, idle
workers are replaced by ones that open it.

Each worker limits itself first (:mod:`chainkg.graph.sandbox`): no network unless
allowed, a memory cap. When every worker is busy, a query waits ``queue_wait``
seconds at most and is then answered "busy" with the time after which a worker is
sure to be free (the earliest deadline of the running queries), rather than queued
behind slow queries. Updates run the same way, one process each
(:mod:`chainkg.graph.updates`).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread
import pyoxigraph as ox

from chainkg.graph import lookup, results, sandbox
from chainkg.graph.sandbox import Limits
from chainkg.graph.sparqltext import syntax_message


class QueryError(Exception):
    """A query the engine refused or failed on; ``status`` is the HTTP status to give."""

    status = 400
    retry_after: int | None = None  # seconds, for a ``Retry-After`` header

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers that go with the error."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""

    status = 503


class QueryFailed(QueryError):
    """The process running the query died (memory cap, engine crash)."""

    status = 503


class PoolBusy(QueryError):
    """No worker became free in time; ``retry_after`` says when one surely will."""

    status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Job:
    """One query for a worker."""

    text: str
    select_format: str = "json"
    graph_media_type: str = "text/turtle"
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    max_rows: int = 10000
    union: bool = True  # default graph = union of all graphs, unless the query has FROM
    substitutions: dict[str, tuple] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    base_iri: str | None = None  # resolves relative IRIs (the endpoint's own URL)


@dataclass
class Answer:
    """What a worker sends back."""

    form: str  # select | ask | graph
    body: bytes
    rows: int = 0
    truncated: bool = False
    inline: bool = False  # a point lookup answered in the caller's process


def _spec_term(spec: tuple):
    kind, value, extra = spec
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra)) if extra else ox.Literal(value)


def job_terms(job: Job) -> dict[str, object]:
    """The job's parameters as pyoxigraph terms, by variable name."""
    return {k: _spec_term(v) for k, v in job.substitutions.items()}


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
    result = store.query(job.text, base_iri=job.base_iri, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", results.ask_body(bool(result), job.select_format), 1)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, truncated = results.capped(([sol[n] for n in names] for sol in result), job.max_rows)
        body = results.select_body(names, rows, job.select_format, truncated)
        return Answer("select", body, len(rows), truncated)
    triples, truncated = results.capped(iter(result), job.max_rows)
    fmt = results.GRAPH_TYPES[job.graph_media_type]
    return Answer("graph", results.graph_body(triples, fmt, job.prefixes), len(triples), truncated)


def attempt(store: ox.Store, job: Job) -> tuple[str, object]:
    """``(status, payload)``: the answer, or the kind of error and its message."""
    try:
        return "ok", execute(store, job)
    except SyntaxError as exc:
        return "syntax", syntax_message(str(exc), job.text)
    except MemoryError:
        return "memory", "out of memory"
    except Exception as exc:  # the engine's own errors go back to the caller
        return "error", f"{type(exc).__name__}: {exc}"


def _serve(conn, path: str, limits: Limits) -> None:
    """Worker process main loop: limit itself, open the store read-only and answer jobs
    until told to stop."""
    sandbox.apply(limits)
    store = ox.Store.read_only(path)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        status, payload = attempt(store, job)
        conn.send((status, sandbox.death(-6, limits) if status == "memory" else payload))


def _inline(bounds: lookup.Bounds, job: Job) -> Answer | None:
    """The answer of ``job`` run here, on the store of ``bounds``, if it is a point lookup
    whose work they bound."""
    found = lookup.patterns(job.text)
    if found is None or not bounds.within(found):
        return None
    answer = _reply(*attempt(bounds.store, job))
    answer.inline = True
    return answer


def _reply(status: str, payload):
    """The answer a worker sent, or the error it stands for."""
    if status == "ok":
        return payload
    if status == "syntax":
        raise QueryError(payload)
    if status == "memory":
        raise QueryFailed(payload)
    raise QueryError(payload)


class _Worker:
    def __init__(self, ctx, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.started = False
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, str(path), limits), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, seconds: float = 120.0) -> None:
        """Block until the worker has opened the store (start-up is not query time)."""
        if self.started:
            return
        if not self.conn.poll(seconds) or self.conn.recv() != "ready":
            raise QueryError("query worker did not start")
        self.started = True

    def death(self) -> str:
        """Why the worker's process ended (waits for it briefly)."""
        self.proc.join(5)
        return sandbox.death(self.proc.exitcode, self.limits)

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
        self,
        locate,
        workers: int = 2,
        timeout: float = 30.0,
        queue_wait: float = 2.0,
        limits: Limits | None = None,
        local=None,
    ) -> None:
        """``locate()`` returns the folder of the live store version (checked per query);
        a query may wait ``queue_wait`` seconds for a free worker, then run ``timeout``.
        ``local()``, if given, returns the live version opened in this process: point
        lookups whose work is bounded (:mod:`chainkg.graph.lookup`) run on it, here."""
        self.locate, self.size, self.timeout = locate, workers, timeout
        self.local = local
        self._held: tuple[Path, lookup.Bounds] | None = None
        self.queue_wait = queue_wait
        self.limits = limits or Limits()
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.deadlines: dict[int, float] = {}  # running query → when it will be stopped
        self.path = Path(locate())
        for _ in range(workers):
            self.idle.put(_Worker(self.ctx, self.path, self.limits))

    def _fresh(self, worker: _Worker) -> _Worker:
        if worker.path != self.path or not worker.proc.is_alive():
            worker.stop()
            return _Worker(self.ctx, self.path, self.limits)
        return worker

    def busy(self) -> PoolBusy:
        """The error for a full pool, with the seconds until a worker is surely free."""
        with self.lock:
            soonest = min(self.deadlines.values(), default=time.monotonic() + 1)
        wait = max(1, math.ceil(soonest - time.monotonic()))
        return PoolBusy(
            f"all {self.size} query workers are busy; try again in {wait} s", retry_after=wait
        )

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        """Run ``job`` within ``timeout`` seconds (default: the pool's)."""
        limit = self.timeout if timeout is None else timeout
        live = Path(self.locate())
        if live != self.path:
            with self.lock:
                self.path = live
        if self.local is not None:
            if self._held is None or self._held[0] != live:
                self._held = (live, lookup.Bounds(self.local()))
            if (answer := _inline(self._held[1], job)) is not None:
                return answer
        try:
            worker = self._fresh(self.idle.get(timeout=self.queue_wait))
        except queue.Empty:
            raise self.busy() from None
        key = object()  # this run's entry among the deadlines
        try:
            worker.wait_ready()
            deadline = time.monotonic() + limit
            with self.lock:
                self.deadlines[id(key)] = deadline
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.kill()
                worker = _Worker(self.ctx, self.path, self.limits)
                raise QueryTimeout(f"query stopped after the {limit:g} s time limit")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            why = worker.death()
            worker.kill()
            worker = _Worker(self.ctx, self.path, self.limits)
            raise QueryFailed(why) from exc
        finally:
            with self.lock:
                self.deadlines.pop(id(key), None)
            self.idle.put(worker)
        return _reply(status, payload)

    async def arun(self, job: Job, timeout: float | None = None) -> Answer:
        """:meth:`run` for the service's event loop: the wait for the worker's answer is a
        reader on its pipe, not a thread (a thread waits only when every worker is busy,
        and starts or stops a worker process). A request cancelled while its query runs
        replaces the worker, so its answer never reaches the next query."""
        limit = self.timeout if timeout is None else timeout
        live = Path(self.locate())
        if live != self.path:
            with self.lock:
                self.path = live
        if self.local is not None:
            if self._held is None or self._held[0] != live:
                store = await anyio.to_thread.run_sync(self.local)
                self._held = (live, lookup.Bounds(store))
            if (answer := _inline(self._held[1], job)) is not None:
                return answer
        worker = await self._take()
        key = object()
        answered = False
        try:
            if worker.path != self.path or not worker.proc.is_alive():
                worker = await anyio.to_thread.run_sync(self._fresh, worker)
            if not worker.started:
                await anyio.to_thread.run_sync(worker.wait_ready)
            deadline = time.monotonic() + limit
            with self.lock:
                self.deadlines[id(key)] = deadline
            worker.conn.send(job)
            answered = await _readable(worker.conn, max(0.0, deadline - time.monotonic()))
            if answered:
                status, payload = worker.conn.recv()
            else:
                worker = await anyio.to_thread.run_sync(self._replace, worker)
        except (EOFError, OSError) as exc:
            why = worker.death()
            worker = self._replace(worker)
            raise QueryFailed(why) from exc
        except BaseException:  # cancelled: the worker may still be running the query
            worker = self._replace(worker)
            raise
        finally:
            with self.lock:
                self.deadlines.pop(id(key), None)
            self.idle.put(worker)
        if not answered:
            raise QueryTimeout(f"query stopped after the {limit:g} s time limit")
        return _reply(status, payload)

    async def _take(self) -> _Worker:
        """An idle worker, waiting ``queue_wait`` seconds at most (then "busy"), in turn
        with the other waiting requests (a thread waits on the queue, first come first
        served). A request cancelled while it waits takes none: a worker its thread got
        too late goes back."""
        with contextlib.suppress(queue.Empty):
            return self.idle.get_nowait()
        lock = threading.Lock()
        box: dict[str, object] = {}  # "worker": the one taken; "gone": the request left

        def wait() -> _Worker:
            worker = self.idle.get(timeout=self.queue_wait)
            with lock:
                if box.get("gone"):
                    self.idle.put(worker)
                    raise queue.Empty
                box["worker"] = worker
            return worker

        try:
            return await anyio.to_thread.run_sync(wait)
        except queue.Empty:
            raise self.busy() from None
        except BaseException:
            with lock:
                box["gone"] = True
                late = box.pop("worker", None)
            if isinstance(late, _Worker):
                self.idle.put(late)
            raise

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        return _Worker(self.ctx, self.path, self.limits)

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


async def _readable(conn, seconds: float) -> bool:
    """Whether ``conn`` has something to read within ``seconds`` (without a thread)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def settle(value: bool) -> None:
        if not ready.done():
            ready.set_result(value)

    loop.add_reader(fd, settle, True)
    timer = loop.call_later(seconds, settle, False)
    try:
        return await ready
    finally:
        timer.cancel()
        loop.remove_reader(fd)
