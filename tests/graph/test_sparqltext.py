"""Reading SPARQL text: VALUES binding, IRI renaming, query forms; checked by running the
rewritten text on Oxigraph and comparing with its own substitutions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from chainkg.graph.remote import checked_form
from chainkg.graph.sparqltext import (
    bind_values,
    iris_after,
    keywords,
    rename_iris,
)
from chainkg.queries import named_queries

HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('",
    "a\\u0022b",
    'line\nbreak\t"q"',
    "新材料 } } SELECT * WHERE { ?a ?b ?c",
]


def test_values_go_at_the_head_of_each_group_that_uses_the_variable():
    text = (
        "SELECT ?e (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?e ?s WHERE { ?s ?p ?e } } GROUP BY ?e"
    )
    out = bind_values(text, {"e": "<http://example.org/x>"})
    assert out.count("VALUES ?e { <http://example.org/x> }") == 1
    assert out.index("VALUES") > out.index("DISTINCT")
    nested = bind_values(
        "SELECT * WHERE { { ?s ?p ?o FILTER(?o = ?v) } UNION { ?s ?q ?v } }", {"v": "1"}
    )
    assert nested.count("VALUES ?v { 1 }") == 3
    kept = bind_values(
        "CONSTRUCT { ?v ?p ?o } WHERE { VALUES ?p { <a:b> } ?v ?p ?o }", {"v": "<x:y>"}
    )
    assert (
        kept == "CONSTRUCT { ?v ?p ?o } WHERE { VALUES ?v { <x:y> }  VALUES ?p { <a:b> } ?v ?p ?o }"
    )
    # the variable in a string or an IRI is not a use
    quiet = "SELECT ?a WHERE { ?a <http://e/?e> '?e' }"
    assert bind_values(quiet, {"e": '"v"'}) == quiet


def test_ask_without_where_is_bound_too():
    out = bind_values("ASK { ?s ?p ?o }", {"o": '"1"'})
    assert out == 'ASK { VALUES ?o { "1" }  ?s ?p ?o }'


@pytest.mark.parametrize("value", HOSTILE)
def test_bound_strings_stay_data(value):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(value)))
    store.add(ox.Quad(ox.NamedNode("http://e/t"), ox.NamedNode("http://e/p"), ox.Literal("other")))
    text = "SELECT ?s ?v WHERE { ?s <http://e/p> ?o FILTER(STR(?o) = STR(?v)) }"
    out = bind_values(text, {"v": str(ox.Literal(value))})
    rows = list(store.query(out))
    assert [(r["s"].value, r["v"].value) for r in rows] == [("http://e/s", value)]


def test_every_named_query_binds_like_oxigraph_substitutions(embedded_home):
    """Each shipped query, bound through VALUES text, gives what substitutions give."""
    store = embedded_home.open()
    samples = {
        "industry": "https://w3id.org/chainkg/industry/fu-ling-qu-2022-2026/xin-cai-liao",
        "park": "https://w3id.org/chainkg/park/fu-ling-qu/bai-tao-xin-cai-liao-ke-ji-cheng",
        "entity": "https://w3id.org/chainkg/industry/fu-ling-qu-2022-2026/xin-cai-liao",
        "product": "https://w3id.org/chainkg/product/adipic-acid",
        "name": "新材料",
        "text": "新材料",
        "base": "https://w3id.org/chainkg/",
        "ontology": "https://w3id.org/chainkg/ontology#",
    }
    checked, answered = 0, 0
    for q in named_queries().values():
        if not q.params or checked_form(q.text) != "select":
            continue
        terms = {p.name: p.term(samples[p.name]) for p in q.params}
        direct = store.select(q.text, terms)
        from chainkg.graph.store import to_ox

        text = bind_values(q.text, {k: str(to_ox(v)) for k, v in terms.items()})
        rewritten = store.select(text)
        assert sorted(map(repr, rewritten)) == sorted(map(repr, direct)), q.name
        checked += 1
        answered += bool(direct)
    assert checked >= 15
    assert answered >= checked - 2, "the samples should find something for most queries"


def test_rename_touches_only_iri_tokens():
    text = 'SELECT * WHERE { GRAPH <http://g/a> { ?s ?p "<http://g/a>" } } # <http://g/a>'
    out = rename_iris(text, {"http://g/a": "http://phys/1"})
    assert out == 'SELECT * WHERE { GRAPH <http://phys/1> { ?s ?p "<http://g/a>" } } # <http://g/a>'


def test_unknown_graph_names_are_closed_off():
    text = "SELECT * FROM NAMED <http://o/x> WHERE { GRAPH <http://o/y> { ?s ?p <http://o/z> } }"
    out = rename_iris(text, {}, "urn:none")
    assert out == "SELECT * FROM NAMED <urn:none> WHERE { GRAPH <urn:none> { ?s ?p <http://o/z> } }"


def test_forms_keywords_and_graph_iris():
    assert checked_form("PREFIX a: <http://x/> # SELECT\nASK { ?s ?p ?o }") == "ask"
    assert checked_form("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "graph"
    assert checked_form("select * { ?s ?p ?o }") == "select"
    with pytest.raises(SyntaxError, match="syntax error at line 1"):
        checked_form("INSERT DATA { <a> <b> <c> }")
    assert "DEFINE" in keywords('define get:soft "replace" SELECT * { ?s ?p ?o }')
    update = (
        "INSERT DATA { GRAPH <http://g/1> { <a> <b> <c> } } ; COPY <http://g/1> TO <http://g/2>"
    )
    assert iris_after(update, ("GRAPH", "TO")) == ["http://g/1", "http://g/2"]
    assert iris_after("SELECT * FROM <http://a> FROM NAMED <http://b> {}", ("FROM",)) == [
        "http://a",
        "http://b",
    ]


def test_str_of_a_bound_simple_literal_is_the_literal_itself():
    from chainkg.graph.sparqltext import unwrap_str

    text = 'SELECT ?x WHERE { ?x ?p ?l FILTER(STR(?l) = STR(?name) || CONTAINS("STR(?name)", ?l)) }'
    assert unwrap_str(text, ["name"]) == (
        'SELECT ?x WHERE { ?x ?p ?l FILTER(STR(?l) = ?name || CONTAINS("STR(?name)", ?l)) }'
    )


def test_syntax_errors_are_readable():
    import pyoxigraph as ox

    from chainkg.graph.sparqltext import syntax_message

    def message(text: str) -> str:
        with pytest.raises(SyntaxError) as err:
            ox.Store().query(text)
        return syntax_message(str(err.value), text)

    said = message("PREFIX a: <http://x/>\nSELECT * WHERE {\n  ?s foo:bar ?o }")
    assert said.startswith("syntax error at line 3, column 13: unknown prefix foo:")
    assert "\\u{" not in said and "['" not in said  # no dump of character ranges
    assert said.splitlines()[1:] == ["    ?s foo:bar ?o }", "              ^"]
    said = message("INSERT DATA { <a> <b> <c> }")
    assert "this is an update: send it as `update`" in said
    assert message("SELECT * WHERE { ?s ?p ?o ").startswith(
        'syntax error at line 1, column 27: expected "," or "."'
    )
