"""The chainkg ontology, its SHACL shapes and its JSON-LD context, shipped as package data.

- ``chainkg.ttl``: the OWL 2 DL ontology (``https://w3id.org/chainkg/ontology``),
  every ``ck:`` term with labels and definitions in Chinese and English;
- ``shapes.ttl``: SHACL shapes the data must conform to (validate with the
  ontology as pyshacl's ``ont_graph`` so ``rdfs:subClassOf`` is followed);
- ``context.jsonld``: a JSON-LD 1.1 context for readable JSON-LD exports.

The files are reached through :mod:`importlib.resources`, so they work from a
wheel and from an editable install alike.
"""

from __future__ import annotations

from importlib.resources import files

try:
    from importlib.resources.abc import Traversable
except ImportError:  # Python 3.10
    from importlib.abc import Traversable

_HERE: Traversable = files(__name__)

ONTOLOGY_FILE: Traversable = _HERE / "chainkg.ttl"
SHAPES_FILE: Traversable = _HERE / "shapes.ttl"
CONTEXT_FILE: Traversable = _HERE / "context.jsonld"


def ontology_text() -> str:
    """The ontology as Turtle text."""
    return ONTOLOGY_FILE.read_text(encoding="utf-8")


def shapes_text() -> str:
    """The SHACL shapes as Turtle text."""
    return SHAPES_FILE.read_text(encoding="utf-8")


def context_text() -> str:
    """The JSON-LD context as text."""
    return CONTEXT_FILE.read_text(encoding="utf-8")
