"""Explorer pages, in process: every page in zh and en, its DOM hooks, its map data, offline."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi.testclient import TestClient

from chainkg.api.app import create_app
from chainkg.api.settings import Settings
from chainkg.queries import named_queries
from chainkg.viz.network import FIRM_COLOR, STATUS_COLORS

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
MAPS = [
    "/explore/industry/xin-cai-liao",
    "/explore/park/lin-gang-jing-ji-qu",
    "/explore/product/adipic-acid",
    "/explore/paths?from=己二酸&to=尼龙66",
    "/explore/gaps?industry=新材料",
]
PAGES = ["/", *MAPS, "/explore/paths", "/explore/gaps", "/explore/sparql"]


class Page(HTMLParser):
    """Every element of a page: tag, attributes and the text inside it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": {k: v or "" for k, v in attrs}, "text": []}
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"].append(data)

    def find(self, tag: str | None = None, **attrs) -> list[dict]:
        """Elements with ``tag`` whose attributes hold ``attrs`` (``cls`` matches a class)."""
        out = []
        for e in self.elements:
            if tag and e["tag"] != tag:
                continue
            a = e["attrs"]
            if "cls" in attrs and attrs["cls"] not in a.get("class", "").split():
                continue
            if all(a.get(k) == v for k, v in attrs.items() if k != "cls"):
                out.append(e)
        return out

    def one(self, tag: str | None = None, **attrs) -> dict:
        found = self.find(tag, **attrs)
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]


def text(element: dict) -> str:
    return "".join(element["text"])


@pytest.fixture(scope="module")
def client(built_home):
    with TestClient(create_app(Settings(store=built_home.location))) as c:
        yield c


def get(client, url: str, status: int = 200, **kwargs):
    r = client.get(url, **kwargs)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    return r


def network(page: Page) -> dict:
    return json.loads(text(page.one("script", id="network-data")))


def external(html: str) -> list[str]:
    """Every src=, href=, @import and url( of a page that points at another server."""
    page = Page(html)
    refs = [v for e in page.elements for k, v in e["attrs"].items() if k in ("src", "href")]
    refs += re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", html)
    refs += re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    return [u for u in refs if urlsplit(u).netloc not in ("", "testserver") or u.startswith("//")]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_in_both_languages_with_hooks(client, url, lang):
    sep = "&" if "?" in url else "?"
    html = get(client, url + (f"{sep}lang=en" if lang == "en" else "")).text
    assert f'<html lang="{lang}">' in html
    page = Page(html)
    switch = page.one("a", id="lang-switch")
    query = parse_qs(urlsplit(switch["attrs"]["href"]).query)
    assert query.get("lang") == (None if lang == "en" else ["en"])
    for key, values in parse_qs(urlsplit(url).query).items():
        assert query.get(key) == values, "the switch keeps the page's parameters"
    page.one("form", id="search")
    page.one("input", id="search-q")
    page.one(id="search-suggestions")
    assert not external(html), external(html)
    if url in MAPS:
        page.one("div", id="network")
        scripts = [e["attrs"].get("src") for e in page.find("script")]
        assert "/static/vis-network.min.js" in scripts and "/static/explorer.js" in scripts
        assert network(page)["nodes"]


def test_vis_network_is_served_locally_and_is_the_real_library(client):
    r = get(client, "/static/vis-network.min.js")
    assert r.headers["content-type"].startswith("text/javascript")
    assert len(r.content) > 100_000 and b"vis-network" in r.content
    for name in ("vis-network.css", "explorer.js", "explorer.css", "sparql.js"):
        body = get(client, f"/static/{name}").text
        assert all(u.startswith("data:") for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", body))
        assert not re.search(r"@import|(src|href)\s*=\s*['\"]?(https?:)?//", body), name
    assert get(client, "/static/favicon.svg").headers["content-type"] == "image/svg+xml"
    get(client, "/static/nothing.js", 404)


def test_industry_map_nodes_coloured_by_status(client):
    page = Page(get(client, "/explore/industry/新材料").text)
    data = network(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {"己二酸", "尼龙66盐", "PET"} <= labels
    for node in data["nodes"]:
        colour = FIRM_COLOR if node["status"] == "enterprise" else STATUS_COLORS[node["status"]]
        assert node["color"]["background"] == colour, node["label"]
        assert node["url"].startswith("/explore/product/") or node["status"] == "enterprise"
        assert node["label"] in node["title"] or node["status"] == "enterprise"
    assert {n["status"] for n in data["nodes"]} >= {"operating", "plan", "none", "enterprise"}
    assert {e["evidence"] for e in data["edges"]} >= {"PlanTextEvidence", "DomainKnowledge"}
    assert data["options"]["physics"]["enabled"] is False
    assert all(n["clusters"] for n in data["nodes"]), "every node can fold into its groups"
    assert not page.find(id="more"), "89 nodes fit under the default cap"
    for hook in ("己二酸", "重点环节", "企业", "缺口"):
        assert hook in text(page.one("main"))


def test_more_marker_when_the_cap_cuts(client):
    page = Page(get(client, "/explore/industry/xin-cai-liao?cap=10").text)
    data = network(page)
    assert data["shown"] == len(data["nodes"]) == 10 and data["more"] == data["total"] - 10
    more = page.one(id="more")
    assert str(data["more"]) in text(more)
    after = page.elements[page.elements.index(more) :]
    href = next(e["attrs"]["href"] for e in after if e["tag"] == "a")
    assert int(parse_qs(urlsplit(href).query)["cap"][0]) > 10
    gaps = Page(get(client, "/explore/gaps").text)
    assert network(gaps)["more"] > 0 and gaps.one(id="more")


def test_the_same_page_twice_draws_the_same_map(client, built_home):
    first = network(Page(get(client, "/explore/industry/xin-cai-liao").text))
    again = network(Page(get(client, "/explore/industry/xin-cai-liao").text))
    assert first == again
    with TestClient(create_app(Settings(store=built_home.location))) as other:
        fresh = network(Page(get(other, "/explore/industry/xin-cai-liao").text))
    assert [(n["id"], n["level"]) for n in fresh["nodes"]] == [
        (n["id"], n["level"]) for n in first["nodes"]
    ]
    assert fresh["options"] == first["options"]
    assert first["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["level"], int) for n in first["nodes"])


def test_path_finder_explains_each_step(client):
    page = Page(get(client, "/explore/paths?from=己二酸&to=尼龙66").text)
    for hook in ("path-from", "path-to", "path-go"):
        page.one(id=hook)
    assert page.one("input", id="path-from")["attrs"]["value"] == "己二酸"
    result = page.one(id="path-result")
    steps = page.find(cls="step")
    assert len(steps) == 2
    assert "己二酸" in text(steps[0]) and "尼龙66盐" in text(steps[0])
    assert "尼龙66盐（己二酸己二胺盐）" in text(steps[0]) and "三（一）1 新材料" in text(steps[0])
    # salt → PA66: the plan lists both, so the step shows its domain reason
    assert "尼龙66" in text(steps[1]) and "polycondensation" in text(steps[1])
    line = re.sub(r"\s+", "", text(result))
    assert "己二酸→尼龙66盐→尼龙66" in line
    data = network(page)
    marked = [n["label"] for n in data["nodes"] if n["mark"] == "path"]
    assert marked == ["己二酸", "尼龙66盐", "尼龙66"]
    assert len([e for e in data["edges"] if e["mark"] == "path"]) == 2
    en = Page(get(client, "/explore/paths?from=jiersuan&to=nylon-66&lang=en").text)
    assert len(en.find(cls="step")) == 2 and "adipic acid" in text(en.one(id="path-result"))


def test_path_finder_domain_steps_and_unknown_names(client):
    page = Page(get(client, "/explore/paths?from=页岩气&to=氨纶").text)
    api = get(client, "/api/paths", params={"from": "页岩气", "to": "氨纶"}).json()
    steps = page.find(cls="step")
    assert len(steps) == len(api["paths"][0]["steps"]) > 1
    kinds = set()
    for element, step in zip(steps, api["paths"][0]["steps"], strict=True):
        words = text(element)
        assert (step["quote"] or step["reason"]) in words
        assert not step["section_label"] or step["section_label"] in words
        kinds.add(step["evidence"])
    assert kinds == {"PlanTextEvidence", "DomainKnowledge"}, "both kinds of step are explained"
    missing = Page(get(client, "/explore/paths?from=己二晴&to=尼龙66").text)
    assert "己二腈" in text(missing.one(id="path-result"))
    blank = Page(get(client, "/explore/paths").text)
    assert not blank.find(cls="step") and not blank.find(id="network")


@pytest.mark.parametrize("query", ["", "industry=新材料", "park=白涛新材料科技城&kind=missing"])
def test_gap_lists_in_api_order_with_exports(client, query):
    page = Page(get(client, f"/explore/gaps?{query}").text)
    api = get(client, f"/api/gaps?{query}").json()  # both show the first 30 of each list
    rows = page.find("tr", cls="gap")
    assert [(r["attrs"]["data-list"], r["attrs"]["data-product"]) for r in rows] == [
        (g["list"], g["product"]["id"]) for g in api["gaps"]
    ]
    for name in ("attract", "strengthen", "risks"):
        table = page.one("table", id=f"gap-table-{name}")
        ranks = [int(r["attrs"]["data-rank"]) for r in rows if r["attrs"]["data-list"] == name]
        assert ranks == list(range(1, len(ranks) + 1)) and table
    page.one("table", id="target-table")
    checked = [r for r in page.find("tr") if r["attrs"].get("class", "").startswith("target-")]
    assert len(checked) == len(api["targets"]["confirmed"]) + len(api["targets"]["not_confirmed"])
    assert page.one(id="not-named")
    for fmt in ("csv", "xlsx"):
        href = page.one("a", id=f"export-{fmt}")["attrs"]["href"]
        parts = urlsplit(href)
        assert parts.path == "/api/gaps" and parse_qs(parts.query)["format"] == [fmt]
        assert get(client, href).headers["content-disposition"].startswith("attachment")
    data = network(page)
    gap_nodes = [n for n in data["nodes"] if n["mark"] == "gap"]
    shown = {g["product"]["id"] for g in api["gaps"]} & {n["id"] for n in data["nodes"]}
    assert shown <= {n["id"] for n in gap_nodes} and gap_nodes


def test_gap_page_shows_all_on_request(client):
    page = Page(get(client, "/explore/gaps?top=0").text)
    api = get(client, "/api/gaps?top=0").json()
    assert len(page.find("tr", cls="gap")) == len(api["gaps"]) == api["counts"]["gaps"]


def test_gap_page_unknown_filters(client):
    page = Page(get(client, "/explore/gaps?industry=新材", 404).text)
    assert "新材料" in text(page.one("main"))
    get(client, "/explore/gaps?kind=nonsense", 400)


@pytest.mark.parametrize(
    "key", ["adipic-acid", "product/adipic-acid", "己二酸", "adipic acid", "AA", "jiersuan"]
)
def test_product_page_by_any_name(client, key):
    data = get(client, f"/explore/product/{quote(key)}?format=json").json()
    assert data["product"]["id"] == "product/adipic-acid"


def test_product_page_neighbourhood_producers_and_evidence(client):
    html = get(client, "/explore/product/adipic-acid").text
    page = Page(html)
    data = network(page)
    focus = [n for n in data["nodes"] if n["mark"] == "focus"]
    assert [n["label"] for n in focus] == ["己二酸"]
    labels = {n["label"] for n in data["nodes"]}
    assert {"尼龙66盐", "合成氨"} <= labels and "重庆华峰化工有限公司" in labels
    assert any(e["evidence"] == "RegistryEvidence" for e in data["edges"])
    main = text(page.one("main"))
    assert "重庆华峰化工有限公司" in main and "115万吨己二酸扩建项目" in main
    assert "<mark>尼龙66盐（己二酸己二胺盐）</mark>" in html, "the quote is marked in the section"
    deeper = network(Page(get(client, "/explore/product/adipic-acid?depth=1").text))
    assert len(deeper["nodes"]) < len(data["nodes"])


def test_unknown_product_is_a_404_page_with_suggestions(client):
    for lang in ("zh", "en"):
        r = get(client, f"/explore/product/己二晴?lang={lang}", 404)
        assert f'<html lang="{lang}">' in r.text
        links = [e["attrs"]["href"] for e in Page(r.text).find("a")]
        assert any(h.startswith("/explore/product/adiponitrile") for h in links)


def test_park_page(client):
    page = Page(get(client, "/explore/park/临港经济区").text)
    main = text(page.one("main"))
    assert "75.08" in main and "200" in main and "21.6%" in main
    assert "重庆万凯新材料科技有限公司" in main
    assert "PET" in {n["label"] for n in network(page)["nodes"]}
    get(client, "/explore/park/nowhere", 404)


def test_park_page_marks_projects_on_every_backend(client):
    """Virtuoso answers ``BIND(EXISTS …)`` as 1/0, not a boolean: both read as projects."""
    items = get(client, "/explore/park/临港经济区?format=json").json()["projects"]
    marked = [i for i in items if i["project"]]
    assert marked and len(marked) < len(items)  # projects and plain items both there
    assert any("项目" in i["text"] or i["capacity"] for i in marked)


def test_home_page(client):
    page = Page(get(client, "/").text)
    main = text(page.one("main"))
    for words in ("新材料", "优势支柱产业", "规模以上战略性新兴产业产值", "666", "1400", "16.0%"):
        assert words in main, words
    hrefs = {e["attrs"]["href"] for e in page.find("a")}
    assert "/explore/park/lin-gang-jing-ji-qu" in hrefs
    assert "/explore/industry/xin-cai-liao" in hrefs
    assert "advantage pillar industries" in get(client, "/?lang=en").text


def test_sparql_page_examples_run_and_download(client):
    page = Page(get(client, "/explore/sparql").text)
    page.one("textarea", id="sparql-query")
    page.one("button", id="sparql-run")
    page.one("table", id="sparql-results")
    buttons = page.find("button", cls="example")
    assert [b["attrs"]["data-name"] for b in buttons] == list(named_queries())
    for b in buttons:
        query = b["attrs"]["data-query"]
        assert "VALUES" in query or not named_queries()[b["attrs"]["data-name"]].params
        r = client.get("/sparql", params={"query": query, "format": "json"})
        assert r.status_code == 200, (b["attrs"]["data-name"], r.text)
    formats = {
        a["attrs"]["data-format"]: a["attrs"]["href"] for a in page.find("a", cls="download")
    }
    assert {"json", "xml", "csv", "tsv", "turtle"} <= set(formats)
    for fmt, href in formats.items():
        parts = urlsplit(href)
        assert parts.path == "/sparql" and parse_qs(parts.query)["format"] == [fmt]
        assert get(client, href).status_code == 200


def test_sparql_page_renders_results_and_errors(client):
    q = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 5"
    page = Page(get(client, f"/explore/sparql?query={quote(q)}").text)
    table = page.one("table", id="sparql-results")
    assert len(page.find("tr")) == 6 and "?n" not in text(table)
    assert [text(th) for th in page.find("th")][:2] == ["p", "n"]
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    graph = Page(get(client, f"/explore/sparql?query={quote(construct)}").text)
    shown = {a["attrs"]["data-format"] for a in graph.find("a", cls="download")}
    hidden = {
        a["attrs"]["data-format"] for a in graph.find("a", cls="download") if "hidden" in a["attrs"]
    }
    assert "turtle" in shown - hidden and {"csv", "tsv"} <= hidden
    bad = Page(get(client, f"/explore/sparql?query={quote('SELECT nonsense')}", 400).text)
    assert text(bad.one(id="sparql-status")).strip()
    far = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert "SERVICE" in get(client, f"/explore/sparql?query={quote(far)}", 400).text


def test_one_model_feeds_json_and_html(client):
    for url in MAPS:
        sep = "&" if "?" in url else "?"
        model = get(client, url + sep + "format=json").json()
        page = Page(get(client, url).text)
        assert model["network"] == network(page), url
    assert get(client, "/?format=json").json()["page"] == "home"
    assert get(client, "/explore/sparql?format=json").json()["examples"]


def test_search_goes_to_the_page(client):
    r = client.get("/explore/search?q=jiersuan", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/explore/product/adipic-acid"
    r = client.get("/explore/search?q=新材料&lang=en", follow_redirects=False)
    assert r.headers["location"] == "/explore/industry/xin-cai-liao?lang=en"
    page = Page(get(client, "/explore/search?q=聚").text)
    assert len(page.find("tr")) > 1


def test_entity_pages_share_the_layout(client):
    html = client.get("/product/adipic-acid", headers={"accept": "text/html"}).text
    page = Page(html)
    page.one("a", id="lang-switch")
    page.one("form", id="search")
    assert not external(html)


def test_pages_under_a_root_path(built_home):
    with TestClient(create_app(Settings(store=built_home.location)), root_path="/kg") as c:
        page = Page(get(c, "/kg/explore/industry/xin-cai-liao").text)
    scripts = [e["attrs"].get("src") for e in page.find("script") if e["attrs"].get("src")]
    assert scripts and all(s.startswith("/kg/static/") for s in scripts)
    urls = [n["url"] for n in network(page)["nodes"]]
    assert all(u.startswith("/kg/") for u in urls)


def test_product_page_keeps_host_parks_and_inferred_candidates_apart(client):
    page = Page(get(client, "/explore/product/shale-gas").text)
    hosts = text(page.one("ul", cls="parks"))
    candidates = text(page.one("ul", cls="candidates"))
    # 专栏10 and the 清洁能源 layout name 页岩气 in these two parks
    assert "涪陵高新区" in hosts and "白涛新材料科技城" in hosts and "临港经济区" not in hosts
    # 临港经济区's layout names the polyester chain, which 页岩气 feeds: inferred, shown once
    assert "临港经济区" in candidates
    assert candidates.count("布局提及其所在产业链：聚酯产业链") == 1
    nev = Page(get(client, "/explore/product/nev").text)
    assert "整车企业" in text(nev.one("ul", cls="presence"))


def test_path_page_counts_agree_with_the_api(client):
    api = get(client, "/api/paths?from=己二酸&to=尼龙66").json()
    page = Page(get(client, "/explore/paths?from=己二酸&to=尼龙66").text)
    count = page.one(id="path-count")["attrs"]
    assert int(count["data-shortest"]) == api["count"] == len(api["paths"])
    assert int(count["data-all"]) >= int(count["data-shortest"])
    assert f"最短路径 {api['count']} 条" in text(page.one(id="path-count"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_industry_brief_page_is_self_contained(client, lang):
    suffix = "?lang=en" if lang == "en" else ""
    html = get(client, "/explore/brief/xin-cai-liao" + suffix).text
    assert external(html) == []
    assert "<script" not in html and 'rel="stylesheet"' not in html
    page = Page(html)
    chips = page.find(cls="chip")
    products = get(client, "/api/industries/xin-cai-liao").json()["products"]
    assert {c["attrs"]["data-product"] for c in chips if "data-product" in c["attrs"]} == {
        p["id"] for p in products
    }
    report = get(client, "/api/gaps?industry=xin-cai-liao&top=0").json()
    for name, most in (("attract", 5), ("strengthen", 3), ("risks", 2)):
        rows = page.one("table", id=f"brief-{name}")
        ranks = [
            int(e["attrs"]["data-rank"])
            for e in page.find("tr")
            if e["attrs"].get("data-rank") and e in page.elements[page.elements.index(rows) :]
        ][:most]
        expected = [g["rank"] for g in report["gaps"] if g["list"] == name][:most]
        assert ranks == expected, name
    assert "750" in text(page.one(id="brief-indicator"))
    assert len(page.one("ul", id="brief-firms")["text"]) > 0
    industry = Page(get(client, "/explore/industry/xin-cai-liao" + suffix).text)
    assert page.one("a", id="brief-back")["attrs"]["href"].startswith("/explore/industry/")
    assert industry.one("a", id="brief-link")["attrs"]["href"].startswith(
        "/explore/brief/xin-cai-liao"
    )


def test_industry_brief_download_has_no_links_back(client):
    r = get(client, "/explore/brief/生物医药?download=true")
    assert 'filename="sheng-wu-yi-yao-brief.html"' in r.headers["content-disposition"]
    page = Page(r.text)
    assert [e for e in page.elements if e["attrs"].get("href")] == []
    assert page.find(cls="chip")
    missing = get(client, "/explore/brief/新才料", status=404)
    assert "新材料" in missing.text
