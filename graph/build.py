"""Build a store from a dataset, and load more sources into a built store.

Both run in a new store version (see :mod:`chainkg.graph.home`): the live store
changes only when all sources have been read, checked and written.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from chainkg.graph.home import StoreHome
from chainkg.graph.namespaces import Ids
from chainkg.graph.store import OxigraphStore
from chainkg.loaders.dataset import Manifest, Source, describe, read_dataset
from chainkg.loaders.registry import Names, registry_graph, registry_graph_iri
from chainkg.loaders.text import Lexicon

Progress = Callable[[str], None]
EXTRA = "extra-sources.json"


@dataclass
class BuildReport:
    """What a build or load wrote."""

    graphs: dict[str, int]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def _write(
    store: OxigraphStore, sources: list[Source], ids: Ids, progress: Progress, bulk: bool
) -> dict[str, int]:
    out: dict[str, int] = {}
    meta = Graph()
    for src in sources:
        n = (
            store.bulk_add(str(src.graph), src.data)
            if bulk
            else store.replace_graph(str(src.graph), src.data)
        )
        out[str(src.graph)] = n
        meta += describe(src)
        progress(f"wrote {n:>6} triples to <{src.graph}>")
    if bulk:
        store.bulk_add(str(ids.graph("meta")), meta)
    else:
        existing = store.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ids.graph("meta")}
        )
        for src in sources:
            existing.remove((src.graph, None, None))
        store.replace_graph(str(ids.graph("meta")), existing + meta)
    return out


def build(
    home: StoreHome, manifest: Manifest, ids: Ids, progress: Progress = lambda _: None
) -> BuildReport:
    """Build the dataset into a new version of ``home`` and switch to it."""
    start = time.perf_counter()
    sources = list(read_dataset(manifest, ids, progress))
    sources += _extra_sources(home, sources, ids, progress)
    progress(f"writing {sum(len(s.data) for s in sources)} triples")
    with home.new_version() as store:
        graphs = _write(store, sources, ids, progress, bulk=True)
    return BuildReport(graphs, time.perf_counter() - start)


def names_in_store(store: OxigraphStore) -> Names:
    """Product and park names (labels and aliases) of a built store."""
    products, parks = Lexicon(), Lexicon()
    q = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?cls ?s ?name WHERE {
      ?s a ?cls . { ?s rdfs:label ?name } UNION { ?s skos:altLabel ?name } }
    ORDER BY ?s ?name"""
    for cls, lex in (
        ("https://w3id.org/chainkg/ontology#Product", products),
        ("https://w3id.org/chainkg/ontology#Park", parks),
    ):
        for row in store.select(q, {"cls": URIRef(cls)}):
            lex.add(str(row["name"]), row["s"])
    return Names(products, parks)


def load_registry(
    home: StoreHome, path: Path, ids: Ids, progress: Progress = lambda _: None
) -> BuildReport:
    """Check a registry CSV against the live store and add it in a new version.

    The file is remembered in the store's home, so later builds load it again.
    """
    start = time.perf_counter()
    live = home.open(read_only=True)
    try:
        data = registry_graph(path, names_in_store(live), ids)
    finally:
        live.close()
    source = Source(registry_graph_iri(ids, path), data, Path(path).name, "registry")
    with home.new_version(from_current=True) as store:
        graphs = _write(store, [source], ids, progress, bulk=False)
    _remember(home, path, "enterprises", str(source.graph))
    return BuildReport(graphs, time.perf_counter() - start)


def load_graph(
    home: StoreHome,
    graph: URIRef,
    data: Graph,
    origin: str,
    kind: str,
    progress: Progress = lambda _: None,
) -> BuildReport:
    """Replace one named graph of the live store with ``data``, in a new version."""
    start = time.perf_counter()
    with home.new_version(from_current=True) as store:
        graphs = _write(store, [Source(graph, data, origin, kind)], Ids(), progress, bulk=False)
    return BuildReport(graphs, time.perf_counter() - start)


def _remember(home: StoreHome, path: Path, kind: str, graph: str) -> None:
    keep = home.path / "sources"
    keep.mkdir(exist_ok=True)
    copy = keep / Path(path).name
    shutil.copyfile(path, copy)
    index = home.path / EXTRA
    entries = json.loads(index.read_text()) if index.exists() else []
    entries = [e for e in entries if e["graph"] != graph]
    entries.append({"file": copy.name, "kind": kind, "graph": graph})
    index.write_text(json.dumps(entries, ensure_ascii=False, indent=1))


def _extra_sources(
    home: StoreHome, sources: list[Source], ids: Ids, progress: Progress
) -> list[Source]:
    """Registries loaded earlier with ``chainkg load``, checked against the new build."""
    index = home.path / EXTRA
    if not index.exists():
        return []
    products, parks = Lexicon(), Lexicon()
    merged = Graph()
    for src in sources:
        merged += src.data
    names = names_in_store(_memory_store(merged))
    products, parks = names.products, names.parks
    out = []
    for entry in json.loads(index.read_text()):
        path = home.path / "sources" / entry["file"]
        progress(f"re-loading {entry['file']} (added earlier with chainkg load)")
        out.append(
            Source(
                URIRef(entry["graph"]),
                registry_graph(path, Names(products, parks), ids),
                path.name,
                "registry",
            )
        )
    return out


def _memory_store(data: Graph) -> OxigraphStore:
    store = OxigraphStore()
    store.bulk_add("urn:x-chainkg:scratch", data)
    return store
