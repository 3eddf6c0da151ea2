"""Run a SPARQL Update in a process of its own, on the new store version it writes.

Like a query (:mod:`chainkg.graph.executor`), an update runs in a process that limits
itself first (:mod:`chainkg.graph.sandbox`: no network unless allowed, a memory cap) and
is killed at its time limit, so a crash or a time-out cannot take the service down; the
version it wrote is then never switched to.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from pathlib import Path

import pyoxigraph as ox

from chainkg.graph import sandbox
from chainkg.graph.executor import QueryFailed, QueryTimeout, _reply
from chainkg.graph.sandbox import Limits
from chainkg.graph.sparqltext import syntax_message


def _apply_update(conn, path: str, text: str, base_iri: str | None, limits: Limits) -> None:
    """Update process: limit itself, run ``text`` on the store at ``path``, flush."""
    sandbox.apply(limits)
    try:
        store = ox.Store(path)
        conn.send("ready")
        store.update(text, base_iri=base_iri)
        store.flush()
        del store
        conn.send(("ok", None))
    except SyntaxError as exc:
        conn.send(("syntax", syntax_message(str(exc), text)))
    except MemoryError:
        conn.send(("memory", sandbox.death(-6, limits)))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def run_update(path: Path, text: str, base_iri: str | None, timeout: float, limits: Limits) -> None:
    """Run a SPARQL Update on the (closed, not yet live) store at ``path`` in a process
    of its own, stopped after ``timeout`` seconds; raises :class:`QueryError`."""
    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    proc = ctx.Process(target=_apply_update, args=(child, str(path), text, base_iri, limits))
    proc.start()
    child.close()
    try:
        try:
            first = conn.recv() if conn.poll(120) else None  # start-up is not update time
            if first != "ready":
                status, payload = first or ("error", "update process did not start")
                return _reply(status, payload)
            if not conn.poll(timeout):
                raise QueryTimeout(f"update stopped after the {timeout:g} s time limit")
            status, payload = conn.recv()
        except EOFError:
            proc.join(5)
            raise QueryFailed(sandbox.death(proc.exitcode, limits)) from None
        _reply(status, payload)
    finally:
        with contextlib.suppress(Exception):
            proc.kill()
        proc.join(5)
        conn.close()
