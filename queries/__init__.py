"""Named SPARQL queries: ``queries/*.rq`` files with a header of title, description, params.

A header line ``# param: NAME TYPE description`` declares a parameter; values are
bound as RDF terms through the store (never spliced into the text). A parameter
must appear in the SELECT projection (Oxigraph substitutes projected variables).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from chainkg.queries.errors import BadParameter

MAX_EXPONENT = 40  # a decimal parameter is at most 10^40 and at least 10^-40 (or zero)
ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")
INVALID_IRI = re.compile(r'[\s<>"{}|^`\\]')


@dataclass(frozen=True)
class Param:
    """A typed parameter of a named query."""

    name: str
    type: str  # iri | string | integer | decimal
    description: str

    def term(self, value: str) -> Identifier:
        """``value`` as an RDF term of this parameter's type; :class:`BadParameter` when
        it is not one (an IRI needs a scheme and no spaces or ``<>"{}|^`\\``; numbers
        are read as numbers)."""
        if self.type == "iri":
            try:
                ox.NamedNode(value)  # the store's own IRI check (percent escapes, hosts)
            except ValueError:
                raise BadParameter(self.name, f"not an absolute IRI: {value!r}") from None
            if not ABSOLUTE.match(value) or INVALID_IRI.search(value):
                raise BadParameter(self.name, f"not an absolute IRI: {value!r}")
            return URIRef(value)
        if self.type in ("integer", "decimal"):
            try:
                number: int | Decimal = int(value) if self.type == "integer" else Decimal(value)
            except (ValueError, InvalidOperation):
                raise BadParameter(self.name, f"not {self.type}: {value!r}") from None
            if isinstance(number, Decimal):
                if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
                    raise BadParameter(self.name, f"not a finite decimal: {value!r}")
                # xsd:decimal has no exponent: 1e2 is written out (bounded above) as 100
                return Literal(format(number, "f"), datatype=XSD.decimal)
            return Literal(number, datatype=XSD.integer)
        return Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bindings(self, **values: str) -> dict[str, Identifier]:
        """Typed RDF terms for the given parameter values; unknown names raise KeyError."""
        known = {p.name: p for p in self.params}
        for key in values:
            if key not in known:
                raise KeyError(f"query {self.name!r} has no parameter {key!r}")
        return {k: known[k].term(v) for k, v in values.items()}


_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.+)$")


def parse(name: str, text: str) -> NamedQuery:
    """A :class:`NamedQuery` from the text of an ``.rq`` file."""
    meta: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            continue
        if m[1] == "param":
            pname, ptype, *desc = m[2].split(maxsplit=2)
            params.append(Param(pname, ptype, desc[0] if desc else ""))
        else:
            meta[m[1]] = m[2].strip()
    return NamedQuery(
        name, meta.get("title", name), meta.get("description", ""), text, tuple(params)
    )


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with chainkg, by name (read once per process)."""
    out = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            out[name] = parse(name, entry.read_text(encoding="utf-8"))
    return out


def get(name: str) -> NamedQuery:
    """The named query ``name``; KeyError if there is none."""
    return named_queries()[name]
