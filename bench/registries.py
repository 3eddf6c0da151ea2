"""Time the registry commands a user runs, end to end, against the engine loading what they
produce.

For each size (``--rows``), a registry CSV of generated firms (1–3 rows each, on the
built-in dataset's products and parks, every status and confidence) is written, then each
command runs as a separate process timed from outside, with its peak RSS (``wait4``):

* ``chainkg build --dataset`` of the built-in dataset plus that registry (a new store);
* ``chainkg load FILE --kind enterprises`` on a store holding the built-in dataset (a new
  version: the registry read and checked row by row, its reports and search index);
* ``oxigraph load --graph G`` of the triples the registry became (dumped from that store as
  N-Triples): the engine doing the same write, the reference of every ratio.

``python bench/registries.py --rows 5000 50000`` writes ``bench/results/registries.md``
and ``.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imports import indexed_at
from run import CHAINKG, log, machine, timed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "loaders" / "data"
CK = "https://w3id.org/chainkg/ontology#"
LABELS = f"""SELECT DISTINCT ?l WHERE {{
  ?x a <{CK}%s> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "zh")
}} ORDER BY ?l"""
STATUSES = ("operating",) * 5 + ("under_construction", "signed", "planned")
CONFIDENCES = ("sourced",) * 3 + ("uncertain",)
FIELDS = ("enterprise_zh", "enterprise_en", "park", "product", "capacity_value")
FIELDS += ("capacity_unit", "as_of", "status", "confidence", "source_url", "note")
STEMS = ("华瑞", "恒信", "瑞鑫", "中科", "金鼎", "天润", "宏达", "新源", "博远", "汇通")


def labels(version: Path, cls: str) -> list[str]:
    store = ox.Store.read_only(str(version))
    found = store.query(LABELS % cls, use_default_graph_as_union=True)
    return [row["l"].value for row in found]


def write_registry(path: Path, rows: int, products: list[str], parks: list[str], seed: int):
    """A registry of ``rows`` generated rows; firms of 1–3 rows each."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(FIELDS)
        firm = written = 0
        while written < rows:
            firm += 1
            name = f"{rnd.choice(STEMS)}{rnd.choice(products)[:4]}有限公司{firm}"
            park = rnd.choice(parks)
            for product in rnd.sample(products, min(rnd.randint(1, 3), rows - written)):
                status = rnd.choice(STATUSES)
                what = (name, f"Generated Firm {firm} Co.", park, product, "", "", "2024")
                how = (status, rnd.choice(CONFIDENCES), f"https://example.org/firm/{firm}")
                out.writerow((*what, *how, "generated for the benchmark"))
                written += 1


def manifest(path: Path, registry: Path) -> None:
    path.write_text(
        f"plan: {DATA / 'fuling-plan-2022-2026.txt'}\nchains: {DATA / 'chains.yaml'}\n"
        f"identifiers: {DATA / 'product-identifiers.csv'}\nitems: {DATA / 'items.yaml'}\n"
        f"registries:\n  - {DATA / 'enterprises-public.csv'}\n  - {registry}\n",
        encoding="utf-8",
    )


def dump_graph(version: Path, name: str, out: Path) -> tuple[str, int]:
    """The registry graph ``name`` (the file's stem) of ``version`` as N-Triples, streamed."""
    store = ox.Store.read_only(str(version))
    graph = next(g for g in store.named_graphs() if g.value.endswith("/" + name))
    count = 0

    def triples():
        nonlocal count
        for q in store.quads_for_pattern(None, None, None, graph):
            count += 1
            yield ox.Triple(q.subject, q.predicate, q.object)

    with open(out, "wb") as fh:
        ox.serialize(triples(), fh, ox.RdfFormat.N_TRIPLES)
    return graph.value, count


def phases(entry: dict, log_file: Path) -> dict:
    at = indexed_at(log_file)
    if at is not None:
        entry["search_s"] = round(entry["seconds"] - at, 1)
    return entry


def one(work: Path, rows: int, seed: int) -> dict:
    base = work / "base"
    subprocess.run([*CHAINKG, "--store", str(base), "build"], check=True, capture_output=True)
    version = (base / "current").resolve()
    products, parks = labels(version, "Product"), labels(version, "Park")
    registry = work / "firms.csv"
    write_registry(registry, rows, products, parks, seed)
    peers: dict = {}
    log(f"{rows:,} rows: chainkg load --kind enterprises")
    cmd = [*CHAINKG, "--store", str(base), "load", str(registry), "--kind", "enterprises"]
    peers["chainkg load --kind enterprises"] = phases(timed("load", cmd, work), work / "load.log")
    nt = work / "registry.nt"
    graph, triples = dump_graph((base / "current").resolve(), "firms", nt)
    log(f"{rows:,} rows ({triples:,} triples): oxigraph load --graph")
    cmd = ["oxigraph", "load", "--location", str(work / "ox"), "--file", str(nt), "--graph", graph]
    peers["oxigraph load .nt --graph"] = timed("oxigraph", cmd, work)
    log(f"{rows:,} rows: chainkg build --dataset (built-in + the registry)")
    data = work / "dataset.yaml"
    manifest(data, registry)
    cmd = [*CHAINKG, "--store", str(work / "built"), "build", "--dataset", str(data)]
    peers["chainkg build --dataset"] = phases(timed("build", cmd, work), work / "build.log")
    return {"rows": rows, "triples": triples, "peers": peers}


def markdown(result: dict) -> str:
    lines = [
        "# Registry commands, end to end",
        "",
        f"Machine: {result['machine']}. Each command is its own process, timed from outside; "
        "ratios are to `oxigraph load` of the triples the registry became, in the same run. "
        "`search s`: the search index, the switch and the process's exit.",
        "",
        "| rows | triples | command | seconds | × oxigraph | search s | peak RSS MiB "
        "| × oxigraph |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in result["sizes"]:
        ref = size["peers"]["oxigraph load .nt --graph"]
        for name, v in size["peers"].items():
            lines.append(
                f"| {size['rows']:,} | {size['triples']:,} | {name} | {v['seconds']:.1f} "
                f"| {v['seconds'] / ref['seconds']:.2f} | {v.get('search_s', '–')} "
                f"| {v['peak_mb']} | {v['peak_mb'] / ref['peak_mb']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[5_000, 50_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=RESULTS / "registries")
    args = ap.parse_args(argv)
    result = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="chainkg-registries-") as tmp:
        for rows in args.rows:
            work = Path(tmp) / str(rows)
            work.mkdir()
            result["sizes"].append(one(work, rows, args.seed))
            log(json.dumps(result["sizes"][-1]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    os.environ.pop("CHAINKG_STORE", None)
    main()
