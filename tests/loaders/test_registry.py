"""The enterprise registry: the bundled sample loads with its sources; bad files load nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.loaders.build import load_registry
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.loaders.errors import LoadError
from chainkg.loaders.registry import names_of, registry_file, registry_graph

HEADER = (
    "enterprise_zh,enterprise_en,park,product,capacity_value,capacity_unit,as_of,status,"
    "confidence,source_url,note\n"
)
GOOD = "示例化工有限公司,Example Chemical,白涛新材料科技城,己二腈,8,万吨/年,2025,operating,sourced,https://example.org/news/1,\n"


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "firms.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def quads(home) -> set:
    store = home.open()
    try:
        return {str(q) for q in store.quads()}
    finally:
        store.close()


def test_sample_registry_keeps_source_url_and_confidence(store):
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?firm ?conf ?url ?line WHERE {
          ?f a ck:Production ; ck:producer/rdfs:label ?firm ; ck:product/rdfs:label "己二酸"@zh ;
             ck:confidence ?conf ; prov:wasDerivedFrom ?row .
          ?row ck:sourceUrl ?url ; ck:lineNumber ?line .
          FILTER(LANG(?firm) = "zh") }"""
    )
    assert [(str(r["firm"]), str(r["conf"]).split("#")[1], int(r["line"])) for r in rows] == [
        ("重庆华峰化工有限公司", "Sourced", 2)
    ]
    assert str(rows[0]["url"]).startswith("http://www.huafeng.com/")
    n = store.select(
        "PREFIX ck: <https://w3id.org/chainkg/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?f a ck:Production }"
    )
    # every row of the bundled file is one production fact
    bundled = Manifest.read(builtin_manifest()).registries[0]
    with open(bundled, encoding="utf-8", newline="") as fh:
        facts = [r for r in csv.DictReader(fh) if any(v.strip() for v in r.values())]
    assert int(n[0]["n"]) == len(facts) >= 40


def test_the_bundled_registry_names_40_real_companies_in_all_seven_industries(store):
    """Rows whose note says "not a company" (a site, a plant, a port, a park project) are
    kept for their facts but not counted; the rest are distinct firms, and each firm counts
    in the industry of each product it makes (the product's industry in the chain data)."""
    bundled = Manifest.read(builtin_manifest()).registries[0]
    with open(bundled, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    not_firms = {r["enterprise_zh"] for r in rows if r["note"].startswith("not a company")}
    assert len(not_firms) == 4
    found = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?firm ?industry WHERE {
          ?f a ck:Production ; ck:producer/rdfs:label ?firm ; ck:product ?p .
          ?p ck:inIndustry/rdfs:label ?industry .
          FILTER(LANG(?firm) = "zh" && LANG(?industry) = "zh") }"""
    )
    by_industry: dict[str, set[str]] = {}
    for r in found:
        if str(r["firm"]) not in not_firms:
            by_industry.setdefault(str(r["industry"]), set()).add(str(r["firm"]))
    firms = set().union(*by_industry.values())
    assert len(firms) >= 40
    assert firms >= {"首键药包", "重庆南瑞博瑞变压器有限公司", "鑫源汽车"}
    assert len(by_industry) == 7, sorted(by_industry)


@pytest.mark.parametrize(
    ("body", "header", "column", "value", "hint"),
    [
        (
            GOOD.replace("白涛新材料科技城", "白涛新材料城"),
            HEADER,
            "park",
            "白涛新材料城",
            "白涛新材料科技城",
        ),
        (GOOD.replace(",8,", ",8吨,"), HEADER, "capacity_value", "8吨", None),
        (GOOD.replace("己二腈", "己二晴"), HEADER, "product", "己二晴", "己二腈"),
        (GOOD.replace("operating", "running"), HEADER, "status", "running", None),
        (
            GOOD.replace("https://example.org/news/1", "example.org"),
            HEADER,
            "source_url",
            "example.org",
            None,
        ),
        (GOOD, HEADER.replace("confidence,", ""), "confidence", "", None),
    ],
    ids=[
        "unknown-park",
        "bad-number",
        "unknown-product",
        "bad-status",
        "bad-url",
        "missing-column",
    ],
)
def test_bad_registry_names_the_problem_and_loads_nothing(
    fresh_home, ids, tmp_path, body, header, column, value, hint
):
    if "confidence" not in header:
        body = body.replace("sourced,", "", 1)
    path = write(tmp_path, GOOD + body.replace("示例化工有限公司", "另一化工有限公司"), header)
    before = quads(fresh_home)
    live = fresh_home.current()
    with pytest.raises(LoadError) as err:
        load_registry(fresh_home, path, ids)
    problem = err.value.problems[0]
    assert problem.file == str(path)
    assert problem.column == column
    assert problem.value == value
    assert problem.line == (1 if "missing" in problem.message else 3)
    if hint:
        assert problem.hint == hint
        assert f"did you mean {hint!r}" in str(err.value)
    assert "nothing was loaded" in str(err.value)
    assert fresh_home.current() == live
    assert quads(fresh_home) == before


def test_good_registry_adds_a_producer_in_its_own_graph(fresh_home, ids, tmp_path):
    path = write(tmp_path, GOOD)
    report = load_registry(fresh_home, path, ids)
    graph = "https://w3id.org/chainkg/graph/registry/firms"
    assert graph in report.graphs
    store = fresh_home.open()
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX qudt: <http://qudt.org/schema/qudt/>
        SELECT ?g ?firm ?park ?v ?u WHERE { GRAPH ?g {
          ?f ck:producer/rdfs:label ?firm ; ck:inPark ?park ; ck:hasCapacity ?c .
          ?c qudt:numericValue ?v ; ck:unitText ?u } FILTER(LANG(?firm) = "zh") }""",
        {"g": __import__("rdflib").URIRef(graph)},
    )
    assert [(str(r["firm"]), float(r["v"]), str(r["u"])) for r in rows] == [
        ("示例化工有限公司", 8.0, "万吨")
    ]
    # the earlier graphs are still there
    assert any("graph/plan/" in g for g in store.graphs())
    store.close()


def test_registry_file_details(fresh_home, ids, tmp_path):
    # a BOM, a quoted note over two lines, a blank line and CRLF line ends are fine;
    # an error after them still points at the right physical line
    body = GOOD.replace(",\n", ',"first\nsecond"\n') + "\r\n"
    body += GOOD.replace("示例化工有限公司", "乙公司").replace(",8,", ",-8,")
    path = tmp_path / "firms.csv"
    path.write_text("\ufeff" + HEADER + body, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_registry(fresh_home, path, ids)
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.value) == (5, "capacity_value", "-8")


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        (HEADER.replace("note", "note,note"), GOOD.replace("\n", ",\n"), "twice"),
        (HEADER.replace("note", ""), GOOD, "empty"),
        (HEADER, GOOD + GOOD, "repeats the fact of line 2"),
        (HEADER, GOOD.replace(",8,", ",,"), "needs a value"),
        ("", "", "empty file"),
    ],
    ids=["duplicate-column", "blank-header", "duplicate-row", "unit-without-value", "empty"],
)
def test_malformed_files(fresh_home, ids, tmp_path, header, body, message):
    path = write(tmp_path, body, header)
    with pytest.raises(LoadError, match=message):
        load_registry(fresh_home, path, ids)


def test_two_plants_of_one_firm_stay_two_facts(fresh_home, ids, tmp_path):
    second = GOOD.replace("白涛新材料科技城", "临港经济区").replace(",8,", ",20,")
    load_registry(fresh_home, write(tmp_path, GOOD + second), ids)
    store = fresh_home.open()
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        PREFIX qudt: <http://qudt.org/schema/qudt/>
        SELECT ?f ?v WHERE { ?f ck:producer ?e ; ck:hasCapacity/qudt:numericValue ?v .
          ?e <http://www.w3.org/2000/01/rdf-schema#label> "示例化工有限公司"@zh }"""
    )
    assert sorted(float(r["v"]) for r in rows) == [8.0, 20.0]
    assert len({r["f"] for r in rows}) == 2
    store.close()


def test_english_names_and_one_character_products(fresh_home, ids, tmp_path):
    body = GOOD.replace("己二腈", "adiponitrile") + GOOD.replace("己二腈", "苯").replace(
        "示例化工有限公司", "丙公司"
    )
    load_registry(fresh_home, write(tmp_path, body), ids)
    store = fresh_home.open()
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        SELECT ?p WHERE { ?f a ck:Production ; ck:product ?p ; ck:producer ?e .
          ?e <http://www.w3.org/2000/01/rdf-schema#label> ?n
          VALUES ?name { "示例化工有限公司" "丙公司" } FILTER(STR(?n) = ?name) } ORDER BY ?p"""
    )
    assert [str(r["p"]).rsplit("/", 1)[1] for r in rows] == ["adiponitrile", "benzene"]
    store.close()


@pytest.mark.parametrize(
    ("column", "value", "allowed"),
    [
        ("status", "running", "operating, under_construction, signed, planned"),
        ("confidence", "likely", "sourced, uncertain"),
    ],
)
def test_unknown_code_lists_the_allowed_values(store, ids, tmp_path, column, value, allowed):
    path = write(tmp_path, GOOD.replace("operating" if column == "status" else "sourced", value))
    with pytest.raises(LoadError) as err:
        registry_graph(path, names_of(store), ids)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        str(path),
        2,
        column,
        value,
    )
    assert f"{path}:2: column {column!r} value {value!r}: unknown {column}" in str(problem)
    assert f"allowed: {allowed}" in str(problem)


def test_a_registry_streams_to_a_file_and_a_bad_one_leaves_none(store, ids, tmp_path):
    names = names_of(store)
    folder = tmp_path / "scratch"
    folder.mkdir()
    good = registry_file(write(tmp_path, GOOD), names, ids, folder)
    assert good.path.parent == folder and good.format == ox.RdfFormat.N_TRIPLES
    written = {str(t) for t in ox.parse(path=str(good.path), format=good.format)}
    graph = registry_graph(write(tmp_path, GOOD), names, ids)
    assert len(written) == len(graph) > 15
    good.path.unlink()
    bad = GOOD + GOOD.replace("示例化工有限公司", "乙公司").replace("sourced", "likely")
    with pytest.raises(LoadError, match="unknown confidence"):
        registry_file(write(tmp_path, bad), names, ids, folder)
    assert list(folder.iterdir()) == []


def test_a_firm_in_two_rows_counts_its_triples_once(fresh_home, ids, tmp_path):
    second = GOOD.replace("白涛新材料科技城", "临港经济区").replace(",8,", ",20,")
    report = load_registry(fresh_home, write(tmp_path, GOOD + second), ids)
    graph = "https://w3id.org/chainkg/graph/registry/firms"
    store = fresh_home.open()
    try:
        held = store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            {"g": __import__("rdflib").URIRef(graph)},
        )
    finally:
        store.close()
    assert report.graphs[graph] == int(held[0]["n"]) > 30


def test_the_working_files_of_a_write_are_gone_after_it(embedded_home, ids, tmp_path):
    stale = embedded_home.path / ".scratch-killed"
    stale.mkdir()
    (stale / "registry-1.nt").write_text("", encoding="utf-8")
    load_registry(embedded_home, write(tmp_path, GOOD), ids)
    assert not list(embedded_home.path.glob(".scratch-*"))
