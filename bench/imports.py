"""Time the RDF import a user runs, end to end, against the peers doing the same job.

Every load is a separate process timed from outside, with the peak RSS of its process
tree (``wait4``):

* ``oxigraph load --location … --file data.nt --graph G`` — the engine's own loader doing
  the same job (into one named graph), the reference of every ratio;
* ``chainkg load data.nt --kind rdf`` on an embedded store holding the built-in dataset
  (built first, untimed): a new store version, the file streamed into the bulk loader,
  the switch;
* ``chainkg load data.nq --kind rdf``: the same triples as N-Quads (their quads are
  streamed into the target graph through Python);
* with Virtuoso (``--no-virtuoso`` leaves it out): ``chainkg load data.nt --kind rdf`` on the
  remote store (the file parsed as a stream and sent in chunks) and Virtuoso's own bulk
  loader (``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` through ``isql``).

The data is ``bench/generator.py``'s national graph (seeded), written as N-Quads and as
N-Triples. ``python bench/imports.py --triples 100000 1000000`` writes
``bench/results/imports.md``, ``.json`` and ``.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import generator
import virtuoso
from run import log, machine, size_name, timed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CHAINKG = [sys.executable, "-m", "chainkg.api.cli"]
GRAPH = "https://example.org/bench/import"
TO_GRAPH = ("--graph", GRAPH)


def as_triples(quads: Path, triples: Path) -> int:
    """Write the triples of an N-Quads file as N-Triples (streamed); how many."""
    n = 0

    def stream():
        nonlocal n
        for q in ox.parse(path=str(quads), format=ox.RdfFormat.N_QUADS):
            n += 1
            yield ox.Triple(q.subject, q.predicate, q.object)

    with open(triples, "wb") as out:
        ox.serialize(stream(), out, ox.RdfFormat.N_TRIPLES)
    return n


def embedded(work: Path, nt: Path, nq: Path, quads: bool = True) -> dict:
    """``chainkg load`` of each file into a store of its own holding the built-in dataset
    (the N-Quads file only with ``quads``)."""
    out = {}
    files = (("chainkg load .nt", nt), ("chainkg load .nq", nq))
    for key, data in files if quads else files[:1]:
        store = work / f"chainkg-store-{data.suffix[1:]}"
        env = dict(os.environ, CHAINKG_STORE=str(store))
        subprocess.run([*CHAINKG, "build"], env=env, check=True, capture_output=True)
        log(key)
        cmd = [*CHAINKG, "load", str(data), "--kind", "rdf", "--graph", GRAPH]
        out[key] = phases(
            timed(key.replace(" ", "-"), cmd, work, env), work / f"{key.replace(' ', '-')}.log"
        )
    return out


def written_at(log_file: Path) -> float | None:
    """When chainkg's progress said the file was written (the rest: the version's reports)."""
    found = re.findall(
        r"\[\s*([\d.]+)s\] wrote\s+\d+ triples to <" + re.escape(GRAPH), log_file.read_text()
    )
    return float(found[-1]) if found else None


def indexed_at(log_file: Path) -> float | None:
    """When chainkg's progress said the search index was begun (after the reports)."""
    found = re.findall(r"\[\s*([\d.]+)s\] indexing the names", log_file.read_text())
    return float(found[0]) if found else None


def phases(entry: dict, log_file: Path) -> dict:
    """``entry`` with the import, reports and search index seconds read from its log."""
    imported, indexed = written_at(log_file), indexed_at(log_file)
    entry["import_s"] = imported
    if imported is not None and indexed is not None:
        entry["reports_s"] = round(indexed - imported, 1)
        entry["search_s"] = round(entry["seconds"] - indexed, 1)  # with the switch and exit
    return entry


def remote(work: Path, nt: Path, memory_mb: int) -> dict:
    """chainkg's remote store and Virtuoso's own bulk loader, on one fresh server each."""
    out = {}
    for key in ("chainkg load .nt (Virtuoso)", "virtuoso bulk loader"):
        folder = work / re.sub(r"\W+", "-", key)
        server = virtuoso.start(folder, memory_mb)
        try:
            if key.startswith("chainkg"):
                env = dict(os.environ, **server.env("https://example.org/bench/store"))
                subprocess.run([*CHAINKG, "build"], env=env, check=True, capture_output=True)
                log(key)
                cmd = [*CHAINKG, "load", str(nt), "--kind", "rdf", "--graph", GRAPH]
                out[key] = phases(
                    timed("chainkg-virtuoso", cmd, work, env), work / "chainkg-virtuoso.log"
                )
            else:
                shutil.copy(nt, folder / nt.name)
                ini = (folder / "virtuoso.ini").read_text()
                sql = re.search(r"ServerPort = 127\.0\.0\.1:(\d+)", ini).group(1)
                script = (
                    f"ld_dir('{folder}', '{nt.name}', '{GRAPH}'); rdf_loader_run(); checkpoint;"
                )
                log(key)
                cmd = [shutil.which("isql-vt") or "isql-vt", sql, "dba", "dba", f"exec={script}"]
                out[key] = timed("virtuoso-bulk", cmd, work)
                out[key]["note"] = "server RSS not included (the loader runs inside it)"
        finally:
            server.stop()
    return out


def markdown(result: dict) -> str:
    lines = [
        "# RDF import, end to end",
        "",
        f"Machine: {result['machine']}. Each load is its own process, timed from outside; "
        "ratios are to `oxigraph load` of the same N-Triples file in the same run.",
        "",
        "`import s`: when chainkg's progress said the file was in the new version (before its",
        "compaction and switch); `reports s`: from then to the start of the search index",
        "(compaction, chain graph, gap reports); `search s`: the rest (the search index, the",
        "switch, the process's exit).",
        "",
        "| triples | peer | seconds | × oxigraph | import s | × oxigraph | reports s | search s "
        "| peak RSS MiB | × oxigraph | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for size in result["sizes"]:
        ref = size["peers"]["oxigraph load .nt --graph"]
        for peer, v in size["peers"].items():
            t = v["seconds"] / ref["seconds"]
            m = v["peak_mb"] / ref["peak_mb"] if ref["peak_mb"] else float("nan")
            imp = v.get("import_s")
            imp_cells = f"{imp:.1f} | {imp / ref['seconds']:.2f}" if imp else "– | –"
            lines.append(
                f"| {size['triples']:,} | {peer} | {v['seconds']:.1f} | {t:.2f} | {imp_cells} "
                f"| {v.get('reports_s', '–')} | {v.get('search_s', '–')} "
                f"| {v['peak_mb']} | {m:.2f} | {v.get('note', '')} |"
            )
    return "\n".join(lines) + "\n"


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    peers = list(result["sizes"][0]["peers"])
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    for peer in peers:
        xs = [s["triples"] for s in result["sizes"] if peer in s["peers"]]
        a.plot(
            xs,
            [s["peers"][peer]["seconds"] for s in result["sizes"] if peer in s["peers"]],
            marker="o",
            label=peer,
        )
        b.plot(
            xs,
            [s["peers"][peer]["peak_mb"] for s in result["sizes"] if peer in s["peers"]],
            marker="o",
            label=peer,
        )
    for ax, what in ((a, "seconds"), (b, "peak RSS (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_ylabel(what.replace("MB", "MiB"))
        ax.grid(True, which="both", alpha=0.3)
    a.legend(fontsize=8)
    fig.suptitle("RDF import, end to end")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-virtuoso", action="store_true")
    ap.add_argument("--no-quads", action="store_true", help="leave the .nq load out")
    ap.add_argument("--virtuoso-mb", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=RESULTS / "imports")
    args = ap.parse_args(argv)
    result = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="chainkg-imports-") as tmp:
        for n in args.triples:
            work = Path(tmp) / size_name(n)
            work.mkdir()
            nq, nt = work / "data.nq", work / "data.nt"
            log(f"generating {n:,} triples")
            generator.write(nq, n, args.seed)
            count = as_triples(nq, nt)
            peers = {}
            log("oxigraph load .nt --graph")
            peers["oxigraph load .nt --graph"] = timed(
                "oxigraph",
                ["oxigraph", "load", "--location", str(work / "ox"), "--file", str(nt), *TO_GRAPH],
                work,
            )
            peers.update(embedded(work, nt, nq, quads=not args.no_quads))
            if not args.no_virtuoso and virtuoso.binary():
                peers.update(remote(work, nt, args.virtuoso_mb))
            result["sizes"].append({"triples": count, "peers": peers})
            log(json.dumps(peers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(markdown(result))
    plot(result, args.out.with_suffix(".png"))
    print(markdown(result))


if __name__ == "__main__":
    main()
