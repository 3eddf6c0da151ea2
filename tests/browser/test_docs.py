"""The API documentation page (Swagger UI) in a real browser: drawn, offline, no CSP error."""

from __future__ import annotations


def test_api_docs_render_offline_in_chromium(page, watch):
    title, operation = ".swagger-ui .information-container .title", ".swagger-ui .opblock"
    page.goto("/docs")
    page.wait_for_selector(title)
    assert "chainkg" in page.inner_text(title)
    page.wait_for_selector(operation)
    assert page.locator(operation).count() > 10
    page.locator(operation).first.click()  # expand one operation: more of the UI is drawn
    page.wait_for_selector(".swagger-ui .opblock-body")
    page.wait_for_load_state("networkidle")
    watch.assert_clean()  # no console error (so no CSP violation), no outside request
