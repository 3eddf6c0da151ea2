"""Reports computed when a store version is written, and kept with it.

The chain graph, the gap report's facts and every node's gap are what the first request
after a new version used to wait for (half a minute at a million triples). ``chainkg
build`` and ``chainkg load`` compute them for each plan of the new version before it goes
live (:func:`write`) and keep them beside it (the store's ``derived`` file: next to an
embedded version's folder, in the home's local folder for a remote store). The service
reads them on its first request (:func:`stored`); a version written without them (by an
older chainkg, a SPARQL Update, or a store without a home) is computed on first use as
before. The file is Python's pickle of the home's own data, written by this program next
to the store it describes: it is trusted as the store is.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path
from typing import Any

from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import PlanScope, districts, scoped, whole

FORMAT = 2  # bump when what is kept changes shape
NAMES = ("chain", "gap-context", "gaps", "view-gap-producers")
_LOADED: dict[str, dict] = {}  # derived file → its content, for the versions in use
_LOCK = threading.Lock()


def _file(store) -> Path | None:
    return getattr(whole(store), "derived", None)


def _plan(store) -> str:
    return store.plan if isinstance(store, PlanScope) else ""


def stored(store, ids: Ids | None, name: str) -> Any | None:
    """What :func:`write` kept for ``store``'s version, plan and IRI base under ``name``
    (one of ``NAMES``), or None."""
    path = _file(store)
    if path is None or name not in NAMES:
        return None
    key = str(path)
    with _LOCK:
        data = _LOADED.get(key)
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        with _LOCK:
            if len(_LOADED) >= 4:
                _LOADED.clear()
            _LOADED[key] = data
    base = (ids or Ids()).base  # (a store's own cache without ids: the default base)
    if data.get("format") != FORMAT or data.get("base") != base:
        return None
    return data["plans"].get(_plan(store), {}).get(name)


def write(store, ids: Ids | None, progress=lambda _: None) -> Path | None:
    """Compute the reports of every plan of ``store`` (a version being written) and keep
    them in its derived file; the file, or None for a store that has none."""
    from chainkg.graph.scope import forget
    from chainkg.queries import gap_facts
    from chainkg.queries import gap_model as gm
    from chainkg.queries.chain import chain_graph
    from chainkg.queries.regional import producer_rows

    ids = ids or Ids()
    path = _file(store)
    if path is None:
        return None
    forget()  # the plans as written now, not as read before the write
    plans = districts(store, ids.graph("meta")).plans or ("",)
    out: dict[str, Any] = {"format": FORMAT, "base": ids.base, "plans": {}}
    for plan in plans:
        progress(f"computing the chain graph and gaps of {plan or 'the store'}")
        view = scoped(store, ids.graph("meta"), plan or None)
        g = chain_graph(view, ids)
        ctx = gap_facts.context(view, ids)
        out["plans"][view.plan] = {
            "chain": g,
            "gap-context": ctx,
            "gaps": gm.assess(g, ctx["facts"]),
            "view-gap-producers": producer_rows(view),  # computed by the context
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return path


def forget() -> None:
    """Drop the reports read so far (for a store rewritten in place)."""
    with _LOCK:
        _LOADED.clear()
