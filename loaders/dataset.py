"""A dataset: the plan, its curated chains, identifiers and registries, read into graphs.

A dataset is described by a small YAML manifest (the built-in one is
``loaders/data/dataset.yaml``); paths in it are relative to the manifest. Each
source becomes its own named graph. Another district's plan loads with the same
code and its own manifest, and one manifest can list several plans (``plans:``) to build
the districts of a region into one store: each plan's graphs are recorded as part of it
(``dcterms:isPartOf`` in the meta graph), and products are shared, so chains meet.
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
from chainkg.loaders.rdf_import import RdfFile
from chainkg.loaders.registry import names_of, registry_file, registry_graph_iri
from chainkg.ontology import ontology_text

Progress = Callable[[str], None]


def builtin_manifest() -> Path:
    """The manifest of the built-in dataset (the Fuling plan 2022–2026)."""
    return Path(str(resources.files("chainkg.loaders.data") / "dataset.yaml"))


@dataclass
class Source:
    """One named graph of a dataset and where it came from (``plan``: the plan it belongs
    to; None for a graph every plan shares)."""

    graph: URIRef
    data: Graph
    origin: str
    kind: str
    plan: URIRef | None = None
    file: RdfFile | None = None  # an RDF file streamed into the graph (``data`` unused)


ENTRY_KEYS = ("plan", "chains", "identifiers", "registries", "items")
BUILTIN = "builtin"  # in a ``plans:`` list: the built-in dataset


@dataclass
class Entry:
    """The files of one plan of a dataset."""

    plan: Path
    chains: Path | None = None
    identifiers: Path | None = None
    registries: list[Path] = field(default_factory=list)
    items: Path | None = None


@dataclass
class Manifest:
    """The files of a dataset: one plan (keys ``plan``, ``chains``, ``identifiers``,
    ``registries``, ``items``) or several (``plans:``, a list of such mappings, of paths to
    other manifests, or ``builtin``). The first plan is the default one."""

    path: Path
    entries: list[Entry]

    KEYS = ENTRY_KEYS

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @property
    def plan(self) -> Path:
        return self.first.plan

    @property
    def chains(self) -> Path | None:
        return self.first.chains

    @property
    def identifiers(self) -> Path | None:
        return self.first.identifiers

    @property
    def registries(self) -> list[Path]:
        return self.first.registries

    @property
    def items(self) -> Path | None:
        return self.first.items

    @classmethod
    def read(cls, path: Path, _seen: tuple[Path, ...] = ()) -> Manifest:
        """Read and check a manifest; paths are resolved against its folder."""
        path = Path(path)

        def bad(key: str, value: object, message: str) -> LoadError:
            return LoadError([Problem(str(path), 0, key, str(value), message)])

        if path.resolve() in _seen:
            raise bad("plans", path, "a manifest lists itself")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise bad("", "", f"cannot read manifest: {exc}") from exc
        if not isinstance(data, dict):
            keys = ", ".join((*ENTRY_KEYS, "plans"))
            raise bad("", "", f"a manifest is a mapping of {keys}")
        if "plans" not in data:
            return cls(path, [_entry(path, data, bad)])
        if set(data) - {"plans"}:
            key = sorted(set(data) - {"plans"})[0]
            raise bad(key, key, "a manifest with plans: lists each plan's files in its entry")
        if not isinstance(data["plans"], list) or not data["plans"]:
            raise bad("plans", data["plans"], "plans is a list of plan entries or manifests")
        entries: list[Entry] = []
        for i, item in enumerate(data["plans"], start=1):
            if isinstance(item, dict):
                entries.append(_entry(path, item, bad, f"plans[{i}]."))
            elif isinstance(item, str) and item:
                other = builtin_manifest() if item == BUILTIN else path.parent / item
                if not other.is_file():
                    raise bad(f"plans[{i}]", item, f"no such manifest: {other}")
                entries += cls.read(other, (*_seen, path.resolve())).entries
            else:
                raise bad(f"plans[{i}]", item, "expected a mapping, a manifest path or builtin")
        return cls(path, entries)


def _entry(path: Path, data: dict, bad, where: str = "") -> Entry:
    """One plan's files, checked; ``where`` prefixes the key in errors (``plans[2].``)."""
    for key in data:
        if key not in ENTRY_KEYS:
            raise bad(where + key, key, "unknown key; use " + ", ".join(ENTRY_KEYS))
    if "plan" not in data:
        raise bad(where + "plan", "", "the manifest names no plan")
    regs = data.get("registries") or []
    if not isinstance(regs, list):
        raise bad(where + "registries", regs, "registries is a list of CSV files")

    def rel(key: str, p: object) -> Path:
        if not isinstance(p, str) or not p:
            raise bad(where + key, p, "expected a file name")
        full = path.parent / p
        if not full.is_file():
            raise bad(where + key, p, f"no such file: {full}")
        return full

    return Entry(
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
    manifest: Manifest,
    ids: Ids,
    scratch: Path,
    progress: Progress = lambda _: None,
    strict: bool = False,
) -> list[Source]:
    """Every named graph of the dataset, plan by plan and source by source; registries
    are written to N-Triples files in ``scratch`` for the store to stream. ``strict``
    refuses a plan with lines the reader did not place (``chainkg parse`` lists them)."""
    sources = [Source(ids.graph("ontology"), ontology_graph(), "chainkg ontology", "ontology")]
    plans: dict[str, Path] = {}
    registries: dict[URIRef, Path] = {}
    for entry in manifest.entries:
        part = read_plan(entry, ids, progress, strict, sources[0], scratch)
        key = str(part[0].plan)
        if key in plans:
            raise LoadError(
                [
                    Problem(
                        str(entry.plan),
                        0,
                        "plan",
                        key,
                        f"this plan is already in the dataset (from {plans[key]})",
                    )
                ]
            )
        plans[key] = entry.plan
        for src in part:
            if src.kind == "registry" and src.graph in registries:
                raise LoadError(
                    [
                        Problem(
                            str(entry.plan),
                            0,
                            "registries",
                            src.origin,
                            f"another registry of this dataset has the same file name "
                            f"({registries[src.graph]}); registry graphs are named by file, "
                            f"so rename one",
                        )
                    ]
                )
            if src.kind == "registry":
                registries[src.graph] = Path(src.origin)
        sources += part
    return sources


def read_plan(
    entry: Entry, ids: Ids, progress: Progress, strict: bool, ontology: Source, scratch: Path
) -> list[Source]:
    """The graphs of one plan of a dataset (plan, chains, identifiers, registries)."""
    progress(f"parsing plan {entry.plan.name}")
    try:
        plan = parse_plan(entry.plan.read_text(encoding="utf-8"))
    except PlanError as exc:
        raise LoadError([Problem(str(entry.plan), 0, "", "", str(exc))]) from exc
    review = report(plan)
    progress(f"plan: {review['summary']}")
    if strict and review["unplaced"]:
        raise LoadError(
            [
                Problem(str(entry.plan), u["line"], "", u["text"][:40], f"not placed: {u['why']}")
                for u in review["unplaced"]
            ]
        )
    key = plan_slug(plan)
    owner = ids.iri("plan", key)
    sources: list[Source] = []
    catalogue = None
    if entry.chains:
        progress(f"checking chains {entry.chains.name}")
        catalogue = load_chains(entry.chains, plan, ids)
        sources.append(
            Source(ids.graph("chains", key), catalogue.graph, entry.chains.name, "chains", owner)
        )
        if entry.identifiers:
            sources.append(
                Source(
                    ids.graph("identifiers", key),
                    identifiers_graph(entry.identifiers, catalogue, ids, key),
                    entry.identifiers.name,
                    "identifiers",
                    owner,
                )
            )
    curated = None
    if entry.items:
        progress(f"checking items {entry.items.name}")
        known = product_ids(catalogue.graph, ids) if catalogue else []
        curated = load_items(entry.items, plan, known)
    progress(f"mapping plan: {len(plan.items)} items, {len(plan.indicators)} indicators")
    products = catalogue.lexicon if catalogue else None
    chains = catalogue.chains if catalogue else None
    sources.append(
        Source(
            ids.graph("plan", key),
            plan_graph(plan, ids, products, chains, curated),
            entry.plan.name,
            "plan",
            owner,
        )
    )
    if entry.registries:
        names = names_of(memory_store([ontology, *sources]))
        for reg in entry.registries:
            progress(f"checking registry {reg.name}")
            sources.append(
                Source(
                    registry_graph_iri(ids, reg),
                    Graph(),
                    reg.name,
                    "registry",
                    owner,
                    file=registry_file(reg, names, ids, scratch),
                )
            )
    return sources


def memory_store(sources: list[Source]) -> OxigraphStore:
    """An in-memory store holding ``sources`` (to look names up before a build is written)."""
    store = OxigraphStore()
    for src in sources:
        store.bulk_add(str(src.graph), src.data)
    return store


def describe(source: Source, triples: int | None = None) -> Graph:
    """Metadata of a named graph (VoID): what it holds, where from, how many triples
    (``triples``, else the size of ``source.data``)."""
    g = Graph()
    g.add((source.graph, RDF.type, VOID.Dataset))
    g.add((source.graph, RDFS.label, Literal(f"{source.kind}: {source.origin}")))
    g.add((source.graph, DCTERMS.source, Literal(source.origin)))
    g.add((source.graph, DCTERMS.type, Literal(source.kind)))
    size = len(source.data) if triples is None else triples
    g.add((source.graph, VOID.triples, Literal(size)))
    if source.plan is not None:
        g.add((source.graph, DCTERMS.isPartOf, source.plan))
    return g
