"""Files added with ``chainkg load`` and later builds, on both backends.

A build reads again the files that loads added to the live store, and only those: a load
killed before its version went live leaves nothing that a build would pick up.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from chainkg.loaders.build import KEPT, _write, build, load_rdf, load_registry
from chainkg.loaders.dataset import Manifest, Source, builtin_manifest
from chainkg.loaders.registry import names_of, registry_graph, registry_graph_iri

HEADER = "enterprise_zh,park,product,capacity_value,capacity_unit,status,confidence,source_url\n"
ROW = "{firm},白涛新材料科技城,己二腈,8,万吨/年,operating,sourced,https://example.org/news/1\n"
FIRMS = "https://w3id.org/chainkg/graph/registry/firms"
EXTRA = "https://w3id.org/chainkg/graph/import/extra"
GRAPH_OF = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g ?name WHERE { GRAPH ?g { ?e rdfs:label ?name } }"""
TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

# Runs the real ``chainkg`` command with the home's switch replaced by SIGKILL, so the
# process dies at the very point where its new version would go live.
KILLED_AT_SWITCH = textwrap.dedent(
    """
    import os, sys
    from chainkg.graph.home import StoreHome
    from chainkg.graph.remote_home import RemoteHome

    def killed(*args):
        os.kill(os.getpid(), 9)

    StoreHome._switch = RemoteHome._switch = killed
    from chainkg.api.cli import main
    main(sys.argv[1:])
    """
)


def registry_file(folder: Path, firm: str, name: str = "firms.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + ROW.format(firm=firm), encoding="utf-8")
    return path


def graphs_naming(home, name: str) -> set[str]:
    """The graphs of the live store that label something ``name``@zh."""
    store = home.open()
    try:
        return {str(r["g"]) for r in store.select(GRAPH_OF, {"name": Literal(name, lang="zh")})}
    finally:
        store.close()


def triples(home, graph: str) -> set:
    store = home.open()
    try:
        return set(store.construct(TRIPLES, {"g": URIRef(graph)}))
    finally:
        store.close()


def kill_at_switch(home, *args: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_AT_SWITCH, "--store", str(home.location), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -9, proc.stderr


def test_build_reloads_finished_loads_and_not_killed_ones(fresh_home, ids, tmp_path):
    load_registry(fresh_home, registry_file(tmp_path / "a", "示例化工有限公司"), ids)
    # killed: a new content for the same file name (same graph), and an RDF file
    kill_at_switch(
        fresh_home, "load", str(registry_file(tmp_path / "b", "乙公司")), "--kind", "enterprises"
    )
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    kill_at_switch(fresh_home, "load", str(ttl), "--kind", "rdf")
    assert graphs_naming(fresh_home, "乙公司") == set()

    build(fresh_home, Manifest.read(builtin_manifest()), ids)
    assert graphs_naming(fresh_home, "示例化工有限公司") == {FIRMS}
    assert graphs_naming(fresh_home, "乙公司") == set()
    assert triples(fresh_home, EXTRA) == set()
    # the killed loads' copies were swept; the finished load's copy is kept
    assert len(list((fresh_home.path / "sources").iterdir())) == 1


def test_build_reproduces_loaded_graphs_exactly(fresh_home, ids, tmp_path):
    load_registry(fresh_home, registry_file(tmp_path, "示例化工有限公司"), ids)
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<a> <http://example.org/b> <c> .\n")
    load_rdf(fresh_home, ttl, URIRef(EXTRA), ids)
    loaded = {g: triples(fresh_home, g) for g in (FIRMS, EXTRA)}
    assert (
        URIRef(ttl.parent.as_uri() + "/a"),
        URIRef("http://example.org/b"),
        URIRef(ttl.parent.as_uri() + "/c"),
    ) in loaded[EXTRA]

    build(fresh_home, Manifest.read(builtin_manifest()), ids)
    assert {g: triples(fresh_home, g) for g in (FIRMS, EXTRA)} == loaded


def test_old_extra_sources_json_is_read_once(embedded_home, ids, tmp_path):
    """A home written before loads were recorded in the version: its extra-sources.json
    names a finished load and a killed one (whose graph never went live)."""
    home = embedded_home
    firms = registry_file(tmp_path, "示例化工有限公司")
    with home.new_version(from_current=True) as store:  # what a load did then, but the file
        data = registry_graph(firms, names_of(store), ids)
        _write(
            store,
            [Source(registry_graph_iri(ids, firms), data, firms.name, "registry")],
            ids,
            lambda _: None,
            bulk=False,
        )
    kept = home.path / "sources"
    kept.mkdir()
    (kept / "firms.csv").write_bytes(firms.read_bytes())
    registry_file(kept, "丁公司", "ghost.csv")
    entries = [
        {"file": "firms.csv", "name": "firms.csv", "kind": "enterprises", "graph": FIRMS},
        {
            "file": "ghost.csv",
            "name": "ghost.csv",
            "kind": "enterprises",
            "graph": FIRMS.replace("firms", "ghost"),
        },
    ]
    (home.path / "extra-sources.json").write_text(json.dumps(entries))

    build(home, Manifest.read(builtin_manifest()), ids)
    assert graphs_naming(home, "示例化工有限公司") == {FIRMS}
    assert graphs_naming(home, "丁公司") == set()
    assert not (home.path / "extra-sources.json").exists()
    build(home, Manifest.read(builtin_manifest()), ids)  # now recorded in the version itself
    assert graphs_naming(home, "示例化工有限公司") == {FIRMS}
    assert sorted(p.suffix for p in kept.iterdir()) == [".csv"]


@pytest.mark.parametrize("kind", ["enterprises", "rdf"])
def test_missing_kept_copy_is_named_and_skipped(embedded_home, ids, tmp_path, kind):
    if kind == "rdf":
        path = tmp_path / "extra.ttl"
        path.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
        graph = load_rdf(embedded_home, path, URIRef(EXTRA), ids).graphs
    else:
        path = registry_file(tmp_path, "示例化工有限公司")
        graph = load_registry(embedded_home, path, ids).graphs
    (copy,) = (embedded_home.path / "sources").iterdir()
    copy.unlink()
    lines: list[str] = []
    build(embedded_home, Manifest.read(builtin_manifest()), ids, lines.append)
    (warning,) = [line for line in lines if "missing" in line]
    assert str(copy) in warning and path.name in warning
    assert f"chainkg load {path.name} --kind {'rdf --graph' if kind == 'rdf' else kind}" in warning
    assert triples(embedded_home, next(iter(graph))) == set()


def test_a_record_naming_a_file_outside_sources_is_ignored(embedded_home, ids, tmp_path):
    secret = registry_file(tmp_path, "戊公司", "secret.csv")
    name = "../" * 12 + str(secret).lstrip("/")
    (embedded_home.path / "sources").mkdir()
    with embedded_home.new_version(from_current=True) as store:
        store.update(
            f"INSERT DATA {{ GRAPH <{ids.graph('meta')}> {{ <{FIRMS}> "
            f'<http://purl.org/dc/terms/type> "registry" ; '
            f'<http://purl.org/dc/terms/source> "firms.csv" ; <{KEPT}> "{name}" }} }}'
        )
    lines: list[str] = []
    build(embedded_home, Manifest.read(builtin_manifest()), ids, lines.append)
    assert graphs_naming(embedded_home, "戊公司") == set()
    (warning,) = [line for line in lines if "not a kept copy" in line]
    assert name in warning and FIRMS in warning
