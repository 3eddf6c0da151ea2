"""Where the fixed cost of a small SPARQL query goes: the engine, the result writer, the hop
to a worker process, the web stack.

One store version (``--store``, e.g. the one ``bench/run.py --workdir`` keeps, or any
``chainkg build``), one point-lookup query, timed ``--n`` times at each layer, median in
microseconds:

1. ``engine``: ``pyoxigraph.Store.query`` and reading every row, in this process;
2. ``engine + writer``: ``chainkg.graph.executor.execute`` (the query and chainkg's
   SPARQL-JSON writer), in this process;
3. ``+ hop``: ``QueryPool.run`` (the job sent to a worker process and the answer back);
4. ``+ bound check, in process``: the service's pool, which answers a point lookup whose
   work it can bound (``chainkg.graph.lookup``) itself: the check and the query;
5. ``+ web``: ``GET /sparql`` on ``chainkg serve`` over loopback (a new process), the
   point lookup answered by the service, then the same query written so that it goes to
   a worker (its pattern inside a nested group, which the bound check does not read);
6. ``oxigraph serve``: the engine's own server on a copy of the same store, the reference.

    python bench/hop.py --store /tmp/chainkg-store --n 300
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CHAINKG, Server, free_port, log

from chainkg.graph.executor import Job, QueryPool, execute
from chainkg.graph.home import StoreHome
from chainkg.graph.sandbox import Limits

QUERY = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
NESTED = "SELECT ?p ?o WHERE {{ {{ <{iri}> ?p ?o }} }}"
PICK = "SELECT ?s WHERE { ?s a <https://w3id.org/chainkg/ontology#Product> } LIMIT 1"


def median_us(fn, n: int) -> float:
    fn()  # warm
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def http(url: str):
    def get() -> None:
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()

    return get


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a chainkg store home")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args(argv)
    version = StoreHome(args.store).link.resolve()
    store = ox.Store.read_only(str(version))
    iri = next(iter(store.query(PICK, use_default_graph_as_union=True)))["s"].value
    text, nested = QUERY.format(iri=iri), NESTED.format(iri=iri)
    job = Job(text)
    rows = []
    engine = lambda: list(store.query(text, use_default_graph_as_union=True))  # noqa: E731
    rows.append(("engine", median_us(engine, args.n)))
    rows.append(("engine + writer", median_us(lambda: execute(store, job), args.n)))
    pool = QueryPool(lambda: version, workers=1)
    try:
        pool.warm()
        rows.append(("+ hop (worker process)", median_us(lambda: pool.run(job), args.n)))
    finally:
        pool.close()
    home = StoreHome(args.store)
    pool = home.query_pool(1, 30.0, 2.0, Limits())
    try:
        pool.warm()
        assert pool.run(job).inline, "the point lookup was not answered in process"
        rows.append(("+ bound check, in process", median_us(lambda: pool.run(job), args.n)))
    finally:
        pool.close()
    query = "?" + urlencode({"query": text})
    through = "?" + urlencode({"query": nested})
    with tempfile.TemporaryDirectory(prefix="chainkg-hop-") as tmp:
        work = Path(tmp)
        port = free_port()
        cmd = [*CHAINKG, "--store", str(args.store), "serve", "--port", str(port)]
        srv = Server("chainkg", cmd, f"http://127.0.0.1:{port}", work)
        try:
            srv.wait_ready("/sparql" + query, 120)
            web = median_us(http(srv.base + "/sparql" + query), args.n)
            rows.append(("+ web (chainkg serve), answered in process", web))
            web = median_us(http(srv.base + "/sparql" + through), args.n)
            rows.append(("+ web (chainkg serve), through a worker", web))
        finally:
            srv.stop()
        shutil.copytree(version, work / "ox")
        port = free_port()
        cmd = ["oxigraph", "serve-read-only", "--location", str(work / "ox")]
        cmd += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        srv = Server("oxigraph", cmd, f"http://127.0.0.1:{port}", work)
        try:
            srv.wait_ready("/query" + query, 120)
            rows.append(("oxigraph serve", median_us(http(srv.base + "/query" + query), args.n)))
        finally:
            srv.stop()
    log(f"{text}: median of {args.n}")
    print("| layer | µs |\n| --- | ---: |")
    for name, us in rows:
        print(f"| {name} | {us:,.0f} |")


if __name__ == "__main__":
    main()
