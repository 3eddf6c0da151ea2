"""Parks: the list, one park's page and the park matrices, from the built-in dataset."""

from __future__ import annotations

import pytest

from chainkg.queries.parks import matrix, park, parks

LIN_GANG = "park/fu-ling-qu/lin-gang-jing-ji-qu"


@pytest.fixture(scope="module")
def lin_gang(store):
    return park(store, "临港经济区")


def test_three_parks_with_their_indicators(store):
    listed = {p["label"]: p for p in parks(store)}
    assert set(listed) == {"临港经济区", "涪陵高新区", "白涛新材料科技城"}
    assert listed["白涛新材料科技城"]["indicator"]["baseline"] == 306.58
    assert listed["临港经济区"]["region"]["label"] == "涪陵区"


def test_lin_gang_hosts_polyester_per_box2(lin_gang):
    assert lin_gang["id"] == LIN_GANG
    layout = next(lay for lay in lin_gang["layouts"] if lay["hosted_label"] == "聚酯新材料")
    assert layout["section"]["id"] == "plan/fu-ling-qu-2022-2026/box2"
    assert layout["section"]["label"].startswith("专栏2")
    pet = next(h for h in layout["hosts"] if h["id"] == "product/pet")
    assert pet == {
        "iri": "https://w3id.org/chainkg/product/pet",
        "id": "product/pet",
        "label": "PET",
        "label_en": "polyethylene terephthalate",
        "class": "Product",
    }
    assert "product/pet" in {p["id"] for p in lin_gang["hosts"]["products"]}
    assert "高技术船舶" in {s["label"] for s in lin_gang["hosts"]["segments"]}


def test_lin_gang_indicator_values(lin_gang):
    [indicator] = lin_gang["indicators"]
    assert (indicator["baseline"], indicator["baseline_year"]) == (75.08, 2021)
    assert (indicator["target"], indicator["target_year"]) == (200, 2026)


def test_lin_gang_enterprises_come_from_the_registry(lin_gang):
    [firm] = lin_gang["enterprises"]
    assert firm["label"] == "重庆万凯新材料科技有限公司"
    # food-grade bottle chip is PET: one fact for each product, both placed in the park
    assert sorted(m["product"]["id"] for m in firm["productions"]) == [
        "product/pet",
        "product/pet-bottle-chip",
    ]
    for made in firm["productions"]:
        assert made["park"]["id"] == LIN_GANG
        assert made["source"]["line"] > 1


@pytest.mark.parametrize("key", ["lin-gang-jing-ji-qu", LIN_GANG, "临港经济区"])
def test_a_park_is_found_by_slug_id_or_label(store, key):
    assert park(store, key)["id"] == LIN_GANG


def test_unknown_park_is_none(store):
    assert park(store, "nowhere") is None


def test_segment_matrix(store):
    m = matrix(store, "segment")
    assert m["axis"] == "segment"
    assert len(m["parks"]) == 3
    columns = {c["id"]: c for c in m["segments"]}
    assert {c["class"] for c in m["segments"]} == {"Industry", "IndustrySegment"}
    cells = {(c["park"], c["segment"]): c["sources"] for c in m["cells"]}
    assert set(cells) <= {(p["id"], c) for p in m["parks"] for c in columns}
    ships = "segment/fu-ling-qu-2022-2026/gao-duan-zhuang-bei-zhi-zao/gao-ji-shu-chuan-bo"
    reasons = cells[(LIN_GANG, ships)]
    assert {r["source"]["id"].rsplit("/", 1)[-1] for r in reasons} == {"box6", "box10"}
    assert all(r["kind"] == "layout" for c in m["cells"] for r in c["sources"])


def test_product_matrix_marks_layouts_and_registry_facts(store):
    m = matrix(store, "product")
    assert len(m["parks"]) == 3
    assert {c["class"] for c in m["products"]} == {"Product"}
    cells = {(c["park"], c["product"]): c["sources"] for c in m["cells"]}
    pet = cells[(LIN_GANG, "product/pet")]
    assert {r["kind"] for r in pet} == {"layout", "registry"}
    layouts = {(r["hosted_label"], r["source"]["id"]) for r in pet if r["kind"] == "layout"}
    assert ("聚酯新材料", "plan/fu-ling-qu-2022-2026/box2") in layouts
    registry = next(r for r in pet if r["kind"] == "registry")
    assert registry["enterprise"]["label"] == "重庆万凯新材料科技有限公司"
    assert registry["source"]["label"] == "enterprises-public.csv:10"
    bai_tao = "park/fu-ling-qu/bai-tao-xin-cai-liao-ke-ji-cheng"
    assert {r["kind"] for r in cells[(bai_tao, "product/adipic-acid")]} == {"registry"}


def test_matrix_axis_is_checked(store):
    with pytest.raises(ValueError, match="axis"):
        matrix(store, "chain")
