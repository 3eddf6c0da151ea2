"""Entities: one JSON model of an entity (for the API and its HTML page) and its concise graph.

Every query lives in ``queries/entity-*.rq``; the entity's IRI is bound as an RDF
term. The model carries the entity's types, labels, statements, what points to it,
where it comes from (plan section text, registry file row, chain-link evidence)
and the named graphs that hold it.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier, Node

from chainkg.graph.namespaces import CK, PREFIXES, Ids
from chainkg.graph.store import Store, to_ox
from chainkg.queries import get
from chainkg.queries.rows import text as term_text

HIDDEN = {RDF.type, RDFS.label, SKOS.altLabel, PROV.wasDerivedFrom}
PLAIN = {None, XSD.string, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")}


def curie(iri: str) -> str | None:
    """``prefix:local`` for an IRI in a known namespace, else None."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return None


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def term_ref(
    iri: Identifier, ids: Ids, zh: Identifier | None, en: Identifier | None, plain=None
) -> dict:
    """An IRI (or ``_:`` blank node) as ``{iri, id?, name, curie?, label, label_en}``."""
    text = f"_:{iri}" if isinstance(iri, BNode) else str(iri)
    out: dict = {"iri": text, "name": local_name(text)}
    if text.startswith(ids.base):
        out["id"] = text[len(ids.base) :]
    short = curie(text)
    if short:
        out["curie"] = short
    label = term_text(zh) or term_text(plain) or term_text(en)
    out["label"] = label or short or out.get("id") or text
    out["label_en"] = term_text(en) or term_text(plain) or out["label"]
    return out


def literal_value(term: Literal) -> dict:
    """A literal as ``{value, lang?, datatype?}`` (no datatype for plain strings)."""
    out: dict = {"value": str(term)}
    if term.language:
        out["lang"] = term.language
    elif term.datatype not in PLAIN:
        out["datatype"] = str(term.datatype)
    return out


def _by_lang(values: list[Literal]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for v in sorted(values, key=str):
        out[v.language or "@none"].append(str(v))
    return dict(out)


def _first(by_lang: dict[str, list[str]], *langs: str) -> str | None:
    return next((by_lang[k][0] for k in langs if k in by_lang), None)


def _count(rows: list[dict], key: str) -> int:
    return int(rows[0][key]) if rows and key in rows[0] else 0


def _evidence(rows: list[dict], ids: Ids) -> dict | None:
    kind = next((r for r in rows if r["p"] == CK.evidenceKind), None)
    quotes = [str(r["o"]) for r in rows if r["p"] == CK.evidenceText]
    reasons = [literal_value(r["o"]) for r in rows if r["p"] == CK.reason]
    if kind is None and not quotes and not reasons:
        return None
    return {
        "kind": term_ref(kind["o"], ids, kind.get("o_zh"), kind.get("o_en")) if kind else None,
        "quotes": quotes,
        "reasons": reasons,
    }


def _source(row: dict, ids: Ids, quotes: list[str]) -> dict:
    out = term_ref(row["source"], ids, row.get("label"), None)
    if row.get("class") is not None:
        out["class"] = local_name(str(row["class"]))
    if row.get("text") is not None or row.get("number") is not None:
        text = term_text(row.get("text")) or ""
        at = [(q, text.find(q)) for q in quotes if q and q in text]
        plan = row.get("plan")
        out |= {
            "kind": "plan-section",
            "number": term_text(row.get("number")),
            "title": term_text(row.get("title")),
            "text": text,
            "plan": term_ref(plan, ids, row.get("plan_label"), None) if plan else None,
            "quote": at[0][0] if at else None,
            "quote_at": at[0][1] if at else None,
        }
    elif row.get("file") is not None:
        out |= {
            "kind": "registry-row",
            "file": str(row["file"]),
            "line": int(row["line"]) if row.get("line") is not None else None,
            "url": term_text(row.get("source_url")),
            "note": term_text(row.get("note")),
        }
    else:
        out["kind"] = "other"
    return out


def is_iri(text: str) -> bool:
    """Whether ``text`` is an IRI the store accepts (a request path may hold anything)."""
    try:
        to_ox(URIRef(text))
    except ValueError:
        return False
    return True


def describe(store: Store, iri: str, ids: Ids | None = None) -> dict | None:
    """The JSON model of the entity ``iri``; None if the graph says nothing about it."""
    ids = ids or Ids()
    if not is_iri(iri):
        return None
    entity = {"entity": URIRef(iri)}
    rows = store.select(get("entity-outgoing").text, entity)
    total = _count(store.select(get("entity-incoming-count").text, entity), "total")
    if not rows and not total:
        return None
    types: list = []
    labels: list = []
    alt: list = []
    props: dict = {}
    for r in rows:
        p, o = r["p"], r["o"]
        if p == RDF.type:
            types.append(term_ref(o, ids, r.get("o_zh"), r.get("o_en")))
        elif p == RDFS.label and isinstance(o, Literal):
            labels.append(o)
        elif p == SKOS.altLabel and isinstance(o, Literal):
            alt.append(o)
        if p in HIDDEN:
            continue
        prop = props.setdefault(p, term_ref(p, ids, r.get("p_zh"), r.get("p_en")) | {"values": []})
        if isinstance(o, Literal):
            prop["values"].append(literal_value(o))
        else:
            prop["values"].append(term_ref(o, ids, r.get("o_zh"), r.get("o_en"), r.get("o_any")))
    by_lang = _by_lang(labels)
    evidence = _evidence(rows, ids)
    quotes = evidence["quotes"] if evidence else []
    incoming = [
        {
            "subject": term_ref(r["s"], ids, r.get("s_zh"), r.get("s_en"), r.get("s_any")),
            "property": term_ref(r["p"], ids, r.get("p_zh"), r.get("p_en")),
        }
        for r in store.select(get("entity-incoming").text, entity)
    ]
    return {
        "iri": str(iri),
        "id": str(iri)[len(ids.base) :] if str(iri).startswith(ids.base) else None,
        "label": _first(by_lang, "zh", "@none", "en") or local_name(str(iri)),
        "label_en": _first(by_lang, "en", "@none", "zh") or local_name(str(iri)),
        "types": types,
        "labels": by_lang,
        "alt_labels": _by_lang(alt),
        "properties": sorted(props.values(), key=lambda p: p.get("curie") or p["iri"]),
        "incoming": {
            "total": total,
            "shown": len(incoming),
            "more": max(total - len(incoming), 0),
            "links": incoming,
        },
        "provenance": {
            "sources": sorted(
                (_source(r, ids, quotes) for r in store.select(get("entity-sources").text, entity)),
                key=lambda s: s["kind"] != "plan-section",
            ),
            "evidence": evidence,
        },
        "graphs": [
            {**term_ref(r["graph"], ids, None, None, r.get("label")), "triples": int(r["triples"])}
            for r in store.select(get("entity-graphs").text, entity)
        ],
    }


def plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same in RDF 1.1); else as is."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def concise_graph(store: Store, iri: str) -> Graph:
    """The entity's statements, the labels of what it points to, and its sources' description."""
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns, replace=True)
    if not is_iri(iri):
        return out
    for s, p, o in store.construct(get("entity-concise").text, {"entity": URIRef(iri)}):
        out.add((s, p, plain(o)))
    return out
