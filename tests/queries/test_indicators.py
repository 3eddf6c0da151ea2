"""The indicator table with the growth each target needs."""

from __future__ import annotations

import pytest

from chainkg.queries.indicators import cagr, change, indicators, number, year


@pytest.fixture(scope="module")
def table(store):
    return indicators(store)


def by_label(table, label):
    return next(i for i in table if i["label"] == label)


def test_new_materials_needs_about_twenty_percent_a_year(table):
    row = by_label(table, "新材料产业")
    assert (row["baseline"], row["baseline_year"], row["target"], row["target_year"]) == (
        300,
        2021,
        750,
        2026,
    )
    assert row["cagr"] == pytest.approx(0.2011, abs=1e-4)
    assert row["change"] == 450
    assert row["unit"] == "亿元"
    assert row["nature"]["label"] == "预期性"
    assert row["group"]["label"] == "产业规模指标"
    assert row["parent"]["label"] == "规模以上战略性新兴产业产值"
    assert row["industry"]["id"] == "industry/fu-ling-qu-2022-2026/xin-cai-liao"
    assert row["section"]["id"].endswith("/table1")
    assert row["section"]["label"].startswith("表1")


def test_every_row_of_table1_is_there_in_table_order(table):
    assert len(table) == 25
    assert table[0]["label"] == "规模以上战略性新兴产业产值"
    assert table[1]["label"] == "新材料产业"
    groups = []
    for row in table:
        if row["group"]["label"] not in groups:
            groups.append(row["group"]["label"])
    assert groups == [
        "产业规模指标",
        "产业集聚指标",
        "优质企业培育指标",
        "创新能力指标",
        "绿色发展示范指标",
    ]


def test_a_text_target_has_no_growth_rate(table):
    row = by_label(table, "单位GDP能耗下降率（%）")
    assert row["target"] is None
    assert row["target_text"] == "完成市上下达目标任务"
    assert row["nature"]["label"] == "约束性"
    assert row["cagr"] is None and row["change"] is None


def test_percent_indicators_give_cagr_and_points(table):
    row = by_label(table, "全社会研发经费投入强度（%）")
    assert row["unit"] == "%"
    assert row["change"] == pytest.approx(0.2)
    assert row["cagr"] == pytest.approx((2.7 / 2.5) ** (1 / 5) - 1, abs=1e-4)


def test_park_indicators_name_their_park(table):
    row = by_label(table, "临港经济区规模以上战略性新兴产业产值")
    assert row["park"]["label"] == "临港经济区"
    assert (row["baseline"], row["target"]) == (75.08, 200)


def test_growth_helpers():
    assert cagr(300, 750, 2021, 2026) == 0.2011
    assert cagr(0, 10, 2021, 2026) is None
    assert cagr(10, 20, 2026, 2026) is None
    assert cagr(None, 20, 2021, 2026) is None
    assert change(75.08, 200) == 124.92
    assert number("300") == 300 and isinstance(number("300.0"), int)
    assert number("75.08") == 75.08 and number("abc") is None
    assert year("2021") == 2021 and year("2021Z") == 2021 and year(None) is None
