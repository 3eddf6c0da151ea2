"""SPARQL result serialisations (JSON, XML, CSV, TSV) with a row cap.

Written here rather than taken from pyoxigraph so that a result can be cut at
``max_rows`` and say so. Terms are pyoxigraph terms.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

T = TypeVar("T")


def capped(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """The first ``limit`` items, and whether there were more (one more is read to know)."""
    head = list(itertools.islice(items, limit + 1))
    return head[:limit], len(head) > limit


SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
CONTENT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
    }


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value if hasattr(term, "value") else str(term)


def select_body(variables: list[str], rows: Iterable[list], fmt: str, truncated: bool) -> bytes:
    """Serialise SELECT rows (lists of terms or None, in ``variables`` order)."""
    rows = list(rows)
    if fmt == "json":
        doc = {
            "head": {"vars": variables},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(variables, r, strict=True) if t is not None}
                    for r in rows
                ]
            },
        }
        if truncated:
            doc["chainkg"] = {"truncated": True, "rows": len(rows)}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
            *(f"<variable name={quoteattr(v)}/>" for v in variables),
        ]
        if truncated:
            out.append('<link href="chainkg:truncated"/>')
        out += ["</head>", "<results>"]
        for r in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, r, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([[_csv_term(t) for t in r] for r in rows])
    else:
        buf.write("\t".join("?" + v for v in variables) + "\n")
        for r in rows:
            buf.write("\t".join("" if t is None else str(t) for t in r) + "\n")
    return buf.getvalue().encode("utf-8")


def ask_body(value: bool, fmt: str) -> bytes:
    """Serialise an ASK answer."""
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>"
        ).encode()
    if fmt in ("csv", "tsv"):
        return ("_askResult\n" if fmt == "csv" else "?_askResult\n").encode() + (
            str(value).lower().encode() + b"\n"
        )
    return json.dumps({"head": {}, "boolean": value}).encode()


def graph_body(triples: list, fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return ox.serialize(triples, format=fmt) or b""
