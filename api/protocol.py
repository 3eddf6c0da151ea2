"""SPARQL 1.1 Protocol details: reading requests, content negotiation, query text checks.

Kept apart from the router so each rule is small and testable on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

import pyoxigraph as ox

from chainkg.graph import guard
from chainkg.graph.results import GRAPH_TYPES, SELECT_TYPES
from chainkg.graph.sparqltext import MASK, keywords


class ProtocolError(Exception):
    """A request the protocol says to refuse, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Operation:
    """A parsed protocol request."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)


GRAPH_PARAMS = {
    "default-graph-uri": "default_graphs",
    "named-graph-uri": "named_graphs",
    "using-graph-uri": "using_graphs",
    "using-named-graph-uri": "using_named_graphs",
}


def _iri(value: str, param: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise ProtocolError(400, f"parameter {param}: not an IRI: {value!r}") from exc


def operation_from(
    pairs: list[tuple[str, str]], body_kind: str | None = None, body: str | None = None
) -> Operation:
    """Build an :class:`Operation` from URL/form pairs and, for direct POST, the body."""
    op = Operation()
    queries = [v for k, v in pairs if k == "query"]
    updates = [v for k, v in pairs if k == "update"]
    if body_kind == "query":
        queries.append(body or "")
    elif body_kind == "update":
        updates.append(body or "")
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query in the request")
    if len(updates) > 1:
        raise ProtocolError(400, "more than one update in the request")
    if queries and updates:
        raise ProtocolError(400, "a request carries a query or an update, not both")
    op.query = queries[0] if queries else None
    op.update = updates[0] if updates else None
    for key, value in pairs:
        if key in GRAPH_PARAMS:
            getattr(op, GRAPH_PARAMS[key]).append(_iri(value, key))
    if op.query is not None and (op.using_graphs or op.using_named_graphs):
        raise ProtocolError(400, "using-graph-uri / using-named-graph-uri go with updates")
    if op.update is not None and (op.default_graphs or op.named_graphs):
        raise ProtocolError(400, "default-graph-uri / named-graph-uri go with queries")
    return op


def form_pairs(raw: bytes) -> list[tuple[str, str]]:
    """Pairs of an ``application/x-www-form-urlencoded`` body (repeats kept)."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "request body is not UTF-8") from exc


def _accept(header: str | None) -> list[tuple[str, float]]:
    out = []
    for i, part in enumerate((header or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q - i * 1e-6))
    return out


def negotiate(header: str | None, offers: list[str], default: str) -> str | None:
    """The best of ``offers`` for an Accept header; ``default`` for none or ``*/*``;
    None if the client accepts none of them."""
    ranges = _accept(header)
    if not ranges:
        return default
    best, best_q = None, 0.0
    for offer in offers:
        major = offer.split("/")[0]
        for rng, q in ranges:
            hit = rng == offer or rng == f"{major}/*" or rng == "*/*"
            score = q + (0.0001 if rng == offer else 0)
            if hit and q > 0 and score > best_q:
                best, best_q = offer, score
    if best is None:
        return None
    exact = [o for o in offers if any(r == o and q > 0 for r, q in ranges)]
    if not exact and any(r == "*/*" for r, _ in ranges):
        return default
    return best


FORMAT_NAMES = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@lru_cache(maxsize=256)
def formats(accept: str | None) -> tuple[str, str]:
    """(SELECT/ASK format key, CONSTRUCT media type) for an Accept header or a ``format``
    parameter (a media type or a short name such as ``json``, ``csv``, ``turtle``)."""
    accept = FORMAT_NAMES.get((accept or "").strip().lower(), accept)
    select = negotiate(accept, list(SELECT_TYPES), "application/sparql-results+json")
    graph = negotiate(accept, list(GRAPH_TYPES), "text/turtle")
    if select is None and graph is None:
        raise ProtocolError(
            406,
            "none of the accepted media types can carry SPARQL results; "
            "offer: " + ", ".join([*SELECT_TYPES, *GRAPH_TYPES]),
        )
    return SELECT_TYPES[select or "application/sparql-results+json"], graph or "text/turtle"


def check_network(text: str, allowed: bool, update: bool = False) -> None:
    """Refuse a text nested too deep, or one with SERVICE or LOAD (which reach other
    servers) unless the network is allowed; decided on the parsed text
    (:mod:`chainkg.graph.guard`)."""
    try:
        guard.check(text, update, allowed)
    except guard.Refused as exc:
        raise ProtocolError(exc.status, str(exc)) from None


def apply_using(update: str, using: list[str], using_named: list[str]) -> str:
    """Add the protocol's using-graph-uri / using-named-graph-uri to each WHERE of an update."""
    if not using and not using_named:
        return update
    if keywords(update) & {"USING", "WITH"}:
        raise ProtocolError(
            400,
            "using-graph-uri / using-named-graph-uri cannot be combined "
            "with USING or WITH in the update",
        )
    clause = " ".join(
        [*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]
    )
    masked = MASK.sub(lambda m: "\0" * len(m.group(0)), update)
    out, last, depth = [], 0, 0
    for m in re.finditer(r"[{}]|\bWHERE\b", masked, re.IGNORECASE):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            out.append(update[last : m.start()] + clause + " ")
            last = m.start()
    out.append(update[last:])
    return "".join(out)
