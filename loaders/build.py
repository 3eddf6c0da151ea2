"""Build a store from a dataset, and load more sources into a built store.

Both run in a new store version (see :mod:`chainkg.graph.home`): the live store
changes only when all sources have been read, checked and written.

A file added with ``chainkg load`` is kept in ``<home>/sources/`` under the SHA-256 of
its content, and the version the load writes records it in its meta graph
(``<graph> <urn:chainkg:store#keptCopy> "…"``). So a loaded file is known exactly when
the version that holds it is live: a later build reads the kept copies the *live* version
names, and a load that failed or was killed before its switch left at most a copy that
nothing names, which the next write sweeps away. A home of an older chainkg lists its
loaded files in ``extra-sources.json``: the next build takes the entries whose graph is
live, records them in its version and removes that file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from chainkg.graph.home import Home, scratch
from chainkg.graph.namespaces import Ids
from chainkg.graph.scope import DEFAULT_PLAN, PlanScope, districts, scoped
from chainkg.graph.store import WritableStore, to_ox
from chainkg.loaders.dataset import Manifest, Source, describe, memory_store, read_dataset
from chainkg.loaders.errors import LoadError, Problem
from chainkg.loaders.rdf_import import rdf_file, syntax_error
from chainkg.loaders.registry import Names, names_of, registry_file, registry_graph_iri

Progress = Callable[[str], None]
Derive = Callable[[WritableStore], object]  # what else to keep with a new version
SOURCES = "sources"
LEGACY = "extra-sources.json"  # where older chainkg versions listed loaded files
KEPT = URIRef("urn:chainkg:store#keptCopy")  # a loaded graph → its copy in sources/
BASE = URIRef("urn:chainkg:store#baseIri")  # an imported RDF file → the base IRI it used
COPY_NAME = re.compile(r"[0-9a-f]{64}(\.[^/\0]*)?")  # what _copy names: no folder part


@dataclass
class BuildReport:
    """What a build or load wrote."""

    graphs: dict[str, int]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


@dataclass
class Kept:
    """A file added with ``chainkg load``, as a store version records it."""

    graph: str
    kind: str  # "registry" or "import", as in the meta graph's dcterms:type
    name: str  # the loaded file's own name
    copy: str  # its copy's name in <home>/sources/
    base: str | None = None  # base IRI of an RDF import
    plan: str | None = None  # the plan it was loaded into (None: shared by every plan)

    def record(self) -> Graph:
        """The meta triples that name the copy (beside :func:`describe`'s)."""
        g = Graph()
        g.add((URIRef(self.graph), KEPT, Literal(self.copy)))
        if self.base:
            g.add((URIRef(self.graph), BASE, URIRef(self.base)))
        return g


def _write(
    store: WritableStore,
    sources: list[Source],
    ids: Ids,
    progress: Progress,
    bulk: bool,
    records: Graph | None = None,
) -> dict[str, int]:
    out: dict[str, int] = {}
    meta = Graph() + (records or Graph())
    for src in sources:
        if src.file is not None:
            n = _stream(store, src)
        elif bulk:
            n = store.bulk_add(str(src.graph), src.data)
        else:
            n = store.replace_graph(str(src.graph), src.data)
        out[str(src.graph)] = n
        meta += describe(src, n)
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


def _stream(store: WritableStore, src: Source) -> int:
    """Stream an RDF file into its graph; a syntax error is a LoadError naming the line
    (and fails the version being written)."""
    assert src.file is not None
    f = src.file
    try:
        return store.load_file(str(src.graph), f.path, f.format, f.base)
    except SyntaxError as exc:
        raise syntax_error(f.path, exc) from exc


def build(
    home: Home,
    manifest: Manifest,
    ids: Ids,
    progress: Progress = lambda _: None,
    strict: bool = False,
    derive: Derive | None = None,
) -> BuildReport:
    """Build the dataset into a new version of ``home`` and switch to it.

    The files the live version records as added with ``chainkg load`` are read again
    from their kept copies (inside the store lock, so a load that finishes meanwhile is
    not lost), checked against the new build and recorded in the new version. ``strict``
    refuses a plan with lines its reader did not place. ``derive`` computes what else is
    kept with the new version (the CLI: its reports), before it goes live.
    """
    start = time.perf_counter()
    legacy = home.path / LEGACY
    with home.new_version(progress=progress) as store, scratch(home) as folder:
        sources = read_dataset(manifest, ids, folder, progress, strict)
        plans = [s.plan for s in sources if s.plan is not None]
        kept = _live_kept(home, ids, progress)
        extras, records = _reload(home, kept, sources, ids, progress, folder)
        records.add((ids.graph("meta"), DEFAULT_PLAN, plans[0]))
        sources += extras
        progress(f"writing {len(sources)} graphs")
        graphs = _write(store, sources, ids, progress, bulk=True, records=records)
        if derive:
            derive(store)
    legacy.unlink(missing_ok=True)  # its files are recorded in the live version now
    return BuildReport(graphs, time.perf_counter() - start)


def load_registry(
    home: Home,
    path: Path,
    ids: Ids,
    progress: Progress = lambda _: None,
    plan: str | None = None,
    derive: Derive | None = None,
) -> BuildReport:
    """Check a registry CSV against the live store's plan ``plan`` (an IRI; None: the
    default plan) and add it to that plan in a new version.

    The file is kept in the store's home, so later builds load it again.
    """
    start = time.perf_counter()
    path = Path(path).resolve()
    with home.new_version(from_current=True, progress=progress) as store, scratch(home) as folder:
        view = _plan_view(store, ids, path, plan)
        graph = registry_graph_iri(ids, path)
        owner = districts(store, ids.graph("meta")).owner(str(graph))
        if owner not in (None, view.plan):
            raise LoadError(
                [
                    Problem(
                        str(path),
                        0,
                        "plan",
                        view.plan,
                        f"<{graph}> holds a registry of the same file name for <{owner}>; "
                        "rename the file to add it to another plan",
                    )
                ]
            )
        rdf = registry_file(path, names_of(view), ids, folder)
        owner_plan = URIRef(view.plan) if view.plan else None
        source = Source(graph, Graph(), path.name, "registry", owner_plan, file=rdf)
        kept = _keep(home, store, ids, path, source)
        graphs = _write(store, [source], ids, progress, bulk=False, records=kept.record())
        if derive:
            derive(store)
    return BuildReport(graphs, time.perf_counter() - start)


def load_rdf(
    home: Home,
    path: Path,
    graph: URIRef,
    ids: Ids,
    replace: bool = False,
    progress: Progress = lambda _: None,
    plan: str | None = None,
    derive: Derive | None = None,
) -> BuildReport:
    """Import an RDF file into ``graph`` of the live store, in a new version.

    A graph that a build wrote (plan, chains, registries …) is only replaced when
    ``replace`` is given. The graph is shared by every plan of the store, or belongs to
    ``plan`` (an IRI) when one is given. The file is kept so later builds import it again.
    """
    start = time.perf_counter()
    path = Path(path).resolve()
    graph = URIRef(to_ox(graph).value)  # raises ValueError for a non-IRI
    rdf = rdf_file(path)
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
        owner = _plan_view(store, ids, path, plan).plan if plan else None
        plan_iri = URIRef(owner) if owner else None
        source = Source(graph, Graph(), path.name, "import", plan_iri, file=rdf)
        kept = _keep(home, store, ids, path, source, base=path.as_uri())
        graphs = _write(store, [source], ids, progress, bulk=False, records=kept.record())
        if derive:
            derive(store)
    return BuildReport(graphs, time.perf_counter() - start)


BUILT = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?meta ?g WHERE { GRAPH ?meta { ?g dcterms:type ?kind } FILTER(?kind != "import") }"""

RECORDS = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?meta ?g ?kind ?name ?copy ?base ?plan WHERE {{ GRAPH ?meta {{
  ?g dcterms:type ?kind ; dcterms:source ?name .
  OPTIONAL {{ ?g <{KEPT}> ?copy }} OPTIONAL {{ ?g <{BASE}> ?base }}
  OPTIONAL {{ ?g dcterms:isPartOf ?plan }} }} }}"""


def _plan_view(store, ids: Ids, path: Path, plan: str | None) -> PlanScope:
    """The live store seen through ``plan`` (None: the default plan); a plan the store
    does not hold is a LoadError naming the plans it does."""
    try:
        return scoped(store, ids.graph("meta"), plan)
    except KeyError:
        held = ", ".join(districts(store, ids.graph("meta")).plans) or "none"
        raise LoadError(
            [Problem(str(path), 0, "plan", str(plan), f"the store holds no such plan ({held})")]
        ) from None


def _recorded(store, ids: Ids) -> tuple[list[Kept], set[str]]:
    """The loaded files a store version records, and every graph its meta describes."""
    kept, described = {}, set()
    for r in store.select(RECORDS, {"meta": ids.graph("meta")}):
        described.add(str(r["g"]))
        if r.get("copy") is not None:
            base = str(r["base"]) if r.get("base") is not None else None
            plan = str(r["plan"]) if r.get("plan") is not None else None
            kept[str(r["g"])] = Kept(
                str(r["g"]), str(r["kind"]), str(r["name"]), str(r["copy"]), base, plan
            )
    return sorted(kept.values(), key=lambda k: k.graph), described


def _legacy(home: Home) -> list[dict]:
    """The entries of an ``extra-sources.json`` that an older chainkg wrote, if any."""
    index = home.path / LEGACY
    return json.loads(index.read_text(encoding="utf-8")) if index.exists() else []


def _sweep_copies(home: Home, keep: set[str]) -> None:
    """Remove the copies in sources/ that no live record names (failed or killed loads,
    files loaded again since). Runs inside the home's lock."""
    folder = home.path / SOURCES
    if folder.is_dir():
        for f in folder.iterdir():
            if f.name not in keep:
                f.unlink(missing_ok=True)


def _copy(home: Home, path: Path) -> str:
    """Copy ``path`` into sources/ under the SHA-256 of its content; the copy's name.

    The file is read in blocks, never whole. A copy of that content is never rewritten,
    so a live version's copy never changes.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    name = digest.hexdigest() + path.suffix.lower()
    folder = home.path / SOURCES
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / name).exists():
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        shutil.copyfile(path, tmp)
        os.replace(tmp, folder / name)
    return name


def _keep(home: Home, store, ids: Ids, path: Path, source: Source, base: str | None = None) -> Kept:
    """Keep a copy of a file a load is adding (after sweeping the copies nothing names)."""
    kept, _ = _recorded(store, ids)
    _sweep_copies(home, {k.copy for k in kept} | {e["file"] for e in _legacy(home)})
    return Kept(str(source.graph), source.kind, path.name, _copy(home, path), base)


def _live_kept(home: Home, ids: Ids, progress: Progress) -> list[Kept]:
    """The loaded files of the live version, with those of an old ``extra-sources.json``
    whose graph is live (an entry for a graph that never went live is a killed load)."""
    if not home.exists():
        return []
    live = home.open()
    try:
        kept, described = _recorded(live, ids)
    finally:
        live.close()
    legacy = _legacy(home)
    _sweep_copies(home, {k.copy for k in kept} | {e["file"] for e in legacy})
    known = {k.graph for k in kept}
    for e in legacy:
        kind = "import" if e["kind"] == "rdf" else "registry"
        if e["graph"] in known:
            continue
        if e["graph"] not in described:
            progress(f"not re-loading {e['name']} from {LEGACY}: its load never went live")
            continue
        old = home.path / SOURCES / e["file"]
        if not old.is_file():
            progress(f"warning: not re-loading {e['name']}: its kept copy {old} is missing")
            continue
        kept.append(Kept(e["graph"], kind, e["name"], _copy(home, old)))
    return kept


def _reload(
    home: Home,
    kept: list[Kept],
    sources: list[Source],
    ids: Ids,
    progress: Progress,
    folder: Path,
) -> tuple[list[Source], Graph]:
    """The kept files read again, checked against the new build; and their records."""
    out, records = [], Graph()
    plans = [s.plan for s in sources if s.plan is not None]
    names: dict[URIRef | None, Names] = {}
    for k in kept:
        copy = home.path / SOURCES / k.copy
        if not COPY_NAME.fullmatch(k.copy):
            progress(f"warning: ignoring <{k.graph}>: {k.copy!r} is not a kept copy's name")
            continue
        if not copy.exists():
            how = "enterprises" if k.kind == "registry" else f"rdf --graph {k.graph}"
            progress(
                f"warning: not re-loading {k.name} into <{k.graph}>: its kept copy {copy} "
                f"is missing; add it again with `chainkg load {k.name} --kind {how}`"
            )
            continue
        progress(f"re-loading {k.name} (added earlier with chainkg load) from {copy}")
        plan = URIRef(k.plan) if k.plan else None
        if plan is not None and plan not in plans:
            progress(
                f"warning: {k.name} was loaded into <{plan}>, which this build has not: "
                f"it goes to the default plan <{plans[0]}>"
            )
            plan = plans[0]
        elif plan is None and k.kind == "registry":
            plan = plans[0]  # a registry of an older store: its one plan
        if k.kind == "import":
            rdf = rdf_file(copy, k.base)
            out.append(Source(URIRef(k.graph), Graph(), k.name, k.kind, plan, file=rdf))
        else:
            if plan not in names:  # one lookup store per plan, however many registries
                mine = [s for s in sources if s.plan in (None, plan)]
                names[plan] = names_of(memory_store(mine))
            rdf = registry_file(copy, names[plan], ids, folder, name=k.name)
            out.append(Source(URIRef(k.graph), Graph(), k.name, k.kind, plan, file=rdf))
        records += k.record()
    return out, records
