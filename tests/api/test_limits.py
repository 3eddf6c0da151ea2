"""Limits that hold on a real server: no way out to the network, updates inside the time
limit and safe from crashes, a memory cap, a quick "busy", and relative IRIs resolved."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import Graph, Literal, URIRef

from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest

from ..graph.test_guard import Listener, hidden_service
from .conftest import serve

TOKEN = "s3cret-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def call(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60):
    """(status, headers, body) of a request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def query(server, text: str, accept: str = "application/sparql-results+json", **kw):
    return call(
        server.url + "/sparql?" + urllib.parse.urlencode({"query": text}),
        headers={"Accept": accept},
        **kw,
    )


def update(server, text: str, timeout: float = 60):
    return call(
        server.url + "/sparql",
        text.encode(),
        {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        timeout,
    )


def count(server) -> int:
    import json

    status, _, body = query(server, COUNT)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def limited(backend, ids, tmp_path_factory):
    """A server of its own (it is written to): updates on, one worker, 4 s time limit,
    1 s queue wait, 400 MiB per worker."""
    home = backend.home()
    build(home, Manifest.read(builtin_manifest()), ids)
    log = tmp_path_factory.mktemp("limited") / "serve.log"
    with serve(
        home.location,
        log,
        CHAINKG_UPDATE_TOKEN=TOKEN,
        CHAINKG_WORKERS="1",
        CHAINKG_QUERY_TIMEOUT="4",
        CHAINKG_QUEUE_WAIT="1",
        CHAINKG_WORKER_MEMORY="400",
    ) as s:
        yield s


def test_the_reported_service_bypass_never_reaches_the_listener(server, listener):
    listener.hits.clear()
    text = (
        "SELECT * WHERE { OPTIONAL { ?a ?b <http://x/\\u0041'> } "
        f"SERVICE <{listener.url}> {{ ?s ?p ?o }} OPTIONAL {{ ?c ?d <http://x/'> }} }}"
    )
    status, _, body = query(server, text)
    assert status == 400 and b"SERVICE" in body and b"LEAK" not in body
    page = server.url + "/explore/sparql?" + urllib.parse.urlencode({"query": text})
    status, _, body = call(page)
    assert status == 400 and b"LEAK" not in body
    assert listener.hits == []


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=hidden_service("http://127.0.0.1:1/sparql"))
def test_hidden_service_never_reaches_the_listener(server, listener, text):
    text = text.replace("http://127.0.0.1:1/", listener.url.rsplit("/", 1)[0] + "/")
    listener.hits.clear()
    status, _, body = query(server, text)
    assert status == 400, body
    assert listener.hits == []


def test_load_with_the_token_never_reaches_the_listener(limited, listener):
    listener.hits.clear()
    status, _, body = update(limited, f"LOAD <{listener.url}\\u0041'> INTO GRAPH <urn:x>")
    assert status == 400 and b"LOAD" in body
    assert listener.hits == []


def test_a_deep_update_is_a_clear_400_and_the_server_lives_on(limited):
    before = count(limited)
    deep = "INSERT { GRAPH <urn:x> {?s ?p ?o} } WHERE " + "{" * 4000 + "?s ?p ?o" + "}" * 4000
    status, _, body = update(limited, deep)
    assert status == 400 and b"nested 4000 brackets deep" in body
    status, _, body = query(limited, "SELECT * WHERE " + "{" * 4000 + "}" * 4000)
    assert status == 400 and b"nested 4000 brackets deep" in body
    assert count(limited) == before


def test_an_update_is_stopped_at_the_time_limit_and_changes_nothing(limited):
    before = count(limited)
    heavy = (
        "INSERT { GRAPH <urn:heavy> { <urn:a> <urn:p> ?n } } WHERE { SELECT (COUNT(*) AS ?n) "
        "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } } }"
    )
    t0 = time.monotonic()
    status, _, body = update(limited, heavy, timeout=120)
    took = time.monotonic() - t0
    assert status == 503 and b"time limit" in body, body
    assert took < 4 + 15  # the limit plus start-up and copying, not the whole product
    assert count(limited) == before


def test_a_full_pool_answers_busy_at_once_with_retry_after(limited):
    slow: dict = {}
    worker = threading.Thread(target=lambda: slow.update(r=query(limited, SLOW, timeout=60)))
    worker.start()
    time.sleep(1.0)
    t0 = time.monotonic()
    status, headers, body = query(limited, "ASK {}")
    took = time.monotonic() - t0
    worker.join()
    assert status == 503 and b"busy" in body
    assert 1 <= int(headers["Retry-After"]) <= 4
    assert took < 3.0  # the 1 s queue wait, not the slow query's 4 s
    assert slow["r"][0] == 503  # the slow one was stopped at its limit
    assert query(limited, "ASK {}")[0] == 200


def test_relative_iris_resolve_against_the_endpoint(limited):
    """W3C protocol tests query_content_type_construct and update_base_uri."""
    status, _, body = call(
        limited.url + "/sparql",
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        {"Content-Type": "application/sparql-query", "Accept": "text/turtle"},
    )
    assert status == 200, body
    g = Graph().parse(data=body.decode(), format="turtle")
    base = f"http://127.0.0.1:{limited.url.rsplit(':', 1)[1]}/"
    assert (URIRef(base + "s"), URIRef(base + "p"), Literal(1)) in g
    status, _, body = update(limited, "INSERT DATA { GRAPH <g> { <s> <p> 1 } }")
    assert status == 204, body
    status, _, body = query(limited, "ASK { GRAPH <g> { <s> <p> 1 } }")
    assert status == 200 and b"true" in body


def test_a_query_over_the_memory_cap_is_stopped_and_the_next_one_runs(embedded_home, tmp_path):
    """Embedded store: the worker's memory is capped (a remote server has its own)."""
    doubling = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(22))
    text = f'SELECT (STRLEN(?a22) AS ?n) WHERE {{ BIND("{"x" * 512}" AS ?a0) {doubling} }}'
    with serve(embedded_home.location, tmp_path / "serve.log", CHAINKG_WORKER_MEMORY="300") as s:
        status, _, body = query(s, text, timeout=120)
        assert status == 503 and b"more memory" in body and b"300 MiB" in body
        assert query(s, "ASK { ?s ?p ?o }")[0] == 200
