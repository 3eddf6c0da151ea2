"""``/api/gaps``: JSON, CSV and Excel downloads, format negotiation, 404 and 400 answers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from chainkg.queries.gaps import COLUMNS, KINDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def materials(client) -> dict:
    r = client.get("/api/gaps", params={"industry": "新材料", "top": 0})
    assert r.status_code == 200, r.text
    return r.json()


def test_json_report_of_an_industry(materials):
    assert materials["filters"]["industry"]["id"] == "industry/fu-ling-qu-2022-2026/xin-cai-liao"
    assert set(materials) == {"filters", "scoring", "gaps", "by_industry", "targets", "counts"}
    gaps = {g["product"]["label"]: g for g in materials["gaps"]}
    nylon = gaps["尼龙66盐"]
    assert nylon["kind"] == "missing" and nylon["kind_label"] == {
        "zh": "补链",
        "en": "missing link",
    }
    assert nylon["reasons"]["zh"] and nylon["reasons"]["en"]
    assert nylon["list"] == "attract" and nylon["list_label"]["zh"] == "招引企业"
    assert gaps["己二酸"]["list"] == "strengthen" and gaps["PET"]["list"] == "strengthen"
    assert materials["counts"]["gaps"] == materials["counts"]["shown"] == len(materials["gaps"])
    for name in ("attract", "strengthen", "risks"):
        ranks = [g["rank"] for g in materials["gaps"] if g["list"] == name]
        assert ranks == list(range(1, len(ranks) + 1))


def test_default_shows_the_first_thirty_of_each_list(client, materials):
    body = client.get("/api/gaps", params={"industry": "新材料"}).json()
    assert body["filters"]["top"] == 30
    assert body["counts"]["lists"] == materials["counts"]["lists"]
    first = [(g["list"], g["rank"], g["product"]["id"]) for g in body["gaps"]]
    assert first == [
        (g["list"], g["rank"], g["product"]["id"]) for g in materials["gaps"] if g["rank"] <= 30
    ]


def parse_csv(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return [{key: row[zh] for key, zh in COLUMNS} for row in reader]


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"format": "csv"}, {}), ({}, {"accept": "text/csv"})],
    ids=["format", "accept"],
)
def test_csv_download(client, materials, params, headers):
    query = {"industry": "xin-cai-liao", "top": 0, **params}
    r = client.get("/api/gaps", params=query, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="gaps-xin-cai-liao.csv"'
    parsed = parse_csv(r.content)
    assert [(p["rank"], p["id"]) for p in parsed] == [
        (str(g["rank"]), g["product"]["id"]) for g in materials["gaps"]
    ]


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"format": "xlsx"}, {}), ({}, {"accept": f"{XLSX}, application/json;q=0.5"})],
    ids=["format", "accept"],
)
def test_xlsx_download(client, params, headers):
    query = {"industry": "新材料", "kind": "missing", "top": 0, **params}
    r = client.get("/api/gaps", params=query, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"] == (
        'attachment; filename="gaps-xin-cai-liao-missing.xlsx"'
    )
    book = load_workbook(io.BytesIO(r.content))
    sheet = list(book["缺口清单"].iter_rows(values_only=True))
    assert list(sheet[0]) == [zh for _, zh in COLUMNS]
    assert sheet[1:] and {row[2] for row in sheet[1:]} == {"补链"}
    assert {row[0] for row in sheet[1:]} == {"招引企业"}
    assert "尼龙66盐" in {row[3] for row in sheet[1:]}


def test_park_and_kind_filters(client):
    body = client.get("/api/gaps", params={"park": "lin-gang-jing-ji-qu", "kind": "weak"}).json()
    assert body["filters"]["park"]["label"] == "临港经济区"
    assert body["filters"]["kind"] == ["weak"]
    assert body["gaps"] and {g["kind"] for g in body["gaps"]} == {"weak"}


def test_default_is_json_with_comparison(client):
    body = client.get("/api/gaps", headers={"accept": "text/html"}).json()
    assert body["filters"] == {"industry": None, "park": None, "kind": None, "top": 30}
    assert body["targets"]["confirmed"] and body["targets"]["not_confirmed"] == []
    assert all(g["list"] == "attract" for g in body["targets"]["not_named"])


@pytest.mark.parametrize(("what", "value"), [("industry", "新才料"), ("park", "白涛新材料城")])
def test_unknown_industry_or_park_is_404_with_suggestions(client, what, value):
    r = client.get("/api/gaps", params={what: value})
    assert r.status_code == 404
    body = r.json()
    assert body["detail"] == f"no {what} {value!r}"
    labels = [s["label"] for s in body["suggestions"]]
    assert {"industry": "新材料", "park": "白涛新材料科技城"}[what] in labels


def test_unknown_kind_is_400_listing_the_kinds(client):
    r = client.get("/api/gaps", params={"kind": "missing,gone"})
    assert r.status_code == 400
    assert r.json()["choices"] == list(KINDS) and "'gone'" in r.json()["detail"]
    assert client.get("/api/gaps", params={"format": "pdf"}).status_code == 422


def test_openapi_documents_the_endpoint(client):
    op = client.get("/openapi.json").json()["paths"]["/api/gaps"]["get"]
    assert op["summary"].startswith("Ranked chain gaps")
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"industry", "park", "kind", "top", "format", "plan"}
    assert params["industry"]["examples"]["zh"]["value"] == "新材料"
    assert {"application/json", "text/csv", XLSX} <= set(op["responses"]["200"]["content"])
