"""The REST API, pages and CLI of a store of two districts: ``plan=`` / ``--plan``."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from chainkg.api.app import create_app
from chainkg.api.cli import main
from chainkg.api.settings import Settings

FULING, XISHAN = "fu-ling-qu-2022-2026", "xi-shan-qu-2024-2028"


@pytest.fixture(scope="module")
def region(region_home):
    with TestClient(create_app(Settings(store=region_home.location))) as c:
        yield c


def test_the_plans_are_listed_default_first(region):
    r = region.get("/api/plans")
    assert r.status_code == 200
    assert [(p["key"], p["default"], p["region"]["label"]) for p in r.json()] == [
        (FULING, True, "涪陵区"),
        (XISHAN, False, "西山区"),
    ]


@pytest.mark.parametrize("plan", [None, FULING, XISHAN, "西山区", "plan/" + XISHAN])
def test_routes_read_the_named_plan(region, plan):
    r = region.get("/api/industries", params={"plan": plan} if plan else {})
    assert r.status_code == 200
    names = {i["label"] for i in r.json()}
    if plan in (None, FULING):
        assert len(names) == 7 and "新材料" in names
    else:
        assert names == {"先进半导体材料", "氢能装备", "低空经济"}


def test_an_unknown_plan_is_a_404_that_lists_the_plans(region):
    r = region.get("/api/gaps", params={"plan": "南湖区"})
    assert r.status_code == 404
    body = r.json()
    assert body["what"] == "plan" and body["key"] == "南湖区"
    assert [s["key"] for s in body["suggestions"]] == [FULING, XISHAN]


def test_the_gap_api_of_a_district_names_its_neighbour(region):
    mine = region.get("/api/gaps", params={"plan": XISHAN, "top": 0}).json()
    assert {g["product"]["id"] for g in mine["gaps"]} >= {"product/sic-growth-furnace"}
    assert mine["counts"]["products"] == 8
    fuling = region.get("/api/gaps", params={"top": 0}).json()
    hydrogen = next(g for g in fuling["gaps"] if g["product"]["id"] == "product/hydrogen")
    assert [e["plan"]["key"] for e in hydrogen["regional"]] == [XISHAN]
    csv = region.get("/api/gaps", params={"top": 0, "format": "csv"}).text
    assert "周边区县供给" in csv.splitlines()[0] and "西山绿氢能源有限公司（在产）" in csv


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if a.get("aria-current"):
                self.current.append(a["href"])


def _anchors(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    return parser


def test_pages_switch_district_and_carry_the_plan_in_their_links(region):
    home = _anchors(region.get("/", params={"plan": XISHAN}).text)
    assert home.current == [f"/?plan={XISHAN}"]
    assert f"/?plan={FULING}" in home.hrefs
    assert f"/explore/gaps?plan={XISHAN}" in home.hrefs
    industries = [h for h in home.hrefs if h.startswith("/explore/industry/")]
    assert industries and all(h.endswith(f"?plan={XISHAN}") for h in industries)
    page = region.get("/explore/industry/qing-neng-zhuang-bei", params={"plan": XISHAN})
    assert page.status_code == 200 and "电解槽" in page.text
    assert region.get("/explore/industry/qing-neng-zhuang-bei").status_code == 404


def test_the_gap_page_shows_regional_supply(region):
    html = region.get("/explore/gaps", params={"top": 0}).text
    assert "周边供给：西山区" in html
    assert f'name="plan" value="{FULING}"' in html  # the filter form keeps the plan


def test_a_product_page_lists_the_plans_that_name_it(region):
    r = region.get("/explore/product/hydrogen", params={"format": "json"})
    model = r.json()
    assert [p["key"] for p in model["plans"]] == [FULING, XISHAN]
    assert [e["plan"]["key"] for e in model["regional"]] == [XISHAN]
    html = region.get("/explore/product/hydrogen").text
    assert 'id="product-plans"' in html and "西山绿氢能源有限公司" in html


def test_sparql_endpoint_reads_every_plan(region):
    q = (
        "PREFIX ck: <https://w3id.org/chainkg/ontology#> "
        "SELECT ?plan WHERE { ?plan a ck:Plan } ORDER BY ?plan"
    )
    r = region.get("/sparql", params={"query": q}, headers={"accept": "application/json"})
    plans = [b["plan"]["value"].rsplit("/", 1)[-1] for b in r.json()["results"]["bindings"]]
    assert plans == [FULING, XISHAN]


def _cli(home, *args: str):
    result = CliRunner().invoke(main, ["--store", home.location, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cli_reads_and_loads_into_a_plan(backend, ids, fixtures, tmp_path):
    home = backend.home()
    _cli(home, "build", "--dataset", str(fixtures / "region" / "dataset.yaml"))
    assert XISHAN in _cli(home, "plans")
    gaps = json.loads(_cli(home, "gaps", "--plan", "西山区", "--format", "json", "--top", "0"))
    assert gaps["counts"]["products"] == 8
    firms = tmp_path / "more-firms.csv"
    firms.write_text(
        "enterprise_zh,park,product,status,confidence,source_url\n"
        "西山碳化硅装备有限公司,西山经济开发区,碳化硅长晶设备,operating,sourced,"
        "https://example.org/xishan/furnace\n",
        encoding="utf-8",
    )
    _cli(home, "load", str(firms), "--kind", "enterprises", "--plan", XISHAN)

    def furnace(plan: str) -> list:
        report = json.loads(_cli(home, "gaps", "--plan", plan, "--format", "json", "--top", "0"))
        return [g for g in report["gaps"] if g["product"]["id"] == "product/sic-growth-furnace"]

    assert furnace(XISHAN) == []  # made in Xishan now: no gap
    _cli(home, "build", "--dataset", str(fixtures / "region" / "dataset.yaml"))
    assert furnace(XISHAN) == []  # the rebuild loads the file into Xishan again
    bad = CliRunner().invoke(main, ["--store", home.location, "gaps", "--plan", "南湖区"])
    assert bad.exit_code == 2 and XISHAN in bad.output
