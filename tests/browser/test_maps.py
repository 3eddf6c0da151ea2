"""The network maps read at first sight, measured in a real Chromium at 1366×768.

For every page with a map, in Chinese and English, from the page itself: every node drawn
in the box has its label at 12 px or more on screen (font size × ``network.getScale()``),
no two drawn nodes (with their labels) overlap, the drawing spans at least half the box's
width, and the legend is on screen together with the map. On the path finder the route is
on the first screen without scrolling. A graph too big to label is folded into labelled
groups that open on click.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS, page_url, screenshot

VIEWPORT = {"width": 1366, "height": 768}
MAPS = [
    ("industry-xin-cai-liao", "/explore/industry/新材料", {}),
    ("industry-sheng-wu-yi-yao", "/explore/industry/生物医药", {}),
    ("park-bai-tao", "/explore/park/白涛新材料科技城", {}),
    ("park-lin-gang", "/explore/park/临港经济区", {}),
    ("product-ji-er-suan", "/explore/product/己二酸", {}),
    ("product-nylon-depth-4", "/explore/product/尼龙66", {"depth": "4"}),
    ("paths", "/explore/paths", {"from": "己二酸", "to": "尼龙66"}),
    ("gaps-all", "/explore/gaps", {}),
    ("gaps-xin-cai-liao", "/explore/gaps", {"industry": "新材料"}),
]
LANGS = ["zh", "en"]
CASES = [
    pytest.param(path, query, lang, id=f"{name}-{lang}")
    for name, path, query in MAPS
    for lang in LANGS
]

# Every drawn node of the map: its id, rendered font px, box (node and label) on screen,
# whether it is marked (path, focus, gap) and whether it is a folded group; and the box.
MEASURE = """() => {
  const net = window.chainkgNetwork, holder = document.getElementById('network');
  const box = holder.getBoundingClientRect(), scale = net.getScale();
  const nodes = Object.values(net.body.nodes).filter(n => net.body.nodeIndices.includes(n.id));
  return {
    holder: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
    scale: scale, depth: holder.dataset.depth, pan: holder.dataset.pan,
    nodes: nodes.map(n => {
      const b = net.getBoundingBox(n.id);
      const a = net.canvasToDOM({x: b.left, y: b.top});
      const z = net.canvasToDOM({x: b.right, y: b.bottom});
      return {id: String(n.id), label: String(n.options.label || ''),
              px: n.options.font.size * scale, mark: n.options.mark || null,
              group: !!n.options.members,
              r: {left: a.x + box.left, top: a.y + box.top,
                  right: z.x + box.left, bottom: z.y + box.top}};
    }),
  };
}"""


def visible(r: dict, holder: dict) -> bool:
    return (
        r["right"] > holder["left"]
        and r["left"] < holder["right"]
        and r["bottom"] > holder["top"]
        and r["top"] < holder["bottom"]
    )


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def open_map(page, path: str, query: dict, lang: str) -> dict:
    page.set_viewport_size(VIEWPORT)
    page.goto(page_url(path, dict(query, lang="en") if lang == "en" else query))
    expect(page.locator("#network[data-drawn=true]")).to_be_attached(timeout=TIMEOUT_MS)
    return page.evaluate(MEASURE)


def drawn(data: dict) -> list[dict]:
    return [n for n in data["nodes"] if visible(n["r"], data["holder"])]


@pytest.mark.parametrize(("path", "query", "lang"), CASES)
def test_map_is_legible_at_first_sight(page, watch, path, query, lang):
    data = open_map(page, path, query, lang)
    shown = drawn(data)
    assert len(shown) >= 3, f"only {len(shown)} nodes in view"
    small = [(n["label"], round(n["px"], 1)) for n in shown if n["px"] < 12 - 1e-6]
    assert small == [], f"labels under 12 px: {small[:5]}"
    clashes = [
        (a["label"], b["label"])
        for i, a in enumerate(shown)
        for b in shown[:i]
        if overlap(a["r"], b["r"])
    ]
    assert clashes == [], f"overlapping nodes: {clashes[:5]}"
    holder = data["holder"]
    left = max(holder["left"], min(n["r"]["left"] for n in shown))
    right = min(holder["right"], max(n["r"]["right"] for n in shown))
    assert right - left >= 0.5 * (holder["right"] - holder["left"]), (
        f"drawing spans {right - left:.0f} of {holder['right'] - holder['left']:.0f} px"
    )
    marked = [n for n in data["nodes"] if n["mark"] in ("path", "focus")]
    assert all(visible(n["r"], holder) for n in marked), "a marked node is out of view"
    watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_legend_is_on_screen_with_the_map(page, watch, lang):
    open_map(page, "/explore/industry/新材料", {}, lang)
    page.locator("figure.map").evaluate("f => f.scrollIntoView({block: 'start'})")
    legend = page.locator("figure.map .legend").bounding_box()
    holder = page.locator("#network").bounding_box()
    assert legend and holder
    assert legend["y"] >= -1 and legend["y"] + legend["height"] <= VIEWPORT["height"]
    assert holder["y"] + holder["height"] <= VIEWPORT["height"], "the map runs off the screen"


@pytest.mark.parametrize("lang", LANGS)
def test_route_is_on_the_first_screen(page, watch, lang):
    data = open_map(page, "/explore/paths", {"from": "己二酸", "to": "尼龙66"}, lang)
    route = [n for n in data["nodes"] if n["mark"] == "path"]
    assert len(route) >= 3
    for n in route:
        r = n["r"]
        assert r["top"] >= 0 and r["bottom"] <= VIEWPORT["height"], f"{n['label']} below the fold"
        assert r["left"] >= 0 and r["right"] <= VIEWPORT["width"]
    screenshot(page, f"path-route-{lang}", full_page=False)


@pytest.mark.parametrize("lang", LANGS)
def test_big_map_folds_into_groups_that_open_on_click(page, watch, lang):
    open_map(page, "/explore/industry/新材料", {}, lang)
    page.locator("figure.map").evaluate("f => f.scrollIntoView({block: 'start'})")
    data = page.evaluate(MEASURE)
    groups = [n for n in drawn(data) if n["group"]]
    assert data["depth"] in ("1", "2", "3") and groups, "新材料 is drawn unfolded"
    expect(page.locator("#map-tools")).to_be_visible()
    assert page.locator("#map-state").inner_text().strip()
    biggest = max(groups, key=lambda n: (n["r"]["bottom"] - n["r"]["top"], n["label"]))
    r = biggest["r"]
    before = {n["id"] for n in data["nodes"]}
    page.mouse.click((r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2)
    page.wait_for_function(
        "id => !window.chainkgNetwork.body.nodeIndices.includes(id)",
        arg=biggest["id"],
        timeout=TIMEOUT_MS,
    )
    expect(page.locator("#network[data-drawn=true]")).to_be_attached(timeout=TIMEOUT_MS)
    after = page.evaluate(MEASURE)
    opened = {n["id"] for n in after["nodes"]} - before
    assert len(opened) >= 2, "the group did not open into its members"
    shown = drawn(after)
    assert [n["label"] for n in shown if n["px"] < 12 - 1e-6] == []
    assert any(n["id"] in opened for n in shown), "the opened members are not in view"
    page.locator("#map-fold").click()
    expect(page.locator("#network[data-drawn=true]")).to_be_attached(timeout=TIMEOUT_MS)
    again = page.evaluate(MEASURE)
    assert biggest["id"] in {n["id"] for n in again["nodes"]}
    watch.assert_clean()
