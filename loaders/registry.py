"""Load an enterprise registry: who produces what, where, how much, per which source.

CSV columns (UTF-8, header row required; see README "Load your own enterprise list"):

==============  ========  ====================================================
column          required  meaning
==============  ========  ====================================================
enterprise_zh   yes       enterprise (or enterprise project) name
enterprise_en   no        English name
park            no        park name as in the graph (label); empty = not known
product         yes       product name, abbreviation or alias as in the graph
capacity_value  no        number (e.g. 36, 4.5)
capacity_unit   with val  unit as written, ``/年`` for per year (万吨/年, GWh)
as_of           no        year the fact refers to (e.g. 2024)
status          yes       operating | under_construction | signed | planned
confidence      yes       sourced | uncertain
source_url      yes       http(s) address of the report the fact comes from
note            no        free text
==============  ========  ====================================================

Rows link to existing products and parks by label or alias. Every problem in
the file is reported with file, line, column and value (with a suggestion when
a close name exists), and a file with any problem loads nothing.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from chainkg.graph.namespaces import CK, QUDT, Ids, slug
from chainkg.graph.store import from_ox
from chainkg.loaders.errors import LoadError, Problem, suggest
from chainkg.loaders.rdf_import import RdfFile
from chainkg.loaders.text import Lexicon

REQUIRED = ("enterprise_zh", "product", "status", "confidence", "source_url")
OPTIONAL = ("enterprise_en", "park", "capacity_value", "capacity_unit", "as_of", "note")


def _iri(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


STATUS = {
    "operating": _iri(CK.Operating),
    "under_construction": _iri(CK.UnderConstruction),
    "signed": _iri(CK.Signed),
    "planned": _iri(CK.Planned),
}
CONFIDENCE = {"sourced": _iri(CK.Sourced), "uncertain": _iri(CK.Uncertain)}
TYPE, LABEL, DERIVED = _iri(RDF.type), _iri(RDFS.label), _iri(PROV.wasDerivedFrom)


@dataclass
class Names:
    """What registry rows may refer to: product and park names → IRIs."""

    products: Lexicon
    parks: Lexicon


def registry_graph_iri(ids: Ids, path: Path) -> URIRef:
    """The named graph a registry file loads into."""
    return ids.graph("registry", slug(Path(path).stem))


def _unknown(column: str, allowed: dict) -> str:
    return f"unknown {column} (allowed: {', '.join(allowed)})"


class _Reader:
    def __init__(self, path: Path, names: Names, ids: Ids, name: str | None = None) -> None:
        self.path, self.names, self.ids = Path(path), names, ids
        self.name = name or self.path.name  # the file the rows are attributed to
        self.stem = Path(self.name).stem
        self.where = str(path) if name is None else f"{path} (kept copy of {name})"
        self.problems: list[Problem] = []

    def bad(
        self, line: int, column: str, value: str, message: str, choices: list[str] | None = None
    ) -> None:
        self.problems.append(
            Problem(self.where, line, column, value, message, suggest(value, choices or []))
        )

    def read(self) -> Iterator[ox.Triple]:
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                yield from self._read(csv.reader(fh))
        except UnicodeDecodeError as exc:
            raise LoadError([Problem(self.where, 0, "", "", f"not UTF-8 text: {exc}")]) from exc
        except csv.Error as exc:
            raise LoadError([Problem(self.where, 0, "", "", f"not CSV: {exc}")]) from exc

    def _read(self, rows) -> Iterator[ox.Triple]:
        header = [h.strip() for h in next(rows, [])]
        if not header:
            raise LoadError([Problem(self.where, 1, "", "", "empty file: no header row")])
        for i, h in enumerate(header):
            if not h:
                self.bad(1, f"#{i + 1}", "", "header cell is empty")
            elif header.index(h) != i:
                self.bad(1, h, h, "column appears twice")
        missing = [c for c in REQUIRED if c not in header]
        for col in missing:
            self.bad(1, col, "", "required column missing", [h for h in header if h])
        unknown = [h for h in header if h and h not in REQUIRED + OPTIONAL]
        for col in unknown:
            self.bad(1, col, col, "unknown column", list(REQUIRED + OPTIONAL))
        if self.problems:
            raise LoadError(self.problems)
        seen: dict[tuple, int] = {}
        for cells in rows:
            line = rows.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                self.bad(line, "", str(len(cells)), f"expected {len(header)} cells")
                continue
            r = {h: c.strip() for h, c in zip(header, cells, strict=True)}
            key = tuple(r.get(k, "") for k in ("enterprise_zh", "product", "park", "as_of"))
            if key in seen:
                self.bad(
                    line,
                    "",
                    ", ".join(key),
                    f"repeats the fact of line {seen[key]} "
                    "(same enterprise, product, park and as_of)",
                )
                continue
            seen[key] = line
            yield from self.row(line, r)
        if self.problems:
            raise LoadError(self.problems)

    def lookup(self, line: int, column: str, value: str, lex: Lexicon) -> ox.NamedNode | None:
        found = lex.get(value)
        if found is None:
            self.bad(line, column, value, f"unknown {column}", list(lex.names()))
            return None
        return _iri(found)

    def row(self, line: int, r: dict[str, str]) -> Iterator[ox.Triple]:
        for col in REQUIRED:
            if not r[col]:
                self.bad(line, col, "", "required value missing")
        product = self.lookup(line, "product", r["product"], self.names.products)
        park = self.lookup(line, "park", r["park"], self.names.parks) if r.get("park") else None
        status = STATUS.get(r["status"])
        if r["status"] and status is None:
            self.bad(line, "status", r["status"], _unknown("status", STATUS), list(STATUS))
        conf = CONFIDENCE.get(r["confidence"])
        if r["confidence"] and conf is None:
            conf_msg = _unknown("confidence", CONFIDENCE)
            self.bad(line, "confidence", r["confidence"], conf_msg, list(CONFIDENCE))
        if r["source_url"] and not re.match(r"^https?://\S+$", r["source_url"]):
            self.bad(line, "source_url", r["source_url"], "not an http(s) URL")
        value = None
        if r.get("capacity_value"):
            try:
                value = Decimal(r["capacity_value"].replace(",", ""))
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            except InvalidOperation:
                value = None
                self.bad(line, "capacity_value", r["capacity_value"], "not a number ≥ 0")
            if not r.get("capacity_unit"):
                self.bad(line, "capacity_unit", "", "a capacity needs a unit")
        elif r.get("capacity_unit"):
            self.bad(line, "capacity_value", "", f"a unit ({r['capacity_unit']}) needs a value")
        if r.get("as_of") and not re.fullmatch(r"\d{4}", r["as_of"]):
            self.bad(line, "as_of", r["as_of"], "not a year (YYYY)")
        if not r["enterprise_zh"] or product is None or status is None or conf is None:
            return
        yield from self.emit(line, r, product, park, status, conf, value)

    def emit(
        self,
        line: int,
        r: dict[str, str],
        product: ox.NamedNode,
        park: ox.NamedNode | None,
        status: ox.NamedNode,
        conf: ox.NamedNode,
        value: Decimal | None,
    ) -> Iterator[ox.Triple]:
        ids, T = self.ids, ox.Triple
        src = _iri(ids.iri("source", "registry", slug(self.stem), f"line-{line}"))
        yield T(src, TYPE, _iri(CK.RegistryRow))
        yield T(src, LABEL, ox.Literal(f"{self.name}:{line}"))
        yield T(src, _iri(CK.sourceFile), ox.Literal(self.name))
        yield T(src, _iri(CK.lineNumber), ox.Literal(str(line), datatype=_iri(XSD.integer)))
        url = ox.Literal(r["source_url"], datatype=_iri(XSD.anyURI))
        yield T(src, _iri(CK.sourceUrl), url)
        if r.get("note"):
            yield T(src, _iri(CK.note), ox.Literal(r["note"]))
        ent = _iri(ids.of("enterprise", r["enterprise_zh"]))
        yield T(ent, TYPE, _iri(CK.Enterprise))
        yield T(ent, LABEL, ox.Literal(r["enterprise_zh"], language="zh"))
        if r.get("enterprise_en"):
            yield T(ent, LABEL, ox.Literal(r["enterprise_en"], language="en"))
        yield T(ent, DERIVED, src)
        yield T(ent, _iri(CK.makesProduct), product)
        fact = ids.iri(
            "production",
            slug(self.stem),
            slug(r["enterprise_zh"]),
            product.value.split("/")[-1],
            *[slug(r[k]) for k in ("park", "as_of") if r.get(k)],
        )
        node = _iri(fact)
        yield T(node, TYPE, _iri(CK.Production))
        label = f"{r['enterprise_zh']} → {r['product']}"
        yield T(node, LABEL, ox.Literal(label, language="zh"))
        yield T(node, _iri(CK.producer), ent)
        yield T(node, _iri(CK.product), product)
        yield T(node, _iri(CK.status), status)
        yield T(node, _iri(CK.confidence), conf)
        yield T(node, DERIVED, src)
        if r.get("as_of"):
            yield T(node, _iri(CK.asOf), ox.Literal(r["as_of"], datatype=_iri(XSD.gYear)))
        if park is not None:
            yield T(node, _iri(CK.inPark), park)
            yield T(ent, _iri(CK.inPark), park)
        if value is not None:
            cap = _iri(str(fact) + "/capacity")
            unit = r["capacity_unit"]
            yield T(node, _iri(CK.hasCapacity), cap)
            yield T(cap, TYPE, _iri(CK.Capacity))
            yield T(cap, DERIVED, src)
            number = ox.Literal(format(value, "f"), datatype=_iri(XSD.decimal))
            yield T(cap, _iri(QUDT.numericValue), number)
            yield T(cap, _iri(CK.unitText), ox.Literal(unit.removesuffix("/年")))
            per_year = "true" if unit.endswith("/年") else "false"
            yield T(cap, _iri(CK.perYear), ox.Literal(per_year, datatype=_iri(XSD.boolean)))
            yield T(cap, _iri(CK.product), product)
            yield T(cap, LABEL, ox.Literal(f"{value} {unit}"))


def registry_triples(
    path: Path, names: Names, ids: Ids, name: str | None = None
) -> Iterator[ox.Triple]:
    """The facts of a registry CSV, a row at a time; at the end (or at a broken header),
    :class:`LoadError` listing every problem of the file, so a consumer that has written
    any of them must discard what it wrote.

    ``name``: the file name the rows are attributed to, when ``path`` is a kept copy.
    """
    return _Reader(path, names, ids, name).read()


def registry_file(
    path: Path, names: Names, ids: Ids, folder: Path, name: str | None = None
) -> RdfFile:
    """The facts of a registry CSV written to an N-Triples file in ``folder`` (for the
    store's bulk loader: no row is held in memory); :class:`LoadError` as
    :func:`registry_triples`, with no file left behind."""
    out = Path(tempfile.mkstemp(suffix=".nt", prefix="registry-", dir=folder)[1])
    try:
        with open(out, "wb") as fh:
            ox.serialize(registry_triples(path, names, ids, name), fh, ox.RdfFormat.N_TRIPLES)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return RdfFile(out, ox.RdfFormat.N_TRIPLES, Path(path).resolve().as_uri())


def registry_graph(path: Path, names: Names, ids: Ids, name: str | None = None) -> Graph:
    """The facts of a registry CSV as one rdflib graph (for small files and checks);
    :class:`LoadError` as :func:`registry_triples`."""
    g = Graph()
    for t in registry_triples(path, names, ids, name):
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return g


NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?cls ?s ?name WHERE {
  ?s a ?cls . { ?s rdfs:label ?name } UNION { ?s skos:altLabel ?name } }
ORDER BY ?s ?name"""


def names_of(store) -> Names:
    """Product and park names (zh and en labels, aliases) of a store, for registry rows."""
    products, parks = Lexicon(), Lexicon()
    for cls, lex in ((CK.Product, products), (CK.Park, parks)):
        for row in store.select(NAMES, {"cls": cls}):
            lex.add(str(row["name"]), row["s"])
    return Names(products, parks)
