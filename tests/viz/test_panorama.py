"""The 产业链全景图 SVG: valid XML, one labelled box per product, stage order, gap marks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from chainkg.queries.chain import chain_graph
from chainkg.queries.gaps import gap_report
from chainkg.viz import panorama

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def boxes(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-product"): a for a in root.iter("{http://www.w3.org/2000/svg}a")}


@pytest.mark.parametrize("industry", ["新材料", "生物医药"])
def test_one_labelled_box_per_product(store, ids, industry):
    root = parse(panorama.svg(store, ids, industry))
    ind = panorama.find(store, ids, industry)
    g = chain_graph(store, ids)
    products = {d["id"]: d for n, d in g.nodes(data=True) if d["industry"] == ind["iri"]}
    found = boxes(root)
    assert set(found) == set(products)
    for pid, a in found.items():
        name = a.find("s:text[@class='name']", NS).text
        full = products[pid]["label"]
        assert name == full or (name.endswith("…") and full.startswith(name[:-1])), pid
        assert a.find("s:title", NS).text.startswith(full)
        assert a.get("href").endswith("/explore/product/" + pid.rsplit("/", 1)[-1])
        for t in a.iter("{http://www.w3.org/2000/svg}text"):
            assert int(t.get("font-size")) >= 12
    assert root.find("s:title", NS).text == f"{ind['label']}产业链全景图"


def test_stages_run_left_to_right_and_gaps_carry_their_rank(store, ids):
    root = parse(panorama.svg(store, ids, "新材料"))
    x = {pid: float(a.find("s:rect", NS).get("x")) for pid, a in boxes(root).items()}
    assert x["product/benzene"] < x["product/adipic-acid"] < x["product/spandex"]
    report = gap_report(store, ids, industry="新材料")
    found = boxes(root)
    for gap in report["gaps"]:
        mark = found[gap["product"]["id"]].find("s:text[@class='mark']", NS)
        assert mark is not None and mark.text == f"{gap['kind_label']['zh']} #{gap['rank']}"
    ungapped = set(found) - {g["product"]["id"] for g in report["gaps"]}
    assert ungapped and all(found[p].find("s:text[@class='mark']", NS) is None for p in ungapped)


def test_supply_links_between_boxes_plan_stated_solid(store, ids):
    root = parse(panorama.svg(store, ids, "新材料"))
    ind = panorama.find(store, ids, "新材料")
    g = chain_graph(store, ids)
    inside = [
        (u, v, e)
        for u, v, e in g.edges(data=True)
        if g.nodes[u]["industry"] == ind["iri"] and g.nodes[v]["industry"] == ind["iri"]
    ]
    paths = [
        p for p in root.iter("{http://www.w3.org/2000/svg}path") if "link" in (p.get("class") or "")
    ]
    assert len(paths) == len(inside)
    plan = sum(e["evidence"] == "PlanTextEvidence" for _, _, e in inside)
    assert sum("plan" in p.get("class") for p in paths) == plan
    assert all(p.get("stroke-dasharray") for p in paths if "domain" in p.get("class"))


def test_english_labels_and_unknown_industry(store, ids):
    root = parse(panorama.svg(store, ids, "xin-cai-liao", lang="en"))
    names = {a.find("s:text[@class='name']", NS).text for a in boxes(root).values()}
    assert "adipic acid" in names
    assert "Upstream" in "".join(
        t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")
    )
    with pytest.raises(KeyError):
        panorama.svg(store, ids, "nowhere")


def test_district_panorama_holds_every_industry(store, ids):
    root = parse(panorama.district_svg(store, ids))
    g = chain_graph(store, ids)
    assert set(boxes(root)) == {d["id"] for _, d in g.nodes(data=True)}
    groups = [e for e in root.iter("{http://www.w3.org/2000/svg}g") if e.get("class") == "industry"]
    assert len(groups) == 7
    tops = [float(e.get("transform").split(",")[1].rstrip(")")) for e in groups]
    assert tops == sorted(tops) and tops[0] == 0
