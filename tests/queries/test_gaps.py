"""The gap report: kinds, scores, reasons and evidence, closing a gap, exports, 重点引进."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from chainkg.graph.build import load_registry
from chainkg.queries.chain import chain_graph, clear_cache
from chainkg.queries.gaps import (
    COLUMNS,
    KINDS,
    Unknown,
    gap_report,
    rows,
    to_csv,
    to_xlsx,
)

P = "https://w3id.org/chainkg/product/"
HEADER = (
    "enterprise_zh,enterprise_en,park,product,capacity_value,capacity_unit,as_of,status,"
    "confidence,source_url,note\n"
)


@pytest.fixture(scope="module")
def materials(store, ids) -> dict:
    return gap_report(store, ids, industry="新材料")


@pytest.fixture(scope="module")
def everything(store, ids) -> dict:
    return gap_report(store, ids)


def by_label(report: dict) -> dict[str, dict]:
    return {gap["product"]["label"]: gap for gap in report["gaps"]}


def text(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize(
    ("label", "firm"), [("己二酸", "重庆华峰化工有限公司"), ("PET", "重庆万凯新材料科技有限公司")]
)
def test_products_of_named_enterprises_are_operating_and_not_missing(
    store, ids, materials, label, firm
):
    g = chain_graph(store, ids)
    node = next(n for n, d in g.nodes(data=True) if d["label"] == label)
    assert g.nodes[node]["local"].status == "operating"
    gap = by_label(materials)[label]
    # one operating producer: a weak link (强链), never a missing one
    assert (gap["kind"], gap["product"]["status"], gap["product"]["operating"]) == (
        "weak",
        "operating",
        1,
    )
    firms = [p for p in gap["local"] if p["kind"] == "enterprise"]
    operating = [(p["name"], p["status"]) for p in firms if p["status"] == "operating"]
    assert operating == [(firm, "operating")]
    assert firm in gap["reasons"]["zh"][0]
    producer = next(p for p in firms if p["status"] == "operating")
    assert producer["name_en"] and producer["name_en"] in gap["reasons"]["en"][0]
    assert "仅有一家在产企业" in gap["reasons"]["zh"][0]


def test_nylon_66_salt_is_missing_between_local_neighbours(materials):
    gap = by_label(materials)["尼龙66盐"]
    assert gap["kind"] == "missing" and gap["product"]["status"] == "none"
    assert [n["label"] for n in gap["upstream"]] == ["己二酸", "己二胺"]
    assert {n["status"] for n in gap["upstream"]} == {"operating"}
    assert [n["label"] for n in gap["downstream"]] == ["尼龙66"]
    zh, en = gap["reasons"]["zh"], gap["reasons"]["en"]
    assert any("己二酸" in s and "重庆华峰化工有限公司" in s for s in zh)
    assert any("己二酸、己二胺 → 尼龙66盐 → 尼龙66" in s for s in zh)
    assert any("adipic acid" in s and "operating" in s for s in en)
    # evidence: the salt's two inputs quote the plan's gloss (己二酸己二胺盐); the salt →
    # PA66 step is listed but not stated by the plan, so it carries a domain reason
    evidence = {(e["from"], e["to"]): e for e in gap["evidence"]}
    assert set(evidence) == {("己二酸", "尼龙66盐"), ("己二胺", "尼龙66盐"), ("尼龙66盐", "尼龙66")}
    for pair in (("己二酸", "尼龙66盐"), ("己二胺", "尼龙66盐")):
        e = evidence[pair]
        assert e["evidence"] == "PlanTextEvidence" and "尼龙66盐" in e["quote"]
        assert e["section"].endswith("/ch3.1.1") and e["section_label"].endswith("新材料")
    last = evidence[("尼龙66盐", "尼龙66")]
    assert last["evidence"] == "DomainKnowledge" and "polycondensation" in last["reason"]
    assert gap["attract"]["zh"] == "尼龙66盐中间体生产企业"
    # nothing makes it, so no park hosts it: the park is a candidate by a named rule
    assert gap["parks"] == []
    assert gap["park_candidates"][0]["label"] == "白涛新材料科技城"
    assert gap["park_candidates"][0]["via"][0] == {
        "via": "chain",
        "rule": "layout-names-chain",
        "through": "聚酰胺产业链",
        "neighbour": None,
        "hosted": "聚酰胺新材料",
        "source": {"id": "plan/fu-ling-qu-2022-2026/box2", "label": "专栏2 新材料产业发展重点"},
    }


def test_score_is_the_sum_of_its_shown_components(materials):
    gap = by_label(materials)["尼龙66盐"]
    c = gap["components"]
    assert set(c) == {"local_upstream", "local_downstream", "reach", "named", "growth"}
    assert (c["local_upstream"]["value"], c["local_downstream"]["value"]) == (2, 1)
    assert c["reach"]["value"] >= 3  # 尼龙66, 高性能工程塑料, 汽车零部件, ...
    assert c["growth"]["value"] == pytest.approx((750 / 300) ** (1 / 5) - 1, abs=1e-4)
    assert c["growth"]["indicator"]["label"] == "新材料产业"
    for gap in materials["gaps"]:
        parts = gap["components"].values()
        assert gap["score"] == pytest.approx(sum(p["points"] for p in parts))
    aerogel = by_label(materials)["气凝胶"]["components"]["named"]
    assert (aerogel["value"], aerogel["points"]) == ("product", 4.0)
    assert "气凝胶复合材料生产企业" in {t["label"] for t in aerogel["targets"]}


def test_kinds_follow_their_definitions(store, ids, everything):
    g = chain_graph(store, ids)
    for gap in everything["gaps"]:
        n = gap["product"]["iri"]
        st = g.nodes[n]["local"]
        ups = [u for u in g.predecessors(n) if g.nodes[u]["local"].local]
        downs = [v for v in g.successors(n) if g.nodes[v]["local"].local]
        assert [u["id"] for u in gap["upstream"]] == sorted(g.nodes[u]["id"] for u in ups)
        expected = {
            "missing": not st.local and ups and downs,
            "weak": st.local and st.operating <= 1,
            "extension": not st.local and ups and not downs,
            "external": not st.local and downs and not ups,
        }
        assert expected[gap["kind"]], gap["product"]["label"]
    assert {gap["kind"] for gap in everything["gaps"]} == set(KINDS)


def test_uncovered_nodes_come_with_reasons_and_sourced_evidence(materials):
    uncovered = [gap for gap in materials["gaps"] if gap["product"]["status"] == "none"]
    assert uncovered
    for gap in uncovered:
        assert gap["reasons"]["zh"][0].startswith("本地尚无")
        assert gap["reasons"]["en"][0].startswith("Nothing local makes")
        assert gap["evidence"], gap["product"]["label"]
        for e in gap["evidence"]:
            assert (e["quote"] and e["section_label"]) or e["reason"]
    cited = sum(bool(e["section_label"]) for gap in uncovered for e in gap["evidence"])
    assert cited >= len(uncovered) // 3


def test_closing_the_loop_with_a_registry(fresh_home, ids, tmp_path):
    store = fresh_home.open()
    before = gap_report(store, ids, industry="新材料")
    assert by_label(before)["尼龙66盐"]["kind"] == "missing"
    quads = quads_by_graph(store)
    store.close()
    path = tmp_path / "nylon-salt.csv"
    path.write_text(
        HEADER + "示例尼龙盐有限公司,Example Nylon Salt Co.,白涛新材料科技城,尼龙66盐,10,万吨/年,"
        "2025,operating,sourced,https://example.org/news/nylon-salt,\n",
        encoding="utf-8",
    )
    report = load_registry(fresh_home, path, ids)
    graph = "https://w3id.org/chainkg/graph/registry/nylon-salt"
    assert list(report.graphs) == [graph]
    store = fresh_home.open()
    after_quads = quads_by_graph(store)
    meta = str(ids.graph("meta"))
    # only the new registry graph (and its description in meta) was written
    assert set(after_quads) - set(quads) == {graph}
    for name in quads:
        if name != meta:
            assert after_quads[name] == quads[name], name
    g = chain_graph(store, ids)
    assert g.nodes[P + "nylon-66-salt"]["local"].status == "operating"
    after = gap_report(store, ids, industry="新材料")
    gap = by_label(after)["尼龙66盐"]
    assert gap["kind"] == "weak" and gap["product"]["operating"] == 1
    assert [p["name"] for p in gap["local"]] == ["示例尼龙盐有限公司"]
    assert after["counts"]["kinds"]["missing"] == before["counts"]["kinds"]["missing"] - 1
    # its neighbours now see a local node
    nylon = by_label(after)["尼龙66"]
    assert "尼龙66盐" in [n["label"] for n in nylon["upstream"]]


def quads_by_graph(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for q in store.quads():
        out[q.graph_name.value].add(str(q))
    return dict(out)


def test_the_same_store_gives_the_same_ranking(store, ids, everything):
    def ranking(report):
        return [(g["rank"], g["product"]["id"], g["kind"], g["score"]) for g in report["gaps"]]

    clear_cache()
    again = gap_report(store, ids)
    assert ranking(again) == ranking(everything)
    assert again == everything
    order = [(-g["score"], KINDS.index(g["kind"]), g["product"]["id"]) for g in again["gaps"]]
    assert order == sorted(order)
    assert [g["rank"] for g in again["gaps"]] == list(range(1, len(again["gaps"]) + 1))


def test_csv_parses_back_to_the_same_rows(materials):
    data = to_csv(materials)
    assert data.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(data[1:]))
    assert reader.fieldnames == [zh for _, zh in COLUMNS]
    parsed = [{key: r[zh] for key, zh in COLUMNS} for r in reader]
    expected = [{k: text(v) for k, v in row.items()} for row in rows(materials)]
    assert parsed == expected
    assert len(parsed) == len(materials["gaps"]) == materials["counts"]["gaps"]
    nylon = next(r for r in parsed if r["product"] == "尼龙66盐")
    assert (nylon["kind"], nylon["local_upstream"]) == ("补链", "己二酸、己二胺")


def test_xlsx_opens_with_the_rows_and_the_comparison(materials):
    book = load_workbook(io.BytesIO(to_xlsx(materials)))
    assert book.sheetnames == ["缺口清单", "重点引进对照", "说明"]
    sheet = list(book["缺口清单"].iter_rows(values_only=True))
    assert list(sheet[0]) == [zh for _, zh in COLUMNS]
    expected = [[row[key] for key, _ in COLUMNS] for row in rows(materials)]
    assert [[v if v is not None else "" for v in r] for r in sheet[1:]] == [
        [v if v is not None else "" for v in r] for r in expected
    ]
    compare = list(book["重点引进对照"].iter_rows(values_only=True))
    verdicts = {r[0] for r in compare[1:]}
    assert {"已印证", "规划未点名的缺口"} <= verdicts


def test_attraction_targets_are_confirmed_or_not(everything):
    targets = everything["targets"]
    confirmed = {t["label"]: t for t in targets["confirmed"]}
    unconfirmed = {t["label"]: t for t in targets["not_confirmed"]}
    assert confirmed and unconfirmed
    aerogel = confirmed["气凝胶复合材料生产企业"]
    # aerogel feeds local products but nothing local supplies it (testing is a service)
    assert ("气凝胶", "external") in {(g["label"], g["kind"]) for g in aerogel["gaps"]}
    assert {a["level"] for a in aerogel["about"]} == {"product", "segment"}
    wearables = unconfirmed["智能穿戴产品生产企业"]
    assert wearables["about"] == [] and wearables["why"]["zh"].startswith("未指明")
    not_named = {g["label"] for g in targets["not_named"]}
    assert "尼龙66盐" in not_named and "气凝胶" not in not_named
    counts = everything["counts"]
    assert (counts["confirmed"], counts["not_confirmed"]) == (len(confirmed), len(unconfirmed))
    assert counts["confirmed"] + counts["not_confirmed"] == 17  # every 重点引进 target


def test_filters_by_industry_park_and_kind(store, ids, materials):
    english = gap_report(store, ids, industry="new materials")
    assert [g["product"]["id"] for g in english["gaps"]] == [
        g["product"]["id"] for g in materials["gaps"]
    ]
    assert {g["product"]["industry"] for g in materials["gaps"]} == {"新材料"}
    only = gap_report(store, ids, industry="xin-cai-liao", kind="missing,extension")
    assert only["filters"]["kind"] == ["missing", "extension"]
    assert {g["kind"] for g in only["gaps"]} == {"missing", "extension"}
    park = gap_report(store, ids, park="临港经济区")
    assert park["filters"]["park"]["label"] == "临港经济区" and park["gaps"]
    for gap in park["gaps"]:
        hosts = [p for p in gap["parks"] if p["label"] == "临港经济区"]
        inferred = [p for p in gap["park_candidates"] if p["label"] == "临港经济区"]
        assert hosts or (inferred and all(v["rule"] for v in inferred[0]["via"]))
        for host in hosts:
            assert {v["via"] for v in host["via"]} <= {"product", "presence", "registry"}
    assert "PTA" in by_label(park)


def test_unknown_filters_raise(store, ids):
    with pytest.raises(Unknown) as err:
        gap_report(store, ids, industry="新才料")
    assert err.value.what == "industry" and err.value.choices
    with pytest.raises(Unknown) as err:
        gap_report(store, ids, park="nowhere")
    assert err.value.what == "park"
    with pytest.raises(ValueError, match="one of missing, weak, extension, external"):
        gap_report(store, ids, kind="broken")
