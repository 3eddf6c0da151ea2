from decimal import Decimal

from chainkg.loaders.text import (
    Lexicon,
    chinese_number,
    detail_items,
    name_and_detail,
    parse_capacity,
    split_top,
)


def test_split_top_keeps_parenthesised_lists_whole():
    text = "HDI电路板、原材料（铜箔、树脂、覆铜板）、IC封装基板"
    assert split_top(text) == ["HDI电路板", "原材料（铜箔、树脂、覆铜板）", "IC封装基板"]


def test_name_and_detail():
    assert name_and_detail("新能源汽车（动力电池、电机、电控）") == (
        "新能源汽车",
        "动力电池、电机、电控",
    )
    assert name_and_detail("储能") == ("储能", None)
    assert detail_items("气凝胶、高性能复合材料等") == ["气凝胶", "高性能复合材料"]


def test_capacities_in_the_units_plans_use():
    cases = {
        "年产12GWh动力电池": (Decimal(12), "GWh", True),
        "115万吨己二酸扩建项目": (Decimal(115), "万吨", False),
        "45000吨/年聚氨酯树脂制造项目": (Decimal(45000), "吨", True),
        "3000万米/年超纤维及聚氨酯合成革项目": (Decimal(3000), "万米", True),
        "年产150万套智能家电配套配件生产项目": (Decimal(150), "万套", True),
        "年产30万片碳化硅衬底项目": (Decimal(30), "万片", True),
        "年产1亿只汽车电子传感器项目": (Decimal(1), "亿只", True),
        "年产500公里海底电缆项目": (Decimal(500), "公里", True),
        "年产200架工业级无人机项目": (Decimal(200), "架", True),  # any measure word after 年产
        "100MW共享储能电站项目": (Decimal(100), "MW", False),
    }
    for text, (value, unit, per_year) in cases.items():
        q = parse_capacity(text)
        assert (q.value, q.unit, q.per_year) == (value, unit, per_year), text
    assert parse_capacity("6英寸IGBT晶圆产业化项目") is None  # a size, not an output
    assert parse_capacity("总投资50亿元的新材料项目") is None  # money, not an output
    assert parse_capacity("年产值100亿元") is None
    assert parse_capacity("5G电路板及半导体项目") is None
    assert parse_capacity("HPV病毒及灭菌生物制剂项目") is None


def test_chinese_numbers():
    assert [chinese_number(x) for x in ("七百", "两百", "百", "千", "三千五百", "十二")] == [
        700,
        200,
        100,
        1000,
        3500,
        12,
    ]
    assert chinese_number("亿") is None


def test_lexicon_scans_longest_first_and_respects_ascii_words():
    lex = Lexicon()
    for name in ("PET", "PTA", "聚酯", "LNG", "LNG尾气"):
        lex.add(name, name)
    assert lex.values_in("年产120万吨PTA项目与PETG") == ["PTA"]
    assert lex.values_in("LNG尾气制高纯氦气") == ["LNG尾气"]


def test_lexicon_resolve_is_strict_unless_fuzzy():
    lex = Lexicon()
    lex.add("聚酯新材料", 1)
    lex.add("页岩气开采装备", 2)
    assert lex.resolve("PTA聚酯新材料") == 1
    assert lex.resolve("聚氨酯新材料") is None
    assert lex.resolve("页岩气探勘开采成套设备研发项目") is None
    assert lex.resolve("页岩气探勘开采成套设备研发项目", fuzzy=True) == 2


def test_item_lists_keep_parallel_qualifiers_together():
    from chainkg.loaders.plan import _items_of

    assert _items_of("重点行业、重点区域工业互联网平台搭建。") == [
        "重点行业、重点区域工业互联网平台搭建"
    ]
    assert _items_of("锂电池、锂电池隔膜材料。") == ["锂电池", "锂电池隔膜材料"]
    assert _items_of("正凯先进制造产业园项目，机器人、高档数控机床、增材制造。") == [
        "正凯先进制造产业园项目",
        "机器人",
        "高档数控机床",
        "增材制造",
    ]
