"""Every named SELECT query has one answer: the same rows, in the same order, on every run
and on both backends.

Its ORDER BY lists every column but the parameters (for an aggregate: every GROUP BY key),
so rows never tie, and code that reads the first row of a group reads the same one each
time. And no DISTINCT is left to merge copies that only one engine makes: Virtuoso matches
a property path once per route (``a|b/c`` as the standard says, ``*`` too, where the
standard says once), and its DISTINCT does not always merge the copies: ``industry-items``
gave a row too many on Virtuoso in one CI run of three (depending on the queries the server
ran before), and ``upstream`` of nylon 66 always did.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from rdflib import Literal, URIRef

from chainkg.graph.home import StoreHome
from chainkg.graph.sparqltext import masked
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.queries import NamedQuery, named_queries
from chainkg.queries.industries import industries
from chainkg.queries.parks import parks
from chainkg.viz import examples

MAX_SORT_KEYS = 20  # Virtuoso: "SQ186: Over 20 keys in group by or hash join"
# columns of queries wider than that, left out of ORDER BY: zh labels of sorted IRIs
UNSORTED = {"indicators": {"industry_label", "park_label"}}
# Virtuoso has no boolean values: BIND(EXISTS { … } AS ?x) comes back as 1 or 0
COMPUTED_BOOLEANS = {"projects": {"is_project"}}
_WORD = r"(?<![?$\w:])"


@dataclass
class Clauses:
    """The outermost query's columns, GROUP BY keys and ORDER BY keys (None for a key
    that is an expression, not a variable)."""

    columns: list[str]
    distinct: bool
    group: list[str] | None
    order: list[str | None]


def _outermost(text: str) -> str:
    """``text`` with comments, strings, IRIs and everything inside braces blanked."""
    out, depth = [], 0
    for ch in masked(text):
        depth += ch == "{"
        out.append(ch if depth == 0 and ch != "}" else " ")
        depth -= ch == "}"
    return "".join(out)


def _order_keys(clause: str) -> list[str | None]:
    keys, i = [], 0
    while i < len(clause):
        if clause[i].isspace():
            i += 1
            continue
        var = re.match(r"[?$](\w+)", clause[i:])
        if var:
            keys.append(var.group(1))
            i += var.end()
            continue
        call = re.match(r"(?:\w+\s*)?\(", clause[i:])
        assert call, f"cannot read ORDER BY at {clause[i:]!r}"
        start = j = i + call.end() - 1
        depth = 0
        while True:
            depth += clause[j] == "("
            depth -= clause[j] == ")"
            j += 1
            if depth == 0:
                break
        inner = clause[start + 1 : j - 1].strip()
        plain = re.fullmatch(r"[?$](\w+)", inner)
        sorting = re.fullmatch(r"(?:ASC|DESC)?\s*\(?", call.group(0), re.IGNORECASE)
        keys.append(plain.group(1) if plain and sorting else None)
        i = j
    return keys


def clauses(text: str) -> Clauses:
    outer = _outermost(text)
    flags = re.S | re.I
    select = re.search(rf"{_WORD}SELECT\b(.*?)(?={_WORD}WHERE\b|{_WORD}FROM\b|$)", outer, flags)
    projection = text[select.start(1) : select.end(1)]
    distinct = re.match(r"\s*DISTINCT\b", projection, re.I) is not None
    projection = re.sub(r"\(.*?\bAS\s+([?$]\w+)\s*\)", r"\1", projection, flags=flags)
    group = re.search(rf"{_WORD}GROUP\s+BY\b(.*?)(?={_WORD}(?:HAVING|ORDER)\b|$)", outer, flags)
    order = re.search(rf"{_WORD}ORDER\s+BY\b(.*?)(?={_WORD}(?:LIMIT|OFFSET)\b|$)", outer, flags)
    return Clauses(
        re.findall(r"[?$](\w+)", projection),
        distinct,
        re.findall(r"[?$](\w+)", group.group(1)) if group else None,
        _order_keys(text[order.start(1) : order.end(1)]) if order else [],
    )


def selects() -> dict[str, NamedQuery]:
    return {n: q for n, q in named_queries().items() if examples.form(q.text) == "select"}


def test_clauses_are_read_from_the_outermost_query():
    text = (
        "SELECT ?from ?n (MIN(?x) AS ?where) WHERE { { SELECT ?from (COUNT(*) AS ?n) "
        "WHERE { ?from ?p ?o } GROUP BY ?from ORDER BY ?p } } # ORDER BY ?nothing\n"
        "GROUP BY ?from ?n ORDER BY DESC(?n + 1) ASC(?from) STR(?where) LIMIT 5"
    )
    found = clauses(text)
    assert found.columns == ["from", "n", "where"] and not found.distinct
    assert found.group == ["from", "n"]
    assert found.order == [None, "from", None]
    assert clauses("SELECT DISTINCT ?a WHERE { ?a ?b ?c }") == Clauses(["a"], True, None, [])


def test_order_by_lists_every_column():
    for name, q in selects().items():
        found = clauses(q.text)
        params = {p.name for p in q.params}
        columns = found.group if found.group is not None else found.columns
        left = set(params) | UNSORTED.get(name, set())
        missing = [c for c in columns if c not in found.order and c not in left]
        assert not missing, f"{name}: ORDER BY leaves out {missing}, so rows can tie"
        assert len(found.order) <= MAX_SORT_KEYS, f"{name}: Virtuoso sorts by 20 keys at most"


def cases(store, ids) -> list[tuple[str, dict]]:
    """(query, parameters): each SELECT query with its example parameters; the one-parameter
    industry, park and name queries also with every industry and park."""
    every = industries(store, ids)
    places = parks(store, ids)
    more = {
        ("industry", "iri"): [URIRef(i["iri"]) for i in every],
        ("park", "iri"): [URIRef(p["iri"]) for p in places],
        ("name", "string"): [Literal(x["label"]) for x in every + places if x["label"]],
    }
    shown = {e["name"]: e["params"] for e in examples.examples(store, ids)}
    out = []
    for name, q in selects().items():
        example = {
            p.name: URIRef(shown[name][p.name][1:-1])
            if p.type == "iri"
            else Literal(json.loads(shown[name][p.name]))
            for p in q.params
        }
        out.append((name, example))
        if len(q.params) == 1:
            p = q.params[0]
            others = [v for v in more.get((p.name, p.type), []) if v != example[p.name]]
            out += [(name, {p.name: v}) for v in others]
    return out


def _row(row: dict) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


def test_rows_never_tie_under_order_by(store, ids):
    """Distinct rows differ in their ORDER BY keys; a DISTINCT query repeats no row."""
    for name, params in cases(store, ids):
        q = named_queries()[name]
        found = clauses(q.text)
        rows = store.select(q.text, params)
        distinct = {_row(r) for r in rows}
        if found.distinct:
            repeated = [r for r, n in Counter(map(_row, rows)).items() if n > 1]
            assert not repeated, f"{name} {params}: DISTINCT repeats {repeated[:1]}"
        keys = [k for k in found.order if k]
        sorted_by = {tuple(repr(r.get(k)) for k in keys) for r in rows}
        assert len(sorted_by) == len(distinct), f"{name} {params}: rows tie under ORDER BY"


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, ids):
    """The built-in dataset in an embedded store, to compare the remote backend with."""
    home = StoreHome(tmp_path_factory.mktemp("reference") / "store")
    build(home, Manifest.read(builtin_manifest()), ids)
    return home.open()


def _rows(store, name: str, text: str, params: dict) -> Counter:
    booleans = COMPUTED_BOOLEANS.get(name, set())
    out = Counter()
    for row in store.select(text, params):
        for k in booleans & set(row):
            row[k] = str(row[k]) in ("true", "1")
        out[_row(row)] += 1
    return out


def test_same_rows_on_both_backends_even_before_distinct(store, backend, ids, request):
    """The remote backend's rows are the embedded store's; and with DISTINCT taken out too,
    so no DISTINCT has to merge copies that one engine makes and the other does not."""
    if backend.kind == "embedded":
        pytest.skip("compares a remote backend with the embedded one")
    embedded = request.getfixturevalue("embedded")
    for name, params in cases(store, ids):
        q = named_queries()[name]
        texts = {"as written": q.text}
        if clauses(q.text).distinct:
            texts["without DISTINCT"] = re.sub(r"(SELECT\s+)DISTINCT\s", r"\1", q.text, count=1)
        for how, text in texts.items():
            got, expected = _rows(store, name, text, params), _rows(embedded, name, text, params)
            assert got == expected, (
                f"{name} {params} {how}: only {backend.kind} {list(got - expected)[:1]}, "
                f"only embedded {list(expected - got)[:1]}"
            )
