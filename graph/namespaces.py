"""The one module of IRIs: vocabulary terms and data IRI builders.

``CK`` holds every term of the chainkg ontology (``ontology/chainkg.ttl``);
``_fail = True`` makes a misspelt term raise at import time instead of
quietly minting a new IRI. ``Ids`` mints data IRIs under a configurable base.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/chainkg/ontology"
DEFAULT_BASE = "https://w3id.org/chainkg/"


class CK(DefinedNamespace):
    """Terms of the chainkg ontology."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Plan: URIRef
    PlanSection: URIRef
    Chapter: URIRef
    Box: URIRef
    Table: URIRef
    Region: URIRef
    Park: URIRef
    Industry: URIRef
    IndustryTier: URIRef
    IndustrySegment: URIRef
    IndustryChain: URIRef
    Product: URIRef
    ProductKind: URIRef
    ChainLink: URIRef
    EvidenceKind: URIRef
    PlanItem: URIRef
    Project: URIRef
    Capacity: URIRef
    Enterprise: URIRef
    Production: URIRef
    ProductionStatus: URIRef
    Confidence: URIRef
    RegistryRow: URIRef
    InnovationPlatform: URIRef
    Indicator: URIRef
    IndicatorGroup: URIRef
    IndicatorNature: URIRef
    Cluster: URIRef
    ClusterLevel: URIRef
    AttractionTarget: URIRef
    FutureIndustry: URIRef
    ParkLayout: URIRef
    SupplyLink: URIRef
    RelationType: URIRef
    LocalPresence: URIRef
    PresenceKind: URIRef
    ItemNature: URIRef

    # individuals
    AdvantagePillarTier: URIRef
    DistinctivePillarTier: URIRef
    ProducerServiceTier: URIRef
    CultivatedTier: URIRef
    RawMaterial: URIRef
    Intermediate: URIRef
    Component: URIRef
    EndProduct: URIRef
    Equipment: URIRef
    Service: URIRef
    Utility: URIRef
    Infrastructure: URIRef
    PlanTextEvidence: URIRef
    DomainKnowledge: URIRef
    RegistryEvidence: URIRef
    Operating: URIRef
    UnderConstruction: URIRef
    Signed: URIRef
    Planned: URIRef
    Sourced: URIRef
    Uncertain: URIRef
    Expected: URIRef
    Binding: URIRef
    NationalLevel: URIRef
    ProvincialLevel: URIRef
    MunicipalLevel: URIRef
    DistrictLevel: URIRef
    MaterialInput: URIRef
    ComponentInput: URIRef
    EquipmentInput: URIRef
    ServiceRelation: URIRef
    InfrastructureRelation: URIRef
    UtilityRelation: URIRef
    CategoryRelation: URIRef
    ComplementRelation: URIRef
    ExistingProducer: URIRef
    ExistingUnitUpgrade: URIRef
    AlreadyBuilt: URIRef
    PlatformItem: URIRef
    BaseItem: URIRef
    TechnologyItem: URIRef
    ServiceItem: URIRef
    ProgrammeItem: URIRef
    PlanStatement: URIRef
    Intent: URIRef
    AttractIntent: URIRef
    StrengthenIntent: URIRef
    intent: URIRef

    # object properties
    section: URIRef
    inPlan: URIRef
    inIndustry: URIRef
    inSegment: URIRef
    inChain: URIRef
    tier: URIRef
    tierName: URIRef
    productKind: URIRef
    upstream: URIRef
    downstream: URIRef
    evidenceKind: URIRef
    makesProduct: URIRef
    hasCapacity: URIRef
    inPark: URIRef
    inRegion: URIRef
    planRegion: URIRef
    producer: URIRef
    product: URIRef
    status: URIRef
    confidence: URIRef
    indicatorGroup: URIRef
    nature: URIRef
    measuresIndustry: URIRef
    measuresPark: URIRef
    parentIndicator: URIRef
    clusterOf: URIRef
    clusterLevel: URIRef
    aboutProduct: URIRef
    aboutSegment: URIRef
    park: URIRef
    hosts: URIRef
    relationType: URIRef
    supplies: URIRef
    presenceKind: URIRef
    itemNature: URIRef

    # datatype properties
    sectionNumber: URIRef
    sectionText: URIRef
    sectionOrder: URIRef
    itemText: URIRef
    evidenceText: URIRef
    reason: URIRef
    detail: URIRef
    unitText: URIRef
    perYear: URIRef
    asOf: URIRef
    sourceFile: URIRef
    lineNumber: URIRef
    sourceUrl: URIRef
    note: URIRef
    baselineValue: URIRef
    baselineYear: URIRef
    targetValue: URIRef
    targetYear: URIRef
    targetText: URIRef
    scaleText: URIRef
    scaleValue: URIRef
    firmKind: URIRef
    hostedLabel: URIRef
    casNumber: URIRef
    pinyin: URIRef
    statementText: URIRef
    inputRatio: URIRef


QUDT = Namespace("http://qudt.org/schema/qudt/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "ck": str(CK._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "qudt": str(QUDT),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "geo": str(GEO),
    "wd": str(WD),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_ASCII_RUN = re.compile(r"[^a-z0-9]+")


def slug(label: str, max_len: int = 60) -> str:
    """A readable, stable ASCII slug for a (Chinese or mixed) label.

    Chinese is spelt in toneless pinyin; a slug that had to be shortened gets
    a short hash of the whole label so that two long labels never collide.
    """
    if label.isascii():
        words = [label.strip()]
    else:
        from pypinyin import lazy_pinyin  # a large dictionary: loaded only when needed

        words = lazy_pinyin(label.strip())
    text = "-".join(w.lower() for w in words)
    text = _ASCII_RUN.sub("-", text).strip("-") or "x"
    if len(text) > max_len:
        digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:6]
        text = text[:max_len].rstrip("-") + "-" + digest
    return text


class Ids:
    """Mints data IRIs under one base, e.g. ``{base}product/ji-er-suan``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def iri(self, kind: str, *parts: str) -> URIRef:
        """``{base}{kind}/{part}/{part}`` with each part used as given."""
        return URIRef(self.base + "/".join((kind, *parts)))

    def of(self, kind: str, label: str, *scope: str) -> URIRef:
        """IRI of an entity named ``label`` (slugged) inside optional ``scope`` parts."""
        return self.iri(kind, *scope, slug(label))

    def graph(self, *parts: str) -> URIRef:
        """IRI of a named graph."""
        return self.iri("graph", *parts)
