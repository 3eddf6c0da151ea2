"""Check a store: SHACL shapes (pyshacl) and OWL consistency (HermiT through owlready2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pyshacl import validate
from rdflib import Graph

from chainkg.graph.store import Store
from chainkg.ontology import ontology_text, shapes_text

DATA = """CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(!STRENDS(STR(?g), "/graph/meta") && !STRENDS(STR(?g), "/graph/ontology")) }"""


def data_graph(store: Store) -> Graph:
    """All data triples of the store (without the ontology and the graph metadata)."""
    return store.construct(DATA)


def shacl_report(store: Store) -> tuple[bool, str]:
    """Whether the data conforms to the shapes, and pyshacl's report text."""
    ontology = Graph().parse(data=ontology_text(), format="turtle")
    shapes = Graph().parse(data=shapes_text(), format="turtle")
    conforms, _, text = validate(
        data_graph(store),
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs",
        advanced=True,
        allow_warnings=True,
    )
    return bool(conforms), str(text)


def reason(store: Store) -> tuple[bool, str]:
    """Run HermiT on ontology + data; (consistent, message)."""
    import owlready2

    g = Graph().parse(data=ontology_text(), format="turtle")
    g += data_graph(store)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.nt"
        g.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return False, f"HermiT: ontology + data are INCONSISTENT: {exc}"
        empty = list(world.inconsistent_classes())
    if empty:
        return False, f"HermiT: unsatisfiable classes: {', '.join(map(str, empty))}"
    return True, f"HermiT: ontology + data ({len(g)} triples) are consistent"
