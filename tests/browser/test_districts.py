"""A store of two districts in a real browser: the district switcher, the plan kept from
page to page (links, forms, search suggestions) and regional supply on the gap page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..api.conftest import serve
from .conftest import screenshot

FULING, XISHAN = "fu-ling-qu-2022-2026", "xi-shan-qu-2024-2028"


@pytest.fixture(scope="module")
def server(region_home, tmp_path_factory):
    """A running server over the two-district store (overrides the built-in one here)."""
    log = tmp_path_factory.mktemp("region-server") / "serve.log"
    with serve(region_home.location, log, CHAINKG_WORKERS="2") as s:
        yield s


def test_the_switcher_names_both_districts_and_marks_the_current_one(page, watch):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")
    switcher = page.locator("#districts a")
    expect(switcher).to_have_text(["涪陵区", "西山区"])
    expect(page.locator("#districts a[aria-current]")).to_have_text("涪陵区")
    page.locator("#districts a", has_text="西山区").click()
    expect(page.locator("h1").first).to_contain_text("西山区战略性新兴产业发展规划")
    expect(page.locator("#districts a[aria-current]")).to_have_text("西山区")
    assert f"plan={XISHAN}" in page.url
    screenshot(page, "districts-home-xishan-zh", full_page=False)
    # every industry link keeps the district
    page.locator("a[href*='/explore/industry/']").first.click()
    assert f"plan={XISHAN}" in page.url
    expect(page.locator("h1").first).not_to_be_empty()
    watch.assert_clean()


def test_search_suggestions_stay_in_the_district(page, watch):
    page.goto(f"/?plan={XISHAN}")
    page.locator("#search-q").fill("碳化硅衬底")
    hit = page.locator("#search-suggestions a[href*='/explore/product/']").first
    expect(hit).to_contain_text("碳化硅衬底")
    hit.click()
    page.wait_for_url("**/explore/product/**")
    assert f"plan={XISHAN}" in page.url
    expect(page.locator("h1").first).to_have_text("碳化硅衬底")
    watch.assert_clean()


def test_the_gap_page_shows_what_a_neighbour_makes(page, watch):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/explore/gaps")
    row = page.locator("tr.gap[data-product='product/hydrogen'][data-list='attract']")
    expect(row.locator(".regional")).to_contain_text("周边供给：西山区")
    expect(row.locator(".regional")).to_contain_text("西山绿氢能源有限公司")
    row.scroll_into_view_if_needed()
    screenshot(page, "districts-gaps-zh", full_page=False)
    # filtering keeps the district
    page.goto(f"/explore/gaps?plan={XISHAN}")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert f"plan={XISHAN}" in page.url
    expect(page.locator("tr.gap").first).to_be_visible()
    watch.assert_clean()
