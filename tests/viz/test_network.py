"""The map data (pyvis network → JSON), the bounded views, and the SPARQL examples."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from rdflib import Literal, URIRef

from chainkg.graph.namespaces import Ids
from chainkg.queries import named_queries
from chainkg.queries.chain import chain_graph
from chainkg.viz import examples, views
from chainkg.viz.network import (
    EVIDENCE_STYLES,
    FIRM_COLOR,
    KIND_SHAPES,
    MARKS,
    OPTIONS,
    STATUS_COLORS,
    chart,
    network,
    network_data,
)

BASE = Ids().base
ADIPIC, SALT, NYLON = (BASE + f"product/{s}" for s in ("adipic-acid", "nylon-66-salt", "nylon-66"))
XIN_CAI_LIAO = BASE + "industry/fu-ling-qu-2022-2026/xin-cai-liao"
LIN_GANG = BASE + "park/fu-ling-qu/lin-gang-jing-ji-qu"


def node(ident: str, status: str, kind: str = "Intermediate", **more) -> dict:
    return {
        "id": ident,
        "label": ident.upper(),
        "label_en": ident,
        "type": "product",
        "kind": kind,
        "status": status,
        "status_text": {"zh": "状态" + status, "en": "status " + status},
        "operating": 1,
        "projects": 0,
        "plan_items": 2,
        "industry": "新材料",
        "level": 1,
        "role": "member",
        "mark": None,
        "sources": [{"kind": "plan", "where": "专栏2", "what": "项目A"}],
    } | more


def edge(a: str, b: str, evidence: str, **more) -> dict:
    return {
        "id": f"link/{a}--{b}",
        "from": a,
        "to": b,
        "from_label": a,
        "to_label": b,
        "evidence": evidence,
        "quote": "原文" if evidence == "PlanTextEvidence" else None,
        "reason": "why" if evidence == "DomainKnowledge" else None,
        "section": None,
        "section_label": "三（一）1",
        "mark": None,
    } | more


SMALL = {
    "nodes": [
        node("a", "operating", "RawMaterial", level=1),
        node("b", "plan", level=3, mark="path"),
        node("c", "none", "EndProduct", level=5),
        {"id": "firm", "label": "某公司", "label_en": "Firm", "type": "enterprise", "level": 0}
        | {"role": "member", "makes": [], "sources": []},
    ],
    "edges": [
        edge("a", "b", "PlanTextEvidence", mark="path"),
        edge("b", "c", "DomainKnowledge"),
        edge("firm", "a", "RegistryEvidence"),
    ],
    "total": 9,
    "shown": 4,
    "more": 5,
    "cap": 4,
}


def test_nodes_coloured_by_status_and_shaped_by_kind():
    data = network_data(network(SMALL, "zh", lambda n: "/x/" + n["id"]))
    by_id = {n["id"]: n for n in data["nodes"]}
    for ident, status in (("a", "operating"), ("b", "plan"), ("c", "none")):
        assert by_id[ident]["color"]["background"] == STATUS_COLORS[status]
        assert by_id[ident]["status"] == status
    assert by_id["firm"]["color"]["background"] == FIRM_COLOR
    assert by_id["a"]["shape"] == KIND_SHAPES["RawMaterial"]
    assert by_id["c"]["shape"] == KIND_SHAPES["EndProduct"]
    assert by_id["firm"]["shape"] == "box"
    assert by_id["b"]["color"]["border"] == MARKS["path"] and by_id["b"]["borderWidth"] > 1
    assert by_id["a"]["url"] == "/x/a" and by_id["a"]["level"] == 1


def test_hover_titles_hold_label_status_and_sources():
    zh = {n["id"]: n["title"] for n in network_data(network(SMALL, "zh"))["nodes"]}
    assert "A" in zh["a"] and "状态operating" in zh["a"] and "专栏2：项目A" in zh["a"]
    en = {n["id"]: n for n in network_data(network(SMALL, "en"))["nodes"]}
    assert en["a"]["label"] == "a" and "status operating" in en["a"]["title"]
    assert "专栏2: 项目A" in en["a"]["title"]
    edges = {e["evidence"]: e for e in network_data(network(SMALL, "zh"))["edges"]}
    assert (
        "“原文”" in edges["PlanTextEvidence"]["title"]
        and "三（一）1" in edges["PlanTextEvidence"]["title"]
    )
    assert "why" in edges["DomainKnowledge"]["title"]


def test_edges_styled_by_evidence_kind():
    edges = {e["evidence"]: e for e in network_data(network(SMALL))["edges"]}
    assert edges["PlanTextEvidence"]["dashes"] is False
    assert edges["DomainKnowledge"]["dashes"] == EVIDENCE_STYLES["DomainKnowledge"]["dashes"]
    assert edges["RegistryEvidence"]["dashes"] == EVIDENCE_STYLES["RegistryEvidence"]["dashes"]
    assert edges["PlanTextEvidence"]["color"]["color"] == MARKS["path"]
    assert edges["DomainKnowledge"]["color"]["color"] == EVIDENCE_STYLES["DomainKnowledge"]["color"]
    assert all(e["arrows"] == "to" for e in edges.values())


def test_options_leave_the_layout_to_the_page_with_physics_off():
    data = chart(SMALL)
    layout = data["options"]["layout"]
    assert layout["hierarchical"]["enabled"] is False and layout["randomSeed"] == 7
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["level"], int) for n in data["nodes"])
    assert data["options"] == OPTIONS and data["options"] is not OPTIONS
    assert (data["total"], data["shown"], data["more"], data["cap"]) == (9, 4, 5, 4)
    assert json.loads(json.dumps(data)) == data
    assert {s["status"] for s in data["legend"]["status"]} == {*STATUS_COLORS, "enterprise"}
    assert chart(SMALL) == chart(SMALL)


def test_industry_view_bounded_with_more(store, ids):
    full = views.industry_view(store, ids, XIN_CAI_LIAO)
    labels = {n["label"] for n in full["nodes"]}
    assert {"己二酸", "尼龙66盐", "PET"} <= labels and full["more"] == 0
    cut = views.industry_view(store, ids, XIN_CAI_LIAO, cap=12)
    assert cut["shown"] == len(cut["nodes"]) == 12 and cut["more"] == full["total"] - 12
    kept = {n["id"] for n in cut["nodes"]}
    assert all(e["from"] in kept and e["to"] in kept for e in cut["edges"])
    roles = [n["role"] for n in full["nodes"] if n["type"] == "product"]
    assert roles.index("context") > roles.index("member"), "industry members come first"


def test_a_firm_with_two_facts_for_one_product_is_one_edge(store, ids):
    """重庆万凯 has a running PET plant and a PET expansion (and the same two as bottle
    chip): one firm → PET edge, both registry rows among its sources (vis-network refuses
    a repeated edge id)."""
    view = views.industry_view(store, ids, XIN_CAI_LIAO)
    edge_ids = [e["id"] for e in view["edges"]]
    assert len(edge_ids) == len(set(edge_ids))
    wankai = next(n for n in view["nodes"] if n["label"] == "重庆万凯新材料科技有限公司")
    assert sorted(m["label"] for m in wankai["makes"]) == ["PET", "瓶级聚酯切片"]
    assert [len(s["where"].split("; ")) for s in wankai["sources"]] == [2, 2]


def test_levels_run_upstream_to_downstream(store, ids):
    view = views.industry_view(store, ids, XIN_CAI_LIAO)
    level = {n["id"]: n["level"] for n in view["nodes"]}
    for e in view["edges"]:
        assert level[e["from"]] < level[e["to"]], e["id"]
    assert min(level.values()) >= 0


def test_product_view_depth_and_focus(store, ids):
    one = views.product_view(store, ids, ADIPIC, depth=1)
    two = views.product_view(store, ids, ADIPIC, depth=2)
    assert one["nodes"][0]["iri"] == ADIPIC and one["nodes"][0]["mark"] == "focus"
    assert len(one["nodes"]) < len(two["nodes"]) and two["depth"] == 2
    g = chain_graph(store, ids)
    near = {*g.predecessors(ADIPIC), *g.successors(ADIPIC)}
    assert near <= {n.get("iri") for n in one["nodes"]}
    firms = [n for n in one["nodes"] if n["type"] == "enterprise"]
    assert "重庆华峰化工有限公司" in {f["label"] for f in firms}
    assert any(e["evidence"] == "RegistryEvidence" for e in one["edges"])


def test_park_view_holds_what_the_park_hosts(store, ids):
    view = views.park_view(store, ids, LIN_GANG)
    labels = {n["label"] for n in view["nodes"]}
    assert {"PET", "PTA"} <= labels
    pet = next(n for n in view["nodes"] if n["label"] == "PET")
    assert pet["sources"][0]["kind"] == "park"


def test_path_view_marks_the_path(store, ids):
    view = views.route_map(store, ids, [ADIPIC, SALT, NYLON])
    assert [n["iri"] for n in view["nodes"][:3]] == [ADIPIC, SALT, NYLON]
    assert [n["mark"] for n in view["nodes"][:3]] == ["path"] * 3
    marked = [(e["from"], e["to"]) for e in view["edges"] if e["mark"] == "path"]
    assert sorted(marked) == [
        ("product/adipic-acid", "product/nylon-66-salt"),
        ("product/nylon-66-salt", "product/nylon-66"),
    ]
    assert {n["role"] for n in view["nodes"][3:]} <= {"context"}


def test_gap_view_marks_ranked_gaps_first(store, ids):
    from chainkg.queries.gaps import gap_report

    report = gap_report(store, ids, industry="新材料")
    view = views.gap_view(store, ids, report, cap=20)
    first = [n["id"] for n in view["nodes"][:5]]
    assert first == [g["product"]["id"] for g in report["gaps"][:5]]
    assert all(n["mark"] == "gap" and n["gap"]["rank"] for n in view["nodes"] if n.get("gap"))
    assert view["more"] > 0


def test_examples_bind_parameters_like_substitution(store, ids):
    """Each example's text gives the rows that binding its parameters as RDF terms gives, in
    the same order (every named query's ORDER BY is total: see tests/queries/test_named_queries)."""
    found = {e["name"]: e for e in examples.examples(store, ids)}
    assert list(found) == list(named_queries())
    for name, q in named_queries().items():
        if not q.params or found[name]["form"] != "select":
            continue
        values = {
            k: v[1:-1] if v.startswith("<") else json.loads(v)
            for k, v in found[name]["params"].items()
        }
        terms = {
            k: URIRef(v) if p.type == "iri" else Literal(v)
            for p in q.params
            for k, v in values.items()
            if k == p.name
        }
        expected = store.select(q.text, terms)
        got = store.select(found[name]["sparql"])
        assert list(map(repr, expected)) == list(map(repr, got)), name
        assert got, f"{name}: the example finds nothing"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("# SELECT in a comment\nASK { ?s ?p ?o }", "ask"),
        ("PREFIX x: <http://e/SELECT>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "graph"),
        ("describe <http://e/x>", "graph"),
        ("SELECT * WHERE { ?s ?p ?o }", "select"),
    ],
)
def test_query_form(text, form):
    assert examples.form(text) == form


def test_bind_leaves_strings_and_comments_alone():
    text = (
        '# where {\nSELECT ?name WHERE { ?x <p> "}{ ?name" FILTER(?name = "a") { ?y <q> ?name } }'
    )
    out = examples.bind(text, {"name": '"v"'})
    assert out.startswith('# where {\nSELECT ?name WHERE { VALUES ?name { "v" } ?x <p> "}{ ?name"')
    assert '{ VALUES ?name { "v" } ?y <q> ?name }' in out


def test_table_reads_json_and_ntriples():
    select = b'{"head": {"vars": ["a", "b"]}, "results": {"bindings": [{"a": {"value": "1"}}]}}'
    assert examples.table("select", select)["rows"] == [["1", ""]]
    assert examples.table("ask", b'{"head": {}, "boolean": true}')["rows"] == [["true"]]
    nt = b'<http://e/s> <http://e/p> "x \\"y\\""@zh .\n<http://e/s> <http://e/p> <http://e/o> .\n'
    rows = examples.table("graph", nt)["rows"]
    assert rows == [
        ["http://e/s", "http://e/p", 'x "y"'],
        ["http://e/s", "http://e/p", "http://e/o"],
    ]


def test_static_files_are_in_the_package():
    folder = resources.files("chainkg.viz").joinpath("static")
    for name in ("explorer.js", "explorer.css", "sparql.js"):
        assert folder.joinpath(name).read_text(encoding="utf-8").strip(), name
    vis = resources.files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js")
    assert len(vis.read_bytes()) > 100_000


def test_nodes_carry_the_groups_a_map_folds_them_into(store, ids):
    view = views.industry_view(store, ids, XIN_CAI_LIAO)
    adipic = next(n for n in view["nodes"] if n.get("iri") == ADIPIC)
    segment, industry = adipic["clusters"]
    assert industry["id"] == XIN_CAI_LIAO and industry["label"] == "新材料"
    assert segment["id"] != industry["id"] and segment["label"]
    firms = [n for n in view["nodes"] if n["type"] == "enterprise"]
    assert firms and all(f["clusters"] for f in firms)
    huafon = next(f for f in firms if f["label"] == "重庆华峰化工有限公司")
    made = {e["to"] for e in view["edges"] if e["from"] == huafon["id"]}
    first = next(n for n in view["nodes"] if n["id"] in made)
    assert huafon["clusters"] == first["clusters"] and huafon["role"] == first["role"]


def test_marked_nodes_are_pinned_and_others_fold(store, ids):
    view = views.route_map(store, ids, [ADIPIC, SALT, NYLON])
    data = chart(view, "en")
    pinned = {n["id"] for n in data["nodes"] if n["pinned"]}
    assert pinned == {"product/adipic-acid", "product/nylon-66-salt", "product/nylon-66"}
    salt = next(n for n in data["nodes"] if n["id"] == "product/nylon-66-salt")
    assert salt["clusters"][-1]["label"] == "new materials"
