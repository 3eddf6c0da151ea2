"""Linked data: entity IRIs dereference here; dumps, the ontology's documentation, VoID.

A request path is the entity's IRI minus the configured base (``/product/adipic-acid``
is ``{base}product/adipic-acid``), answered by content negotiation: HTML for browsers,
Turtle (the default), JSON-LD, N-Triples, RDF/XML or the JSON model. Only the path
prefixes that are kinds of chainkg data IRIs are routed, so this router goes last.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VOID, XSD
from starlette.routing import Match

from chainkg.api.deps import IdsDep, ServicesDep, WholeStoreDep, templates
from chainkg.api.description import public_base
from chainkg.api.entities import not_found
from chainkg.api.errors import ApiError
from chainkg.api.errors import body as error_body
from chainkg.api.protocol import negotiate
from chainkg.graph.namespaces import CK, ONTOLOGY_IRI, PREFIXES, Ids
from chainkg.graph.store import Store
from chainkg.ontology import context_text, ontology_text
from chainkg.queries import get
from chainkg.queries.entities import concise_graph, curie, describe

KINDS = frozenset(
    {
        *("product", "industry", "segment", "chain", "link", "park", "plan", "item"),
        *("indicator", "indicator-group", "target", "cluster", "platform", "future-industry"),
        *("enterprise", "production", "region", "layout", "source", "graph"),
    }
)
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SHORT = {"html": "text/html", "json": "application/json", "ttl": "text/turtle"}
SHORT |= {"jsonld": "application/ld+json", "nt": "application/n-triples"}
SHORT |= {"rdf": "application/rdf+xml"}
ALTERNATES = [(k, v) for k, v in SHORT.items() if v in RDF_TYPES or k == "json"]
DUMPS = {
    "nq": "application/n-quads",
    "trig": "application/trig",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
VARY = {"Vary": "Accept"}


class KindRoute(APIRoute):
    """A route that only matches when its ``kind`` path parameter is a data IRI kind."""

    def matches(self, scope):
        match, child = super().matches(scope)
        kind = child.get("path_params", {}).get("kind") if match != Match.NONE else None
        if kind is not None and kind not in KINDS:
            return Match.NONE, {}
        return match, child


router = APIRouter(tags=["linked data"], route_class=KindRoute)


def choose(request: Request, offers: list[str], default: str) -> str | None:
    """The media type to answer with: ``?format=`` (short name or type) first, then Accept."""
    asked = request.query_params.get("format")
    if asked:
        media = SHORT.get(asked, asked)
        return media if media in offers else None
    return negotiate(request.headers.get("accept"), offers, default)


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    """A page from ``api/templates`` in the language of ``?lang=`` (zh by default)."""
    lang = "en" if request.query_params.get("lang") == "en" else "zh"
    root = request.scope.get("root_path", "")
    q = "?lang=en" if lang == "en" else ""

    def href(x: dict) -> str | None:
        ident, iri = x.get("id"), x.get("iri", "")
        if ident and ident.split("/", 1)[0] in KINDS:
            return f"{root}/{ident}{q}"
        if iri.startswith(str(CK._NS)):
            return f"{root}/ontology{q}#{iri[len(str(CK._NS)) :]}"
        return None

    env = {
        "lang": lang,
        "root": root,
        "q": q,
        "t": lambda zh, en: en if lang == "en" else zh,
        "name": lambda x: x.get("label_en") if lang == "en" else x.get("label"),
        "href": href,
        "short": lambda iri: curie(iri) or iri,
    }
    html = templates.get_template(name).render(**env, **context)
    return HTMLResponse(html, status_code=status, headers=VARY)


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The ``@context`` of ``ontology/context.jsonld``."""
    return json.loads(context_text())["@context"]


def rdf_response(graph: Graph, media: str, extra: dict | None = None) -> Response:
    """``graph`` as ``media``; JSON-LD is compacted with the chainkg context (plus ``extra``)."""
    fmt = RDF_TYPES[media]
    if fmt == "json-ld":
        context = {**jsonld_context(), **(extra or {})}
        body = graph.serialize(format=fmt, context=context, auto_compact=True)
    else:
        body = graph.serialize(format=fmt)
    return Response(body, media_type=media, headers=VARY)


def missing(request: Request, store: Store, ids: Ids, ident: str, media: str) -> Response:
    """404 as an HTML page or as JSON, with suggestions."""
    exc = not_found(store, ids, ident)
    if media == "text/html":
        return render(
            request, "notfound.html", 404, iri=ids.base + ident, suggestions=exc.suggestions
        )
    content = error_body(
        404, "unknown", str(exc), what=exc.what, key=exc.key, suggestions=exc.suggestions
    )
    return JSONResponse(content, status_code=404, headers=VARY)


def not_acceptable(offers: list[str]) -> Response:
    text = "none of the accepted media types is offered; offer: " + ", ".join(offers) + "\n"
    return Response(text, 406, media_type="text/plain; charset=utf-8", headers=VARY)


ENTITY_OFFERS = ["text/html", *RDF_TYPES, "application/json"]


@router.head("/{kind}/{rest:path}", include_in_schema=False)
@router.get(
    "/{kind}/{rest:path}",
    summary="Dereference a data IRI (HTML, Turtle, JSON-LD, N-Triples, RDF/XML, JSON)",
    response_class=Response,
)
def dereference(
    kind: str, rest: str, request: Request, store: WholeStoreDep, ids: IdsDep
) -> Response:
    """The entity ``{base}{kind}/{rest}`` in the negotiated format (Turtle for ``*/*``)."""
    media = choose(request, ENTITY_OFFERS, "text/turtle")
    if media is None:
        return not_acceptable(ENTITY_OFFERS)
    ident = f"{kind}/{rest}"
    iri = ids.base + ident
    if media in RDF_TYPES:
        graph = concise_graph(store, iri)
        if len(graph):
            return rdf_response(graph, media)
        return missing(request, store, ids, ident, media)
    model = describe(store, iri, ids)
    if model is None:
        return missing(request, store, ids, ident, media)
    if media == "application/json":
        return JSONResponse(model, headers=VARY)
    return render(request, "entity.html", e=model, alternates=ALTERNATES)


def stream_dump(store: Store, fmt: str) -> Iterator[bytes]:
    """The store's dump in ``fmt``, written by a thread and handed over chunk by chunk."""
    chunks: queue.Queue = queue.Queue(maxsize=32)
    stop = threading.Event()
    end = object()

    def put(item) -> None:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the client went away")

    class Pipe:
        def write(self, data) -> int:
            put(bytes(data))
            return len(data)

        def flush(self) -> None:
            pass

    def produce() -> None:
        try:
            store.dump(Pipe(), fmt)
        except BrokenPipeError:
            return
        finally:
            if not stop.is_set():
                put(end)

    threading.Thread(target=produce, name=f"dump-{fmt}", daemon=True).start()
    try:
        while (chunk := chunks.get()) is not end:
            yield chunk
    finally:
        stop.set()


@router.get("/dump.{fmt}", summary="The whole dataset (nq and trig keep the named graphs)")
def dump(fmt: str, services: ServicesDep) -> Response:
    """Every quad, streamed as N-Quads, TriG, JSON-LD, or the union as Turtle/N-Triples/RDF/XML."""
    if fmt not in DUMPS:
        raise ApiError(404, "unknown", f"no dump format {fmt!r}", formats=sorted(DUMPS))
    store = services.live.get()
    version = services.live.version
    name = f"chainkg-{version}.{fmt}"
    return StreamingResponse(
        stream_dump(store, fmt),
        media_type=DUMPS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _ref(g: Graph, node) -> dict:
    """A class expression or term for the ontology page: a ck: anchor, a CURIE or a union."""
    union = g.value(node, OWL.unionOf) if isinstance(node, BNode) else None
    if union is not None:
        return {"union": [_ref(g, m) for m in Collection(g, union)]}
    text = str(node)
    anchor = text[len(str(CK._NS)) :] if text.startswith(str(CK._NS)) else None
    return {"anchor": anchor, "text": curie(text) or text, "labels": _by_lang(g, node, RDFS.label)}


def _by_lang(g: Graph, node, prop) -> dict[str, str]:
    return {o.language or "": str(o) for o in g.objects(node, prop) if isinstance(o, Literal)}


SECTIONS = [
    ("classes", "类", "Classes", OWL.Class),
    ("object-properties", "对象属性", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "数据属性", "Datatype properties", OWL.DatatypeProperty),
    ("individuals", "个体", "Individuals", OWL.NamedIndividual),
]
TERM_ROWS = [
    ("types", "类型", "type"),
    ("superclasses", "上位类", "subclass of"),
    ("subclasses", "下位类", "superclass of"),
    ("superproperties", "上位属性", "subproperty of"),
    ("characteristics", "特性", "characteristics"),
    ("domain", "定义域", "domain"),
    ("range", "值域", "range"),
]


@lru_cache(maxsize=1)
def ontology_model() -> dict:
    """Every ck: class, property and individual of ``ontology/chainkg.ttl``, documented."""
    g = Graph().parse(data=ontology_text(), format="turtle")
    ns, onto = str(CK._NS), URIRef(ONTOLOGY_IRI)

    def refs(nodes) -> list[dict]:
        return sorted((_ref(g, n) for n in nodes), key=str)

    def term(s: URIRef) -> dict:
        return {
            "name": str(s)[len(ns) :],
            "labels": _by_lang(g, s, RDFS.label),
            "definitions": _by_lang(g, s, SKOS.definition),
            "examples": sorted(str(o) for o in g.objects(s, SKOS.example)),
            "types": [r for r in refs(g.objects(s, RDF.type)) if r["anchor"]],
            "superclasses": refs(g.objects(s, RDFS.subClassOf)),
            "subclasses": refs(g.subjects(RDFS.subClassOf, s)),
            "superproperties": refs(g.objects(s, RDFS.subPropertyOf)),
            "characteristics": [
                {"text": curie(str(t)), "anchor": None, "labels": {}}
                for t in g.objects(s, RDF.type)
                if t in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty)
            ],
            "domain": refs(g.objects(s, RDFS.domain)),
            "range": refs(g.objects(s, RDFS.range)),
        }

    sections = []
    for key, zh, en, kind in SECTIONS:
        found = sorted(s for s in g.subjects(RDF.type, kind) if str(s).startswith(ns))
        sections.append({"key": key, "zh": zh, "en": en, "terms": [term(s) for s in found]})
    license_ = g.value(onto, DCTERMS.license)
    return {
        "iri": ONTOLOGY_IRI,
        "namespace": ns,
        "prefix": "ck",
        "version": str(g.value(onto, OWL.versionInfo) or ""),
        "title": _by_lang(g, onto, DCTERMS.title),
        "description": _by_lang(g, onto, DCTERMS.description),
        "license": str(license_) if license_ else None,
        "sections": sections,
    }


ONTOLOGY_OFFERS = ["text/html", *RDF_TYPES]


@router.head("/ontology", include_in_schema=False)
@router.get("/ontology", summary="The ontology, documented", response_class=Response)
def ontology(request: Request) -> Response:
    """HTML documentation of every ck: term, or the ontology itself (Turtle for ``*/*``)."""
    media = choose(request, ONTOLOGY_OFFERS, "text/turtle")
    if media is None:
        return not_acceptable(ONTOLOGY_OFFERS)
    if media == "text/html":
        return render(request, "ontology.html", o=ontology_model(), rows=TERM_ROWS)
    if media == "text/turtle":
        return Response(ontology_text(), media_type="text/turtle; charset=utf-8", headers=VARY)
    return rdf_response(Graph().parse(data=ontology_text(), format="turtle"), media)


def _int(value) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def void_graph(request: Request, store: Store, ids: Ids) -> Graph:
    """A VoID description of the dataset, its class partitions and one subset per graph."""
    g = Graph()
    for prefix, ns in {**PREFIXES, "void": str(VOID)}.items():
        g.bind(prefix, ns, replace=True)
    ds = URIRef(ids.base + "void#dataset")
    plans = store.select(get("void-plans").text)
    title = " / ".join(str(p["label"]) for p in plans if "label" in p) or "chainkg"
    counts = store.select(
        get("void-entities").text, {"base": Literal(ids.base), "ontology": Literal(ONTOLOGY_IRI)}
    )
    classes = store.select(get("class-counts").text)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(f"chainkg: {title}", lang="zh")))
    g.add((ds, DCTERMS.description, Literal("产业链知识图谱", lang="zh")))
    g.add((ds, DCTERMS.description, Literal("knowledge graph of industry chains", lang="en")))
    g.add((ds, VOID.triples, _int(store.count())))
    g.add((ds, VOID.entities, _int(counts[0]["entities"] if counts else 0)))
    g.add((ds, VOID.classes, _int(len(classes))))
    g.add((ds, VOID.uriSpace, Literal(ids.base)))
    g.add((ds, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    base = public_base(request.app.state.services.settings)  # never the request's Host
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + request.app.url_path_for("sparql_get"))))
    for fmt in ("nq", "ttl", "jsonld"):
        g.add((ds, VOID.dataDump, URIRef(base + request.app.url_path_for("dump", fmt=fmt))))
    for p in plans:
        g.add((ds, VOID.rootResource, p["plan"]))
    for row in classes:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], row["class"]))
        g.add((part, VOID.entities, _int(row["entities"])))
    for row in store.select(get("void-graphs").text):
        sub = row["graph"]
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, _int(row["triples"])))
        for key, prop in (("label", RDFS.label), ("source", DCTERMS.source)):
            if key in row:
                g.add((sub, prop, Literal(str(row[key]))))
    return g


VOID_OFFERS = list(RDF_TYPES)


@router.get("/.well-known/void", summary="VoID description", response_class=Response)
@router.get("/void", summary="VoID description (same)", response_class=Response)
def void(request: Request, store: WholeStoreDep, ids: IdsDep) -> Response:
    """The dataset described in VoID: Turtle by default, JSON-LD, N-Triples or RDF/XML."""
    media = choose(request, VOID_OFFERS, "text/turtle")
    if media is None:
        return not_acceptable(VOID_OFFERS)
    return rdf_response(void_graph(request, store, ids), media, {"void": str(VOID)})
