"""``/api/paths`` and ``/api/products/{id}/upstream|downstream`` over the built-in dataset."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

PLAN = "https://w3id.org/chainkg/plan/"


def get(client: TestClient, path: str, status: int = 200, **params):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    return r.json()


def labels(body: dict) -> list[list[str]]:
    return [p["labels"] for p in body["paths"]]


def test_adipic_acid_to_nylon_66_by_pinyin(client):
    body = get(client, "/api/paths", **{"from": "jiersuan", "to": "尼龙66"})
    assert body["from"]["id"] == "product/adipic-acid"
    assert (body["found"], body["direction"], body["count"]) == (True, "forward", 1)
    assert labels(body) == [["己二酸", "尼龙66盐", "尼龙66"]]
    first, second = body["paths"][0]["steps"]
    assert first["evidence"] == "PlanTextEvidence"
    assert first["section"].startswith(PLAN) and first["quote"]
    assert second["evidence"] == "DomainKnowledge" and second["reason"]
    explained = {n["id"]: n for n in body["nodes"]}
    assert set(explained) == set(body["paths"][0]["nodes"])
    assert explained["product/adipic-acid"]["enterprises"][0]["url"].startswith("http")


def test_all_paths_shale_gas_to_pet_cross_industries(client):
    body = get(client, "/api/paths", **{"from": "页岩气", "to": "PET", "all": "true"})
    through = [p for p in body["paths"] if "乙二醇" in p["labels"]]
    assert through and through[0]["industries"] == ["清洁能源", "新材料"]
    assert through[0]["cross_industry"]


def test_shale_gas_to_hydrogen_every_step_has_evidence(client):
    body = get(client, "/api/paths", **{"from": "shale gas", "to": "氢气", "all": "true"})
    assert body["found"] and body["count"] >= 1
    for path in body["paths"]:
        assert path["labels"][0] == "页岩气" and path["labels"][-1] == "氢气"
        for step in path["steps"]:
            if step["evidence"] == "PlanTextEvidence":
                assert step["section"].startswith(PLAN) and step["section_label"]
            else:
                assert step["evidence"] == "DomainKnowledge" and step["reason"]


def test_reversed(client):
    body = get(client, "/api/paths", **{"from": "尼龙66", "to": "己二酸"})
    assert body["direction"] == "reversed"
    assert labels(body) == [["己二酸", "尼龙66盐", "尼龙66"]]


def test_no_path_is_not_an_error(client):
    body = get(client, "/api/paths", **{"from": "氨纶", "to": "PET"})
    assert (body["found"], body["paths"], body["direction"]) == (False, [], None)


def test_to_an_industry_and_a_park(client):
    body = get(client, "/api/paths", **{"from": "页岩气", "to": "新能源与智能网联汽车"})
    assert body["to"]["kind"] == "industry"
    last = {n["id"]: n for n in body["nodes"]}[body["paths"][0]["reached"]]
    assert last["industry"] == "新能源与智能网联汽车"
    body = get(client, "/api/paths", **{"from": "氢气", "to": "bai-tao-xin-cai-liao-ke-ji-cheng"})
    assert body["to"] == body["to"] | {"kind": "park", "label": "白涛新材料科技城"}
    assert labels(body) == [["氢气", "BDO"]]
    bdo = next(n for n in body["nodes"] if n["label"] == "BDO")
    assert "白涛新材料科技城" in {p["label"] for p in bdo["parks"]}
    params = {"from": "汽车零部件", "to": "白涛新材料科技城", "to_kind": "park"}
    body = get(client, "/api/paths", **params)
    assert body["direction"] == "reversed" and labels(body)[0][-1] == "汽车零部件"


def test_upstream_of_nylon_66(client):
    for key in ("product/nylon-66", "尼龙66", "nylon-66"):
        body = get(client, f"/api/products/{quote(key)}/upstream", depth=2)
        depth = {n["label"]: n["depth"] for n in body["nodes"]}
        assert depth["尼龙66盐"] == 1 and depth["己二胺"] == 2 and "己二腈" not in depth
        assert body["direction"] == "upstream" and body["edges"]


def test_downstream_is_capped(client):
    body = get(client, "/api/products/jiersuan/downstream", depth=3, limit=2)
    assert body["product"]["label"] == "己二酸"
    assert body["count"] == 2 and body["more"] > 0
    assert all(n["depth"] <= 3 for n in body["nodes"])


def test_unknown_names_are_404_with_suggestions(client):
    body = get(client, "/api/paths", 404, **{"from": "己二晴", "to": "尼龙66"})
    assert "己二腈" in {s["label"] for s in body["suggestions"]}
    body = get(client, "/api/paths", 404, **{"from": "己二酸", "to": "新材料", "to_kind": "park"})
    assert body["detail"] and body["suggestions"]
    assert {s["class"] for s in body["suggestions"]} == {"Park"}
    body = get(client, "/api/products/zzzz-qqqq/upstream", 404)
    assert body["detail"] and body["suggestions"]


def test_parameters_are_bounded(client):
    get(client, "/api/paths", 422, **{"from": "a", "to": "b", "max_len": 11})
    get(client, "/api/paths", 422, **{"from": "a", "to": "b", "max_paths": 0})
    get(client, "/api/paths", 422, **{"from": "a", "to": "b", "to_kind": "segment"})
    get(client, "/api/products/尼龙66/upstream", 422, depth=11)
    get(client, "/api/products/尼龙66/upstream", 422, limit=0)


def test_same_request_same_json(client):
    url = "/api/paths?from=页岩气&to=新能源与智能网联汽车&all=true"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.content == again.content


def test_openapi_documents_the_operations(client):
    spec = client.get("/openapi.json").json()["paths"]
    op = spec["/api/paths"]["get"]
    assert op["summary"] and op["description"]
    params = {p["name"]: p for p in op["parameters"]}
    assert {"from", "to", "to_kind", "all", "max_len", "max_paths"} <= set(params)
    assert params["from"]["examples"] and params["to"]["examples"]
    assert params["max_len"]["schema"]["maximum"] == 10
    for direction in ("upstream", "downstream"):
        op = spec[f"/api/products/{{product_id}}/{direction}"]["get"]
        assert op["summary"]
