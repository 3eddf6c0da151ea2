"""The ontology, its SHACL shapes and its JSON-LD context: complete, well formed, consistent.

Every term of ``CK`` must be declared in ``chainkg.ttl`` with labels and
definitions in zh and en, and no other ``ck:`` IRI may appear in the ontology or
the shapes. The ontology must be consistent under HermiT (through owlready2;
a missing Java runtime is a failure, not a skip), and the shapes must accept a
small well-formed sample and reject its broken variants.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import owlready2
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from chainkg.graph.namespaces import CK, ONTOLOGY_IRI, QUDT
from chainkg.ontology import CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE, ontology_text, shapes_text

SH = Namespace("http://www.w3.org/ns/shacl#")
CK_NS = ONTOLOGY_IRI + "#"
TERMS = sorted(name for name in CK.__annotations__ if not name.startswith("_"))
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Datatypes of the OWL 2 datatype map that the ontology may use as ranges
# (xsd:gYear is not one of them: year values are checked by SHACL instead).
OWL2_RANGES = {
    XSD.string,
    XSD.integer,
    XSD.decimal,
    XSD.boolean,
    XSD.anyURI,
    RDFS.Literal,
    RDF.PlainLiteral,
}

CODE_LISTS = {
    CK.IndustryTier: {
        CK.AdvantagePillarTier,
        CK.DistinctivePillarTier,
        CK.ProducerServiceTier,
        CK.CultivatedTier,
    },
    CK.ProductKind: {
        CK.RawMaterial,
        CK.Intermediate,
        CK.Component,
        CK.EndProduct,
        CK.Equipment,
        CK.Service,
        CK.Utility,
        CK.Infrastructure,
    },
    CK.RelationType: {
        CK.MaterialInput,
        CK.ComponentInput,
        CK.EquipmentInput,
        CK.ServiceRelation,
        CK.InfrastructureRelation,
        CK.UtilityRelation,
        CK.CategoryRelation,
        CK.ComplementRelation,
    },
    CK.PresenceKind: {CK.ExistingProducer, CK.ExistingUnitUpgrade, CK.AlreadyBuilt},
    CK.Intent: {CK.AttractIntent, CK.StrengthenIntent},
    CK.ItemNature: {
        CK.PlatformItem,
        CK.BaseItem,
        CK.TechnologyItem,
        CK.ServiceItem,
        CK.ProgrammeItem,
    },
    CK.EvidenceKind: {CK.PlanTextEvidence, CK.DomainKnowledge, CK.RegistryEvidence},
    CK.ProductionStatus: {CK.Operating, CK.UnderConstruction, CK.Signed, CK.Planned},
    CK.Confidence: {CK.Sourced, CK.Uncertain},
    CK.IndicatorNature: {CK.Expected, CK.Binding},
    CK.ClusterLevel: {
        CK.NationalLevel,
        CK.ProvincialLevel,
        CK.MunicipalLevel,
        CK.DistrictLevel,
    },
}

# A small graph that uses every shape; the shapes must accept it as it is.
SAMPLE = """
@prefix ck: <https://w3id.org/chainkg/ontology#> .
@prefix : <https://w3id.org/chainkg/test/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:plan a ck:Plan ; dcterms:title "某区战略性新兴产业发展规划（2022—2026年）"@zh ;
    dcterms:issued "2022-12-28"^^xsd:date ; ck:section :box2 , :table1 .
:box2 a ck:Box ; ck:inPlan :plan ; ck:sectionNumber "专栏2" ; ck:sectionOrder 12 ;
    ck:sectionText "专栏2  新材料产业发展重点 ……"@zh ; dcterms:isPartOf :plan .
:table1 a ck:Table ; ck:inPlan :plan ; ck:sectionNumber "表1" ;
    ck:sectionText "表1 主要发展目标 ……"@zh .
:row2 a ck:RegistryRow ; ck:sourceFile "enterprises.csv" ; ck:lineNumber 2 ;
    ck:sourceUrl "https://example.org/report"^^xsd:anyURI .

:region a ck:Region ; rdfs:label "某区"@zh .
:park a ck:Park ; rdfs:label "某高新区"@zh , "Some Hi-tech Zone"@en ; ck:inRegion :region .

:materials a ck:Industry ; rdfs:label "新材料"@zh , "new materials"@en ;
    ck:tier ck:AdvantagePillarTier ; prov:wasDerivedFrom :box2 .
:polymers a ck:IndustrySegment ; rdfs:label "先进高分子合成材料"@zh ;
    skos:broader :materials ; ck:inIndustry :materials ; ck:detail "轻量化、高强度"@zh .
:pa-chain a ck:IndustryChain ; rdfs:label "聚酰胺产业链"@zh ; ck:inIndustry :materials .

:adn a ck:Product ; rdfs:label "己二腈"@zh , "adiponitrile"@en ; skos:altLabel "ADN" ;
    ck:productKind ck:Intermediate ; ck:casNumber "111-69-3" ; ck:pinyin "ji er jing" ;
    skos:exactMatch <http://www.wikidata.org/entity/Q84062> ; ck:inChain :pa-chain ;
    prov:wasDerivedFrom :box2 .
:hda a ck:Product ; rdfs:label "己二胺"@zh , "hexamethylenediamine"@en ; skos:altLabel "HDA" ;
    ck:productKind ck:Intermediate ; prov:wasDerivedFrom :box2 .
:pa66 a ck:Product ; rdfs:label "尼龙66"@zh ; ck:productKind ck:Intermediate ;
    ck:inChain :pa-chain ; ck:evidenceKind ck:DomainKnowledge ;
    ck:reason "PA66 is the end of the polyamide chain."@en ; prov:wasDerivedFrom :box2 .

:link-adn-hda a ck:ChainLink , ck:SupplyLink ; ck:upstream :adn ; ck:downstream :hda ;
    ck:inChain :pa-chain ; ck:relationType ck:MaterialInput ;
    ck:evidenceKind ck:PlanTextEvidence ; ck:evidenceText "ADN（己二腈）—HDA（己二胺）"@zh ;
    prov:wasDerivedFrom :box2 .
:link-hda-pa66 a ck:ChainLink ; ck:upstream :hda ; ck:downstream :pa66 ;
    ck:relationType ck:MaterialInput ;
    ck:evidenceKind ck:DomainKnowledge ; ck:reason "PA66 is made from HDA and adipic acid."@en ;
    prov:wasDerivedFrom :box2 .

:cap-hda a ck:Capacity ; qudt:numericValue 30.0 ; ck:unitText "万吨" ; ck:perYear true ;
    ck:product :hda .
:item-hda a ck:Project ; ck:itemText "30万吨己二胺项目"@zh ; ck:inIndustry :materials ;
    ck:inSegment :polymers ; ck:makesProduct :hda ; ck:hasCapacity :cap-hda ;
    prov:wasDerivedFrom :box2 .

:firm a ck:Enterprise ; rdfs:label "某化工有限公司"@zh ; ck:inPark :park .
:prod-firm-adn a ck:Production ; ck:producer :firm ; ck:product :adn ; ck:inPark :park ;
    ck:status ck:Operating ; ck:confidence ck:Sourced ; ck:asOf "2019"^^xsd:gYear ;
    ck:note "first unit"@en ; prov:wasDerivedFrom :row2 .

:layout a ck:ParkLayout ; ck:park :park ; ck:hosts :polymers ;
    ck:hostedLabel "先进高分子合成材料"@zh ; prov:wasDerivedFrom :box2 .

:scale a ck:IndicatorGroup ; rdfs:label "产业规模指标"@zh .
:output a ck:Indicator ; rdfs:label "规模以上战略性新兴产业产值"@zh ; ck:nature ck:Expected ;
    ck:sectionNumber "1" ;
    ck:indicatorGroup :scale ; ck:unitText "亿元" ;
    ck:baselineValue 666.0 ; ck:baselineYear "2021"^^xsd:gYear ;
    ck:targetValue 1400.0 ; ck:targetYear "2026"^^xsd:gYear ; prov:wasDerivedFrom :table1 .
:output-materials a ck:Indicator ; rdfs:label "新材料产业"@zh ; ck:nature ck:Expected ;
    ck:indicatorGroup :scale ; ck:parentIndicator :output ; ck:measuresIndustry :materials ;
    ck:targetValue 750.0 ; prov:wasDerivedFrom :table1 .
:energy-use a ck:Indicator ; rdfs:label "单位GDP能耗"@zh ; ck:nature ck:Binding ;
    ck:indicatorGroup :scale ; ck:targetText "完成市上下达目标任务"@zh ;
    prov:wasDerivedFrom :table1 .

:cluster a ck:Cluster ; rdfs:label "新材料产业集群"@zh ; ck:clusterOf :materials ;
    ck:clusterLevel ck:NationalLevel ; ck:scaleText "七百亿级"@zh ; ck:scaleValue 700.0 ;
    prov:wasDerivedFrom :box2 .
:target a ck:AttractionTarget ; rdfs:label "锂电池材料和配套生产企业"@zh ;
    ck:inIndustry :materials ; ck:firmKind "生产企业"@zh ; ck:aboutSegment :polymers ;
    ck:aboutProduct :adn ; prov:wasDerivedFrom :box2 .
:lab a ck:InnovationPlatform ; rdfs:label "某新材料研究院"@zh ; ck:inIndustry :materials ;
    ck:inPark :park ; prov:wasDerivedFrom :box2 .
:quantum a ck:FutureIndustry ; rdfs:label "量子信息"@zh ; prov:wasDerivedFrom :box2 .
"""

T = Namespace("https://w3id.org/chainkg/test/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=ontology_text(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def sample() -> Graph:
    return Graph().parse(data=SAMPLE, format="turtle")


def ck_iris(graph: Graph) -> set[URIRef]:
    return {
        t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(CK_NS)
    }


def texts(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> list[str]:
    return [
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    ]


# ---------------------------------------------------------------- the ontology


def test_files_ship_with_the_package() -> None:
    for f in (ONTOLOGY_FILE, SHAPES_FILE, CONTEXT_FILE):
        assert f.is_file(), f


def test_header(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(onto, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    for lang in ("zh", "en"):
        assert texts(ontology, onto, DCTERMS.title, lang)
        assert texts(ontology, onto, DCTERMS.description, lang)


@pytest.mark.parametrize("name", TERMS)
def test_every_term_is_declared_and_documented(ontology: Graph, name: str) -> None:
    term = CK[name]
    kinds = [k for k in KINDS if (term, RDF.type, k) in ontology]
    assert len(kinds) == 1, f"{name}: declared as {kinds}"
    for lang in ("zh", "en"):
        assert len(texts(ontology, term, RDFS.label, lang)) == 1, f"{name}: rdfs:label@{lang}"
        assert len(texts(ontology, term, SKOS.definition, lang)) == 1, (
            f"{name}: skos:definition@{lang}"
        )


def test_no_ck_iri_outside_the_vocabulary(ontology: Graph, shapes: Graph) -> None:
    known = {CK[name] for name in TERMS}
    assert ck_iris(ontology) - known == set()
    assert ck_iris(shapes) - known == set()


def test_labels_are_unique_per_language(ontology: Graph) -> None:
    for lang in ("zh", "en"):
        counts = Counter(texts(ontology, CK[name], RDFS.label, lang)[0] for name in TERMS)
        assert [label for label, n in counts.items() if n > 1] == [], lang


def test_code_lists(ontology: Graph) -> None:
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    assert individuals == set().union(*CODE_LISTS.values())
    differents = [
        set(ontology.items(ontology.value(b, OWL.distinctMembers)))
        for b in ontology.subjects(RDF.type, OWL.AllDifferent)
    ]
    for cls, members in CODE_LISTS.items():
        assert set(ontology.subjects(RDF.type, cls)) == members, cls
        assert members in differents, f"{cls}: members not declared pairwise different"


def test_declarations_are_punning_free(ontology: Graph) -> None:
    """One kind per IRI, every used property declared, every superclass a class."""
    entities = {
        s
        for k in (*KINDS, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, k)
        if isinstance(s, URIRef)
    }
    for iri in entities:
        kinds = {k for k in (OWL.Class, *PROPERTY_KINDS) if (iri, RDF.type, k) in ontology}
        assert len(kinds) <= 1, f"{iri} punned as {kinds}"
    builtin = (str(RDF), str(RDFS), str(OWL))
    for p in set(ontology.predicates()):
        if not str(p).startswith(builtin):
            assert any((p, RDF.type, k) in ontology for k in PROPERTY_KINDS), f"{p} undeclared"
    for sup in ontology.objects(None, RDFS.subClassOf):
        assert (sup, RDF.type, OWL.Class) in ontology, f"{sup} is not declared owl:Class"
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        kind = next(k for k in PROPERTY_KINDS if (sub, RDF.type, k) in ontology)
        assert (sup, RDF.type, kind) in ontology, f"{sub} ⊑ {sup}: kinds differ"


def test_domains_and_ranges_are_dl(ontology: Graph) -> None:
    for p in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in ontology.objects(p, RDFS.range):
            assert rng in OWL2_RANGES, f"{p}: range {rng} is not in the OWL 2 datatype map"
    for p in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for rng in ontology.objects(p, RDFS.range):
            assert (rng, RDF.type, OWL.Class) in ontology, f"{p}: range {rng}"
    for p in ontology.subjects(RDF.type, OWL.AnnotationProperty):
        assert ontology.value(p, RDFS.range) is None and ontology.value(p, RDFS.domain) is None


# --------------------------------------------------------------------- HermiT


def _hermit(graph: Graph, tmp_path: Path, ignore_unsupported_datatypes: bool = False):
    java = shutil.which(owlready2.JAVA_EXE) or shutil.which("java")
    assert java, "HermiT needs a Java runtime on PATH (the reasoner test must not be skipped)"
    owlready2.JAVA_EXE = java
    nt = tmp_path / "ontology.nt"
    graph.serialize(destination=nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(nt.as_uri()).load()
    owlready2.sync_reasoner(
        world,
        infer_property_values=False,
        debug=0,
        ignore_unsupported_datatypes=ignore_unsupported_datatypes,
    )
    return world


def test_ontology_is_consistent_under_hermit(ontology: Graph, tmp_path: Path) -> None:
    world = _hermit(ontology, tmp_path)  # raises OwlReadyInconsistentOntologyError if not
    assert list(world.inconsistent_classes()) == []


def test_sample_data_is_consistent_under_hermit(ontology: Graph, tmp_path: Path) -> None:
    # xsd:gYear values are outside the OWL 2 datatype map: HermiT must be told to skip them.
    world = _hermit(ontology + sample(), tmp_path, ignore_unsupported_datatypes=True)
    assert list(world.inconsistent_classes()) == []


def test_hermit_rejects_a_node_that_is_two_kinds_of_record(ontology: Graph, tmp_path: Path) -> None:
    data = Graph()
    data.add((T.both, RDF.type, CK.ChainLink))
    data.add((T.both, RDF.type, CK.Production))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(ontology + data, tmp_path)


# ---------------------------------------------------------------------- SHACL


def test_every_shape_targets_an_ontology_class_and_is_named(ontology: Graph, shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    for shape in node_shapes:
        classes = list(shapes.objects(shape, SH.targetClass))
        properties = list(shapes.objects(shape, SH.targetSubjectsOf))
        assert classes or properties, f"{shape} has no target"
        for cls in classes:
            assert (cls, RDF.type, OWL.Class) in ontology, f"{shape}: {cls}"
        for prop in properties:
            assert (prop, RDF.type, OWL.ObjectProperty) in ontology, f"{shape}: {prop}"
        assert texts(shapes, shape, RDFS.label, "en") and texts(shapes, shape, RDFS.comment, "en")
    for prop in shapes.objects(None, SH.property):
        assert texts(shapes, prop, SH.name, "en"), f"property shape without sh:name: {prop}"


def _validate(data: Graph, ontology: Graph, shapes: Graph, **options):
    """pyshacl with the ontology mixed in, so sh:class follows rdfs:subClassOf."""
    return validate(data, shacl_graph=shapes, ont_graph=ontology, **options)


def test_shapes_accept_the_sample(ontology: Graph, shapes: Graph) -> None:
    # meta_shacl: the shapes graph itself is checked against the SHACL-SHACL shapes first
    conforms, _, text = _validate(sample(), ontology, shapes, meta_shacl=True)
    assert conforms, text


def test_shapes_accept_the_sample_under_rdfs_inference(ontology: Graph, shapes: Graph) -> None:
    # With RDFS inference every rdfs:domain/rdfs:range types its subject/object, and so
    # puts it under that class's shape: the domains must fit how the data uses the terms.
    conforms, _, text = _validate(sample(), ontology, shapes, inference="rdfs", advanced=True)
    assert conforms, text


def _drop(*triples):
    def change(g: Graph) -> None:
        for t in triples:
            g.remove(t)

    return change


def _add(*triples):
    def change(g: Graph) -> None:
        for t in triples:
            g.add(t)

    return change


def _set(s, p, o):
    def change(g: Graph) -> None:
        g.set((s, p, o))

    return change


BROKEN = {
    "domain-knowledge link without reason": (
        _drop((T["link-hda-pa66"], CK.reason, None)),
        T["link-hda-pa66"],
    ),
    "domain-knowledge product without reason": (_drop((T.pa66, CK.reason, None)), T.pa66),
    "link without evidence kind": (
        _drop((T["link-adn-hda"], CK.evidenceKind, None)),
        T["link-adn-hda"],
    ),
    "link from a product to itself": (
        _set(T["link-adn-hda"], CK.downstream, T.adn),
        T["link-adn-hda"],
    ),
    "link with two evidence kinds": (
        _add((T["link-adn-hda"], CK.evidenceKind, CK.DomainKnowledge)),
        T["link-adn-hda"],
    ),
    "industry with two Chinese labels": (
        _add((T.materials, RDFS.label, Literal("材料", lang="zh"))),
        T.materials,
    ),
    "industry with two English labels": (
        _add((T.materials, RDFS.label, Literal("materials", lang="en"))),
        T.materials,
    ),
    "industry without tier": (_drop((T.materials, CK.tier, None)), T.materials),
    "product without kind": (_drop((T.adn, CK.productKind, None)), T.adn),
    "product without Chinese label": (_drop((T.pa66, RDFS.label, None)), T.pa66),
    "malformed CAS number": (_set(T.adn, CK.casNumber, Literal("111693")), T.adn),
    "capacity value as string": (
        _set(T["cap-hda"], QUDT.numericValue, Literal("30")),
        T["cap-hda"],
    ),
    "capacity without unit": (_drop((T["cap-hda"], CK.unitText, None)), T["cap-hda"]),
    "plan item without industry": (_drop((T["item-hda"], CK.inIndustry, None)), T["item-hda"]),
    "plan item not derived from a section": (
        _set(T["item-hda"], PROV.wasDerivedFrom, T.row2),
        T["item-hda"],
    ),
    "production from a plan section only": (
        _set(T["prod-firm-adn"], PROV.wasDerivedFrom, T.box2),
        T["prod-firm-adn"],
    ),
    "production without status": (_drop((T["prod-firm-adn"], CK.status, None)), T["prod-firm-adn"]),
    "production with a year as integer": (
        _set(T["prod-firm-adn"], CK.asOf, Literal(2019)),
        T["prod-firm-adn"],
    ),
    "registry row without line": (_drop((T.row2, CK.lineNumber, None)), T.row2),
    "indicator without any target": (
        _drop((T["energy-use"], CK.targetText, None)),
        T["energy-use"],
    ),
    "indicator with unknown nature": (_set(T.output, CK.nature, CK.Operating), T.output),
    "layout without park": (_drop((T.layout, CK.park, None)), T.layout),
    "cluster without level": (_drop((T.cluster, CK.clusterLevel, None)), T.cluster),
    "attraction target without source": (_drop((T.target, PROV.wasDerivedFrom, None)), T.target),
    "platform without label": (_drop((T.lab, RDFS.label, None)), T.lab),
    "future industry without source": (_drop((T.quantum, PROV.wasDerivedFrom, None)), T.quantum),
    "park without label": (_drop((T.park, RDFS.label, None)), T.park),
    "section without plan": (_drop((T.box2, CK.inPlan, None)), T.box2),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_shapes_reject_broken_data(ontology: Graph, shapes: Graph, case: str) -> None:
    change, focus = BROKEN[case]
    data = sample()
    change(data)
    conforms, report, text = _validate(data, ontology, shapes)
    assert not conforms, case
    # the broken node, and only it, is reported
    assert set(report.objects(None, SH.focusNode)) == {focus}, text


# -------------------------------------------------------------------- JSON-LD


def _expand(context: dict, value: str) -> str:
    prefix, _, local = value.partition(":")
    if local and prefix in context and isinstance(context[prefix], str):
        return context[prefix] + local
    return value


def test_context_maps_every_term(ontology: Graph, context: dict) -> None:
    for prefix in ("ck", "rdfs", "skos", "prov", "dcterms", "qudt", "org", "schema", "geo", "xsd"):
        assert prefix in context
    assert _expand(context, "ck:x") == CK_NS + "x"
    for name in TERMS:
        entry = context.get(name)
        assert entry is not None, f"{name} not in the context"
        iri = entry if isinstance(entry, str) else entry["@id"]
        assert _expand(context, iri) == CK_NS + name
        term = CK[name]
        if (term, RDF.type, OWL.ObjectProperty) in ontology:
            assert entry.get("@type") in ("@id", "@vocab"), name
        elif (term, RDF.type, OWL.DatatypeProperty) in ontology:
            rng = ontology.value(term, RDFS.range)
            if rng not in (None, XSD.string, RDFS.Literal, RDF.PlainLiteral):
                assert _expand(context, entry["@type"]) == str(rng), name
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}


def test_context_round_trips_the_sample(context: dict) -> None:
    data = sample()
    text = data.serialize(format="json-ld", context=context)
    doc = json.loads(text)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), data)
    nodes = {node["id"]: node for node in doc["@graph"]}
    adn = nodes[str(T.adn)]
    assert adn["label"] == {"zh": "己二腈", "en": "adiponitrile"}
    assert adn["productKind"] == "Intermediate"
    assert nodes[str(T["link-adn-hda"])]["upstream"] == str(T.adn)
