"""``/api/map/{industry}``: the panorama as SVG, a download name, 404 with suggestions."""

from __future__ import annotations

import io
from xml.etree import ElementTree

from PIL import Image


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


def test_panorama_png(client):
    r = client.get("/api/map/生物医药", params={"format": "png", "download": "true"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["content-disposition"].endswith('.png"')
    image = Image.open(io.BytesIO(r.content))
    svg = ElementTree.fromstring(client.get("/api/map/生物医药").content)
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])
    assert image.size == (round(2 * width), round(2 * height))  # drawn at twice the size
    corner = image.convert("RGB").getpixel((5, 5))
    assert corner == (255, 255, 255)
    assert len(set(image.convert("RGB").getdata())) > 50  # boxes, text and links were drawn
