"""The plan reader's tolerance, one layout at a time, on small plans written here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chainkg.loaders.plan import parse_plan
from chainkg.loaders.plan_report import facts, report
from chainkg.loaders.text import parse_capacity

BODY = """
一、发展目标

到2025年，战略性新兴产业产值达到300亿元。

二、重点产业

（一）“1”个主导产业

1．新型建材

推动建材产业绿色化发展。

专栏1  新型建材产业发展重点

\t重点项目
\t1．年产30万立方米装配式构件项目
\t2．年产60万吨水泥制品项目
"""


def plan_with(title: str, body: str = BODY):
    return parse_plan(title + "\n" + body)


@pytest.mark.parametrize(
    ("title", "want", "period"),
    [
        ("甲区战略性新兴产业发展规划（2023—2025年）", "甲区战略性新兴产业发展规划", (2023, 2025)),
        (
            "甲区战略性新兴产业发展规划\n\n（2024-2028年）",
            "甲区战略性新兴产业发展规划",
            (2024, 2028),
        ),
        ("甲区战略性新兴产业\n发展规划（2021—2025年）", "甲区战略性新兴产业发展规划", (2021, 2025)),
        ("甲区战略性新兴产业发展规划（2021年—2025年）", "甲区战略性新兴产业发展规划", (2021, 2025)),
        ("甲县“十四五”战略性新兴产业发展规划", "甲县“十四五”战略性新兴产业发展规划", (2021, 2025)),
    ],
)
def test_titles_of_the_genre(title, want, period):
    plan = plan_with(title)
    assert plan.title.startswith(want) and plan.period == period
    assert plan.region == want[:2]


def test_a_notice_and_its_signature_are_not_the_title():
    text = (
        "甲区人民政府关于印发甲区战略性新兴产业发展规划（2023—2025年）的通知\n\n"
        "现将《甲区战略性新兴产业发展规划（2023—2025年）》印发给你们。\n\n"
        "甲区人民政府\n2023年6月12日\n\n甲区战略性新兴产业发展规划（2023—2025年）\n"
    )
    plan = parse_plan(text + BODY)
    assert plan.title == "甲区战略性新兴产业发展规划（2023—2025年）"
    assert (plan.issuer, plan.issued) == ("甲区人民政府", "2023-06-12")


SYSTEM = """专栏1  甲区战略性新兴产业体系
\t产业类别
\t产业领域
\t重点环节
{rows}
三、重点任务
"""


@pytest.mark.parametrize(
    "rows",
    [
        # a merged tier column, rows separated by blank lines
        "\n\t支柱产业\n\t新能源汽车\n\t整车、动力电池\n\n\t生物医药\n\t原料药、医疗器械\n\n"
        "\t潜力产业\n\t氢能\n\t制氢、储运\n\n\t现代服务业\n\t检验检测、物流\n",
        # the same cells with no row breaks at all
        "\t支柱产业\n\t新能源汽车\n\t整车、动力电池\n\t生物医药\n\t原料药、医疗器械\n"
        "\t潜力产业\n\t氢能\n\t制氢、储运\n\t现代服务业\n\t检验检测、物流\n",
    ],
)
def test_a_system_table_with_a_merged_tier_column(rows):
    """(A name that reads like a tier word, 现代服务业, is still an industry: a segment list
    follows it.)"""
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", SYSTEM.format(rows=rows))
    got = [(i.name, i.tier, i.tier_text, [s.name for s in i.segments]) for i in plan.industries]
    assert got == [
        ("新能源汽车", "advantage", "支柱产业", ["整车", "动力电池"]),
        ("生物医药", "advantage", "支柱产业", ["原料药", "医疗器械"]),
        ("氢能", "cultivated", "潜力产业", ["制氢", "储运"]),
        ("现代服务业", "cultivated", "潜力产业", ["检验检测", "物流"]),
    ]


@pytest.mark.parametrize(
    ("heading", "tier", "written"),
    [
        ("（一）“2”个主导产业", "advantage", "主导产业"),
        ("（一）做强“2”个主导产业", "advantage", "主导产业"),
        ("（一）三大优势产业", "advantage", "优势产业"),
        ("（一）培育产业", "cultivated", "培育产业"),
        ("（一）生产性服务业", "service", "生产性服务业"),
        ("（一）“1”个融合产业", "", "融合产业"),
    ],
)
def test_tier_headings_with_or_without_a_count(heading, tier, written):
    plan = plan_with(
        "甲区战略性新兴产业发展规划（2023—2025年）", BODY.replace("（一）“1”个主导产业", heading)
    )
    assert [(i.name, i.tier, i.tier_text) for i in plan.industries] == [("新型建材", tier, written)]


def test_a_heading_with_neither_count_nor_tier_word_names_no_tier():
    plan = plan_with(
        "甲区战略性新兴产业发展规划（2023—2025年）", BODY.replace("“1”个主导产业", "传统产业")
    )
    assert plan.industries == []
    review = report(plan)
    assert not review["understood"] and review["unplaced"]


def box(rows: str) -> str:
    return BODY.split("专栏1")[0] + "专栏1  新型建材产业发展重点\n\n" + rows


def items_of(rows: str) -> list[str]:
    return [i.text for i in plan_with("甲区战略性新兴产业发展规划（2023—2025年）", box(rows)).items]


def test_items_numbered_in_brackets_and_wrapped():
    rows = (
        "\t重点任务\n\t（1）实施年产30万立方米装配式构件项目\n\t（2）建设绿色建材产业园\n"
        "\t（3）实施年产60万吨水泥制品\n\t扩能改造项目\n"
    )
    assert items_of(rows) == [
        "实施年产30万立方米装配式构件项目",
        "建设绿色建材产业园",
        "实施年产60万吨水泥制品扩能改造项目",
    ]


def test_segment_headings_over_lists_stay_segments():
    rows = "\t重点项目\n\t1．装配式建筑\n构件项目、部品项目。\n2．新型墙材\n砌块项目。\n"
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", box(rows))
    assert [(i.text, i.segment) for i in plan.items] == [
        ("构件项目", "装配式建筑"),
        ("部品项目", "装配式建筑"),
        ("砌块项目", "新型墙材"),
    ]


@pytest.mark.parametrize(
    "layout",
    [
        "\t产业布局\n\t甲区高新区\n\t布局装配式构件、\n新型墙材产业。\n",
        "\t空间布局\n\t甲区高新区：布局装配式构件、新型墙材产业。\n",
        "\t布局\n\t在甲区高新区布局装配式构件、新型墙材产业。\n",
    ],
)
def test_layout_rows_in_their_three_forms(layout):
    rows = "\t重点项目\n\t1．年产30万立方米装配式构件项目\n\n" + layout
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", box(rows))
    assert [(lay.park, lay.hosts) for lay in plan.layouts] == [
        ("甲区高新区", ["装配式构件", "新型墙材"])
    ]
    assert report(plan)["unplaced"] == []


def test_a_prose_layout_in_an_industrial_cluster_zone():
    body = BODY.replace("推动建材产业绿色化发展。", "在城北工业集中区布局装配式建筑部品部件产业。")
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", body)
    assert [(lay.park, lay.hosts) for lay in plan.layouts] == [
        ("城北工业集中区", ["装配式建筑部品部件"])
    ]


def test_a_numbered_sentence_in_running_text_is_not_a_heading():
    body = BODY.replace(
        "推动建材产业绿色化发展。",
        "推动建材产业绿色化发展：\n1．甲区建材年产5万吨项目；\n2．乙项目。",
    )
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", body)
    assert [s.id for s in plan.sections if s.kind == "subsection"] == ["ch2.1.1"]


TABLE = """表1  主要指标

{unit}
\t指标
\t单位
\t2022年
\t2025年
\t属性

\t单位工业增加值能耗下降
\t%
\t—
\t15
\t约束性

\t产值
\t
\t100
\t300
\t预期性
"""


def test_a_name_cell_starting_with_danwei_is_not_the_unit_line():
    plan = plan_with(
        "甲区战略性新兴产业发展规划（2023—2025年）", TABLE.format(unit="单位：亿元") + BODY
    )
    assert [(i.name, i.unit, i.baseline, i.target) for i in plan.indicators] == [
        ("单位工业增加值能耗下降", "%", None, Decimal(15)),
        ("产值", "亿元", Decimal(100), Decimal(300)),
    ]
    plan = plan_with("甲区战略性新兴产业发展规划（2023—2025年）", TABLE.format(unit="") + BODY)
    assert [i.unit for i in plan.indicators] == ["%", ""]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("新建2条年产5万吨生产线", (Decimal(5), "万吨", True)),
        ("建设10万平方米厂房，年产5万台", (Decimal(5), "万台", True)),
        ("年产能2GW光伏组件", (Decimal(2), "GW", True)),
        ("年产1.2亿平方米隔膜", (Decimal("1.2"), "亿平方米", True)),
        ("1000台套数控机床", (Decimal(1000), "台套", False)),
    ],
)
def test_the_stated_annual_output_is_the_capacity(text, want):
    q = parse_capacity(text)
    assert (q.value, q.unit, q.per_year) == want


def test_facts_of_a_plan_with_only_headings_and_one_box():
    got = facts(plan_with("甲区战略性新兴产业发展规划（2023—2025年）"))
    assert [i["text"] for i in got["items"]] == [
        "年产30万立方米装配式构件项目",
        "年产60万吨水泥制品项目",
    ]
    assert [c["unit"] for c in got["capacities"]] == ["万立方米", "万吨"]
