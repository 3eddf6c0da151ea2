"""Search over zh and en labels, aliases and pinyin, on the built-in dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chainkg.graph.namespaces import Ids
from chainkg.queries.search import CLASSES, index, normalize, pick, search

ROOT = Path(__file__).resolve().parents[2]
ADIPIC = "product/adipic-acid"


def aliases(product_id: str) -> list[str]:
    """The aliases the curated chains file gives a product."""
    data = yaml.safe_load((ROOT / "loaders/data/chains.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("id") == product_id:
                found.extend(node.get("aliases") or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return found


@pytest.mark.parametrize(
    ("q", "field"),
    [
        ("jiersuan", "pinyin"),
        ("JiErSuan", "pinyin"),
        ("ji er suan", "pinyin"),
        ("ji-er-suan", "pinyin"),
        ("jes", "initials"),
        ("己二酸", "zh"),
        ("adipic acid", "en"),
        ("Adipic Acid", "en"),
    ],
)
def test_adipic_acid_comes_first(store, q, field):
    results = search(store, q)
    assert results[0]["id"] == ADIPIC
    assert results[0]["label"] == "己二酸"
    assert results[0]["label_en"] == "adipic acid"
    assert results[0]["class"] == "Product"
    assert results[0]["matched"] == {
        "field": field,
        "text": results[0]["matched"]["text"],
        "kind": "exact",
    }


def test_alias_aa_finds_adipic_acid(store):
    assert "AA" in aliases("adipic-acid")
    first = search(store, "AA")[0]
    assert first["id"] == ADIPIC
    assert first["matched"] == {"field": "alt", "text": "AA", "kind": "exact"}


def test_adn_finds_adiponitrile(store):
    first = search(store, "ADN")[0]
    assert (first["label"], first["id"]) == ("己二腈", "product/adiponitrile")
    assert search(store, "adn")[0]["id"] == "product/adiponitrile"


def test_results_carry_the_documented_keys(store, ids):
    for r in search(store, "新材料", limit=20):
        assert set(r) == {"iri", "id", "label", "label_en", "class", "score", "matched"}
        assert r["iri"] == ids.base + r["id"]
        assert r["class"] in CLASSES


def test_ranking_is_exact_then_prefix_then_substring_then_fuzzy(store):
    results = search(store, "jiersuan", limit=50)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    order = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
    kinds = [order[r["matched"]["kind"]] for r in results]
    assert kinds == sorted(kinds)
    assert {"exact", "prefix", "substring"} <= {r["matched"]["kind"] for r in results}


def test_bands_do_not_overlap(store):
    bands = {"exact": (0.9, 1.0), "prefix": (0.7, 0.9), "substring": (0.5, 0.7), "fuzzy": (0, 0.5)}
    for q in ("jes", "xincai", "suan", "己二晴", "nylon", "PET"):
        for r in search(store, q, limit=30):
            low, high = bands[r["matched"]["kind"]]
            assert low <= r["score"] <= high, (q, r)


def test_a_misspelling_by_sound_finds_the_product(store):
    first = search(store, "己二晴")[0]
    assert first["id"] == "product/adiponitrile"
    assert first["matched"]["kind"] == "fuzzy"


def test_a_misspelt_name_is_found_within_the_classes_asked_for(store):
    first = search(store, "生物医要", classes=["Industry"])[0]
    assert (first["label"], first["class"], first["matched"]["kind"]) == (
        "生物医药",
        "Industry",
        "fuzzy",
    )


def test_classes_limit_the_results(store):
    assert {r["class"] for r in search(store, "新材料", limit=50, classes=["Industry"])} == {
        "Industry"
    }
    items = search(store, "己二", limit=50, classes=["PlanItem"])
    assert {r["class"] for r in items} <= {"PlanItem", "Project"}
    assert "Project" in {r["class"] for r in items}
    assert search(store, "临港", classes=["ck:Park"])[0]["label"] == "临港经济区"
    with pytest.raises(ValueError, match="unknown class"):
        search(store, "x", classes=["Nothing"])


def test_every_listed_class_is_searchable(store):
    assert index(store).classes() == set(CLASSES)


def test_limit_and_empty_queries(store):
    assert len(search(store, "a", limit=3)) == 3
    assert search(store, "") == []
    assert search(store, "  ·  ") == []
    assert search(store, "jes", limit=0) == []


def test_ids_use_the_configured_base(store):
    other = search(store, "ADN", ids=Ids("https://example.org/kg/"))[0]
    assert other["id"] == other["iri"]  # not under that base: the IRI as it is


def test_index_is_built_once_per_store(store):
    assert index(store) is index(store)


def test_normalize_folds_case_width_and_separators():
    assert normalize("Ji-Er Suan") == "jiersuan"
    assert normalize("ＡＤＮ") == "adn"
    assert normalize("尼龙66（PA66）") == "尼龙66pa66"


def test_pick_accepts_slug_id_iri_and_labels(ids):
    items = [
        {
            "iri": ids.base + "industry/p/xin-cai-liao",
            "id": "industry/p/xin-cai-liao",
            "label": "新材料",
            "label_en": "new materials",
        },
        {
            "iri": ids.base + "industry/p/sheng-wu-yi-yao",
            "id": "industry/p/sheng-wu-yi-yao",
            "label": "生物医药",
            "label_en": "biomedicine",
        },
    ]
    for key in (
        "xin-cai-liao",
        "industry/p/xin-cai-liao",
        ids.base + "industry/p/xin-cai-liao",
        "新材料",
        "New Materials",
    ):
        assert pick(items, key) is items[0], key
    assert pick(items, "xin-cai") is None
    assert pick(items, "") is None
