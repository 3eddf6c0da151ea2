"""A dataset: the plan, its curated chains, identifiers and registries, read into graphs.

A dataset is described by a small YAML manifest (the built-in one is
``loaders/data/dataset.yaml``); paths in it are relative to the manifest. Each
source becomes its own named graph. Another district's plan loads with the same
code and its own manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from chainkg.graph.namespaces import Ids
from chainkg.loaders.chains import identifiers_graph, load_chains
from chainkg.loaders.errors import LoadError, Problem
from chainkg.loaders.plan import parse_plan
from chainkg.loaders.plan_rdf import plan_graph, plan_slug
from chainkg.loaders.registry import Names, registry_graph, registry_graph_iri
from chainkg.loaders.text import Lexicon
from chainkg.ontology import ontology_text

Progress = Callable[[str], None]


def builtin_manifest() -> Path:
    """The manifest of the built-in dataset (the Fuling plan 2022–2026)."""
    return Path(str(resources.files("chainkg.loaders.data") / "dataset.yaml"))


@dataclass
class Source:
    """One named graph of a dataset and where it came from."""

    graph: URIRef
    data: Graph
    origin: str
    kind: str


@dataclass
class Manifest:
    """The files of a dataset."""

    path: Path
    plan: Path
    chains: Path | None = None
    identifiers: Path | None = None
    registries: list[Path] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read a manifest; paths are resolved against its folder."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise LoadError(
                [Problem(str(path), 0, "", "", f"cannot read manifest: {exc}")]
            ) from exc
        if "plan" not in data:
            raise LoadError([Problem(str(path), 0, "plan", "", "the manifest names no plan")])

        def rel(p: str | None) -> Path | None:
            return (path.parent / p) if p else None

        return cls(
            path,
            rel(data["plan"]),
            rel(data.get("chains")),
            rel(data.get("identifiers")),
            [rel(r) for r in data.get("registries", [])],
        )


def ontology_graph() -> Graph:
    """The chainkg ontology as a graph."""
    return Graph().parse(data=ontology_text(), format="turtle")


def read_dataset(
    manifest: Manifest, ids: Ids, progress: Progress = lambda _: None
) -> Iterator[Source]:
    """Every named graph of the dataset, source by source."""
    yield Source(ids.graph("ontology"), ontology_graph(), "chainkg ontology", "ontology")
    progress(f"parsing plan {manifest.plan.name}")
    plan = parse_plan(manifest.plan.read_text(encoding="utf-8"))
    key = plan_slug(plan)
    products = Lexicon()
    if manifest.chains:
        progress(f"checking chains {manifest.chains.name}")
        catalogue = load_chains(manifest.chains, plan, ids)
        products = catalogue.lexicon
        yield Source(ids.graph("chains", key), catalogue.graph, manifest.chains.name, "chains")
        if manifest.identifiers:
            yield Source(
                ids.graph("identifiers", key),
                identifiers_graph(manifest.identifiers, catalogue, ids),
                manifest.identifiers.name,
                "identifiers",
            )
    progress(f"mapping plan: {len(plan.items)} items, {len(plan.indicators)} indicators")
    yield Source(
        ids.graph("plan", key), plan_graph(plan, ids, products), manifest.plan.name, "plan"
    )
    parks = Lexicon()
    for park in plan.parks:
        parks.add(park, ids.of("park", park))
    for reg in manifest.registries:
        progress(f"checking registry {reg.name}")
        yield Source(
            registry_graph_iri(ids, reg),
            registry_graph(reg, Names(products, parks), ids),
            reg.name,
            "registry",
        )


def describe(source: Source) -> Graph:
    """Metadata of a named graph (VoID): what it holds, where from, how many triples."""
    g = Graph()
    g.add((source.graph, RDF.type, VOID.Dataset))
    g.add((source.graph, RDFS.label, Literal(f"{source.kind}: {source.origin}")))
    g.add((source.graph, DCTERMS.source, Literal(source.origin)))
    g.add((source.graph, DCTERMS.type, Literal(source.kind)))
    g.add((source.graph, VOID.triples, Literal(len(source.data))))
    return g
