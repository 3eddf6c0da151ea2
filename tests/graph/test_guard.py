"""The SPARQL guard: SERVICE and LOAD found however they are written, nesting bounded,
and query processes that cannot reach the network even when a text gets past it."""

from __future__ import annotations

import http.server
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkg.graph import guard, sandbox
from chainkg.graph.executor import Job, QueryError, QueryPool
from chainkg.graph.sandbox import Limits
from chainkg.graph.updates import run_update


class Listener:
    """An HTTP server on loopback that counts the requests it gets and answers each
    with one SPARQL result row (what a SERVICE call would bring back)."""

    BODY = (
        b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"LEAK"}}]}}'
    )

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(Listener.BODY)))
                self.end_headers()
                self.wfile.write(Listener.BODY)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def escaped(word: str, data) -> str:
    """``word`` in random case with some letters written as ``\\u`` escapes."""
    out = []
    for ch in word:
        ch = ch.upper() if data.draw(st.booleans()) else ch.lower()
        out.append(f"\\u{ord(ch):04X}" if data.draw(st.integers(0, 3)) == 0 else ch)
    return "".join(out)


# Things that fool a reader working on masked text: quotes inside IRIs (raw and as
# escapes), non-breaking spaces, comments holding quotes and brackets, prefixed names
# with escaped quotes, strings holding keywords, and tokens glued to the keyword.
NOISE = [
    "OPTIONAL { ?a ?b <http://x/\\u0041'> }",
    "OPTIONAL { ?c ?d <http://x/'> }",
    "OPTIONAL { ?e ?f <http://x/\\u0022> }",
    "OPTIONAL { ?g ?h <http://x/\u00a0'> }",
    "# a comment with ' and \" and < and {\n",
    "OPTIONAL { ?i ?j ex:a\\'b }",
    "OPTIONAL { ?k ?l 'SERVICE <http://elsewhere/> {}' }",
    'OPTIONAL { ?m ?n """LOAD \' " SERVICE""" }',
    "FILTER(1<2)",
    "?o1 ?p1 ?q1 .",
    "BIND('\\'' AS ?r1)",
]
GLUE = ["", " ", "\n", "\t", " # ' \n", "?s0 ?p0 true", "?s0 ?p0 1", "?s0 ?p0 'x'", "?s0 ?p0 ?o0 ."]


@st.composite
def hidden_service(draw, url: str) -> str:
    data = draw(st.data())
    before = draw(st.lists(st.sampled_from(NOISE), max_size=4))
    after = draw(st.lists(st.sampled_from(NOISE), max_size=4))
    glue = draw(st.sampled_from(GLUE))
    word = escaped("SERVICE", data)
    target = draw(st.sampled_from([f"<{url}>", "ex:sparql"]))
    body = f"{' '.join(before)} {glue}{word} {target} {{ ?s ?p ?o }} {' '.join(after)}"
    return f"PREFIX ex: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ {body} }}"


@st.composite
def hidden_load(draw, url: str) -> str:
    data = draw(st.data())
    noise = draw(st.lists(st.sampled_from(NOISE[:6]), max_size=3))
    comment = draw(st.sampled_from(["", "# ' \" <\n", "#<'\n"]))
    word = escaped("LOAD", data)
    return (
        f"PREFIX ex: <http://x/> INSERT {{ GRAPH <urn:x> {{ ?a ?b ?c }} }} WHERE {{ "
        f"{' '.join(noise)} }} ;{comment}{word} <{url}> INTO GRAPH <urn:y>"
    )


URL = "http://127.0.0.1:9/sparql"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_service(URL))
def test_service_is_found_however_it_is_hidden(text):
    with pytest.raises(guard.Refused, match="SERVICE"):
        guard.check(text)
    guard.check(text, allow_network=True)  # allowed: nothing refused


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_load(URL))
def test_load_is_found_however_it_is_hidden(text):
    with pytest.raises(guard.Refused, match="LOAD"):
        guard.check(text, update=True)


def test_the_reported_bypass_is_refused():
    text = (
        "SELECT * WHERE { OPTIONAL { ?a ?b <http://x/\\u0041'> } "
        f"SERVICE <{URL}> {{ ?s ?p ?o }} OPTIONAL {{ ?c ?d <http://x/'> }} }}"
    )
    assert guard.network_operations(text) == {"SERVICE"}
    with pytest.raises(guard.Refused):
        guard.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s <http://www.w3.org/ns/sparql-service-description#endpoint> ?o }",
        "SELECT ?service WHERE { ?service ?p 'download, upload, LOAD' }",
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT * WHERE { ?s a sd:Service }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    ],
)
def test_words_in_names_strings_and_comments_are_not_operations(text):
    assert guard.network_operations(text) == set()
    guard.check(text)


def test_virtuoso_functions_and_pragmas_are_refused():
    for text in (
        "SELECT * WHERE { BIND(bif:http_get('http://x/') AS ?x) }",
        "PREFIX f: <b\\u0069f:> SELECT * WHERE { BIND(f:http_get('http://x/') AS ?x) }",
        'define get:soft "replace" SELECT * WHERE { ?s ?p ?o }',
    ):
        with pytest.raises(guard.Refused, match="bif"):
            guard.check(text)


def test_a_long_text_naming_service_is_refused_rather_than_parsed_for_minutes():
    text = (
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN ("
        + ",".join(f'"service {i}"' for i in range(3000))
        + ")) }"
    )
    with pytest.raises(guard.Refused, match="too long to be checked"):
        guard.check(text)
    guard.check(text, allow_network=True)


def test_unescape_follows_the_grammar():
    assert guard.unescape("\\u0053ERVICE \\U0001F600 \\uZZZZ") == "SERVICE \U0001f600 \\uZZZZ"


@pytest.mark.parametrize("depth", [65, 4000])
def test_deep_nesting_is_refused_with_its_depth(depth):
    text = "INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth
    with pytest.raises(guard.Refused, match=f"nested {depth} brackets deep"):
        guard.check(text, update=True)


def test_ordinary_nesting_passes():
    guard.check("SELECT * WHERE " + "{" * 30 + "?s ?p ?o FILTER((((1)))) " + "}" * 30)


# -- the engine itself: query processes without the network --------------------------------


def needs_namespace():
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        works = pool.apply(sandbox.cut_network)
    if not works:
        import os

        if os.environ.get("CI") == "true":
            pytest.fail("this machine cannot give a process a network namespace of its own")
        pytest.skip("no network namespaces for unprivileged processes here")


def test_query_workers_cannot_reach_the_network_whatever_the_text(listener, embedded_home):
    """A SERVICE query sent straight to a worker (no text check at all) fails inside the
    worker and nothing reaches the listener; with the network allowed it does."""
    needs_namespace()
    listener.hits.clear()
    text = f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    closed = QueryPool(embedded_home.current, 1, 20, limits=Limits(network=False))
    try:
        with pytest.raises(QueryError, match="unreachable"):
            closed.run(Job(text))
    finally:
        closed.close()
    assert listener.hits == []
    opened = QueryPool(embedded_home.current, 1, 20, limits=Limits(network=True))
    try:
        answer = opened.run(Job(text))
    finally:
        opened.close()
    assert b"LEAK" in answer.body and listener.hits  # the check above could have failed


def test_update_processes_cannot_load_from_the_network(listener, tmp_path):
    needs_namespace()
    listener.hits.clear()
    import pyoxigraph as ox

    ox.Store(str(tmp_path / "s")).flush()
    with pytest.raises(QueryError, match="unreachable"):
        run_update(tmp_path / "s", f"LOAD <{listener.url}>", None, 20, Limits())
    assert listener.hits == []
