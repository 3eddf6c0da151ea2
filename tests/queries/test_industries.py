"""Industries: the list and one industry's page, from the built-in dataset."""

from __future__ import annotations

import pytest

from chainkg.queries.industries import industries, industry

NEW_MATERIALS = "industry/fu-ling-qu-2022-2026/xin-cai-liao"


@pytest.fixture(scope="module")
def page(store):
    return industry(store, "xin-cai-liao")


def test_seven_industries_with_tiers_in_plan_order(store):
    listed = industries(store)
    assert len(listed) == 7
    assert [i["label"] for i in listed[:3]] == ["新材料", "新能源与智能网联汽车", "生物医药"]
    tiers = {i["label"]: i["tier"]["label"] for i in listed}
    assert tiers["新材料"] == "优势支柱产业"
    assert tiers["清洁能源"] == "特色支柱产业"
    assert tiers["新兴服务业"] == "生产性新兴服务业"
    for item in listed:
        assert item["label_en"] and item["segments"] > 0 and item["products"] > 0


def test_list_gives_2021_value_and_2026_target(store):
    first = next(i for i in industries(store) if i["id"] == NEW_MATERIALS)
    indicator = first["indicator"]
    assert (indicator["baseline"], indicator["target"]) == (300, 750)
    assert (indicator["baseline_year"], indicator["target_year"]) == (2021, 2026)
    assert indicator["cagr"] == pytest.approx(0.2011, abs=1e-4)


@pytest.mark.parametrize(
    "key", ["xin-cai-liao", NEW_MATERIALS, "新材料", "new materials", "New Materials"]
)
def test_an_industry_is_found_by_slug_id_or_label(store, key):
    assert industry(store, key)["id"] == NEW_MATERIALS


def test_unknown_industry_is_none(store):
    assert industry(store, "no-such-industry") is None


def test_page_has_segments_with_details_and_sections(page):
    segments = {s["label"]: s for s in page["segments"]}
    assert "先进高分子合成材料" in segments
    assert segments["先进高分子合成材料"]["details"] == ["重点打造聚氨酯、聚酰胺、聚酯三大产业链"]
    assert segments["先进高分子合成材料"]["sections"][0]["label"].startswith("专栏1")
    assert page["counts"]["segments"] == len(page["segments"])


def test_page_has_chains_and_products_with_kind(page):
    assert "聚酰胺产业链" in {c["label"] for c in page["chains"]}
    adipic = next(p for p in page["products"] if p["id"] == "product/adipic-acid")
    assert adipic["kind"]["name"] == "Intermediate"
    assert "AA" in adipic["aliases"]
    assert "chain/polyamide" in adipic["chains"]
    assert page["counts"]["products"] == len(page["products"])


def test_page_has_projects_with_capacity_in_plan_order(page):
    project = next(i for i in page["items"] if i["text"] == "115万吨己二酸扩建项目")
    assert project["class"] == "Project"
    assert project["capacity"]["value"] == 115 and project["capacity"]["unit"] == "万吨"
    assert project["products"][0]["id"] == "product/adipic-acid"
    assert project["segment"]["label"] == "先进高分子合成材料"
    assert project["sections"][0]["id"].endswith("/box2")
    assert page["items"].index(project) < len(page["items"]) - 1
    assert {"PlanItem", "Project"} == {i["class"] for i in page["items"]}


def test_page_has_targets_clusters_platforms(page):
    assert "锂电池材料和配套生产企业" in {t["firm_kind"] for t in page["targets"]}
    cluster = page["clusters"][0]
    assert cluster["level"]["label"] == "国家级" and cluster["scale_value"] == 700
    assert "新材料创新研究院" in {p["label"] for p in page["platforms"]}


def test_page_has_parks_per_layout(page):
    parks = {p["label"]: p for p in page["parks"]}
    assert set(parks) == {"临港经济区", "涪陵高新区", "白涛新材料科技城"}
    lin_gang = {lay["hosted_label"]: lay for lay in parks["临港经济区"]["layouts"]}
    assert "product/pet" in {h["id"] for h in lin_gang["聚酯新材料"]["hosts"]}
    assert lin_gang["聚酯新材料"]["section"]["id"].endswith("/box2")


def test_page_has_enterprises_with_sourced_productions(page):
    huafon = next(e for e in page["enterprises"] if e["label"] == "重庆华峰化工有限公司")
    made = {p["product"]["label"]: p for p in huafon["productions"]}
    assert {"己二酸", "己二腈"} <= set(made)
    assert made["己二酸"]["status"]["label"] == "已投产"
    assert made["己二酸"]["source"]["file"] == "enterprises-public.csv"
    assert made["己二酸"]["source"]["url"].startswith("http")


def test_page_has_indicator_and_source_sections(page):
    assert page["indicator"]["label"] == "新材料产业"
    assert [s["label"][:3] for s in page["sources"]] == ["专栏1", "三（一"]
