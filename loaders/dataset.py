"""A dataset: the plan, its curated chains, identifiers and registries, read into graphs.

A dataset is described by a small YAML manifest (the built-in one is
``loaders/data/dataset.yaml``); paths in it are relative to the manifest. Each
source becomes its own named graph. Another district's plan loads with the same
code and its own manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from chainkg.graph.namespaces import Ids
from chainkg.graph.store import OxigraphStore
from chainkg.loaders.chains import identifiers_graph, load_chains
from chainkg.loaders.errors import LoadError, Problem
from chainkg.loaders.items import load_items, product_ids
from chainkg.loaders.plan import PlanError, parse_plan
from chainkg.loaders.plan_rdf import plan_graph, plan_slug
from chainkg.loaders.plan_report import report
from chainkg.loaders.registry import names_of, registry_graph, registry_graph_iri
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
    items: Path | None = None

    KEYS = ("plan", "chains", "identifiers", "registries", "items")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read and check a manifest; paths are resolved against its folder."""
        path = Path(path)

        def bad(key: str, value: object, message: str) -> LoadError:
            return LoadError([Problem(str(path), 0, key, str(value), message)])

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise bad("", "", f"cannot read manifest: {exc}") from exc
        if not isinstance(data, dict):
            raise bad("", "", "a manifest is a mapping of " + ", ".join(cls.KEYS))
        for key in data:
            if key not in cls.KEYS:
                raise bad(key, key, "unknown key; use " + ", ".join(cls.KEYS))
        if "plan" not in data:
            raise bad("plan", "", "the manifest names no plan")
        regs = data.get("registries") or []
        if not isinstance(regs, list):
            raise bad("registries", regs, "registries is a list of CSV files")

        def rel(key: str, p: object) -> Path:
            if not isinstance(p, str) or not p:
                raise bad(key, p, "expected a file name")
            full = path.parent / p
            if not full.is_file():
                raise bad(key, p, f"no such file: {full}")
            return full

        return cls(
            path,
            rel("plan", data["plan"]),
            rel("chains", data["chains"]) if data.get("chains") else None,
            rel("identifiers", data["identifiers"]) if data.get("identifiers") else None,
            [rel("registries", r) for r in regs],
            rel("items", data["items"]) if data.get("items") else None,
        )


def ontology_graph() -> Graph:
    """The chainkg ontology as a graph."""
    return Graph().parse(data=ontology_text(), format="turtle")


def read_dataset(
    manifest: Manifest, ids: Ids, progress: Progress = lambda _: None, strict: bool = False
) -> list[Source]:
    """Every named graph of the dataset, source by source. ``strict`` refuses a plan with
    lines the reader did not place (``chainkg parse`` lists them)."""
    sources = [Source(ids.graph("ontology"), ontology_graph(), "chainkg ontology", "ontology")]
    progress(f"parsing plan {manifest.plan.name}")
    try:
        plan = parse_plan(manifest.plan.read_text(encoding="utf-8"))
    except PlanError as exc:
        raise LoadError([Problem(str(manifest.plan), 0, "", "", str(exc))]) from exc
    review = report(plan)
    progress(f"plan: {review['summary']}")
    if strict and review["unplaced"]:
        raise LoadError(
            [
                Problem(
                    str(manifest.plan), u["line"], "", u["text"][:40], f"not placed: {u['why']}"
                )
                for u in review["unplaced"]
            ]
        )
    key = plan_slug(plan)
    catalogue = None
    if manifest.chains:
        progress(f"checking chains {manifest.chains.name}")
        catalogue = load_chains(manifest.chains, plan, ids)
        sources.append(
            Source(ids.graph("chains", key), catalogue.graph, manifest.chains.name, "chains")
        )
        if manifest.identifiers:
            sources.append(
                Source(
                    ids.graph("identifiers", key),
                    identifiers_graph(manifest.identifiers, catalogue, ids),
                    manifest.identifiers.name,
                    "identifiers",
                )
            )
    curated = None
    if manifest.items:
        progress(f"checking items {manifest.items.name}")
        known = product_ids(catalogue.graph, ids) if catalogue else []
        curated = load_items(manifest.items, plan, known)
    progress(f"mapping plan: {len(plan.items)} items, {len(plan.indicators)} indicators")
    products = catalogue.lexicon if catalogue else None
    chains = catalogue.chains if catalogue else None
    sources.append(
        Source(
            ids.graph("plan", key),
            plan_graph(plan, ids, products, chains, curated),
            manifest.plan.name,
            "plan",
        )
    )
    if manifest.registries:
        names = names_of(memory_store(sources))
        for reg in manifest.registries:
            progress(f"checking registry {reg.name}")
            sources.append(
                Source(
                    registry_graph_iri(ids, reg),
                    registry_graph(reg, names, ids),
                    reg.name,
                    "registry",
                )
            )
    return sources


def memory_store(sources: list[Source]) -> OxigraphStore:
    """An in-memory store holding ``sources`` (to look names up before a build is written)."""
    store = OxigraphStore()
    for src in sources:
        store.bulk_add(str(src.graph), src.data)
    return store


def describe(source: Source) -> Graph:
    """Metadata of a named graph (VoID): what it holds, where from, how many triples."""
    g = Graph()
    g.add((source.graph, RDF.type, VOID.Dataset))
    g.add((source.graph, RDFS.label, Literal(f"{source.kind}: {source.origin}")))
    g.add((source.graph, DCTERMS.source, Literal(source.origin)))
    g.add((source.graph, DCTERMS.type, Literal(source.kind)))
    g.add((source.graph, VOID.triples, Literal(len(source.data))))
    return g
