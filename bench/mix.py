"""The query mix: analytical SPARQL a researcher would write, the same text for every peer,
and chainkg's REST calls (its own service only).

Every SPARQL query reads the default graph, which each peer serves as the union of the named
graphs (chainkg always; ``oxigraph serve --union-default-graph``; rdflib-endpoint's
``Dataset(default_union=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PREFIXES = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Case:
    """One entry of the mix: a SPARQL query (``sparql``) or a REST path (``path``)."""

    name: str
    title: str
    sparql: str | None = None
    path: str | None = None
    accept: str = "application/json"


def sparql_cases(product: str) -> list[Case]:
    """The SPARQL part; ``product`` is the IRI the path query is bound at."""
    return [
        Case(
            "class-counts",
            "entities per class",
            PREFIXES + "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }\n"
            "GROUP BY ?class ORDER BY DESC(?n)",
        ),
        Case(
            "park-enterprises",
            "enterprises per park, top 20",
            PREFIXES
            + """SELECT ?park ?label (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a ck:Enterprise ; ck:inPark ?park .
  ?park rdfs:label ?label FILTER(LANG(?label) = "zh")
} GROUP BY ?park ?label ORDER BY DESC(?n) ?park LIMIT 20""",
        ),
        Case(
            "top-products",
            "products with most operating producers, top 20",
            PREFIXES
            + """SELECT ?product ?label (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?f a ck:Production ; ck:product ?product ; ck:producer ?e ; ck:status ck:Operating .
  ?product rdfs:label ?label FILTER(LANG(?label) = "zh")
} GROUP BY ?product ?label ORDER BY DESC(?n) ?product LIMIT 20""",
        ),
        Case(
            "province-producers",
            "producers per province (park → district → province)",
            PREFIXES
            + """SELECT ?province (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?f a ck:Production ; ck:producer ?e ; ck:inPark ?park .
  ?park ck:inRegion ?district . ?district skos:broader ?province .
} GROUP BY ?province ORDER BY DESC(?n) ?province""",
        ),
        Case(
            "upstream-closure",
            "upstream closure of one product (property path bound at one end)",
            PREFIXES
            + f"""SELECT (COUNT(DISTINCT ?up) AS ?n) WHERE {{
  <{product}> (^ck:downstream/ck:upstream)+ ?up .
}}""",
        ),
        Case(
            "point-describe",
            "point lookup: every property of one product",
            f"SELECT ?p ?o WHERE {{ <{product}> ?p ?o }}",
        ),
        Case(
            "point-label",
            "point lookup: the zh label of one product",
            PREFIXES
            + f"""SELECT ?label WHERE {{
  <{product}> rdfs:label ?label FILTER(LANG(?label) = "zh")
}}""",
        ),
        Case(
            "point-ask",
            "point lookup: is one product made by anyone (ASK)",
            PREFIXES + f"ASK {{ ?f ck:product <{product}> ; ck:status ck:Operating }}",
        ),
        Case(
            "label-regex",
            "FILTER/regex label search over enterprises",
            PREFIXES
            + """SELECT ?e ?label WHERE {
  ?e a ck:Enterprise ; rdfs:label ?label .
  FILTER(LANG(?label) = "zh" && REGEX(?label, "^华瑞.*材料有限公司12", "i"))
} ORDER BY ?e LIMIT 50""",
        ),
    ]


def api_cases(product: str, downstream_of: str) -> list[Case]:
    """The REST part, chainkg only; paths from ``product`` to ``downstream_of``."""
    return [
        Case(
            "api-search",
            "/api/search (zh name)",
            path="/api/search?" + urlencode({"q": "碳纤维"}),
        ),
        Case(
            "api-search-pinyin",
            "/api/search (pinyin)",
            path="/api/search?" + urlencode({"q": "tanxianwei"}),
        ),
        Case(
            "api-search-typed",
            "/api/search (two letters, as typed in the search box)",
            path="/api/search?" + urlencode({"q": "ji"}),
        ),
        Case(
            "api-search-misspelt",
            "/api/search (a misspelt name: fuzzy)",
            path="/api/search?" + urlencode({"q": "碳纤唯"}),
        ),
        Case(
            "api-paths",
            "/api/paths (shortest)",
            path="/api/paths?" + urlencode({"from": product, "to": downstream_of}),
        ),
        Case("api-gaps", "/api/gaps (all industries)", path="/api/gaps"),
        Case(
            "api-named-producers",
            "/api/queries/producers (named query, product bound as an IRI)",
            path="/api/queries/producers?" + urlencode({"product": downstream_of}),
        ),
        Case(
            "api-entity",
            "/api/entities/{id} (statements, incoming links, sources, graphs)",
            path="/api/entities/" + entity_path(downstream_of),
        ),
        Case(
            "page-entity",
            "/{kind}/{id} as HTML (the dereferenced IRI's page)",
            path="/" + entity_path(downstream_of),
            accept="text/html",
        ),
        Case(
            "page-product",
            "/explore/product/{id} (explorer page with its neighbourhood map)",
            path="/explore/product/" + entity_path(downstream_of).removeprefix("product/"),
            accept="text/html",
        ),
    ]


def entity_path(iri: str) -> str:
    """``product/x`` for ``https://w3id.org/chainkg/product/x`` (the generator's base)."""
    return iri.removeprefix("https://w3id.org/chainkg/")


# a product two links downstream of another, for /api/paths and the closure query
PAIR_QUERY = (
    PREFIXES
    + """SELECT ?a ?c WHERE {
  ?l1 ck:upstream ?a ; ck:downstream ?b . ?l2 ck:upstream ?b ; ck:downstream ?c .
} ORDER BY DESC(?c) ?a LIMIT 1"""
)
