"""The explorer pages in a real headless Chromium, in Chinese and English.

Every page loads from the test server alone, logs no error, carries the shared hooks
(language switch, search with suggestions), and every map is really drawn by vis-network.
End to end: the path finder finds 己二酸 → 尼龙66盐 → 尼龙66 with the plan's words, the gap
map's CSV and Excel downloads hold the ranked gaps of ``/api/gaps``, and the SPARQL page
runs its examples and a typed query. Full-page screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from chainkg.queries.gaps import COLUMNS

from .conftest import TIMEOUT_MS, page_url, screenshot


@dataclass(frozen=True)
class Spec:
    name: str
    path: str
    query: dict[str, str]
    is_map: bool  # must hold a vis-network map in div#network


PAGES = [
    Spec("home", "/", {}, False),
    Spec("industry", "/explore/industry/新材料", {}, True),
    Spec("park", "/explore/park/临港经济区", {}, True),
    Spec("product", "/explore/product/己二酸", {}, True),
    Spec("paths", "/explore/paths", {"from": "", "to": ""}, False),
    Spec("paths-result", "/explore/paths", {"from": "己二酸", "to": "尼龙66"}, True),
    Spec("gaps", "/explore/gaps", {"industry": "新材料"}, True),
    Spec("sparql", "/explore/sparql", {}, False),
]
LANGS = ["zh", "en"]
CASES = [pytest.param(spec, lang, id=f"{spec.name}-{lang}") for spec in PAGES for lang in LANGS]
SHARED_HOOKS = ["a#lang-switch", "form#search", "#search-q", "#search-suggestions"]
PARKS_ZH = """PREFIX ck: <https://w3id.org/chainkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?park ?label WHERE {
  ?park a ck:Park ; rdfs:label ?label . FILTER(LANG(?label) = "zh")
} ORDER BY ?label"""

# Distinct RGBA values on a canvas (sampled, capped): 1 for a blank canvas.
CANVAS_COLOURS = """(selector) => {
  const c = document.querySelector(selector);
  if (!c || !c.width || !c.height) return 0;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const stride = 4 * Math.max(1, Math.floor(data.length / 4 / 40000));
  const seen = new Set();
  for (let i = 0; i < data.length && seen.size < 64; i += stride) {
    seen.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
  }
  return seen.size;
}"""
# Everything a suggestion box may show: its text, and its options' values and labels.
SUGGESTION_TEXT = """() => {
  const box = document.querySelector('#search-suggestions');
  if (!box) return '';
  const options = [...box.querySelectorAll('option')].map(o => o.value + ' ' + o.label);
  return box.textContent + ' ' + options.join(' ');
}"""


def url_for(spec: Spec, lang: str) -> str:
    query = dict(spec.query, lang="en") if lang == "en" else spec.query
    return page_url(spec.path, query)


def open_page(page, spec: Spec, lang: str):
    """Load a page and wait until it is quiet (bounded); return the main response."""
    response = page.goto(url_for(spec, lang), wait_until="load")
    assert response is not None, f"{spec.path}: no response"
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    try:
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    except Exception as exc:  # a page that keeps polling is reported, not waited on
        pytest.fail(f"{response.url}: network still busy after {TIMEOUT_MS} ms ({exc})")
    return response


def missing_hooks(page, selectors: list[str]) -> list[str]:
    return [s for s in selectors if page.locator(s).count() == 0]


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang") or ""


def assert_map_drawn(page, spec: Spec) -> None:
    """The map's canvas exists, has a size, and vis-network has drawn more than a blank."""
    canvas = page.locator("div#network canvas")
    expect(canvas.first).to_be_attached(timeout=TIMEOUT_MS)
    try:
        page.wait_for_function(
            f"() => ({CANVAS_COLOURS})('div#network canvas') >= 8", timeout=TIMEOUT_MS
        )
    except PlaywrightTimeout:
        n = page.evaluate(f"({CANVAS_COLOURS})('div#network canvas')")
        pytest.fail(f"{spec.name}: the map is still blank after {TIMEOUT_MS} ms ({n} colours)")
    box = canvas.first.bounding_box()
    assert box and box["width"] >= 200 and box["height"] >= 150, f"{spec.name}: map is {box}"
    shot = Image.open(io.BytesIO(canvas.first.screenshot(animations="disabled"))).convert("RGB")
    colours = shot.getcolors(maxcolors=shot.width * shot.height)
    background = max(count for count, _ in colours)
    inked = 1 - background / (shot.width * shot.height)
    assert len(colours) >= 8 and inked >= 0.005, (
        f"{spec.name}: map looks blank ({len(colours)} colours, {inked:.2%} of pixels drawn)"
    )


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def api(server, path: str, **query: str) -> dict:
    return fetch_json(server.url + page_url(path, query))


@pytest.mark.parametrize(("spec", "lang"), CASES)
def test_page_loads_offline_clean_and_drawn(page, watch, spec, lang):
    open_page(page, spec, lang)
    wanted = SHARED_HOOKS + (["div#network"] if spec.is_map else [])
    assert not missing_hooks(page, wanted), f"{spec.name}: missing {missing_hooks(page, wanted)}"
    assert html_lang(page).lower().startswith(lang), f'<html lang="{html_lang(page)}">'
    if page.locator("div#network").count():
        assert_map_drawn(page, spec)
    path = screenshot(page, f"{spec.name}-{lang}")
    with Image.open(path) as shot:
        assert shot.width >= 1000 and shot.height >= 300
    watch.assert_clean()


@pytest.mark.parametrize(("spec", "lang"), CASES)
def test_language_switch_leads_to_the_other_language(page, watch, spec, lang):
    open_page(page, spec, lang)
    before = urlsplit(page.url)
    text_before = page.inner_text("body")
    switch = page.locator("a#lang-switch")
    expect(switch).to_be_visible()
    with page.expect_navigation(wait_until="load"):
        switch.click()
    other = "zh" if lang == "en" else "en"
    assert html_lang(page).lower().startswith(other), f'after the switch: lang="{html_lang(page)}"'
    after = urlsplit(page.url)
    assert after.path == before.path, f"the switch left the page: {page.url}"
    keep = {k: v for k, v in parse_qs(before.query).items() if k != "lang"}
    assert {k: v for k, v in parse_qs(after.query).items() if k != "lang"} == keep
    text_after = page.inner_text("body")
    assert text_after != text_before

    def latin_share(text: str) -> float:
        letters = re.findall(r"[A-Za-z]|[\u4e00-\u9fff]", text)
        return sum(c.isascii() for c in letters) / max(1, len(letters))

    english, chinese = (text_after, text_before) if other == "en" else (text_before, text_after)
    assert latin_share(english) > latin_share(chinese)
    watch.assert_clean()


@pytest.mark.parametrize(("spec", "lang"), CASES)
def test_search_suggests_by_pinyin(page, watch, spec, lang):
    open_page(page, spec, lang)
    box = page.locator("#search-q")
    box.click()
    box.press_sequentially("jiersuan", delay=40)
    page.wait_for_function(f"() => ({SUGGESTION_TEXT})().includes('己二酸')", timeout=TIMEOUT_MS)
    suggestions = page.locator("#search-suggestions")
    if suggestions.evaluate("e => e.tagName") != "DATALIST":
        expect(suggestions.get_by_text("己二酸").first).to_be_visible()
    watch.assert_clean()


def test_path_finder_end_to_end(page, watch, server):
    expected = api(server, "/api/paths", **{"from": "己二酸", "to": "尼龙66"})
    steps = expected["paths"][0]["steps"]
    assert [s["to"] for s in steps] == ["尼龙66盐", "尼龙66"]
    page.goto(page_url("/explore/paths", {"from": "", "to": ""}))
    page.locator("#path-from").fill("")
    page.locator("#path-from").press_sequentially("己二酸", delay=40)
    page.locator("#path-to").fill("")
    # let the suggestion request for the last keystroke finish: clicking "go" navigates,
    # and Chromium reports a request cut short by navigation as failed (net::ERR_ABORTED)
    with page.expect_response(lambda r: parse_qs(urlsplit(r.url).query).get("q") == ["尼龙66"]):
        page.locator("#path-to").press_sequentially("尼龙66", delay=40)
    page.locator("#path-to").press("Escape")  # close a suggestion list, if any
    page.locator("#path-go").click()
    shown = page.locator("#path-result .step")
    expect(shown).to_have_count(2, timeout=TIMEOUT_MS)
    result = page.inner_text("#path-result")
    assert "尼龙66盐" in result
    for i, step in enumerate(steps):
        said = step["quote"] or step["reason"]  # the plan's words, or the domain reason
        assert said, step
        assert said in shown.nth(i).inner_text(), f"step {i + 1} lacks its evidence"
    assert steps[0]["quote"] and steps[1]["reason"]
    if page.locator("div#network").count():
        assert_map_drawn(page, PAGES[5])
    screenshot(page, "paths-finder-zh")
    watch.assert_clean()


def test_gap_map_rows_and_exports(page, watch, server):
    report = api(server, "/api/gaps", industry="新材料", format="json")
    gaps = report["gaps"]
    assert gaps, "the 新材料 report has no gaps to compare with"
    page.goto(page_url("/explore/gaps", {"industry": "新材料"}))
    rows = page.locator("table#gap-table-attract tr.gap")
    expect(rows.first).to_be_visible()
    attract = [g for g in gaps if g["list"] == "attract"]
    shown = rows.count()
    assert 1 <= shown <= len(attract)
    for i in range(min(shown, 10)):  # the list keeps the API's rank order
        assert attract[i]["product"]["label"] in rows.nth(i).inner_text(), f"row {i + 1}"
    for name in ("strengthen", "risks"):
        expect(page.locator(f"h2#list-{name}")).to_be_attached()

    exports = {}
    for fmt in ("csv", "xlsx"):
        link = page.locator(f"a#export-{fmt}")
        href = urljoin(page.url, link.get_attribute("href") or "")
        parts = urlsplit(href)
        query = parse_qs(parts.query)
        assert parts.netloc == urlsplit(server.url).netloc and parts.path == "/api/gaps", href
        assert query.get("format") == [fmt] and query.get("industry"), href
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            link.click()
        exports[fmt] = (download.value.suggested_filename, Path(download.value.path()).read_bytes())

    name, body = exports["csv"]
    assert name.endswith(".csv")
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = table[0], table[1:]
    assert header == [zh for _, zh in COLUMNS]
    col = {zh: header.index(zh) for zh in ("排名", "产品", "标识")}
    assert [(r[col["排名"]], r[col["产品"]], r[col["标识"]]) for r in data] == [
        (str(g["rank"]), g["product"]["label"], g["product"]["id"]) for g in gaps
    ]

    name, body = exports["xlsx"]
    assert name.endswith(".xlsx")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][: len(header)]) == header
    ids = [r[col["标识"]] for r in values[1:] if r[col["标识"]]]
    assert ids == [g["product"]["id"] for g in gaps]
    watch.assert_clean()


def test_sparql_page_runs_examples_and_typed_queries(page, watch, server):
    page.goto(page_url("/explore/sparql"))
    text = page.locator("textarea#sparql-query")
    examples = page.locator("button.example")
    expect(text).to_be_visible()
    assert examples.count() >= 1, "no button.example"

    examples.first.click()
    assert re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", text.input_value(), re.I)
    page.locator("button#sparql-run").click()
    expect(page.locator("table#sparql-results tbody tr").first).to_be_visible()

    text.fill(PARKS_ZH)
    page.locator("button#sparql-run").click()
    expected = fetch_json(server.url + "/sparql?" + urlencode({"query": PARKS_ZH}))
    labels = [b["label"]["value"] for b in expected["results"]["bindings"]]
    assert len(labels) == 3 and "临港经济区" in labels
    rows = page.locator("table#sparql-results tbody tr")
    expect(rows).to_have_count(len(labels), timeout=TIMEOUT_MS)
    for i, label in enumerate(labels):  # waits for the new rows (the old ones may be 3 too)
        expect(rows.nth(i)).to_contain_text(label, timeout=TIMEOUT_MS)
    screenshot(page, "sparql-results-zh")

    links = page.locator("a.download")
    assert links.count() >= 1, "no a.download links"
    for link in links.all():
        href = urljoin(page.url, link.get_attribute("href") or "")
        assert urlsplit(href).netloc == urlsplit(server.url).netloc, href
        answer = page.request.get(href, timeout=TIMEOUT_MS)
        assert answer.status == 200 and answer.body(), f"{href}: HTTP {answer.status}"
        if "CSV" in link.inner_text().upper() or "csv" in href:
            assert "临港经济区" in answer.body().decode("utf-8-sig")
    watch.assert_clean()


PANORAMA_JS = """() => {
  const svg = document.querySelector('#panorama svg.panorama');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => ({
    px: parseFloat(t.getAttribute('font-size')) * scale,
    r: t.getBoundingClientRect().toJSON(), s: t.textContent}));
  const rects = [...svg.querySelectorAll('a.box rect')]
    .map(r => r.getBoundingClientRect().toJSON());
  return {width: box.width, container: svg.parentElement.getBoundingClientRect().width,
          texts, rects, boxes: svg.querySelectorAll('a.box').length};
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and (a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5)
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("industry", "slug"), [("新材料", "xin-cai-liao"), ("生物医药", "sheng-wu-yi-yao")]
)
def test_panorama_is_legible_at_1366(page, watch, server, industry, slug, lang):
    page.set_viewport_size({"width": 1366, "height": 768})
    query = {"lang": "en"} if lang == "en" else {}
    page.goto(page_url(f"/explore/industry/{industry}", query))
    expect(page.locator("#panorama svg.panorama")).to_be_visible()
    data = page.evaluate(PANORAMA_JS)
    products = api(server, f"/api/industries/{slug}")["products"]
    assert data["boxes"] == len(products)
    assert data["width"] >= 0.5 * data["container"]
    small = [t["s"] for t in data["texts"] if t["px"] < 12 - 1e-6]
    assert small == []
    rects = data["rects"]
    clashes = [(i, j) for i in range(len(rects)) for j in range(i) if _overlap(rects[i], rects[j])]
    assert clashes == []
    names = [t for t in data["texts"] if t["r"]["height"] > 0]
    assert names, "no label was drawn"
    href = page.locator("a#panorama-svg").get_attribute("href") or ""
    assert "/api/map/" in href and "download=true" in href
    png = page.locator("a#panorama-png").get_attribute("href") or ""
    assert "format=png" in png and "download=true" in png
    page.locator("#panorama").screenshot(path=str(screenshot_path(f"panorama-{slug}-{lang}")))


def screenshot_path(name: str) -> Path:
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_gap_page_prints_without_chrome(page, watch, server):
    page.goto(page_url("/explore/gaps", {"industry": "新材料"}))
    expect(page.locator("table#gap-table-attract")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ("header", "form.filters", "#gap-map"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("table#gap-table-attract")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
