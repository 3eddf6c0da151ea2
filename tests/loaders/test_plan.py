"""The plan parser on the built-in plan (figures counted by hand) and on a made-up plan."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from chainkg.loaders.plan import PlanError, parse_plan
from chainkg.loaders.plan_report import facts
from chainkg.loaders.text import name_and_detail

TIER_NAMES = {
    "advantage": "优势支柱产业",
    "distinctive": "特色支柱产业",
    "service": "生产性新兴服务业",
}


def test_title_issuer_period(fuling_plan):
    assert fuling_plan.title == "涪陵区战略性新兴产业发展规划（2022—2026年）"
    assert fuling_plan.region == "涪陵区"
    assert fuling_plan.issuer == "重庆市涪陵区人民政府"
    assert fuling_plan.issued == "2022-12-28"
    assert fuling_plan.period == (2022, 2026)


def test_sections_are_the_plans_structure(fuling_plan):
    ids = [s.id for s in fuling_plan.sections]
    assert [i for i in ids if i.startswith("box")] == [f"box{n}" for n in range(1, 14)]
    assert "table1" in ids and "notes" in ids
    assert [i for i in ids if i.count(".") == 0 and i.startswith("ch")] == [
        f"ch{n}" for n in range(1, 7)
    ]
    assert fuling_plan.section("ch3.1.1").title == "新材料"
    assert fuling_plan.section("box2").title == "新材料产业发展重点"
    # a box's text is its own, not its parent's
    assert "115万吨己二酸扩建项目" in fuling_plan.section("box2").text
    assert "115万吨己二酸扩建项目" not in fuling_plan.section("ch3.1.1").text


def test_seven_industries_with_tiers_and_segments(fuling_plan):
    got = {i.name: i.tier for i in fuling_plan.industries}
    assert got == {
        "新材料": "advantage",
        "新能源与智能网联汽车": "advantage",
        "生物医药": "advantage",
        "清洁能源": "distinctive",
        "高端装备制造": "distinctive",
        "新型电子元器件及智能终端": "distinctive",
        "新兴服务业": "service",
    }
    materials = fuling_plan.industry("新材料")
    assert [s.name for s in materials.segments][:4] == [
        "先进高分子合成材料",
        "先进有色金属材料",
        "高性能复合材料",
        "气凝胶复合材料",
    ]
    assert materials.segments[0].detail == "重点打造聚氨酯、聚酰胺、聚酯三大产业链"
    assert materials.narrative == "ch3.1.1"
    assert fuling_plan.industry("新兴服务业").narrative == "ch3.3"


def test_every_box_item_counted_by_hand(fuling_plan):
    per_box = Counter(i.section for i in fuling_plan.items)
    assert per_box == {
        "box2": 32,
        "box3": 22,
        "box4": 18,
        "box5": 18,
        "box6": 11,
        "box7": 18,
        "box8": 17,
    }
    for item in fuling_plan.items:
        assert item.text in fuling_plan.section(item.section).text
    nested = next(i for i in fuling_plan.items if i.text.startswith("原材料"))
    assert nested.text == "原材料（铜箔、树脂、覆铜板）"
    assert nested.parts == ["铜箔", "树脂", "覆铜板"]
    # a box sub-heading without a list is an item of its own
    assert any(i.text == "页岩气探勘开采成套设备研发项目" for i in fuling_plan.items)
    assert any(i.text == "重点行业、重点区域工业互联网平台搭建" for i in fuling_plan.items)


def test_items_know_their_segment(fuling_plan):
    seg = {i.text: i.segment for i in fuling_plan.items}
    assert seg["115万吨己二酸扩建项目"] == "先进高分子合成材料"
    assert seg["年产12GWh动力电池"] == "新能源汽车"
    assert seg["卡拉多普医药中间体项目"] == "特色原料药"
    assert seg["页岩气探勘开采成套设备研发项目"] == "页岩气开采装备"


def test_capacities(fuling_plan):
    caps = {i.text: i.capacity for i in fuling_plan.items if i.capacity}
    assert len(caps) == 15
    battery = caps["年产12GWh动力电池"]
    assert (battery.value, battery.unit, battery.per_year) == (Decimal(12), "GWh", True)
    assert caps["45000吨/年聚氨酯树脂制造项目"].unit == "吨"
    # a wafer's diameter is a size, not an output
    assert "6英寸IGBT晶圆产业化项目" not in caps


def test_indicator_table(fuling_plan):
    rows = {i.name: i for i in fuling_plan.indicators}
    assert len(rows) == 25
    nm = rows["新材料产业"]
    assert (nm.baseline, nm.target, nm.unit, nm.nature) == (
        Decimal(300),
        Decimal(750),
        "亿元",
        "预期性",
    )
    assert (nm.baseline_year, nm.target_year) == (2021, 2026)
    assert nm.parent == "规模以上战略性新兴产业产值"
    assert nm.industry == "新材料"
    assert rows["高端装备产业"].industry == "高端装备制造"
    energy = rows["单位GDP能耗下降率（%）"]
    assert (energy.nature, energy.unit, energy.target, energy.target_text) == (
        "约束性",
        "%",
        None,
        "完成市上下达目标任务",
    )
    assert rows["临港经济区规模以上战略性新兴产业产值"].park == "临港经济区"
    assert rows["国家高新技术企业数（家）"].unit == "家"
    assert {i.group for i in fuling_plan.indicators} == {
        "产业规模指标",
        "产业集聚指标",
        "优质企业培育指标",
        "创新能力指标",
        "绿色发展示范指标",
    }


def test_parks_and_layouts(fuling_plan):
    assert fuling_plan.parks == ["涪陵高新区", "临港经济区", "白涛新材料科技城"]
    hosts = {(lay.section, lay.park): lay.hosts for lay in fuling_plan.layouts}
    assert hosts[("box2", "临港经济区")] == ["聚酯新材料"]
    assert hosts[("box2", "白涛新材料科技城")] == [
        "聚氨酯新材料",
        "聚酰胺新材料",
        "先进有色金属材料",
    ]
    assert hosts[("box3", "涪陵高新区")] == ["新能源汽车", "智能网联汽车"]
    # a park line with no 布局 line hosts the box's industry
    assert hosts[("box7", "涪陵高新区")] == ["新型电子元器件及智能终端"]
    assert hosts[("box8", "涪陵高新区")] == ["新兴服务业"]
    assert hosts[("box10", "临港经济区")] == ["PTA聚酯新材料", "高技术船舶"]
    assert len([lay for lay in fuling_plan.layouts if lay.section == "box10"]) == 3


def test_attraction_targets(fuling_plan):
    by_box = {}
    for t in fuling_plan.targets:
        by_box.setdefault(t.section, []).append(t.text)
    assert by_box["box2"] == [
        "锂电池材料和配套生产企业",
        "高性能复合材料生产企业",
        "气凝胶复合材料生产企业",
    ]
    assert by_box["box4"] == ["生物技术药", "化学高端仿制药", "智能医疗器械及手术相关器械"]
    assert by_box["box8"] == ["电子设计软件企业", "数字建模、云计算、可视化相关服务企业"]
    assert by_box["ch3.1.1"] == ["气凝胶研发生产企业"]
    assert "box5" not in by_box
    assert len(fuling_plan.targets) == 17


def test_platforms_clusters_future(fuling_plan):
    plats = {p.name: p.industry for p in fuling_plan.platforms}
    assert len(plats) == 11
    assert plats["原料药国家重点实验室"] == "生物医药"
    assert plats["国家级页岩气技术创新中心"] == "清洁能源"
    clusters = {c.industry: (c.level, c.scale) for c in fuling_plan.clusters}
    assert clusters == {
        "新材料": ("国家级", "七百亿级"),
        "新能源与智能网联汽车": ("市级", "百亿级"),
        "生物医药": ("市级", "两百亿级"),
        "清洁能源": ("市级", None),
        "新型电子元器件及智能终端": ("市级", None),
        "新兴服务业": ("市级", None),
    }
    assert [n for n, _ in fuling_plan.future] == [
        "量子信息",
        "光子芯片与器件",
        "生物育种",
        "6G移动通信",
    ]


@pytest.fixture(scope="module")
def sample(fixtures):
    text = (fixtures / "plan-sample.txt").read_text(encoding="utf-8")
    expected = json.loads((fixtures / "plan-sample.expected.json").read_text(encoding="utf-8"))
    return parse_plan(text), expected


def test_made_up_plan_parses_into_the_same_structure(sample):
    plan, exp = sample
    assert (plan.title, plan.issuer, plan.issued) == (exp["title"], exp["issuer"], exp["issued"])
    assert [
        {"name": i.name, "tier": TIER_NAMES[i.tier], "segments": [s.name for s in i.segments]}
        for i in plan.industries
    ] == exp["industries"]
    per_box = Counter(f"专栏{i.section.removeprefix('box')}" for i in plan.items)
    assert per_box == exp["items_per_box"]
    assert facts(plan)["capacities"] == [
        {**c, "value": float(c["value"]), "unit": c["unit"].removesuffix("/年")}
        for c in exp["items_with_capacity"]
    ]
    assert plan.parks == exp["parks"]


def test_made_up_plan_tables_layouts_and_lists(sample):
    plan, exp = sample
    got = [
        {
            "name": i.name,
            "group": i.group,
            "nature": i.nature,
            "baseline": None if i.baseline is None else float(i.baseline),
            "target": None if i.target is None else float(i.target),
            "target_text": i.target_text,
            "unit": i.unit,
        }
        for i in plan.indicators
    ]
    assert got == exp["indicators"]
    boxes = [lay for lay in plan.layouts if lay.industry]
    assert [
        {"box": f"专栏{lay.section.removeprefix('box')}", "park": lay.park, "hosts": lay.hosts}
        for lay in boxes
    ] == exp["layouts"]
    park_box = [lay for lay in plan.layouts if not lay.industry]
    assert [
        {"park": lay.park, "hosts": [name_and_detail(h)[0] for h in lay.hosts]} for lay in park_box
    ] == exp["park_box"]
    targets: dict[str, list[str]] = {}
    for t in plan.targets:
        if t.section.startswith("box"):
            targets.setdefault(f"专栏{t.section.removeprefix('box')}", []).append(t.text)
    assert targets == exp["attraction_targets"]
    assert [p.name for p in plan.platforms] == exp["platforms"]
    assert [
        {"industry": c.industry, "level": c.level, "scale": c.scale} for c in plan.clusters
    ] == exp["clusters"]
    assert [n for n, _ in plan.future] == exp["future_industries"]


def test_text_that_is_not_a_plan_is_refused():
    with pytest.raises(PlanError, match="no plan title"):
        parse_plan("一、总则\n\n这不是规划。\n")
