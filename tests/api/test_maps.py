"""``/api/map/{industry}``: the panorama as SVG, a download name, 404 with suggestions."""

from __future__ import annotations

from xml.etree import ElementTree


def test_panorama_svg(client):
    r = client.get("/api/map/新材料")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(r.content)
    boxes = [a for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert boxes and all(a.get("href").startswith("/explore/product/") for a in boxes)
    assert "content-disposition" not in r.headers


def test_panorama_download_in_english(client):
    r = client.get("/api/map/xin-cai-liao", params={"lang": "en", "download": "true"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="panorama-xin-cai-liao-en.svg"'
    assert b"industry chain panorama" in r.content


def test_unknown_industry_is_404_with_suggestions(client):
    r = client.get("/api/map/新才料")
    assert r.status_code == 404
    assert "新材料" in {s["label"] for s in r.json()["suggestions"]}
    assert client.get("/api/map/新材料", params={"lang": "fr"}).status_code == 422


def test_district_panorama(client):
    r = client.get("/api/map/all", params={"download": "true"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="panorama-district-zh.svg"'
    root = ElementTree.fromstring(r.content)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}a"))) > 200
