"""50 concurrent clients for 30 s against /sparql on loopback: no 5xx, nothing dropped.

Latencies are printed (run with ``-s`` to see them) for the record; they are not asserted.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import urllib.parse

QUERIES = [
    "SELECT ?p WHERE { ?p a <https://w3id.org/chainkg/ontology#Park> }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/chainkg/ontology#Product> }",
    'ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> "己二酸"@zh }',
    "SELECT ?l WHERE { ?x <https://w3id.org/chainkg/ontology#upstream> ?u . "
    "?u <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 50",
]
CLIENTS, SECONDS = 50, 30


def test_fifty_clients_for_thirty_seconds(server):
    host, port = server.url.removeprefix("http://").split(":")
    stats = {"ok": 0, "errors": [], "latency": []}
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        i = n
        while time.monotonic() < stop:
            path = "/sparql?" + urllib.parse.urlencode({"query": QUERIES[i % len(QUERIES)]})
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"accept": "application/sparql-results+json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    stats["errors"].append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                continue
            with lock:
                stats["latency"].append(time.perf_counter() - t0)
                if status == 200:
                    stats["ok"] += 1
                else:
                    stats["errors"].append(status)
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 60)
    lat = sorted(stats["latency"])
    p50 = statistics.median(lat) * 1000
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000
    line = (
        f"load: {CLIENTS} clients x {SECONDS}s: {stats['ok']} ok, "
        f"{len(stats['errors'])} errors, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"{stats['ok'] / SECONDS:.0f} req/s"
    )
    print(line)
    assert stats["errors"] == []
    assert stats["ok"] > CLIENTS
