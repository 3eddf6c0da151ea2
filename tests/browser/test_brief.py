"""The one-page industry brief printed by a real Chromium: one A4 page per industry, in
Chinese and English, with every product chip and the top gaps on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import page_url, screenshot

LANGS = ["zh", "en"]


def industries(server) -> list[str]:
    import json
    import urllib.request

    with urllib.request.urlopen(server.url + "/api/industries", timeout=30) as r:
        return [i["id"].rsplit("/", 1)[-1] for i in json.load(r)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_industry_brief_prints_on_one_a4_page(page, watch, server, lang):
    slugs = industries(server)
    assert len(slugs) >= 7
    for slug in slugs:
        page.goto(page_url(f"/explore/brief/{slug}", {"lang": "en"} if lang == "en" else None))
        expect(page.locator("#brief-title")).to_be_visible()
        assert page.locator("#brief-panorama .chip").count() >= 5
        page.emulate_media(media="print")
        expect(page.locator(".tools")).to_be_hidden()
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf[:5] == b"%PDF-" and pages == 1, f"{slug} ({lang}) prints on {pages} pages"
        page.emulate_media(media="screen")
        if slug == "xin-cai-liao":
            screenshot(page, f"brief-xin-cai-liao-{lang}")
    watch.assert_clean()
