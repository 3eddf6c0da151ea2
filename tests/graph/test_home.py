"""Atomic builds: a failed or killed build leaves the previous store live and readable.

On both backends: folders of versions behind ``current`` (embedded), and versioned
graphs behind the control graph's live pointer (Virtuoso).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from rdflib import Graph, Literal, URIRef

from chainkg.graph.home import StoreHome, StoreMissing
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest
from chainkg.loaders.errors import LoadError

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(home) -> int:
    store = home.open()
    try:
        return int(store.select(COUNT)[0]["n"])
    finally:
        store.close()


def leftovers(home) -> set[str]:
    """What a write left behind beside the live (and previous) version."""
    if isinstance(home, StoreHome):
        live = home.current()
        return {p.name for p in home.path.glob("v*") if p.is_dir() and p != live}
    ctl, c = f"<{home.control}>", "urn:chainkg:store#"
    rows = home.endpoint.query(
        f"SELECT ?g WHERE {{ {ctl} <{c}staged> ?g FILTER NOT EXISTS {{ "
        f"{ctl} <{c}live>|<{c}previous> ?v . ?v <{c}graph> ?g }} }}",
        "application/sparql-results+json",
        [home.control],
        [],
    )
    return {b["g"]["value"] for b in rows.json()["results"]["bindings"]}


def holds_triples(home, graph: str) -> bool:
    """Whether a graph on the Virtuoso server holds anything."""
    rows = home.endpoint.query(
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json", [graph], []
    )
    return bool(rows.json()["results"]["bindings"])


def test_missing_store_says_how_to_build(tmp_path):
    with pytest.raises(StoreMissing, match="chainkg build"):
        StoreHome(tmp_path / "nowhere").open()


def test_failed_build_keeps_the_previous_store(fresh_home, ids, tmp_path):
    before, live = count(fresh_home), fresh_home.current()
    manifest = tmp_path / "dataset.yaml"
    plan = tmp_path / "plan.txt"
    plan.write_text("一、总则\n\n没有标题的文本。\n", encoding="utf-8")
    manifest.write_text("plan: plan.txt\n", encoding="utf-8")
    with pytest.raises(Exception, match="no plan title"):
        build(fresh_home, Manifest.read(manifest), ids)
    assert fresh_home.current() == live
    assert count(fresh_home) == before


def test_error_while_writing_rolls_back(fresh_home):
    before, live = count(fresh_home), fresh_home.current()
    g = Graph()
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal(1)))
    with pytest.raises(LoadError), fresh_home.new_version(from_current=True) as store:
        store.replace_graph("http://example.org/g", g)
        raise LoadError([])
    assert fresh_home.current() == live
    assert count(fresh_home) == before
    assert not leftovers(fresh_home)


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from rdflib import Graph, Literal, URIRef
    from chainkg.api.settings import Settings, home_for
    home = home_for(Settings(store=sys.argv[1]))
    with home.new_version() as store:
        g = Graph()
        for i in range(20000):
            g.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
        store.bulk_add("http://example.org/half", g)
        print("written", flush=True)
        time.sleep(60)
    """
)


def test_killed_build_leaves_previous_store_readable(fresh_home, tmp_path):
    before, live = count(fresh_home), fresh_home.current()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(fresh_home.location)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "written"
        # while the writer is midway, the live store answers as before
        assert count(fresh_home) == before
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert fresh_home.current() == live
    assert count(fresh_home) == before
    half = leftovers(fresh_home)
    assert half, "the killed writer's half-written version should still be there"
    # the next write sweeps it away
    t0 = time.time()
    with fresh_home.new_version(from_current=True):
        pass
    assert time.time() - t0 < 60
    assert not (leftovers(fresh_home) & half)
    if not isinstance(fresh_home, StoreHome):
        assert not any(holds_triples(fresh_home, g) for g in half), "its graphs are dropped"
    assert count(fresh_home) == before


CLI = [sys.executable, "-m", "chainkg.api.cli"]
LOCK_HOLDER = textwrap.dedent(
    """
    import sys
    from chainkg.api.settings import Settings, home_for
    with home_for(Settings(store=sys.argv[1])).lock():
        print("held", flush=True)
        sys.stdin.read()
    """
)


def test_waiting_writer_says_who_holds_the_lock(fresh_home, tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(fresh_home.location)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    load = None
    try:
        assert holder.stdout.readline().strip() == "held"
        load = subprocess.Popen(
            [*CLI, "--store", str(fresh_home.location), "load", str(ttl), "--kind", "rdf"],
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in load.stderr], daemon=True).start()
        seen: list[str] = []
        while not any("waiting" in line for line in seen):
            seen.append(lines.get(timeout=60))  # queue.Empty: the load never said it waits
        assert load.poll() is None, "the load went on while the lock was held"
        (line,) = [x for x in seen if "waiting" in x]
        assert f"waiting for another writer (pid {holder.pid}) holding" in line
        assert str(fresh_home.path / ".lock") in line
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        if load is not None:
            load.wait(timeout=300)
    assert load.returncode == 0
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert not any("waiting" in x for x in rest), "said once"
