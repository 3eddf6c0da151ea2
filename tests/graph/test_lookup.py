"""Point lookups: which queries the reader accepts, the bound proved on the store, and the
pool answering them in its own process exactly as a worker would."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from chainkg.graph.executor import Job, QueryError, QueryPool, QueryTimeout
from chainkg.graph.home import StoreHome
from chainkg.graph.lookup import RDF_TYPE, Bounds, Pattern, _tokens, bounded, patterns
from chainkg.graph.sandbox import Limits

EX = "http://example.org/"
PX = f"PREFIX ex: <{EX}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
HUB, SMALL, OTHER = (ox.NamedNode(EX + n) for n in ("hub", "small", "other"))
LINK, LABEL = ox.NamedNode(EX + "link"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
G = ox.NamedNode(EX + "g")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"SELECT ?p ?o WHERE {{ <{EX}small> ?p ?o }}", [Pattern(SMALL, None, None)]),
        (
            PX + 'SELECT ?l { ex:small rdfs:label ?l FILTER(LANG(?l) = "zh") } LIMIT 5',
            [Pattern(SMALL, LABEL, None)],
        ),
        (
            PX + "ASK { ?f ex:link ex:small ; a ex:Thing }",
            [
                Pattern(None, LINK, SMALL),
                Pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(EX + "Thing")),
            ],
        ),
        (
            PX + 'SELECT DISTINCT * FROM ex:g { ex:small ex:link ?o , "x"@ZH . '
            "OPTIONAL { ?o rdfs:label 'y' } } ORDER BY DESC(?o) ?l OFFSET 1 LIMIT 2",
            [
                Pattern(SMALL, LINK, None),
                Pattern(SMALL, LINK, ox.Literal("x", language="zh")),
                Pattern(None, LABEL, ox.Literal("y")),
            ],
        ),
        # a local name may hold colons: one IRI, not two tokens
        (PX + "SELECT ?o { ex:small ex:a:b ?o }", [Pattern(SMALL, ox.NamedNode(EX + "a:b"), None)]),
        # numbers and typed literals are not counted on: their pattern needs the other end
        (PX + "SELECT ?p { ex:small ?p 3 }", [Pattern(SMALL, None, None)]),
    ],
)
def test_point_lookups_are_read_with_their_constants(text, expected):
    assert patterns(text) == tuple(expected)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o }",  # no constant end
        PX + "SELECT ?o { ex:small ex:link/ex:link ?o }",  # paths
        PX + "SELECT ?o { ex:small ex:link|rdfs:label ?o }",
        PX + "SELECT ?o { ex:small ^ex:link ?o }",
        PX + "SELECT ?o { ex:small ex:link* ?o }",
        PX + "SELECT ?o { ex:small ex:link+ ?o }",
        PX + "SELECT ?o { ex:small ex:link? ?o }",
        PX + "SELECT ?o { ex:small !ex:link ?o }",
        PX + "SELECT ?o { ex:small ex:link ?o . ?o ?p ?x }",  # a join through an open pattern
        PX + "SELECT ?o { ex:small ex:link ?o { SELECT ?x { ?x ?y ?z } } }",
        PX + "SELECT ?o { { ex:small ex:link ?o } UNION { ex:hub ex:link ?o } }",
        PX + "SELECT ?o { GRAPH ?g { ex:small ex:link ?o } }",
        PX + "SELECT ?o { SERVICE <http://x/sparql> { ex:small ex:link ?o } }",
        PX + "SELECT ?o { VALUES ?o { 1 } ex:small ex:link ?o }",
        PX + "SELECT ?o { ex:small ex:link ?o BIND(1 AS ?x) }",
        PX + "SELECT ?o { ex:small ex:link ?o FILTER EXISTS { ?o ?p ?x } }",
        PX + "SELECT ?o { ex:small ex:link ?o FILTER(NOT EXISTS { ?o ?p ?x }) }",
        PX + "SELECT ?o { ex:small ex:link [ ex:link ?o ] }",  # blank nodes
        PX + "SELECT ?o { _:b ex:link ?o }",
        PX + "SELECT ?o { ex:small ex:link ( 1 2 ) }",  # collections
        PX + "CONSTRUCT { ex:small ex:link ?o } WHERE { ex:small ex:link ?o }",
        PX + "DESCRIBE ex:small",
        PX + "SELECT (COUNT(*) AS ?n) { ex:small ?p ?o }",
        PX + "SELECT ?p { ex:small ?p ?o } GROUP BY ?p",
        "SELECT ?o { <small> ?p ?o }",  # relative IRI
        "SELECT ?o { <http://example.org/sm\\u0061ll> ?p ?o }",  # escapes
        PX + 'SELECT ?s { ?s rdfs:label """x""" }',  # long strings
        PX + 'SELECT ?s { ?s rdfs:label "x\\"y" }',
        "SELECT ?o { nope:small ?p ?o }",  # unknown prefix
        "SELECT ?o { }",
        PX + "SELECT ?o { ex:small ?p ?o } VALUES ?o { 1 }",
        # a carriage return ends a comment: what follows it is read, and refused here
        f"SELECT * WHERE {{ <{EX}small> ?p ?o #\r . ?a ?b ?c . ?d ?e ?f \n}}",
        f"SELECT * {{ <{EX}small> ?p ?o #\r SERVICE <http://x/sparql> {{ ?a ?b ?c }} \n}}",
        # `<` in a FILTER is an operator to the engine, never the start of an IRI here
        f"SELECT * WHERE {{ <{EX}small> ?p ?o FILTER(1<2)?a?b?c.?d?e?f.FILTER(3>2) }}",
        f"SELECT * WHERE {{ <{EX}small> ?p ?o FILTER(?o = <{EX}x>) }}",
        # FILTER functions that build strings, or are not read
        f'ASK {{ <{EX}small> ?p ?o FILTER(STRLEN(REPLACE(STR(?o), "", "xx")) > 0) }}',
        f'ASK {{ <{EX}small> ?p ?o FILTER(CONCAT(STR(?o), "x") = "y") }}',
        PX + "ASK { ex:small ?p ?o FILTER(ex:f(?o)) }",
        # too many patterns, too long a text, a language tag pyoxigraph refuses
        "SELECT * { " + " ".join(f"<{EX}small> ?p{i} ?o{i} ." for i in range(9)) + " }",
        f"SELECT * {{ <{EX}small> ?p ?o }} #" + "x" * 2000,
        f'SELECT * {{ <{EX}small> ?p "x"@abcdefghijklmnop }}',
    ],
)
def test_anything_else_is_refused(text):
    assert patterns(text) is None


def test_a_run_of_name_characters_is_read_once():
    # no rescanning of a long run at each of its positions (the reader runs per query)
    assert _tokens("a." * 5000) == [("word", "a." * 5000)]
    expected = [("pname", "ex:a:b"), ("punct", "."), ("pname", "rdfs:label")]
    assert _tokens("ex:a:b. rdfs:label") == expected


def _store(quads) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def test_the_bound_is_the_product_of_what_each_pattern_matches():
    store = _store(
        [ox.Quad(HUB, LINK, ox.NamedNode(f"{EX}n{i}"), G) for i in range(1500)]
        + [ox.Quad(SMALL, LINK, ox.NamedNode(f"{EX}m{i}"), G) for i in range(40)]
        + [ox.Quad(OTHER, LINK, ox.NamedNode(f"{EX}k{i}"), G) for i in range(40)]
    )
    assert bounded(store, [Pattern(SMALL, None, None)])
    assert bounded(store, [Pattern(None, LINK, ox.NamedNode(EX + "n7"))])
    assert not bounded(store, [Pattern(HUB, None, None)])  # 1,500 statements
    assert not bounded(store, [Pattern(None, LINK, None)])
    assert bounded(store, [Pattern(SMALL, None, None), Pattern(OTHER, LINK, None)], 1600)
    assert not bounded(store, [Pattern(SMALL, None, None), Pattern(OTHER, LINK, None)], 1599)
    assert bounded(store, [Pattern(ox.NamedNode(EX + "none"), None, None)])


def test_counts_are_exact_below_the_cap_and_remembered():
    store = _store(
        [ox.Quad(HUB, LINK, ox.NamedNode(f"{EX}n{i}"), G) for i in range(300)]
        + [ox.Quad(SMALL, LINK, ox.NamedNode(f"{EX}n{i}")) for i in range(40)]  # default graph
        + [ox.Quad(SMALL, LABEL, ox.Literal("小"), G)]
    )
    bounds = Bounds(store, budget=100)
    assert bounds.count(Pattern(SMALL, None, None)) == 41  # counted by the engine
    assert bounds.count(Pattern(SMALL, LABEL, None)) == 1  # counted as they come
    assert bounds.count(Pattern(None, LINK, ox.NamedNode(EX + "n7"))) == 2
    assert bounds.count(Pattern(HUB, LINK, None)) == 101  # capped
    store.clear()
    assert bounds.count(Pattern(SMALL, None, None)) == 41  # a version never changes
    assert Bounds(store).count(Pattern(SMALL, None, None)) == 0


@pytest.fixture(scope="module")
def hub_home(tmp_path_factory):
    """A store with a hub of 1,500 links, a small node and its labels."""
    home = StoreHome(tmp_path_factory.mktemp("lookup") / "store")
    with home.new_version() as store:
        store.ox.extend([ox.Quad(HUB, LINK, ox.NamedNode(f"{EX}n{i}"), G) for i in range(1500)])
        store.ox.extend(
            [
                ox.Quad(SMALL, LABEL, ox.Literal("小节点", language="zh"), G),
                ox.Quad(SMALL, LABEL, ox.Literal("small node", language="en"), G),
                ox.Quad(SMALL, LINK, HUB, G),
            ]
        )
    return home


@pytest.fixture(scope="module")
def pools(hub_home):
    """The service's pool (point lookups in this process) and one that sends all to a worker."""
    local = hub_home.query_pool(1, 20, 0.3, Limits())
    remote = QueryPool(hub_home.current, workers=1, timeout=20, queue_wait=0.3)
    local.warm()
    remote.warm()
    yield local, remote
    local.close()
    remote.close()


SAME = [
    PX + 'SELECT ?l WHERE { ex:small rdfs:label ?l FILTER(LANG(?l) = "zh") }',
    f"SELECT ?p ?o WHERE {{ <{EX}small> ?p ?o }} ORDER BY ?p ?o",
    PX + "ASK { ?s ex:link ex:hub }",
    PX + "ASK { ex:small ex:link ex:nothing }",
]


@pytest.mark.parametrize("text", SAME)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_point_lookup_is_answered_here_as_a_worker_answers_it(pools, text, fmt):
    local, remote = pools
    here, there = local.run(Job(text, fmt)), remote.run(Job(text, fmt))
    assert here.inline and not there.inline
    assert (here.form, here.body, here.rows, here.truncated) == (
        there.form,
        there.body,
        there.rows,
        there.truncated,
    )


def test_a_lookup_over_a_hub_goes_to_a_worker(pools):
    local, _ = pools
    answer = local.run(Job(f"SELECT ?o WHERE {{ <{EX}hub> ?p ?o }}"))
    assert not answer.inline and answer.rows == 1500


def test_other_queries_keep_the_time_limit(pools):
    local, _ = pools
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        local.run(Job(endless), timeout=0.5)
    answer = local.run(Job(f"SELECT ?o WHERE {{ <{EX}small> <{LINK.value}> ?o }}"))
    assert answer.inline and json.loads(answer.body)["results"]["bindings"] == [
        {"o": {"type": "uri", "value": HUB.value}}
    ]


def test_a_syntax_error_reads_the_same_here_and_in_a_worker(pools):
    local, remote = pools
    text = PX + "SELECT ?o WHERE { ex:small ex:link ?o FILTER(?o = ) }"
    with pytest.raises(QueryError) as here:
        local.run(Job(text))
    with pytest.raises(QueryError) as there:
        remote.run(Job(text))
    assert str(here.value) == str(there.value) and "line 1" in str(here.value)


def test_lookups_follow_a_new_version(tmp_path):
    home = StoreHome(tmp_path / "store")
    for label in ("old", "new"):
        with home.new_version() as store:
            store.ox.add(ox.Quad(SMALL, LABEL, ox.Literal(label), G))
        if label == "old":
            pool = home.query_pool(1, 20, 0.3, Limits())
            first = pool.run(Job(f"SELECT ?l {{ <{SMALL.value}> ?p ?l }}"))
    try:
        second = pool.run(Job(f"SELECT ?l {{ <{SMALL.value}> ?p ?l }}"))
    finally:
        pool.close()
    values = [json.loads(a.body)["results"]["bindings"][0]["l"]["value"] for a in (first, second)]
    assert values == ["old", "new"] and first.inline and second.inline
