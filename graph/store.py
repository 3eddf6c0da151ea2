"""The store protocol and its embedded backend, Oxigraph on disk.

Everything that reads or writes triples goes through :class:`Store`, so the
same code can later run against a remote SPARQL server. Results come back as
rdflib terms; parameters are bound as RDF terms (SEP-0007 substitutions),
never spliced into query text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

Row = dict[str, Identifier]
Bindings = Mapping[str, Identifier] | None  # parameters, bound as RDF terms
Within = Sequence[str] | None  # the graphs whose union is the default graph (None: all)

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


class Store(Protocol):
    """What the rest of chainkg needs from a triple store (embedded: :class:`OxigraphStore`;
    on a SPARQL server: :class:`chainkg.graph.remote.RemoteStore`)."""

    @property
    def cache_key(self) -> str:
        """Names this store version for caches: equal keys mean equal contents."""

    def select(self, query: str, bindings: Bindings = None, within: Within = None) -> list[Row]:
        """Rows of a SELECT query over the union of all graphs (``within``: of these
        graphs only; every named graph stays reachable with ``GRAPH``)."""

    def ask(self, query: str, bindings: Bindings = None, within: Within = None) -> bool:
        """The answer of an ASK query."""

    def construct(self, query: str, bindings: Bindings = None, within: Within = None) -> Graph:
        """The graph of a CONSTRUCT or DESCRIBE query."""

    def graphs(self) -> list[str]:
        """IRIs of the named graphs."""

    def dump(self, out: IO[bytes], fmt: str) -> None:
        """Write every quad (or, for triple formats, the union of graphs)."""

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs."""

    def count(self) -> int:
        """How many quads there are."""

    def run(self, job):
        """Run a protocol job (:class:`chainkg.graph.executor.Job`): user SPARQL with its
        result format and row cap. (A remote store also takes a ``timeout``; a time limit
        for the embedded store is the query pool's, ``Home.query_pool``.)"""


class WritableStore(Store, Protocol):
    """A store version being written (embedded: :class:`OxigraphStore` of a new version;
    on a SPARQL server: :class:`chainkg.graph.remote_home.RemoteWriter`). Only
    ``Home.new_version`` hands one out; it goes live when the writer's block ends."""

    def bulk_add(self, graph: str, data: Graph) -> int:
        """Write ``data`` into ``graph`` fast, for a version nobody reads yet; its size."""

    def replace_graph(self, graph: str, data: Graph) -> int:
        """Replace one named graph with ``data``; returns its size."""

    def update(
        self, text: str, base_iri: str | None = None, timeout: float | None = None, limits=None
    ) -> None:
        """Run a SPARQL Update, stopped after ``timeout`` seconds when one is given."""

    def flush(self) -> None:
        """Make what was written durable."""

    def load_file(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> int:
        """Replace ``graph`` with the triples of an RDF file, streamed (a dataset file's
        quads all go into ``graph``); its size. SyntaxError (with ``lineno``) on bad
        syntax, with the version left half-written: the caller lets it fail."""


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def write_dump(quads: Iterable[ox.Quad], out: IO[bytes], fmt: str) -> None:
    """``quads`` as ``fmt`` (a key of :data:`FORMATS`): every quad for a dataset format,
    the union of the graphs (with the chainkg prefixes, except in N-Triples) otherwise."""
    rdf_format = FORMATS[fmt]
    if rdf_format.supports_datasets:
        ox.serialize(quads, out, rdf_format)
        return
    union = ox.Store()
    union.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    prefixes = {} if fmt == "nt" else _prefixes()
    union.dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def ox_term(term: Any) -> Any:
    """An rdflib term of a graph's triple as a pyoxigraph term (the stubs type the parts
    of a triple loosely)."""
    return to_ox(term)


def from_ox(term: object) -> Identifier:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def graph_to_ntriples(data: Graph) -> bytes:
    """An rdflib graph as N-Triples bytes (for bulk loading)."""
    return data.serialize(format="nt", encoding="utf-8")


class OxigraphStore:
    """An Oxigraph store, on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path else None
        self.cache_key = str(self.path) if self.path else f"memory:{id(self)}"
        # reports computed when this version was written, kept beside it
        self.derived = self.path.with_name(self.path.name + ".derived") if self.path else None
        if self.path is None:
            self.ox = ox.Store()
        elif read_only:
            self.ox = ox.Store.read_only(str(self.path))
        else:
            self.ox = ox.Store(str(self.path))

    def run(self, job):
        """Run a protocol job (:class:`chainkg.graph.executor.Job`) in this process, with no
        time limit (the service runs user queries in a pool that has one: ``query_pool``)."""
        from chainkg.graph.executor import execute

        return execute(self.ox, job)

    def update(
        self,
        text: str,
        base_iri: str | None = None,
        timeout: float | None = None,
        limits=None,
    ) -> None:
        """Run a SPARQL Update (on a version nobody reads yet: see ``StoreHome``).

        With ``timeout``, the update runs in a process of its own with ``limits``
        (:func:`chainkg.graph.updates.run_update`), stopped at the time limit, so
        that neither a crash nor a runaway update can take the caller down."""
        if timeout is None or self.path is None:
            self.ox.update(text, base_iri=base_iri)
            return
        from chainkg.graph.updates import run_update

        self.ox.flush()
        del self.ox  # the update process takes the store's lock
        try:
            run_update(self.path, text, base_iri, timeout, limits)
        finally:
            self.ox = ox.Store(str(self.path))

    def _run(self, query: str, bindings: Bindings, within: Within):
        subs: dict[ox.Variable, Any] = {
            ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()
        }
        if within is None:
            return self.ox.query(query, use_default_graph_as_union=True, substitutions=subs or None)
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in within
        ]
        return self.ox.query(query, default_graph=default, substitutions=subs or None)

    def select(self, query: str, bindings: Bindings = None, within: Within = None) -> list[Row]:
        result = self._run(query, bindings, within)
        names = [v.value for v in result.variables]
        return [{n: from_ox(sol[n]) for n in names if sol[n] is not None} for sol in result]

    def ask(self, query: str, bindings: Bindings = None, within: Within = None) -> bool:
        return bool(self._run(query, bindings, within))

    def construct(self, query: str, bindings: Bindings = None, within: Within = None) -> Graph:
        g = Graph()
        for t in self._run(query, bindings, within):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def bulk_add(self, graph: str, data: Graph) -> int:
        """Load ``data`` into ``graph`` fast, for a store that nobody else reads yet."""
        self.ox.bulk_load(
            graph_to_ntriples(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph)
        )
        return len(data)

    def load_file(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> int:
        """Replace ``graph`` with an RDF file's triples at the engine's speed: the bulk
        loader reads a triple file itself; a dataset file's triples are first streamed to
        an N-Triples file beside the store (a quad at a time, never the whole file)."""
        name = ox.NamedNode(graph)
        if any(g == name for g in self.ox.named_graphs()):
            self.ox.remove_graph(name)
        if not fmt.supports_datasets:
            self.ox.bulk_load(path=str(path), format=fmt, base_iri=base_iri, to_graph=name)
        else:  # its triples, streamed to a N-Triples file beside the store, then bulk-loaded
            folder = self.path.parent if self.path else None
            with tempfile.NamedTemporaryFile(suffix=".nt", dir=folder) as tmp:
                quads = ox.parse(path=str(path), format=fmt, base_iri=base_iri)
                triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
                ox.serialize(triples, tmp, ox.RdfFormat.N_TRIPLES)
                tmp.flush()
                self.ox.bulk_load(path=tmp.name, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        found = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            {"g": URIRef(graph)},
        )
        return sum(int(r["n"]) for r in found)

    def replace_graph(self, graph: str, data: Graph) -> int:
        """Replace one named graph with ``data`` (terms, no query text).

        Writers use it on a new store version that nobody reads yet; the version
        switch is what makes the change atomic for readers.
        """
        name = ox.NamedNode(graph)
        if any(g == name for g in self.ox.named_graphs()):
            self.ox.remove_graph(name)
        self.ox.extend(ox.Quad(ox_term(s), ox_term(p), ox_term(o), name) for s, p, o in data)
        return len(data)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad in the store."""
        return iter(self.ox)

    def count(self) -> int:
        """Number of quads."""
        return len(self.ox)

    def dump(self, out: IO[bytes], fmt: str) -> None:
        if FORMATS[fmt].supports_datasets:
            self.ox.dump(out, FORMATS[fmt])  # streamed by the store itself
            return
        write_dump(self.ox, out, fmt)

    def flush(self) -> None:
        """Make sure everything written is on disk and compacted."""
        self.ox.flush()
        self.ox.optimize()

    def backup(self, target: Path) -> None:
        """A consistent copy of the store in ``target`` (cheap: hard links)."""
        self.ox.backup(str(target))

    def close(self) -> None:
        """Release the store (and its lock on disk)."""
        del self.ox


def _prefixes() -> dict[str, str]:
    from chainkg.graph.namespaces import PREFIXES

    return dict(PREFIXES)
