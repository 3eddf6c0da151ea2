"""A store seen through one plan: the graphs of that plan and the shared ones.

A store may hold several district plans, each with its own plan, chains and registry
graphs (the build records which graphs belong to which plan in its meta graph). The
reports, pages and maps of one district read a :class:`PlanScope`: the same queries,
with the default graph made of that plan's graphs and the shared ones (ontology, RDF
imports, the meta graph), so a fact of another district never counts in it. A query can
still reach every graph by name with ``GRAPH``; ``whole`` is the store itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef

from chainkg.graph.namespaces import CK
from chainkg.graph.store import Bindings, Row, Store, Within


class PlanScope:
    """``whole`` read through the graphs ``within`` (implements ``Store``): the view of the
    plan ``plan`` (an IRI). ``within=None`` reads every graph (a store of one plan)."""

    def __init__(self, whole: Store, within: Sequence[str] | None, plan: str) -> None:
        self.whole = whole
        self.within = None if within is None else sorted(within)
        self.plan = plan
        self.cache_key = f"{whole.cache_key}#plan={plan}"

    def select(self, query: str, bindings: Bindings = None, within: Within = None) -> list[Row]:
        return self.whole.select(query, bindings, self._narrow(within))

    def ask(self, query: str, bindings: Bindings = None, within: Within = None) -> bool:
        return self.whole.ask(query, bindings, self._narrow(within))

    def construct(self, query: str, bindings: Bindings = None, within: Within = None) -> Graph:
        return self.whole.construct(query, bindings, self._narrow(within))

    def _narrow(self, within: Sequence[str] | None) -> Sequence[str] | None:
        if self.within is None or within is None:
            return within if within is not None else self.within
        return [g for g in within if g in self.within]

    # the store itself: its graphs, dumps and the researchers' SPARQL are not scoped
    def graphs(self) -> list[str]:
        return self.whole.graphs()

    def dump(self, out: IO[bytes], fmt: str) -> None:
        self.whole.dump(out, fmt)

    def quads(self) -> Iterator[ox.Quad]:
        return self.whole.quads()

    def count(self) -> int:
        return self.whole.count()

    def run(self, job):
        return self.whole.run(job)


DEFAULT_PLAN = URIRef("urn:chainkg:store#defaultPlan")  # meta graph → the default plan
PLANS = f"""PREFIX ck: <{CK._NS}>
SELECT DISTINCT ?plan WHERE {{ ?plan a ck:Plan }} ORDER BY ?plan"""
MEMBERS = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?meta ?g ?plan ?default WHERE {{ GRAPH ?meta {{
  {{ ?g dcterms:isPartOf ?plan }} UNION {{ ?meta <{DEFAULT_PLAN}> ?default }} }} }}"""


@dataclass(frozen=True)
class Districts:
    """The plans of a store, the default one first, and the graphs each one owns."""

    plans: tuple[str, ...]
    members: dict[str, frozenset[str]]
    graphs: tuple[str, ...] = ()  # every named graph of the version

    def owner(self, graph: str) -> str | None:
        """The plan that owns ``graph`` (None: shared)."""
        return next((p for p, g in self.members.items() if graph in g), None)

    def within(self, plan: str) -> list[str] | None:
        """The graphs ``plan`` reads: all but the ones another plan owns (None: all)."""
        others = set().union(*(g for p, g in self.members.items() if p != plan))
        return None if not others else [g for g in self.graphs if g not in others]


_DISTRICTS: dict[str, Districts] = {}
_LOCK = threading.Lock()


def districts(store: Store, meta: URIRef) -> Districts:
    """The plans of ``store`` (``meta``: its meta graph), read once per store version."""
    store = whole(store)
    with _LOCK:
        if store.cache_key in _DISTRICTS:
            return _DISTRICTS[store.cache_key]
    members: dict[str, set[str]] = {}
    default = None
    for r in store.select(MEMBERS, {"meta": meta}):
        if r.get("default") is not None:
            default = str(r["default"])
        else:
            members.setdefault(str(r["plan"]), set()).add(str(r["g"]))
    found = [str(r["plan"]) for r in store.select(PLANS)]
    order = sorted(found, key=lambda p: (p != default, p))
    out = Districts(
        tuple(order), {p: frozenset(g) for p, g in members.items()}, tuple(store.graphs())
    )
    with _LOCK:
        if len(_DISTRICTS) > 64:
            _DISTRICTS.clear()
        _DISTRICTS[store.cache_key] = out
    return out


def forget() -> None:
    """Forget the plans read per store version (for a store rewritten in place)."""
    with _LOCK:
        _DISTRICTS.clear()


def scoped(store: Store, meta: URIRef, plan: str | None = None) -> PlanScope:
    """``store`` seen through ``plan`` (an IRI; None: the default plan). A KeyError names
    a plan the store does not hold."""
    store = whole(store)
    found = districts(store, meta)
    if plan is None:
        if not found.plans:
            return PlanScope(store, None, "")
        plan = found.plans[0]
    if plan not in found.plans:
        raise KeyError(plan)
    return PlanScope(store, found.within(plan), plan)


def whole(store: Store) -> Store:
    """The store behind a plan's view (the store itself when it is not a view)."""
    return store.whole if isinstance(store, PlanScope) else store
