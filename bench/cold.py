"""The first requests after a new store version, with and without the reports kept with it.

``python bench/cold.py --triples 1000000`` builds the built-in dataset into a temporary
store, imports the national generator's graph with ``chainkg load --kind rdf`` (which
computes the version's reports before it goes live, and is timed), then starts
``chainkg serve`` twice on that version, each a new process:

* **kept**: the reports kept with the version are read on the first request;
* **computed**: the version's kept reports moved away first, so the first request
  computes them (what every first request did before).

For each it times, from outside, the first ``/api/gaps``, then the first
``/api/paths`` and ``/explore/product/{id}`` after it, and the service's peak RSS. Results
go to ``bench/results/cold.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generator
import mix
from imports import as_triples, timed
from run import Server, free_port, log, machine

ROOT = Path(__file__).resolve().parents[1]
CHAINKG = [sys.executable, "-m", "chainkg.api.cli"]
CASES = ("api-gaps", "api-paths", "page-product")


def pair(version: Path) -> tuple[str, str]:
    """A product and one two supply links downstream of it (as ``bench/mix.py`` picks)."""
    store = ox.Store.read_only(str(version))
    row = next(iter(store.query(mix.PAIR_QUERY, use_default_graph_as_union=True)))
    a, c = row["a"].value, row["c"].value
    del store
    return a, c


def first_calls(store: Path, work: Path, name: str, a: str, c: str) -> dict:
    port = free_port()
    env = dict(os.environ, CHAINKG_STORE=str(store), CHAINKG_WORKERS="2")
    cmd = [*CHAINKG, "serve", "--port", str(port)]
    srv = Server(name, cmd, f"http://127.0.0.1:{port}", work, env=env)
    out: dict = {}
    try:
        out["ready_s"] = round(srv.wait_ready("/healthz", 300), 2)
        paths = {
            "api-gaps": "/api/gaps?top=30",
            "api-paths": "/api/paths?" + urlencode({"from": a, "to": c}),
            "page-product": "/explore/product/" + quote(c.rsplit("/", 1)[-1]),
        }
        for case in CASES:
            path = paths[case]
            start = time.perf_counter()
            with urllib.request.urlopen(srv.base + path, timeout=600) as r:
                r.read()
                status = r.status
            out[case] = {"ms": round((time.perf_counter() - start) * 1000, 1), "status": status}
            log(f"{name} {case}: {out[case]}")
        out["peak_mb"] = round(srv.peak / 2**20)
    finally:
        srv.stop()
    return out


def markdown(result: dict) -> str:
    lines = [
        "# First requests after a new store version",
        "",
        f"Machine: {result['machine']}; {result['triples']:,} triples (national generator) "
        "on top of the built-in dataset. Each service is a new process; times from outside.",
        "",
        f"`chainkg load --kind rdf` (import and the version's reports): "
        f"{result['load']['seconds']:.1f} s, peak {result['load']['peak_mb']} MiB.",
        "",
        "| first request | kept with the version (ms) | computed on the request (ms) | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    kept, computed = result["kept"], result["computed"]
    for case in CASES:
        k, c = kept[case]["ms"], computed[case]["ms"]
        lines.append(f"| {case} | {k:,.0f} | {c:,.0f} | {c / k:.1f}× |")
    lines.append(
        f"| service peak RSS (MiB) | {kept['peak_mb']} | {computed['peak_mb']} | "
        f"{computed['peak_mb'] / kept['peak_mb']:.2f}× |"
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "cold")
    args = ap.parse_args(argv)
    result: dict = {"machine": machine(), "triples": args.triples}
    with tempfile.TemporaryDirectory(prefix="chainkg-cold-") as tmp:
        work = Path(tmp)
        nq, nt = work / "data.nq", work / "data.nt"
        log(f"generating {args.triples:,} triples")
        generator.write(nq, args.triples, args.seed)
        as_triples(nq, nt)
        store = work / "store"
        env = dict(os.environ, CHAINKG_STORE=str(store))
        subprocess.run([*CHAINKG, "build"], env=env, check=True, capture_output=True)
        log("chainkg load --kind rdf (with the version's reports)")
        result["load"] = timed("load", [*CHAINKG, "load", str(nt), "--kind", "rdf"], work, env)
        version = (store / "current").resolve()
        a, c = pair(version)
        result["kept"] = first_calls(store, work, "kept", a, c)
        kept = version.with_name(version.name + ".derived")
        kept.rename(work / "moved.derived")
        result["computed"] = first_calls(store, work, "computed", a, c)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
