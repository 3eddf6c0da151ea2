"""Atomic builds: a failed or killed build leaves the previous store live and readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from rdflib import Graph, Literal, URIRef

from chainkg.graph.build import build
from chainkg.graph.home import StoreHome, StoreMissing
from chainkg.loaders.dataset import Manifest
from chainkg.loaders.errors import LoadError

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(home: StoreHome) -> int:
    store = home.open()
    try:
        return int(store.select(COUNT)[0]["n"])
    finally:
        store.close()


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
    assert sorted(p.name for p in fresh_home.path.glob("v*") if p.is_dir()) == [live.name]


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from rdflib import Graph, Literal, URIRef
    from chainkg.graph.home import StoreHome
    home = StoreHome(sys.argv[1])
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
        [sys.executable, "-c", KILLED_WRITER, str(fresh_home.path)],
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
    half = [p for p in fresh_home.path.glob("v*") if p.is_dir() and p != live]
    assert half, "the killed writer's half-built version should still be on disk"
    # the next write sweeps it away
    t0 = time.time()
    with fresh_home.new_version(from_current=True):
        pass
    assert time.time() - t0 < 60
    assert not any(p.exists() for p in half)
    assert count(fresh_home) == before
