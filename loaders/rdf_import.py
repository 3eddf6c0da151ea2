"""Import RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into a named graph.

:func:`rdf_file` checks a file's type and says how to read it; the store streams it into
the graph of a new version at the engine's speed (``WritableStore.load_file``), never
holding it in Python objects, and a syntax error (:func:`syntax_error`, with file, line
and column) fails the version, so the live store is as it was. Quads of N-Quads and TriG
files all go into the one target graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from chainkg.graph.namespaces import Ids, slug
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


@dataclass(frozen=True)
class RdfFile:
    """An RDF file to import: where, in which syntax, against which base IRI."""

    path: Path
    format: ox.RdfFormat
    base: str


def rdf_file(path: Path, base_iri: str | None = None) -> RdfFile:
    """``path`` as an :class:`RdfFile` (base: the file's own URI unless given);
    :class:`LoadError` for a suffix that names no RDF syntax."""
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
    return RdfFile(path, fmt, base_iri or path.as_uri())


def syntax_error(path: Path, exc: SyntaxError) -> LoadError:
    """The parser's error as a problem naming the file and line."""
    line = getattr(exc, "lineno", 0) or 0
    return LoadError([Problem(str(path), line, "", "", f"RDF syntax error: {exc}")])
