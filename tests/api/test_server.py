"""A real uvicorn process on loopback: standard clients, time limits that hold."""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from .conftest import process_tree_cpu

PARKS = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?park ?label WHERE { ?park a ck:Park ; rdfs:label ?label } ORDER BY ?label"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(url: str, timeout: float = 30) -> tuple[int, bytes, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), time.perf_counter() - t0
    except urllib.error.HTTPError as err:
        return err.code, err.read(), time.perf_counter() - t0


def expected(store) -> list[tuple[str, str]]:
    return [(str(r["park"]), str(r["label"])) for r in store.select(PARKS)]


def test_sparqlwrapper_gets_what_the_store_holds(server, store):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(PARKS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [(r["park"]["value"], r["label"]["value"]) for r in rows] == expected(store)
    assert len(rows) == 3


def test_rdflib_sparqlstore_gets_what_the_store_holds(server, store):
    remote = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = [(str(p), str(label)) for p, label in remote.query(PARKS)]
    assert rows == expected(store)
    park = URIRef("https://w3id.org/chainkg/park/fu-ling-qu/lin-gang-jing-ji-qu")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert Literal("临港经济区", lang="zh") in set(remote.objects(park, label))


def test_long_query_is_stopped_while_others_are_answered(server):
    slow: dict = {}

    def run_slow():
        slow["result"] = get(server.url + "/sparql?" + urllib.parse.urlencode({"query": SLOW}))

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)
    health = get(server.url + "/healthz")
    small = get(server.url + "/sparql?" + urllib.parse.urlencode({"query": PARKS}))
    assert health[0] == 200 and health[2] < 1.0
    assert small[0] == 200 and small[2] < 1.0
    thread.join(30)
    status, body, took = slow["result"]
    assert status == 503
    assert b"time limit" in body
    assert 2.5 < took < 10
    # the stopped query's process is gone: the server tree is idle again
    time.sleep(1.0)
    before = process_tree_cpu(server.pid)
    time.sleep(2.0)
    assert process_tree_cpu(server.pid) - before < 0.3


def test_remote_from_is_never_fetched(server):
    import http.server

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<http://example.org/a> <http://example.org/b> 1 .\n")

        def log_message(self, *args):
            pass

    remote = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=remote.serve_forever, daemon=True)
    thread.start()
    data = f"http://127.0.0.1:{remote.server_port}/data.ttl"
    try:
        query = f"SELECT * FROM <{data}> WHERE {{ ?s ?p ?o }}"
        status, body, _ = get(server.url + "/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 200
        assert json.loads(body)["results"]["bindings"] == []
        service = f"SELECT * WHERE {{ SERVICE <{data}> {{ ?s ?p ?o }} }}"
        status, body, _ = get(server.url + "/sparql?" + urllib.parse.urlencode({"query": service}))
        assert status == 400 and b"SERVICE" in body
    finally:
        remote.shutdown()
    assert hits == []


MIB = 1 << 20


def process_tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (VmRSS, from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        rss = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
        total += int(rss[0]) * 1024 if rss else 0  # kernel threads have none
        todo += [int(c) for c in children]
    return total


def test_chunked_body_over_the_cap_is_refused_while_it_arrives(server):
    """A chunked body (no Content-Length) 256 times the 1 MB cap: the server answers 413
    after about the cap, the client can stop sending, and the server never holds the body."""
    offered = 256 * MIB

    def body():  # the client's generator: 1 MiB chunks, never held whole
        for _ in range(offered // MIB):
            yield b"#" * MIB

    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    before = process_tree_rss(server.pid)
    grew, sent = 0, 0
    try:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
            b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for chunk in body():
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: stop sending
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            grew = max(grew, process_tree_rss(server.pid) - before)
        else:
            sock.sendall(b"0\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413, response.status
        assert b"request body over 1000000 bytes" in response.read()
    finally:
        sock.close()
    said = f"the client sent {sent} of {offered} bytes; the server grew by {grew} bytes"
    assert sent < offered // 8, said
    assert grew < 64 * MIB, said
    status, _, _ = get(server.url + "/healthz")
    assert status == 200
