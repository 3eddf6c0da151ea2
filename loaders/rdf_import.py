"""Import RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into a named graph.

The whole file is parsed before anything is written, so a syntax error (reported
with file, line and column) loads nothing. Quads of N-Quads and TriG files all
go into the one target graph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from chainkg.graph.namespaces import Ids, slug
from chainkg.graph.store import from_ox
from chainkg.loaders.errors import LoadError, Problem

SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def import_graph_iri(ids: Ids, path: Path) -> URIRef:
    """The named graph an imported file goes to unless another is given."""
    return ids.graph("import", slug(Path(path).stem))


def rdf_file_graph(path: Path, base_iri: str | None = None) -> Graph:
    """All triples of an RDF file; raises :class:`LoadError` on unknown format or bad syntax."""
    path = Path(path).resolve()
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            [
                Problem(
                    str(path),
                    0,
                    "",
                    path.suffix,
                    "unknown RDF file type; use " + ", ".join(sorted(SUFFIXES)),
                )
            ]
        )
    g = Graph()
    try:
        for q in ox.parse(path=str(path), format=fmt, base_iri=base_iri or path.as_uri()):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    except SyntaxError as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise LoadError([Problem(str(path), line, "", "", f"RDF syntax error: {exc}")]) from exc
    return g
