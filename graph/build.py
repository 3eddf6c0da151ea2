"""Build a store from a dataset, and load more sources into a built store.

Both run in a new store version (see :mod:`chainkg.graph.home`): the live store
changes only when all sources have been read, checked and written.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from chainkg.graph.home import StoreHome
from chainkg.graph.namespaces import Ids, slug
from chainkg.graph.store import OxigraphStore, to_ox
from chainkg.loaders.dataset import Manifest, Source, describe, memory_store, read_dataset
from chainkg.loaders.errors import LoadError, Problem
from chainkg.loaders.rdf_import import rdf_file_graph
from chainkg.loaders.registry import names_of, registry_graph, registry_graph_iri

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
    """Build the dataset into a new version of ``home`` and switch to it.

    Files added earlier with ``chainkg load`` are read again (inside the store lock, so
    a load that finishes meanwhile is not lost) and checked against the new build.
    """
    start = time.perf_counter()
    sources = read_dataset(manifest, ids, progress)
    with home.new_version(progress=progress) as store:
        sources += _extra_sources(home, sources, ids, progress)
        progress(f"writing {sum(len(s.data) for s in sources)} triples")
        graphs = _write(store, sources, ids, progress, bulk=True)
    return BuildReport(graphs, time.perf_counter() - start)


def load_registry(
    home: StoreHome, path: Path, ids: Ids, progress: Progress = lambda _: None
) -> BuildReport:
    """Check a registry CSV against the live store and add it in a new version.

    The file is kept in the store's home, so later builds load it again.
    """
    start = time.perf_counter()
    path = Path(path).resolve()
    with home.new_version(from_current=True, progress=progress) as store:
        data = registry_graph(path, names_of(store), ids)
        source = Source(registry_graph_iri(ids, path), data, path.name, "registry")
        graphs = _write(store, [source], ids, progress, bulk=False)
        _remember(home, path, "enterprises", str(source.graph))
    return BuildReport(graphs, time.perf_counter() - start)


def load_rdf(
    home: StoreHome,
    path: Path,
    graph: URIRef,
    ids: Ids,
    replace: bool = False,
    progress: Progress = lambda _: None,
) -> BuildReport:
    """Import an RDF file into ``graph`` of the live store, in a new version.

    A graph that a build wrote (plan, chains, registries …) is only replaced when
    ``replace`` is given. The file is kept so later builds import it again.
    """
    start = time.perf_counter()
    path = Path(path).resolve()
    graph = URIRef(to_ox(graph).value)  # raises ValueError for a non-IRI
    data = rdf_file_graph(path)
    with home.new_version(from_current=True, progress=progress) as store:
        built = {str(r["g"]) for r in store.select(BUILT, {"meta": ids.graph("meta")})}
        if str(graph) in built and not replace:
            raise LoadError(
                [
                    Problem(
                        str(path),
                        0,
                        "graph",
                        str(graph),
                        "this graph was written by the build; pass --replace to overwrite it",
                    )
                ]
            )
        source = Source(graph, data, path.name, "import")
        graphs = _write(store, [source], ids, progress, bulk=False)
        _remember(home, path, "rdf", str(graph))
    return BuildReport(graphs, time.perf_counter() - start)


BUILT = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?meta ?g WHERE { GRAPH ?meta { ?g dcterms:type ?kind } FILTER(?kind != "import") }"""


def _remember(home: StoreHome, path: Path, kind: str, graph: str) -> None:
    """Keep a copy of a loaded file and note it in the home's index (atomically)."""
    keep = home.path / "sources"
    keep.mkdir(exist_ok=True)
    copy = keep / f"{slug(graph)}{path.suffix}"
    shutil.copyfile(path, copy)
    index = home.path / EXTRA
    entries = json.loads(index.read_text()) if index.exists() else []
    entries = [e for e in entries if e["graph"] != graph]
    entries.append({"file": copy.name, "name": path.name, "kind": kind, "graph": graph})
    tmp = index.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=1))
    os.replace(tmp, index)


def _extra_sources(
    home: StoreHome, sources: list[Source], ids: Ids, progress: Progress
) -> list[Source]:
    """Files loaded earlier with ``chainkg load``, checked against the new build."""
    index = home.path / EXTRA
    if not index.exists():
        return []
    names = names_of(memory_store(sources))
    out = []
    for entry in json.loads(index.read_text()):
        path = home.path / "sources" / entry["file"]
        progress(f"re-loading {entry['name']} (added earlier with chainkg load)")
        if entry["kind"] == "rdf":
            data, kind = rdf_file_graph(path), "import"
        else:
            data, kind = registry_graph(path, names, ids), "registry"
        out.append(Source(URIRef(entry["graph"]), data, entry["name"], kind))
    return out
