"""Generate a national-scale graph, load it, serve it five ways and time a query mix.

Peers, all on loopback over the same generated N-Quads file:

* ``chainkg``: ``chainkg build`` (the built-in dataset), then ``chainkg load data.nq
  --kind rdf`` (a new version: the import, its reports and search index, the switch),
  timed from outside, then ``chainkg serve`` (SPARQL in worker processes);
* ``chainkg-virtuoso``: the same two commands and ``chainkg serve`` on a remote store in
  Virtuoso (Debian's ``virtuoso-t`` with a temporary ``virtuoso.ini``; the file is sent
  in chunked Graph Store POSTs);
* ``virtuoso``: that Virtuoso's own ``/sparql`` endpoint, over all its graphs;
* ``oxigraph``: ``oxigraph load`` then ``oxigraph serve-read-only --union-default-graph``
  (PyPI ``oxigraph``: the engine's own server, the reference of every ratio);
* ``rdflib``: ``rdflib-endpoint serve`` over rdflib's in-memory ``Dataset`` (only up to
  ``--rdflib-max`` triples; skipped when the command is missing).

For each case of :mod:`mix` it records the first (cold) call, then p50/p99 latency with 1
client and with 8 concurrent clients (at least ``--requests`` requests and ``--least``
seconds a cell, at most ``--most`` requests and ``--budget`` seconds), and the peak RSS
of each server's process tree. Prints a Markdown table and writes
``bench/results/<size>.md`` and ``bench/results/<size>.png``. Every process it starts is
stopped at the end, also on error.

    python bench/run.py --triples 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generator
import mix

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import virtuoso  # the same launcher the tests use

from chainkg.graph.home import StoreHome

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PEERS = ("chainkg", "chainkg-virtuoso", "virtuoso", "oxigraph", "rdflib")
SERVICES = ("chainkg", "chainkg-virtuoso")  # the peers that run chainkg's REST API
CONCURRENCY = (1, 8)
CHAINKG = [sys.executable, "-m", "chainkg.api.cli"]


def size_name(triples: int) -> str:
    for unit, div in (("m", 1_000_000), ("k", 1_000)):
        if triples >= div and triples % div == 0:
            return f"{triples // div}{unit}"
    return str(triples)


def timed(name: str, cmd: list[str], work: Path, env: dict | None = None) -> dict:
    """Run ``cmd`` to the end as a separate process: seconds, and its peak RSS (MB, the
    largest of the process and the children it waited for, from ``wait4``)."""
    start = time.perf_counter()
    with open(work / f"{name}.log", "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (work / f"{name}.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024)}  # MiB


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Server:
    """A server subprocess in its own process group, with a peak-RSS sampler."""

    def __init__(self, name: str, cmd: list[str], base: str, logdir: Path, env=None) -> None:
        self.name, self.cmd, self.base = name, cmd, base
        self.logfile = open(logdir / f"{name}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
        self.peak = 0
        self.started = time.perf_counter()
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def rss(self) -> int:
        try:
            p = psutil.Process(self.proc.pid)
            procs = [p, *p.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for q in procs:
            with contextlib.suppress(psutil.Error):
                total += q.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.rss())

    def wait_ready(self, probe: str, timeout: float) -> float:
        """Seconds from start until ``probe`` (a path) answers 200."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see log")
            try:
                with urllib.request.urlopen(self.base + probe, timeout=5) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f}s")

    def stop(self) -> None:
        self._stop.set()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self.logfile.close()


@dataclass
class Cell:
    """Latencies (ms) of one case on one peer at one concurrency."""

    times: list[float] = field(default_factory=list)
    errors: int = 0
    note: str = ""

    def pct(self, q: float) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def request(peer_url: str, case: mix.Case, timeout: float) -> float:
    """Milliseconds of one request; raises on a non-200 answer."""
    if case.sparql is not None:
        req = urllib.request.Request(
            peer_url,
            data=urlencode({"query": case.sparql}).encode(),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
    else:
        req = urllib.request.Request(peer_url + case.path, headers={"Accept": case.accept})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
    return (time.perf_counter() - start) * 1000


def measure(
    url: str,
    case: mix.Case,
    clients: int,
    n: int,
    budget: float,
    timeout: float,
    least: float = 0.0,
    most: int = 0,
) -> Cell:
    """``n`` requests per client, more until ``least`` seconds have passed (so a fast
    case gets enough samples for a steady p50 and p99) but ``most`` at most (each request
    is a new connection: loopback has ports for a few hundred a second), none after
    ``budget`` seconds."""
    cell = Cell()
    lock = threading.Lock()
    start = time.perf_counter()
    deadline, floor = start + budget, start + least

    def client() -> None:
        sent = 0
        while True:
            now = time.perf_counter()
            if now > deadline or (sent >= n and (now > floor or sent >= most)):
                return
            sent += 1
            try:
                ms = request(url, case, timeout)
            except Exception as exc:
                with lock:
                    cell.errors += 1
                    cell.note = type(exc).__name__
                if isinstance(exc, TimeoutError | socket.timeout):
                    return
                continue
            with lock:
                cell.times.append(ms)

    with ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(client) for _ in range(clients)]:
            f.result()
    return cell


def first_call(url: str, case: mix.Case, timeout: float) -> tuple[float | None, str]:
    try:
        return request(url, case, timeout), ""
    except urllib.error.HTTPError as exc:
        return None, f"HTTP {exc.code}: {exc.read()[:200]!r}"
    except Exception as exc:
        return None, type(exc).__name__


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def fmt_ms(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def ratio(v: float | None, ref: float | None) -> str:
    if v is None or not ref:
        return ""
    return f" (×{v / ref:.1f})"


def run(args: argparse.Namespace, work: Path) -> dict:
    out: dict = {"triples_target": args.triples, "machine": machine(), "peers": {}}
    data = args.data or work / f"national-{size_name(args.triples)}.nq"
    if not args.data:
        log(f"generating {args.triples:,} triples (seed {args.seed}) → {data}")
        start = time.perf_counter()
        out["generated"] = generator.write(data, args.triples, args.seed)
        out["generate_s"] = time.perf_counter() - start
    with open(data, "rb") as fh:
        out["quads"] = sum(1 for _ in fh)

    # loads: the commands users run, each a separate process timed from outside
    log("chainkg build, then chainkg load --kind rdf (import, reports, search index)")
    store = work / "chainkg-store"
    env = dict(os.environ, CHAINKG_STORE=str(store))
    subprocess.run([*CHAINKG, "build"], env=env, check=True, capture_output=True)
    done = timed("chainkg-load", [*CHAINKG, "load", str(data), "--kind", "rdf"], work, env)
    out["peers"]["chainkg"] = {"load_s": done["seconds"], "load_peak_mb": done["peak_mb"]}
    home = StoreHome(store)
    log("loading with `oxigraph load`")
    cmd = ["oxigraph", "load", "--location", str(work / "ox"), "--file", str(data)]
    done = timed("oxigraph-load", cmd, work)
    out["peers"]["oxigraph"] = {"load_s": done["seconds"], "load_peak_mb": done["peak_mb"]}

    servers: dict[str, Server] = {}
    urls: dict[str, str] = {}
    try:
        remote_env = load_virtuoso(args, work, data, servers, out)
        port = free_port()
        env = {**os.environ, "CHAINKG_QUERY_TIMEOUT": str(args.timeout)}
        servers["chainkg"] = Server(
            "chainkg",
            ["chainkg", "--store", str(home.path), "serve", "--port", str(port)],
            f"http://127.0.0.1:{port}",
            work,
            env,
        )
        urls["chainkg"] = f"http://127.0.0.1:{port}/sparql"
        if remote_env:
            port = free_port()
            servers["chainkg-virtuoso"] = Server(
                "chainkg-virtuoso",
                ["chainkg", "serve", "--port", str(port)],
                f"http://127.0.0.1:{port}",
                work,
                {**env, **remote_env},
            )
            urls["chainkg-virtuoso"] = f"http://127.0.0.1:{port}/sparql"
            urls["virtuoso"] = servers["virtuoso"].base + "/sparql"
        port = free_port()
        servers["oxigraph"] = Server(
            "oxigraph",
            [
                *("oxigraph", "serve-read-only", "--location", str(work / "ox")),
                *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
                *("--timeout-s", str(int(args.timeout))),
            ],
            f"http://127.0.0.1:{port}",
            work,
        )
        urls["oxigraph"] = f"http://127.0.0.1:{port}/query"
        if args.triples > args.rdflib_max:
            out["peers"]["rdflib"] = {"skipped": f"over --rdflib-max ({args.rdflib_max:,})"}
        elif shutil.which("rdflib-endpoint") is None:
            out["peers"]["rdflib"] = {"skipped": "rdflib-endpoint not installed"}
        else:
            port = free_port()
            servers["rdflib"] = Server(
                "rdflib",
                [
                    *("rdflib-endpoint", "serve", str(data)),
                    *("--host", "127.0.0.1", "--port", str(port)),
                ],
                f"http://127.0.0.1:{port}",
                work,
            )
            urls["rdflib"] = f"http://127.0.0.1:{port}/"
        ask = "?" + urlencode({"query": "ASK {}"})
        probes = {
            "chainkg": "/sparql" + ask,
            "chainkg-virtuoso": "/sparql" + ask,
            "virtuoso": "/sparql" + ask,
            "oxigraph": "/query" + ask,
            "rdflib": "/" + ask,
        }
        with ThreadPoolExecutor(len(servers)) as pool:
            waits = {
                name: pool.submit(srv.wait_ready, probes[name], args.ready_timeout)
                for name, srv in servers.items()
                if name != "virtuoso"  # started and loaded above
            }
        for name, srv in servers.items():
            if name not in waits:
                continue
            try:
                ready = waits[name].result()
            except (RuntimeError, TimeoutError) as exc:
                log(f"{name}: {exc}")
                out["peers"].setdefault(name, {})["skipped"] = str(exc)
                srv.stop()
                urls.pop(name)
                continue
            out["peers"].setdefault(name, {})["ready_s"] = ready
            log(f"{name} ready after {ready:.1f}s")
        if "rdflib" in urls:  # its load is the parse done before it answers
            out["peers"]["rdflib"]["load_s"] = out["peers"]["rdflib"]["ready_s"]

        # pick products from the data: one two links downstream of another
        with urllib.request.urlopen(
            urllib.request.Request(
                urls["oxigraph"],
                data=urlencode({"query": mix.PAIR_QUERY}).encode(),
                headers={"Accept": "application/sparql-results+json"},
            ),
            timeout=120,
        ) as r:
            row = json.load(r)["results"]["bindings"][0]
        upstream, downstream = row["a"]["value"], row["c"]["value"]
        cases = mix.sparql_cases(downstream) + mix.api_cases(upstream, downstream)
        out["cases"] = {c.name: c.title for c in cases}
        out["results"] = {}
        for case in cases:
            peers = [p for p in (PEERS if case.sparql else SERVICES) if p in urls]
            res = out["results"][case.name] = {}
            for peer in peers:
                base = urls[peer] if case.sparql else servers[peer].base
                cold, err = first_call(base, case, args.timeout)
                entry = res[peer] = {"cold": cold, "error": err}
                log(f"{case.name} on {peer}: first call {fmt_ms(cold)} ms {err}")
                if cold is None:
                    continue
                slow = cold > args.slow * 1000
                for clients in CONCURRENCY:
                    if slow and clients > 1:
                        entry["note"] = f"cold call over {args.slow:.0f}s: 8 clients skipped"
                        break
                    n = args.requests if clients == 1 else args.requests_per_client
                    n = min(n, 3) if slow else n
                    least = 0.0 if slow else args.least
                    most = max(n, args.most // clients)
                    cell = measure(base, case, clients, n, args.budget, args.timeout, least, most)
                    entry[clients] = {
                        "p50": cell.pct(0.5),
                        "p99": cell.pct(0.99),
                        "n": len(cell.times),
                        "errors": cell.errors,
                        "note": cell.note,
                    }
        for name, srv in servers.items():
            out["peers"].setdefault(name, {})["peak_rss_mb"] = srv.peak / 2**20
    finally:
        for srv in servers.values():
            srv.stop()
    return out


def load_virtuoso(args, work: Path, data: Path, servers: dict, out: dict) -> dict | None:
    """Start Virtuoso and load ``data`` into it through chainkg's remote store (Graph Store
    Protocol, in chunks, then the version switch); the ``CHAINKG_*`` variables to serve it."""
    if args.no_virtuoso or virtuoso.binary() is None:
        why = "--no-virtuoso" if args.no_virtuoso else "virtuoso-t not installed"
        for name in ("chainkg-virtuoso", "virtuoso"):
            out["peers"][name] = {"skipped": why}
        return None
    folder = work / "virtuoso"
    cmd, http = virtuoso.configure(folder, args.virtuoso_mb)
    srv = servers["virtuoso"] = Server("virtuoso", cmd, f"http://127.0.0.1:{http}", work)
    out["peers"]["virtuoso"] = {"ready_s": srv.wait_ready("/sparql?query=ASK%7B%7D", 300)}
    env = virtuoso.Virtuoso(folder, http, srv.proc).env("https://w3id.org/chainkg/store")
    log("chainkg build and load --kind rdf on the remote store (chunked Graph Store POSTs)")
    full = dict(os.environ, **env)
    subprocess.run([*CHAINKG, "build"], env=full, check=True, capture_output=True)
    done = timed(
        "chainkg-virtuoso-load", [*CHAINKG, "load", str(data), "--kind", "rdf"], work, full
    )
    load_s = done["seconds"]
    out["peers"]["chainkg-virtuoso"] = {"load_s": load_s, "load_peak_mb": done["peak_mb"]}
    out["peers"]["virtuoso"]["load_s"] = load_s
    out["peers"]["virtuoso"]["note"] = "loaded by chainkg's remote store; default graph = all"
    return env


def geomeans(out: dict) -> list[str]:
    """The geometric mean over the SPARQL cases of each peer's p50 ratio to oxigraph's."""
    lines = [
        "Geometric mean over the SPARQL cases of the p50 ratio to `oxigraph serve` "
        "(point lookups and analytical queries alike):",
        "",
        "| peer | 1 client | 8 clients | cases |",
        "| --- | ---: | ---: | ---: |",
    ]
    sparql = [r for c, r in out.get("results", {}).items() if "oxigraph" in r]
    for peer in PEERS:
        cells, count = [], 0
        for clients in CONCURRENCY:
            logs = []
            for res in sparql:
                mine = res.get(peer, {}).get(clients) or res.get(peer, {}).get(str(clients))
                ref = res["oxigraph"].get(clients) or res["oxigraph"].get(str(clients))
                if mine and ref and mine.get("p50") and ref.get("p50"):
                    logs.append(math.log(mine["p50"] / ref["p50"]))
            cells.append(f"×{math.exp(sum(logs) / len(logs)):.2f}" if logs else "–")
            count = max(count, len(logs))
        if count:
            lines.append(f"| {peer} | {cells[0]} | {cells[1]} | {count} |")
    return lines


def markdown(out: dict) -> str:
    peers = out["peers"]
    ox_load = peers.get("oxigraph", {}).get("load_s")
    ox_rss = peers.get("oxigraph", {}).get("peak_rss_mb")
    ox_load_mb = peers.get("oxigraph", {}).get("load_peak_mb")
    lines = [
        f"# chainkg benchmark, {size_name(out['triples_target'])} triples",
        "",
        f"Run {out['date']} on {out['machine']}. Data: {out['quads']:,} quads from "
        f"`bench/generator.py` (seed {out['seed']}). Ratios are to `oxigraph serve` (×1.0 = "
        "same; >1 = slower or bigger).",
        "",
        "Load: the command each peer's users run (for chainkg, `chainkg load --kind rdf`: "
        "a new version with the import, its reports and search index), a separate process "
        "timed from outside, with its peak RSS; serve RSS: the server's process tree over "
        "the whole run.",
        "",
        "| peer | load s | load triples/s | load peak MiB | ready s | serve peak RSS MiB | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name in PEERS:
        p = peers.get(name, {})
        load = p.get("load_s")
        tps = out["quads"] / load if load else None
        rss = p.get("peak_rss_mb")
        lines.append(
            f"| {name} | {fmt_ms(load)}{ratio(load, ox_load)} | "
            f"{f'{tps:,.0f}' if tps else '–'} | "
            f"{fmt_ms(p.get('load_peak_mb'))}{ratio(p.get('load_peak_mb'), ox_load_mb)} | "
            f"{fmt_ms(p.get('ready_s'))} | "
            f"{fmt_ms(rss)}{ratio(rss, ox_rss)} | {p.get('skipped') or p.get('note', '')} |"
        )
    lines += [
        "",
        "Latency in ms: first (cold) call, then p50 / p99 with 1 client and with 8 "
        "concurrent clients; n = timed requests (a new connection each; a cell sends for "
        "2 s, 300 requests at most, 20 at least).",
        "",
        "| case | peer | cold | 1 client p50 | 1 client p99 | 8 clients p50 | 8 clients p99 | n |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, res in out.get("results", {}).items():
        ref = res.get("oxigraph", {})
        for peer, e in res.items():
            cells = [f"{fmt_ms(e['cold'])}{ratio(e['cold'], ref.get('cold'))}"]
            ns = []
            for c in CONCURRENCY:
                m = e.get(c) or e.get(str(c)) or {}
                r = ref.get(c) or ref.get(str(c)) or {}
                for q in ("p50", "p99"):
                    cells.append(f"{fmt_ms(m.get(q))}{ratio(m.get(q), r.get(q))}")
                ns.append(str(m.get("n", 0)) + (f" ({m['errors']} err)" if m.get("errors") else ""))
            if e.get("error"):
                cells[0] = f"failed: {e['error'][:60]}"
            if e.get("note"):
                ns.append(e["note"])
            lines.append(f"| {case} | {peer} | " + " | ".join(cells) + f" | {'/'.join(ns)} |")
    lines += ["", *geomeans(out)]
    lines += ["", "Cases:", ""]
    lines += [f"- `{k}`: {v}" for k, v in out.get("cases", {}).items()]
    return "\n".join(lines) + "\n"


def plot(out: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = out.get("results", {})
    cases = [c for c, r in results.items() if "oxigraph" in r]
    peers = [p for p in PEERS if any(p in results[c] for c in cases)]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.4), sharey=True)
    width = 0.8 / len(peers)
    for ax, clients in zip(axes, CONCURRENCY, strict=True):
        for k, peer in enumerate(peers):
            vals = []
            for c in cases:
                e = results[c].get(peer, {})
                m = e.get(clients) or e.get(str(clients)) or {}  # str keys once read back
                vals.append(m.get("p50") or 0)
            xs = [i + k * width for i in range(len(cases))]
            ax.bar(xs, vals, width, label=peer)
        middle = width * (len(peers) - 1) / 2
        ax.set_xticks([i + middle for i in range(len(cases))], cases, rotation=30, ha="right")
        ax.set_yscale("log")
        ax.set_title(f"p50 latency, {clients} client{'s' if clients > 1 else ''}")
        ax.set_ylabel("ms (log)")
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(peers), frameon=False)
    fig.suptitle(f"chainkg (embedded, on Virtuoso) and peers, {out['quads']:,} quads")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=None, help="use this N-Quads file")
    parser.add_argument("--requests", type=int, default=20, help="requests, 1 client")
    parser.add_argument(
        "--requests-per-client", type=int, default=4, help="requests per client, 8 clients"
    )
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per cell")
    parser.add_argument(
        "--least", type=float, default=2.0, help="seconds a cell keeps sending requests"
    )
    parser.add_argument(
        "--most", type=int, default=300, help="requests at most per cell (all clients)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--ready-timeout", type=float, default=1200.0)
    parser.add_argument(
        "--slow",
        type=float,
        default=10.0,
        help="a case whose cold call takes longer (s) "
        "gets at most 3 timed requests and no 8-client run on that peer",
    )
    parser.add_argument("--rdflib-max", type=int, default=1_000_000)
    parser.add_argument("--no-virtuoso", action="store_true", help="leave Virtuoso out")
    parser.add_argument("--virtuoso-mb", type=int, default=3000, help="Virtuoso's buffers")
    parser.add_argument("--workdir", type=Path, default=None, help="kept; default: a temp dir")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    tmp = None
    if args.workdir:
        work = args.workdir
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="chainkg-bench-")
        work = Path(tmp)
    try:
        out = run(args, work)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    out["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out["seed"] = args.seed
    text = markdown(out)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    name = size_name(args.triples)
    (args.results / f"{name}.md").write_text(text, encoding="utf-8")
    (args.results / f"{name}.json").write_text(json.dumps(out, indent=1, default=str))
    plot(out, args.results / f"{name}.png")
    log(f"wrote {args.results / name}.md, .json and .png")


if __name__ == "__main__":
    main()
