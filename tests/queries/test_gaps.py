"""The gap report: kinds, scores, reasons and evidence, closing a gap, exports, 重点引进."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from chainkg.loaders.build import load_registry
from chainkg.queries import gap_model as gm
from chainkg.queries.chain import chain_graph, clear_cache
from chainkg.queries.gaps import (
    COLUMNS,
    KINDS,
    LISTS,
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
    ("label", "firm", "clause"),
    [
        ("己二酸", "重庆华峰化工有限公司", "115万吨己二酸扩建项目"),
        ("PET", "重庆万凯新材料科技有限公司", "加快扩大PET产能"),
    ],
)
def test_products_made_at_scale_are_links_to_strengthen_never_to_attract(
    store, ids, materials, label, firm, clause
):
    g = chain_graph(store, ids)
    node = next(n for n, d in g.nodes(data=True) if d["label"] == label)
    assert g.nodes[node]["local"].status == "operating"
    gap = by_label(materials)[label]
    # made locally at scale: on the strengthen list only because the plan asks to expand it
    assert (gap["kind"], gap["list"], gap["product"]["status"]) == (
        "weak",
        "strengthen",
        "operating",
    )
    assert clause in {s["text"] for s in gap["statements"] if s["intent"] == "StrengthenIntent"}
    assert any(clause in r for r in gap["reasons"]["zh"])
    firms = [p for p in gap["local"] if p["kind"] == "enterprise"]
    assert firm in {p["name"] for p in firms if p["status"] == "operating"}
    assert firm in gap["reasons"]["zh"][0]
    producer = next(p for p in firms if p["status"] == "operating")
    assert producer["name_en"] and producer["name_en"] in gap["reasons"]["en"][0]
    assert gap["attract"]["zh"].endswith("（扩能或新增产能）")


def test_adiponitrile_is_short_of_local_demand(materials):
    gap = by_label(materials)["己二腈"]
    assert (gap["kind"], gap["list"]) == ("weak", "strengthen")
    b = gap["balance"]
    # 5 万吨/年 of adiponitrile against 20 万吨/年 of hexamethylenediamine at 0.96 t/t
    assert (b["unit"], b["capacity"]) == ("万吨", 5.0)
    assert b["demand"] == pytest.approx(20 * 0.96)
    assert [u["product"] for u in b["uses"]] == ["己二胺"]
    assert gap["components"]["shortfall"]["value"] == pytest.approx(1 - 5 / 19.2, abs=1e-3)
    assert any("本地产能 5万吨" in r for r in gap["reasons"]["zh"])


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
    assert set(c) == {"target", "attract_statement", "item", "growth", "leverage", "feasibility"}
    assert c["leverage"]["value"] == pytest.approx(
        2 * 1 + math.log2(3), abs=1e-3
    )  # 1 buyer, 2 inputs
    assert c["growth"]["value"] == pytest.approx((750 / 300) ** (1 / 5) - 1, abs=1e-4)
    assert c["growth"]["indicator"]["label"] == "新材料产业"
    for gap in materials["gaps"]:
        parts = gap["components"].values()
        assert gap["score"] == pytest.approx(sum(p["points"] for p in parts), abs=1e-3)
    aerogel = by_label(materials)["气凝胶"]["components"]["target"]
    assert (aerogel["value"], aerogel["points"]) == ("product", pytest.approx(12 * 0.8))
    assert "气凝胶复合材料生产企业" in {t["label"] for t in aerogel["targets"]}


def test_kinds_follow_their_definitions(store, ids, everything):
    g = chain_graph(store, ids)
    for gap in everything["gaps"]:
        n = gap["product"]["iri"]
        ups = [u for u in g.predecessors(n) if gm.supplied(g, u)]
        downs = [v for v in g.successors(n) if gm.supplied(g, v)]
        assert [u["id"] for u in gap["upstream"]] == sorted(g.nodes[u]["id"] for u in ups)
        here = gm.supplied(g, n)
        asked = bool(
            gap["components"]["target"]["value"] == "product"
            or gap["components"]["attract_statement"]["value"]
            or gap["components"]["item"]["value"]
        )
        expected = {
            "missing": not here and ((ups and downs) or (not ups and asked)),
            "weak": here and (gap["balance"] or gap["components"]["strengthen"]["value"]),
            "extension": not here and ups and not downs,
            "external": not here and downs and not ups and not asked,
        }
        assert expected[gap["kind"]], gap["product"]["label"]
        assert gap["list"] == gm.LISTS[gap["kind"]]
        assert gap["product"]["kind"] not in gm.NEVER_GAPS
    assert {gap["kind"] for gap in everything["gaps"]} == set(KINDS)
    labels = {gap["product"]["label"] for gap in everything["gaps"] if gap["list"] == "attract"}
    assert not labels & {"电力", "页岩气", "LNG", "己二酸", "氨纶", "合成氨", "BDO"}


def test_uncovered_nodes_come_with_reasons_and_sourced_evidence(materials):
    uncovered = [gap for gap in materials["gaps"] if gap["product"]["status"] in ("none", "plan")]
    assert uncovered
    for gap in uncovered:
        assert gap["reasons"]["zh"][0].startswith("本地尚无")
        assert gap["reasons"]["en"][0].startswith("Nothing local makes")
        cited = gap["evidence"] or gap["statements"] or gap["components"]["target"]["targets"]
        assert cited or gap["components"]["item"]["value"], gap["product"]["label"]
        for e in gap["evidence"]:
            assert (e["quote"] and e["section_label"]) or e["reason"]
        for st in gap["statements"]:
            assert st["text"] and st["section"]["label"]


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
    # made locally now, with no shortfall known and no plan clause to expand it: no gap
    assert "尼龙66盐" not in by_label(after)
    assert after["counts"]["kinds"]["missing"] == before["counts"]["kinds"]["missing"] - 1
    assert gm.supplied(g, P + "nylon-66-salt")


def quads_by_graph(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for q in store.quads():
        out[q.graph_name.value].add(str(q))
    return dict(out)


def test_the_same_store_gives_the_same_ranking(store, ids, everything):
    def ranking(report):
        return [(g["list"], g["rank"], g["product"]["id"], g["score"]) for g in report["gaps"]]

    clear_cache()
    again = gap_report(store, ids)
    assert ranking(again) == ranking(everything)
    assert again == everything
    for name in LISTS:
        found = [g for g in again["gaps"] if g["list"] == name]
        order = [(-g["score"], KINDS.index(g["kind"]), g["product"]["id"]) for g in found]
        assert order == sorted(order)
        assert [g["rank"] for g in found] == list(range(1, len(found) + 1))
    top = gap_report(store, ids, top=5)
    assert [ranking_of(g) for g in top["gaps"]] == [
        ranking_of(g) for g in everything["gaps"] if g["rank"] <= 5
    ]
    assert top["counts"]["lists"] == everything["counts"]["lists"]


def ranking_of(gap: dict) -> tuple:
    return gap["list"], gap["rank"], gap["product"]["id"]


def test_a_minority_of_products_is_flagged_and_the_top_is_spread(everything):
    counts = everything["counts"]
    assert counts["gaps"] < 0.7 * counts["products"]
    assert counts["lists"]["strengthen"] < 20
    top = [g for g in everything["gaps"] if g["list"] == "attract"][:30]
    industries = {g["product"]["industry"] for g in top}
    assert len(industries) >= 5
    assert max(sum(g["product"]["industry"] == i for g in top) for i in industries) <= 12
    per = {b["industry"]["label"]: b["attract"] for b in everything["by_industry"]}
    assert len(per) >= 6 and all(1 <= len(v) <= 5 for v in per.values())


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
    assert confirmed and not unconfirmed  # every 重点引进 target meets a gap of its own
    aerogel = confirmed["气凝胶复合材料生产企业"]
    assert ("气凝胶", "attract") in {(g["label"], g["list"]) for g in aerogel["gaps"]}
    assert {a["level"] for a in aerogel["about"]} == {"product", "segment"}
    wearables = confirmed["智能穿戴产品生产企业"]
    assert [a["label"] for a in wearables["about"]] == ["智能穿戴产品"]
    assert "第" in wearables["why"]["zh"] and "#" in wearables["why"]["en"]
    for t in confirmed.values():
        assert [g["rank"] for g in t["gaps"] if g["list"] == "attract"] == sorted(
            g["rank"] for g in t["gaps"] if g["list"] == "attract"
        )
    for g in targets["not_named"]:
        assert g["list"] == "attract" and g["rank"] <= 30
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
