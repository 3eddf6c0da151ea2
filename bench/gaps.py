"""Time the gap report over the built-in dataset, and the chain-graph load it rests on.

Builds the built-in dataset into a temporary store, warms once, then runs each case ``-n``
times and prints the median and 90th percentile in milliseconds. The chain graph is
cached per store version, so the "gap report" rows measure a warm cache (the server's
steady state) and "chain graph load" measures one uncached read of the graph.

    python bench/gaps.py [-n 20]
    python bench/gaps.py --data /tmp/national-1m.nq [-n 20]   # a generated N-Quads file

With ``--data`` it bulk-loads the file into a temporary store instead and times the gap
report and a shortest path (between a product and one two links downstream), cold (first
call of the store version) and warm.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from chainkg.graph.home import StoreHome
from chainkg.graph.namespaces import Ids
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.queries.chain import chain_graph, clear_cache, load
from chainkg.queries.gaps import gap_report, to_csv, to_xlsx
from chainkg.queries.paths import shortest


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls of ``fn`` after one warm-up call."""
    fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (CJK characters take two)."""
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns."""
    return text + " " * (width - columns(text))


def national(data: Path, runs: int) -> None:
    """Cold and warm timings of the gap report and a shortest path over ``data``."""
    import pyoxigraph as ox

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import mix

    ids = Ids()
    with tempfile.TemporaryDirectory() as tmp:
        home = StoreHome(Path(tmp) / "store")
        start = time.perf_counter()
        with home.new_version() as store:
            store.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        print(f"loaded {data} in {time.perf_counter() - start:.1f} s; {runs} warm runs per case")
        store = home.open()
        pair = store.select(mix.PAIR_QUERY)[0]
        a, c = str(pair["a"]), str(pair["c"])
        cases = [
            ("shortest path", lambda: shortest(store, a, c, ids)),
            ("gap report, all industries", lambda: gap_report(store, ids)),
        ]
        print(f"{'case':<28}  {'cold ms':>9}  {'median ms':>9}  {'p90 ms':>7}")
        for name, fn in cases:
            start = time.perf_counter()
            fn()
            cold = (time.perf_counter() - start) * 1000
            ms = timings(fn, runs)
            print(f"{name:<28}  {cold:>9.0f}  {statistics.median(ms):>9.1f}  {p90(ms):>7.1f}")
        clear_cache()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed runs per case")
    parser.add_argument("--data", type=Path, help="an N-Quads file (bench/generator.py)")
    args = parser.parse_args()
    if args.data:
        national(args.data, args.runs)
        return
    ids = Ids()
    with tempfile.TemporaryDirectory() as tmp:
        home = StoreHome(Path(tmp) / "store")
        start = time.perf_counter()
        build(home, Manifest.read(builtin_manifest()), ids)
        built = (time.perf_counter() - start) * 1000
        store = home.open()
        g = chain_graph(store, ids)
        report = gap_report(store, ids)

        def cold_graph() -> None:
            clear_cache()
            load(store, ids)

        cases = [
            ("chain graph load (uncached)", cold_graph),
            ("gap report, all industries", lambda: gap_report(store, ids)),
            ("gap report, 新材料", lambda: gap_report(store, ids, industry="新材料")),
            ("gap report, park 临港经济区", lambda: gap_report(store, ids, park="临港经济区")),
            ("CSV of the full report", lambda: to_csv(report)),
            ("XLSX of the full report", lambda: to_xlsx(report)),
        ]
        print(
            f"built-in dataset: {g.number_of_nodes()} products, {g.number_of_edges()} links, "
            f"{report['counts']['gaps']} gaps; build {built:.0f} ms; {args.runs} runs per case"
        )
        width = max(columns(name) for name, _ in cases)
        print(f"{pad('case', width)}  {'median ms':>9}  {'p90 ms':>7}")
        for name, fn in cases:
            ms = timings(fn, args.runs)
            print(f"{pad(name, width)}  {statistics.median(ms):>9.1f}  {p90(ms):>7.1f}")
        clear_cache()
        store.close()


if __name__ == "__main__":
    main()
