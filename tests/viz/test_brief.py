"""The one-page industry brief's model: every product as a chip in its stage, gap marks
and top lists as the gap report ranks them, key firms operating first."""

from __future__ import annotations

import pytest

from chainkg.queries.chain import chain_graph
from chainkg.queries.gaps import gap_report
from chainkg.queries.industries import industry
from chainkg.viz import brief, panorama


def model(store, ids, name: str, lang: str = "zh") -> tuple[dict, dict, dict]:
    ind = panorama.find(store, ids, name)
    report = gap_report(store, ids, industry=ind["iri"])
    found = industry(store, ind["iri"], ids)
    return brief.brief(store, ids, found, report, lang), report, ind


@pytest.mark.parametrize("name", ["新材料", "生物医药", "新兴服务业"])
def test_every_product_is_one_chip_in_its_stage(store, ids, name):
    m, report, ind = model(store, ids, name)
    g = chain_graph(store, ids)
    products = {d["id"]: d for _, d in g.nodes(data=True) if d["industry"] == ind["iri"]}
    chips = {
        c["id"]: (st["key"], c)
        for st in m["stages"]
        for grp in st["groups"]
        for c in grp["products"]
    }
    assert set(chips) == set(products) and m["products"] == len(products)
    for pid, (stage, chip) in chips.items():
        assert stage == panorama.stage_of(products[pid]["kind"]), pid
        assert chip["status"] == products[pid]["local"].status
    assert sum(m["status"].values()) == len(products)
    ranked = {gap["product"]["id"]: gap for gap in report["gaps"]}
    for pid, (_, chip) in chips.items():
        if pid in ranked:
            assert chip["gap"]["rank"] == ranked[pid]["rank"]
            assert chip["gap"]["list"] == ranked[pid]["list"]
        else:
            assert chip["gap"] is None


def test_top_lists_follow_the_gap_report(store, ids):
    m, report, _ = model(store, ids, "新材料")
    for name, most in brief.TOP.items():
        expected = [g["product"]["id"] for g in report["gaps"] if g["list"] == name][:most]
        assert [g["product"]["id"] for g in m["gaps"][name]] == expected
        assert all(g["headline"] and g["attract"] for g in m["gaps"][name])
    assert m["gap_counts"] == report["counts"]["lists"]
    assert m["indicator"]["baseline"] == 300 and m["indicator"]["target"] == 750


def test_key_firms_operating_first_and_english_names(store, ids):
    m, _, _ = model(store, ids, "新材料", "en")
    firms = m["firms"]
    assert 0 < len(firms) <= brief.FIRMS < m["enterprises"]
    flags = [f["operating"] for f in firms]
    assert flags == sorted(flags, reverse=True)
    assert "Chongqing Huafon Chemical Co. Ltd." in {f["enterprise"]["label_en"] for f in firms}
    huafon = next(
        f for f in firms if f["enterprise"]["label_en"].startswith("Chongqing Huafon Chem")
    )
    assert "adipic acid" in huafon["products"] and huafon["status"] == "operating"
    assert all(
        f["status"] in ("operating", "under construction", "signed", "planned") for f in firms
    )
    chips = [c for st in m["stages"] for grp in st["groups"] for c in grp["products"]]
    salt = next(c for c in chips if c["id"] == "product/nylon-66-salt")
    assert salt["label"] == "nylon 66 salt" and salt["full"].startswith("nylon 66 salt (")
    assert m["stages"][0]["label"].startswith("Upstream")


@pytest.mark.parametrize(
    ("label", "short"),
    [("尼龙66盐（己二酸己二胺盐）", "尼龙66盐"), ("PET", "PET"), ("（全称）", "（全称）")],
)
def test_chip_labels_drop_a_trailing_gloss(label, short):
    assert (brief.PAREN.sub("", label) or label) == short
