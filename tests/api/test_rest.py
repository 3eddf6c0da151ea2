"""The REST endpoints (search, industries, parks, indicators) over the built-in dataset."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from chainkg.api.app import create_app
from chainkg.api.settings import Settings
from chainkg.loaders.build import load_registry

LIN_GANG = "park/fu-ling-qu/lin-gang-jing-ji-qu"
NEW_MATERIALS = "industry/fu-ling-qu-2022-2026/xin-cai-liao"


def get(client: TestClient, path: str, status: int = 200, **params):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    return r.json()


@pytest.mark.parametrize("q", ["jiersuan", "jes", "ji er suan", "己二酸", "adipic acid", "AA"])
def test_search_finds_adipic_acid_first(client, q):
    body = get(client, "/api/search", q=q)
    assert body["q"] == q
    first = body["results"][0]
    assert (first["label"], first["id"], first["class"]) == (
        "己二酸",
        "product/adipic-acid",
        "Product",
    )


def test_search_adn_finds_adiponitrile(client):
    first = get(client, "/api/search", q="ADN")["results"][0]
    assert first["label"] == "己二腈"
    assert first["matched"] == {"field": "alt", "text": "ADN", "kind": "exact"}


def test_search_limit_and_class(client):
    body = get(client, "/api/search", q="xin", limit=3)
    assert body["count"] == len(body["results"]) == 3
    body = client.get("/api/search?q=新材料&class=Industry&class=Park").json()
    assert body["classes"] == ["Industry", "Park"]
    assert {r["class"] for r in body["results"]} <= {"Industry", "Park"}
    body = get(client, "/api/search", q="己二", **{"class": "Project,PlanItem"})
    assert body["results"] and {r["class"] for r in body["results"]} <= {"Project", "PlanItem"}


def test_search_rejects_bad_input(client):
    assert "unknown class" in get(client, "/api/search", 400, q="x", **{"class": "Nope"})["detail"]
    get(client, "/api/search", 422, q="")
    get(client, "/api/search", 422, q="x", limit=0)


def test_industries_list_has_seven_with_tiers(client):
    listed = get(client, "/api/industries")
    assert len(listed) == 7
    assert all(i["tier"]["label"] for i in listed)
    assert {i["tier"]["name"] for i in listed} == {
        "AdvantagePillarTier",
        "DistinctivePillarTier",
        "ProducerServiceTier",
    }
    first = listed[0]
    assert first["id"] == NEW_MATERIALS
    assert (first["indicator"]["baseline"], first["indicator"]["target"]) == (300, 750)


@pytest.mark.parametrize("key", ["xin-cai-liao", NEW_MATERIALS, "新材料", "new materials"])
def test_industry_by_slug_id_or_label(client, key):
    body = get(client, "/api/industries/" + quote(key))
    assert body["id"] == NEW_MATERIALS
    assert body["tier"]["label"] == "优势支柱产业"
    for part in ("segments", "chains", "products", "items", "targets", "clusters", "platforms"):
        assert body[part], part
    assert {p["label"] for p in body["parks"]} >= {"临港经济区", "白涛新材料科技城"}
    assert body["indicator"]["cagr"] == pytest.approx(0.2011, abs=1e-4)
    assert any(s["id"].endswith("/box1") for s in body["sources"])


def test_park_lin_gang(client):
    body = get(client, "/api/parks/" + quote("临港经济区"))
    assert body["id"] == LIN_GANG
    polyester = [lay for lay in body["layouts"] if lay["hosted_label"] == "聚酯新材料"]
    assert polyester
    assert polyester[0]["section"]["id"] == "plan/fu-ling-qu-2022-2026/box2"
    assert "product/pet" in {h["id"] for h in polyester[0]["hosts"]}
    [indicator] = body["indicators"]
    assert (indicator["baseline"], indicator["baseline_year"]) == (75.08, 2021)
    assert (indicator["target"], indicator["target_year"]) == (200, 2026)
    assert get(client, "/api/parks/lin-gang-jing-ji-qu")["id"] == LIN_GANG
    assert get(client, "/api/parks/" + LIN_GANG)["id"] == LIN_GANG


def test_parks_list(client):
    listed = get(client, "/api/parks")
    assert len(listed) == 3
    assert {p["label"] for p in listed} == {"临港经济区", "涪陵高新区", "白涛新材料科技城"}


def test_matrix_by_segment_and_by_product(client):
    seg = get(client, "/api/parks/matrix")
    assert seg["axis"] == "segment" and len(seg["parks"]) == 3
    assert seg["segments"] and seg["cells"]
    assert {c["park"] for c in seg["cells"]} <= {p["id"] for p in seg["parks"]}
    assert {c["segment"] for c in seg["cells"]} <= {s["id"] for s in seg["segments"]}
    prod = get(client, "/api/parks/matrix", axis="product")
    assert len(prod["parks"]) == 3
    cells = {(c["park"], c["product"]): c["sources"] for c in prod["cells"]}
    assert {s["kind"] for s in cells[(LIN_GANG, "product/pet")]} == {"layout", "registry"}
    get(client, "/api/parks/matrix", 422, axis="chain")


def test_indicators(client):
    rows = get(client, "/api/indicators")
    assert len(rows) == 25
    row = next(r for r in rows if r["label"] == "新材料产业")
    assert (row["baseline"], row["target"]) == (300, 750)
    assert row["cagr"] == pytest.approx(0.2011, abs=1e-4)
    assert row["change"] == 450
    assert row["nature"]["label"] == "预期性"
    text_target = next(r for r in rows if r["target_text"])
    assert text_target["cagr"] is None
    [only] = get(client, "/api/indicators", measures="xin-cai-liao")
    assert only["label"] == "新材料产业"
    [park] = get(client, "/api/indicators", measures="临港经济区")
    assert park["baseline"] == 75.08
    scale = get(client, "/api/indicators", group="产业规模指标")
    assert len(scale) == 10 and {r["group"]["label"] for r in scale} == {"产业规模指标"}
    assert get(client, "/api/indicators", measures="nowhere") == []


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("/api/industries/xin-cai", NEW_MATERIALS),
        ("/api/industries/新材", NEW_MATERIALS),
        ("/api/industries/zzzz-qqqq", None),
        ("/api/parks/lin-gang", LIN_GANG),
        ("/api/parks/nowhere-at-all", None),
    ],
)
def test_unknown_ids_answer_404_with_suggestions(client, path, expect):
    body = get(client, path, 404)
    assert body["detail"]
    assert body["suggestions"]
    if expect:
        assert body["suggestions"][0]["id"] == expect


def test_openapi_documents_the_endpoints(client):
    spec = get(client, "/openapi.json")
    for path in (
        "/api/search",
        "/api/industries",
        "/api/industries/{industry_id}",
        "/api/parks",
        "/api/parks/matrix",
        "/api/parks/{park_id}",
        "/api/indicators",
    ):
        op = spec["paths"][path]["get"]
        assert op["summary"] and op["description"], path
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "limit", "class"} <= set(params)
    assert "jiersuan" in {e["value"] for e in params["q"]["examples"].values()}


def test_a_new_store_version_is_searched_afresh(fresh_home, ids, tmp_path):
    csv = tmp_path / "firms.csv"
    csv.write_text(
        "enterprise_zh,enterprise_en,park,product,capacity_value,capacity_unit,as_of,"
        "status,confidence,source_url,note\n"
        "涪陵测试己二腈有限公司,Fuling Test Adiponitrile Co.,临港经济区,ADN,5,万吨/年,2024,"
        "signed,uncertain,https://example.org/report,test row\n",
        encoding="utf-8",
    )
    with TestClient(create_app(Settings(store=fresh_home.location))) as c:
        before = get(c, "/api/search", q="fulingceshi")["results"]
        assert "涪陵测试己二腈有限公司" not in {r["label"] for r in before}
        load_registry(fresh_home, csv, ids)
        first = get(c, "/api/search", q="fulingceshi")["results"][0]
        assert (first["label"], first["class"]) == ("涪陵测试己二腈有限公司", "Enterprise")
        park = get(c, "/api/parks/" + LIN_GANG)
        assert "涪陵测试己二腈有限公司" in {e["label"] for e in park["enterprises"]}
        cells = get(c, "/api/parks/matrix", axis="product")["cells"]
        adn = next(
            x for x in cells if (x["park"], x["product"]) == (LIN_GANG, "product/adiponitrile")
        )
        assert adn["sources"][0]["kind"] == "registry"
        assert adn["sources"][0]["status"]["label"] == "已签约"
