"""What each plan item makes, or what it is: the general rule and the reviewed item file.

The full mapping of the built-in plan is compared with ``golden/fuling-items.tsv``
(section, item text, product ids, nature), reviewed line by line. After a reviewed
change to the plan, chains.yaml or items.yaml, regenerate it and review the diff::

    python tests/loaders/test_items.py --write
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from chainkg.graph.namespaces import CK, Ids
from chainkg.loaders.dataset import Manifest, builtin_manifest, read_dataset
from chainkg.loaders.errors import LoadError
from chainkg.loaders.items import NATURES, load_items
from chainkg.loaders.plan import Plan, parse_plan
from chainkg.loaders.plan_facts import Item
from chainkg.loaders.plan_rdf import plan_graph, products_made
from chainkg.loaders.text import Lexicon

GOLDEN = Path(__file__).resolve().parent / "golden" / "fuling-items.tsv"
HEADER = "section\titem\tproducts\tnature"
NATURE_NAMES = {v: k for k, v in NATURES.items()}


def mapping(plan: Plan, g: Graph, ids: Ids) -> list[str]:
    """One TSV line per item of ``plan``, in plan order: section, text, products, nature."""
    prefix = str(ids.iri("product", ""))
    by_key: dict[tuple[str, str], list[str]] = {}
    for item in set(g.subjects(CK.itemText, None)):
        text = str(g.value(item, CK.itemText))
        sections = [s for s in g.objects(item, PROV.wasDerivedFrom) if (s, CK.inPlan, None) in g]
        section = str(sections[0]).rsplit("/", 1)[-1]
        made = sorted(str(p)[len(prefix) :] for p in g.objects(item, CK.makesProduct))
        nature = " ".join(sorted(NATURE_NAMES[n] for n in g.objects(item, CK.itemNature)))
        by_key[(section, text)] = [section, text, " ".join(made), nature]
    return ["\t".join(by_key[(i.section, i.text)]) for i in plan.items]


def fuling() -> tuple[Plan, Graph, Ids]:
    """The built-in plan, its graph as the dataset builds it, and the ids used."""
    ids, manifest = Ids(), Manifest.read(builtin_manifest())
    with tempfile.TemporaryDirectory() as scratch:
        sources = read_dataset(manifest, ids, Path(scratch))
    plan = parse_plan(manifest.plan.read_text(encoding="utf-8"))
    return plan, next(s.data for s in sources if s.kind == "plan"), ids


@pytest.fixture(scope="module")
def built() -> tuple[Plan, Graph, Ids]:
    return fuling()


def test_mapping_matches_the_reviewed_golden_file(built):
    lines = mapping(*built)
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert golden[0] == HEADER
    if lines != golden[1:]:
        diff = "\n".join(
            difflib.unified_diff(golden[1:], lines, "golden", "built", lineterm="", n=0)
        )
        pytest.fail(
            f"item mapping differs from {GOLDEN.name} (review, then regenerate with "
            f"`python tests/loaders/test_items.py --write`):\n{diff}"
        )


def test_every_item_has_products_or_a_nature(built):
    plan, g, _ = built
    items = set(g.subjects(CK.itemText, None))
    assert len(items) == len(plan.items) == 136
    bare = [
        str(g.value(i, CK.itemText))
        for i in items
        if g.value(i, CK.makesProduct) is None and g.value(i, CK.itemNature) is None
    ]
    assert bare == []


def test_reviewed_items_link_their_file_row(built):
    _, g, _ = built
    item = next(
        i for i in g.subjects(CK.itemText, None) if str(g.value(i, CK.itemText)) == "页岩气制氢技术"
    )
    assert g.value(item, CK.itemNature) == CK.TechnologyItem
    row = g.value(item, PROV.wasInfluencedBy)
    assert (row, RDF.type, CK.RegistryRow) in g
    assert str(g.value(row, CK.sourceFile)) == "items.yaml"
    line = int(g.value(row, CK.lineNumber))
    source = (Path(str(builtin_manifest())).parent / "items.yaml").read_text("utf-8")
    assert "页岩气制氢技术" in source.splitlines()[line - 1 : line + 2][1]
    # the plan section stays the item's only prov:wasDerivedFrom
    assert [(s, CK.inPlan, None) in g for s in g.objects(item, PROV.wasDerivedFrom)] == [True]


# -- the general rule, without an item file --------------------------------------------------

NAMES = {
    "血液制品": "blood-products",
    "化学仿制药": "generic-drugs",
    "高频微波印制电路板": "hf-pcb",
    "电路板": "pcb",
    "页岩气": "shale-gas",
    "乙二醇": "meg",
    "LNG尾气": "tail-gas",
    "高纯氦气": "helium",
    "聚氨酯树脂": "pu-resin",
}


@pytest.fixture()
def lexicon() -> Lexicon:
    lex = Lexicon()
    for name, pid in NAMES.items():
        lex.add(name, pid)
    return lex


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ("血液制品申报", ["blood-products"]),
        ("高端化学仿制药", ["generic-drugs"]),
        ("高频微波印制电路板", ["hf-pcb"]),
        ("页岩气制乙二醇产能扩大项目", ["meg"]),
        ("LNG尾气制高纯氦气", ["helium"]),
        ("45000吨/年聚氨酯树脂制造项目", ["pu-resin"]),  # 制 + no name: not an input
        ("页岩气制氢技术", ["shale-gas"]),  # 氢技术 names no product: the item file decides
        ("页岩气发电基地项目", ["shale-gas"]),
        ("智能制造装备", []),
    ],
)
def test_the_rule_reads_whole_names(lexicon, text, made):
    assert products_made(text, lexicon) == made


def test_a_made_up_plan_maps_by_the_rule_alone(lexicon, ids):
    texts = ["血液制品申报", "高端化学仿制药", "高频微波印制电路板", "页岩气制乙二醇"]
    plan = Plan(
        "某区战略性新兴产业发展规划（2023—2027年）",
        "某区",
        "某区人民政府",
        None,
        (2023, 2027),
        "",
        [],
        items=[Item(t, "新材料", None, "box1", None, []) for t in texts],
    )
    products = Lexicon()
    for name, pid in NAMES.items():
        products.add(name, ids.iri("product", pid))
    g = plan_graph(plan, ids, products)
    made = {
        str(g.value(i, CK.itemText)): sorted(
            str(p).rsplit("/", 1)[-1] for p in g.objects(i, CK.makesProduct)
        )
        for i in g.subjects(CK.itemText, None)
    }
    assert made == {
        "血液制品申报": ["blood-products"],
        "高端化学仿制药": ["generic-drugs"],
        "高频微波印制电路板": ["hf-pcb"],
        "页岩气制乙二醇": ["meg"],
    }
    assert not set(g.subjects(CK.itemNature, None))


# -- the item file's checks ------------------------------------------------------------------


def problems_of(tmp_path: Path, plan: Plan, body: str) -> list:
    path = tmp_path / "items.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_items(path, plan, ["hydrogen", "shale-gas", "electricity"])
    return err.value.problems


def test_a_bad_item_file_names_file_line_and_value(tmp_path, fuling_plan):
    body = """items:
  - section: box5
    item: 页岩气制氢技朮
    products: [hydrogen]
    note: typo in the item text
  - section: box5
    item: 页岩气发电基地项目
    products: [electricty]
    note: typo in the product id
  - section: box5
    item: 页岩气制氢技术
    nature: technolgy
    note: typo in the nature
"""
    found = {(p.line, p.column, p.value): p for p in problems_of(tmp_path, fuling_plan, body)}
    assert set(found) == {
        (2, "item", "页岩气制氢技朮"),
        (6, "products", "electricty"),
        (10, "nature", "technolgy"),
    }
    assert found[(2, "item", "页岩气制氢技朮")].hint == "页岩气制氢技术"
    assert found[(6, "products", "electricty")].hint == "electricity"
    assert found[(10, "nature", "technolgy")].hint == "technology"
    text = str(LoadError(list(found.values())))
    assert f"{tmp_path / 'items.yaml'}:6:" in text and "electricty" in text


def test_an_entry_must_say_something(tmp_path, fuling_plan):
    body = """items:
  - section: box5
    item: 页岩气发电基地项目
    products: []
    note: no products and no nature
  - section: box9
    item: 页岩气发电基地项目
    nature: base
    note: wrong section
"""
    got = {(p.line, p.column) for p in problems_of(tmp_path, fuling_plan, body)}
    assert got == {(2, "nature"), (6, "section")}


def test_the_builtin_manifest_names_the_item_file():
    manifest = Manifest.read(builtin_manifest())
    assert manifest.items is not None and manifest.items.name == "items.yaml"


def write_golden() -> None:
    """Regenerate the golden file from the built-in dataset (review the diff after)."""
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    lines = [HEADER, *mapping(*fuling())]
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} items to {GOLDEN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/loaders/test_items.py --write")
    write_golden()
