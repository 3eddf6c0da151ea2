"""The remote backend: any SPARQL 1.1 Query + Update (+ Graph Store Protocol) server.

A :class:`RemoteStore` is one *version* of a chainkg store on the server. Each
logical named graph (``…/graph/plan``) lives there under a physical name of its
version (``…/graph/plan~v20261202T…-4711.3``: the logical name stays a prefix, so
``STRSTARTS(STR(?g), …)`` filters keep working), so a build can write a whole new version beside the
live one and switch to it at once (see :mod:`chainkg.graph.remote_home`). The
store renames at the boundary, in both directions: IRIs in query text and
bindings go out as physical names, and physical names in results come back as
logical ones, so callers only ever see the logical graph names. Every query is
scoped to the version's graphs (``default-graph-uri`` / ``named-graph-uri``), so
other data on the server is never read.

Parameters are bound as RDF terms: written by pyoxigraph in N-Triples syntax into
a ``VALUES`` block at the head of each WHERE group that uses them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import httpx
import pyoxigraph as ox
from rdflib import Graph

from chainkg.graph import results
from chainkg.graph.executor import Answer, Job, QueryError, QueryTimeout, job_terms
from chainkg.graph.guard import check_depth
from chainkg.graph.sparqltext import (
    absolute_graphs,
    ask_as_select,
    bind_values,
    iris_after,
    rename_iris,
    syntax_message,
    unwrap_str,
)
from chainkg.graph.store import Bindings, Row, Within, from_ox, to_ox, write_dump

ABSENT = "urn:chainkg:absent-graph"
CHUNK = 20_000  # triples per upload request


class RemoteError(QueryError):
    """The SPARQL server refused a request or could not be reached."""

    status = 502


class Endpoint:
    """HTTP access to a SPARQL server: query, update and (optionally) Graph Store URLs."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "digest",
        timeout: float = 300.0,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        creds: httpx.Auth | None = None
        if user:
            cls = httpx.DigestAuth if auth == "digest" else httpx.BasicAuth
            creds = cls(user, password or "")
        self.auth: Any = creds or httpx.USE_CLIENT_DEFAULT  # the client has none of its own
        self.timeout = timeout
        self.http = httpx.Client(
            timeout=timeout, limits=httpx.Limits(max_connections=32, max_keepalive_connections=16)
        )

    def query(
        self,
        text: str,
        accept: str,
        default_graphs: list[str],
        named_graphs: list[str],
        timeout: float | None = None,
    ) -> httpx.Response:
        """POST a query (form-encoded) with its dataset; raises on errors and time-outs."""
        limit = self.timeout if timeout is None else timeout
        data = {
            "query": text,
            "default-graph-uri": default_graphs,
            "named-graph-uri": named_graphs,
            # Virtuoso stops a query at ``timeout`` ms and flags a partial answer (below)
            "timeout": str(int(limit * 1000)),
        }
        try:
            r = self.http.post(self.query_url, data=data, headers={"Accept": accept}, timeout=limit)
        except httpx.TimeoutException:
            raise QueryTimeout(f"query stopped after the {limit:g} s time limit") from None
        except httpx.HTTPError as exc:
            raise RemoteError(f"SPARQL server {self.query_url}: {exc}") from exc
        if r.headers.get("x-sql-state") == "S1TAT":
            raise QueryTimeout(f"query stopped after the {limit:g} s time limit")
        if r.status_code >= 400:
            status = 400 if r.status_code in (400, 500) else 502
            said = r.text.split("\nSPARQL query:")[0].strip()[:2000]  # Virtuoso echoes the query
            err = RemoteError(f"SPARQL server said {r.status_code}: {said}")
            err.status = status
            raise err
        return r

    def update(self, text: str, timeout: float | None = None) -> None:
        """Run a SPARQL Update on the server (within ``timeout`` seconds, if given)."""
        limit = self.timeout if timeout is None else timeout
        try:
            r = self.http.post(
                self.update_url, data={"update": text}, auth=self.auth, timeout=limit
            )
        except httpx.TimeoutException:
            raise QueryTimeout(f"update stopped after the {limit:g} s time limit") from None
        except httpx.HTTPError as exc:
            raise RemoteError(f"SPARQL server {self.update_url}: {exc}") from exc
        if r.status_code >= 400:
            raise RemoteError(f"update refused ({r.status_code}): {r.text.strip()[:2000]}")

    def add_triples(self, graph: str, triples: list[ox.Triple]) -> None:
        """Add ``triples`` to ``graph``: Graph Store POST if configured, else INSERT DATA."""
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if self.graph_store_url:
            try:
                r = self.http.post(
                    self.graph_store_url,
                    params={"graph": graph},
                    content=body,
                    headers={"Content-Type": "text/turtle; charset=utf-8"},
                    auth=self.auth,
                )
            except httpx.HTTPError as exc:
                raise RemoteError(f"graph store {self.graph_store_url}: {exc}") from exc
            if r.status_code >= 400:
                raise RemoteError(f"upload refused ({r.status_code}): {r.text.strip()[:2000]}")
            return
        self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{(body or b'').decode()}\n}} }}")


def _json_term(b: dict):
    """A SPARQL JSON result term as a pyoxigraph term."""
    kind, value = b["type"], b["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode("".join(c for c in value if c.isalnum()) or None)
    if "xml:lang" in b:
        return ox.Literal(value, language=b["xml:lang"])
    if b.get("datatype"):
        return ox.Literal(value, datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(value)


def checked_form(text: str, base_iri: str | None = None) -> str:
    """``select``, ``ask`` or ``graph`` for a query, parsed by Oxigraph (over an empty
    dataset, so nothing is read); raises SyntaxError with a readable message."""
    check_depth(text)
    try:
        result = ox.Store().query(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise SyntaxError(syntax_message(str(exc), text)) from None
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "select" if isinstance(result, ox.QuerySolutions) else "graph"


def checked_update(text: str, base_iri: str | None = None) -> None:
    """Parse an update with Oxigraph (run on an empty scratch store); raises SyntaxError."""
    check_depth(text)
    try:
        ox.Store().update(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise SyntaxError(syntax_message(str(exc), text)) from None


def with_base(text: str, base_iri: str | None) -> str:
    """``text`` with a ``BASE`` declaration in front (a later BASE in it still wins)."""
    return f"BASE <{ox.NamedNode(base_iri).value}>\n{text}" if base_iri else text


def _simple(term) -> bool:
    return (
        isinstance(term, ox.Literal)
        and not term.language
        and term.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
    )


class RemoteStore:
    """One version of a chainkg store on a SPARQL server (implements ``Store``)."""

    def __init__(self, endpoint: Endpoint, names: Mapping[str, str], version: str) -> None:
        self.endpoint = endpoint
        self.version = version
        self.cache_key = f"{endpoint.query_url}#{version}"
        self.names: dict[str, str] = dict(names)  # logical graph → physical graph
        self.derived: Path | None = None  # reports kept for this version (set by its home)
        self._refresh()

    def _refresh(self) -> None:
        self.logical = {p: g for g, p in self.names.items()}

    # -- renaming at the boundary ------------------------------------------------------
    def _out(self, term):
        if isinstance(term, ox.NamedNode) and term.value in self.names:
            return ox.NamedNode(self.names[term.value])
        return term

    def _in(self, term):
        if isinstance(term, ox.NamedNode) and term.value in self.logical:
            return ox.NamedNode(self.logical[term.value])
        if isinstance(term, ox.Triple):
            return ox.Triple(
                self._in(term.subject), self._in(term.predicate), self._in(term.object)
            )
        return term

    def prepare(self, text: str, terms: Mapping[str, object] | None = None) -> str:
        """The query text as sent: graph IRIs renamed, parameters bound in VALUES blocks."""
        written = {k: str(self._out(v)) for k, v in (terms or {}).items()}
        for k, v in (terms or {}).items():
            if isinstance(v, ox.BlankNode):
                raise ValueError(f"?{k}: a blank node cannot be bound as a parameter")
        simple = [k for k, v in (terms or {}).items() if _simple(v)]
        text = unwrap_str(rename_iris(text, self.names, ABSENT), simple)
        return bind_values(text, written)

    def _dataset(self, default: list[str] | None, named: list[str] | None, union: bool):
        ours = sorted(self.names.values())

        def scope(graphs: list[str]) -> list[str]:
            return [self.names.get(g, ABSENT) for g in graphs] or [ABSENT]

        if default is None and named is None:
            return (ours or [ABSENT], ours or [ABSENT]) if union else ([ABSENT], ours or [ABSENT])
        return scope(default or []), scope(named or [])

    # -- queries -----------------------------------------------------------------------
    def run(self, job: Job, timeout: float | None = None) -> Answer:
        """Run a protocol ``job`` (see :mod:`chainkg.graph.executor`) on the server.

        The text is parsed here first, so a bad query gets the same 400 and message as
        on the embedded store, and only standard SPARQL 1.1 reaches the server."""
        try:
            form = checked_form(job.text, job.base_iri)
            text = absolute_graphs(job.text, job.base_iri)
            text = self.prepare(with_base(text, job.base_iri), job_terms(job))
        except (SyntaxError, ValueError) as exc:
            raise QueryError(str(exc)) from exc
        default, named = job.default_graphs, job.named_graphs
        if default is None and named is None and not job.union:
            default, named = _from_clauses(job.text)
        dg, ng = self._dataset(default, named, job.union)
        if form == "graph":
            r = self.endpoint.query(text, "application/n-triples", dg, ng, timeout)
            parsed = ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)
            triples, truncated = results.capped(
                (self._in(ox.Triple(t.subject, t.predicate, t.object)) for t in parsed),
                job.max_rows,
            )
            fmt = results.GRAPH_TYPES[job.graph_media_type]
            body = results.graph_body(triples, fmt, job.prefixes)
            return Answer("graph", body, len(triples), truncated)
        if form == "ask":
            text = ask_as_select(text)
        r = self.endpoint.query(text, "application/sparql-results+json", dg, ng, timeout)
        try:
            data = json.loads(r.content)
        except ValueError as exc:
            raise RemoteError(f"SPARQL server sent no JSON results: {r.text[:200]}") from exc
        if form == "ask":
            answer = bool(data["results"]["bindings"])
            return Answer("ask", results.ask_body(answer, job.select_format), 1)
        names = data["head"].get("vars", [])
        bindings = data["results"]["bindings"]
        rows, truncated = results.capped(
            ([self._in(_json_term(b[n])) if n in b else None for n in names] for b in bindings),
            job.max_rows,
        )
        body = results.select_body(names, rows, job.select_format, truncated)
        return Answer("select", body, len(rows), truncated)

    def _within(self, within: Within) -> tuple[list[str], list[str]]:
        """Default and named graphs of an internal query: the union of all graphs, or of
        ``within``, with every graph reachable by ``GRAPH``."""
        if within is None:
            return self._dataset(None, None, True)
        return self._dataset(list(within), sorted(self.names), True)

    def _json(self, query: str, bindings: Bindings, within: Within = None) -> dict:
        terms = {k: to_ox(v) for k, v in (bindings or {}).items()}
        text = self.prepare(query, terms)
        dg, ng = self._within(within)
        r = self.endpoint.query(text, "application/sparql-results+json", dg, ng)
        return json.loads(r.content)

    def select(self, query: str, bindings: Bindings = None, within: Within = None) -> list[Row]:
        data = self._json(query, bindings, within)
        return [
            {n: from_ox(self._in(_json_term(t))) for n, t in b.items()}
            for b in data["results"]["bindings"]
        ]

    def ask(self, query: str, bindings: Bindings = None, within: Within = None) -> bool:
        found = self._json(ask_as_select(query), bindings, within)
        return bool(found["results"]["bindings"])

    def construct(self, query: str, bindings: Bindings = None, within: Within = None) -> Graph:
        terms = {k: to_ox(v) for k, v in (bindings or {}).items()}
        dg, ng = self._within(within)
        r = self.endpoint.query(self.prepare(query, terms), "application/n-triples", dg, ng)
        g = Graph()
        for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = (from_ox(self._in(x)) for x in (t.subject, t.predicate, t.object))
            g.add((s, p, o))
        return g

    def graphs(self) -> list[str]:
        return sorted(self.names)

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """The triples of one logical graph, with logical names."""
        if graph not in self.names:
            return iter(())
        r = self.endpoint.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "application/n-triples",
            [self.names[graph]],
            [],
        )
        return (
            ox.Triple(self._in(t.subject), self._in(t.predicate), self._in(t.object))
            for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)
        )

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of this version, graph by graph."""
        for g in self.graphs():
            name = ox.NamedNode(g)
            for t in self.graph_triples(g):
                yield ox.Quad(t.subject, t.predicate, t.object, name)

    def count(self) -> int:
        """Number of quads."""
        if not self.names:
            return 0
        dg, ng = self._dataset(None, None, True)
        text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        data = json.loads(
            self.endpoint.query(text, "application/sparql-results+json", dg, ng).content
        )
        return int(data["results"]["bindings"][0]["n"]["value"])

    def dump(self, out: IO[bytes], fmt: str) -> None:
        write_dump(self.quads(), out, fmt)

    def close(self) -> None:
        """Nothing to release: the HTTP client belongs to the home."""


def _from_clauses(text: str) -> tuple[list[str], list[str]]:
    """The FROM and FROM NAMED IRIs of a query text (logical names)."""
    named = iris_after(text, ("FROM NAMED",))
    every = iris_after(text, ("FROM",))
    return [g for g in every if g not in named], named


def upload(
    endpoint: Endpoint,
    graph: str,
    triples: Iterable[ox.Triple],
    rename: Callable[[Any], Any],
    progress: Callable[[str], None] = lambda _: None,
    label: str = "",
) -> int:
    """Send ``triples`` to ``graph`` in chunks; triples with blank nodes go in one last
    request, so a blank node stays one node. Returns how many were sent."""
    chunk, with_bnodes, sent = [], [], 0
    for t in triples:
        t = ox.Triple(rename(t.subject), rename(t.predicate), rename(t.object))
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            with_bnodes.append(t)
            continue
        chunk.append(t)
        if len(chunk) >= CHUNK:
            endpoint.add_triples(graph, chunk)
            sent += len(chunk)
            chunk = []
            progress(f"  {label}: sent {sent} triples")
    for part in (chunk, with_bnodes):
        if part:
            endpoint.add_triples(graph, part)
            sent += len(part)
    return sent
