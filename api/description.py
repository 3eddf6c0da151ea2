"""The SPARQL service description of ``/sparql`` (the sd: vocabulary), built as RDF triples.

The endpoint's IRI comes from the settings alone: ``CHAINKG_PUBLIC_URL`` when set, else
``http://{host}:{port}``. The request's Host header is never copied into it, so a client
cannot make the service describe itself under another server's name.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from chainkg.api.deps import ServicesDep, templates
from chainkg.api.protocol import negotiate
from chainkg.api.settings import Settings
from chainkg.graph.results import GRAPH_TYPES

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
SD_TYPES = [
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "text/html",
]


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def public_base(settings: Settings) -> str:
    """The service's base URL as clients reach it, without a trailing slash: the
    ``public_url`` setting, else ``http://{host}:{port}`` (never the request's Host)."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{settings.port}"


def description(settings: Settings, graphs: list[str]) -> list[ox.Triple]:
    """The service description's triples, for a store holding the named ``graphs``."""
    endpoint = ox.NamedNode(public_base(settings) + "/sparql")
    dataset, default = ox.BlankNode(), ox.BlankNode()
    languages = [sd("SPARQL11Query")] + ([sd("SPARQL11Update")] if settings.update_token else [])
    results = [ox.NamedNode(FORMATS + name) for name in RESULT_FORMATS]
    features = [sd("UnionDefaultGraph")]
    if settings.allow_network:
        features.append(sd("BasicFederatedQuery"))
    triples = [
        ox.Triple(endpoint, RDF_TYPE, sd("Service")),
        ox.Triple(endpoint, sd("endpoint"), endpoint),
        *(ox.Triple(endpoint, sd("supportedLanguage"), lang) for lang in languages),
        *(ox.Triple(endpoint, sd("resultFormat"), fmt) for fmt in results),
        *(ox.Triple(endpoint, sd("feature"), feature) for feature in features),
        ox.Triple(endpoint, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    for graph in graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph)),
        ]
    return triples


EXAMPLE = (
    "PREFIX ck: <https://w3id.org/chainkg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?industry ?label WHERE { ?industry a ck:Industry ; rdfs:label ?label }"
)


def query_page(endpoint: str) -> str:
    """A minimal query form for people who open the endpoint in a browser
    (``api/templates/sparql-form.html``)."""
    return templates.get_template("sparql-form.html").render(endpoint=endpoint, example=EXAMPLE)


def describe(request: Request, services: ServicesDep) -> Response:
    """The service description (sd: vocabulary), or the query page for browsers."""
    media = negotiate(request.headers.get("accept"), SD_TYPES, "text/turtle") or "text/turtle"
    if media == "text/html":
        # the form posts back to this very path, relative to the page's own origin
        return HTMLResponse(query_page(request.scope.get("root_path", "") + "/sparql"))
    triples = description(services.settings, services.live.get().graphs())
    fmt = GRAPH_TYPES[media]
    prefixes = {"sd": SD, "formats": FORMATS} if fmt == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    if fmt == ox.RdfFormat.TURTLE:
        media += "; charset=utf-8"
    return Response(body, media_type=media)
