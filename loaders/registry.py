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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from chainkg.graph.namespaces import CK, QUDT, Ids, slug
from chainkg.loaders.errors import LoadError, Problem, suggest
from chainkg.loaders.text import Lexicon

REQUIRED = ("enterprise_zh", "product", "status", "confidence", "source_url")
OPTIONAL = ("enterprise_en", "park", "capacity_value", "capacity_unit", "as_of", "note")
STATUS = {
    "operating": CK.Operating,
    "under_construction": CK.UnderConstruction,
    "signed": CK.Signed,
    "planned": CK.Planned,
}
CONFIDENCE = {"sourced": CK.Sourced, "uncertain": CK.Uncertain}


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
        self.g = Graph()

    def bad(
        self, line: int, column: str, value: str, message: str, choices: list[str] | None = None
    ) -> None:
        self.problems.append(
            Problem(self.where, line, column, value, message, suggest(value, choices or []))
        )

    def read(self) -> Graph:
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                return self._read(csv.reader(fh))
        except UnicodeDecodeError as exc:
            raise LoadError([Problem(self.where, 0, "", "", f"not UTF-8 text: {exc}")]) from exc
        except csv.Error as exc:
            raise LoadError([Problem(self.where, 0, "", "", f"not CSV: {exc}")]) from exc

    def _read(self, rows) -> Graph:
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
            self.row(line, r)
        if self.problems:
            raise LoadError(self.problems)
        return self.g

    def lookup(self, line: int, column: str, value: str, lex: Lexicon) -> URIRef | None:
        found = lex.get(value)
        if found is None:
            self.bad(line, column, value, f"unknown {column}", list(lex.names()))
            return None
        return URIRef(str(found))

    def row(self, line: int, r: dict[str, str]) -> None:
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
        self.emit(line, r, product, park, status, conf, value)

    def emit(
        self,
        line: int,
        r: dict[str, str],
        product: URIRef,
        park: URIRef | None,
        status: URIRef,
        conf: URIRef,
        value: Decimal | None,
    ) -> None:
        g, ids = self.g, self.ids
        src = ids.iri("source", "registry", slug(self.stem), f"line-{line}")
        g.add((src, RDF.type, CK.RegistryRow))
        g.add((src, RDFS.label, Literal(f"{self.name}:{line}")))
        g.add((src, CK.sourceFile, Literal(self.name)))
        g.add((src, CK.lineNumber, Literal(line)))
        g.add((src, CK.sourceUrl, Literal(r["source_url"], datatype=XSD.anyURI)))
        if r.get("note"):
            g.add((src, CK.note, Literal(r["note"])))
        ent = ids.of("enterprise", r["enterprise_zh"])
        g.add((ent, RDF.type, CK.Enterprise))
        g.add((ent, RDFS.label, Literal(r["enterprise_zh"], lang="zh")))
        if r.get("enterprise_en"):
            g.add((ent, RDFS.label, Literal(r["enterprise_en"], lang="en")))
        g.add((ent, PROV.wasDerivedFrom, src))
        g.add((ent, CK.makesProduct, product))
        fact = ids.iri(
            "production",
            slug(self.stem),
            slug(r["enterprise_zh"]),
            product.split("/")[-1],
            *[slug(r[k]) for k in ("park", "as_of") if r.get(k)],
        )
        g.add((fact, RDF.type, CK.Production))
        g.add((fact, RDFS.label, Literal(f"{r['enterprise_zh']} → {r['product']}", lang="zh")))
        g.add((fact, CK.producer, ent))
        g.add((fact, CK.product, product))
        g.add((fact, CK.status, status))
        g.add((fact, CK.confidence, conf))
        g.add((fact, PROV.wasDerivedFrom, src))
        if r.get("as_of"):
            g.add((fact, CK.asOf, Literal(r["as_of"], datatype=XSD.gYear)))
        if park is not None:
            g.add((fact, CK.inPark, park))
            g.add((ent, CK.inPark, park))
        if value is not None:
            cap = URIRef(str(fact) + "/capacity")
            unit = r["capacity_unit"]
            g.add((fact, CK.hasCapacity, cap))
            g.add((cap, RDF.type, CK.Capacity))
            g.add((cap, PROV.wasDerivedFrom, src))
            g.add((cap, QUDT.numericValue, Literal(value, datatype=XSD.decimal)))
            g.add((cap, CK.unitText, Literal(unit.removesuffix("/年"))))
            g.add((cap, CK.perYear, Literal(unit.endswith("/年"))))
            g.add((cap, CK.product, product))
            g.add((cap, RDFS.label, Literal(f"{value} {unit}")))


def registry_graph(path: Path, names: Names, ids: Ids, name: str | None = None) -> Graph:
    """The facts of a registry CSV; raises :class:`LoadError` listing every problem.

    ``name``: the file name the rows are attributed to, when ``path`` is a kept copy.
    """
    return _Reader(path, names, ids, name).read()


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
