"""The built-in chain data, reviewed like code: every link typed, no supply link resting on
list order, the review's corrections in place, every product tied into a chain."""

from __future__ import annotations

import re

import pytest
import yaml

from chainkg.loaders.chains import SUPPLY
from chainkg.loaders.dataset import Manifest, builtin_manifest

LIST_ONLY = re.compile(r"^[、，,和及与以及\s]*$")


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load(Manifest.read(builtin_manifest()).chains.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def products(data) -> dict[str, dict]:
    return {p["id"]: p for p in data["products"]}


@pytest.fixture(scope="module")
def links(data) -> dict[tuple[str, str], dict]:
    return {(link["from"], link["to"]): link for link in data["links"]}


def names(product: dict) -> list[str]:
    return [product["zh"], *product.get("aliases", [])]


def spans(quote: str, product: dict) -> list[tuple[int, int]]:
    """Where the product is named in ``quote`` (by label or alias), a gloss in brackets right
    after the name (「尼龙66盐（己二酸己二胺盐）」) counting as part of it."""
    return [
        (m.start(), m.end())
        for name in names(product)
        for m in re.finditer(re.escape(name) + r"(?:（[^（）]*）|\([^()]*\))?", quote)
    ]


def test_every_link_has_a_relation_type(links):
    allowed = {*SUPPLY, "service", "infrastructure", "utility", "category", "complement"}
    assert {link["type"] for link in links.values()} <= allowed
    assert all(link.get("type") for link in links.values())


def test_no_supply_link_rests_on_list_order(links, products):
    """A plan quote behind a supply link names both ends, and they are not joined only by
    list punctuation (「A、B」 is a list, not a statement that A goes into B)."""
    bad = []
    for (a, b), link in links.items():
        if link["type"] not in SUPPLY or "quote" not in link:
            continue
        quote = link["quote"]
        ups, downs = spans(quote, products[a]), spans(quote, products[b])
        if not ups or not downs:
            bad.append((a, b, "quote does not name both ends"))
            continue
        between = [
            quote[min(e1, e2) : max(s1, s2)]
            for s1, e1 in ups
            for s2, e2 in downs
            if e1 <= s2 or e2 <= s1
        ]
        if between and all(LIST_ONLY.match(text) for text in between):
            bad.append((a, b, f"list order: {quote}"))
    assert bad == []


def test_a_glossed_list_is_still_a_list():
    """The check itself: 「A（gloss）、B（gloss）」 is list order."""
    a, b = {"zh": "尼龙66盐"}, {"zh": "尼龙66"}
    quote = "尼龙66盐（己二酸己二胺盐）、尼龙66（聚己二酰己二胺）"
    ups, downs = spans(quote, a), spans(quote, b)
    between = [quote[e1:s2] for _, e1 in ups for s2, _ in downs if e1 <= s2]
    assert between == ["、"] and LIST_ONLY.match(between[0])


def test_utilities_and_infrastructure_are_never_supply_inputs(links, products):
    for (a, _), link in links.items():
        if products[a]["kind"] in ("utility", "infrastructure"):
            assert link["type"] not in SUPPLY, (a, link)
    assert products["electricity"]["kind"] == "utility"


def test_once_orphan_products_are_linked(links, products):
    orphans = ["手术器械", "感控设备及耗材", "乙肝疫苗", "狂犬疫苗"]
    by_zh = {p["zh"]: pid for pid, p in products.items()}
    touched = {end for pair in links for end in pair}
    for zh in orphans:
        assert by_zh[zh] in touched, zh
    hpv = [pid for pid, p in products.items() if "HPV" in p["zh"] or "CX" in p["zh"]]
    flu = [pid for pid, p in products.items() if "流感疫苗" in p["zh"]]
    assert len(hpv) == 2 and len(flu) == 2
    assert set(hpv + flu) <= touched
    unlinked = sorted(pid for pid in products if pid not in touched)
    assert unlinked == []


def test_review_corrections_are_in_place(links, products):
    """The chemistry a chemical-industry analyst checked (docs/chain-review.md)."""
    supply = {pair for pair, link in links.items() if link["type"] in SUPPLY}
    # polyurethane: foams and elastomers are made from polyols and isocyanates
    for foam in ("pu-rigid-foam", "pu-flexible-foam", "pu-elastomer"):
        assert ("pu-resin", foam) not in supply
        assert any((p, foam) in supply for p in ("polyether-polyol", "polyester-polyol", "ptmeg"))
        assert any((i, foam) in supply for i in ("mdi", "tdi"))
    assert ("tdi", "pu-flexible-foam") in supply
    assert ("pu-resin", "synthetic-leather") in supply
    # an FPC is made from flexible copper-clad laminate, and it is a kind of PCB
    assert ("fccl", "fpc") in supply and ("pcb", "fpc") not in supply
    assert links[("fpc", "pcb")]["type"] == "category"
    # ships are built of ship plate; PET goes to tyre cord only through industrial yarn
    assert ("ship-plate", "lng-carrier") in supply
    assert ("pet", "polyester-tyre-cord") not in links
    assert ("pet", "polyester-industrial-yarn") in supply
    assert ("polyester-industrial-yarn", "polyester-tyre-cord") in supply
    assert ("pet", "pet-bottle-chip") in supply or links[("pet-bottle-chip", "pet")]
    # stations and chargers enable use; they are not built into what they serve
    assert links[("charging-pile", "nev")]["type"] == "infrastructure"
    assert ("h2-station", "hydrogen-fuel-cell") not in supply
    assert links[("home-security", "smart-home")]["type"] == "category"
