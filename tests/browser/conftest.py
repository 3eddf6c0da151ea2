"""Debian's headless Chromium, driven by Playwright, against a real ``chainkg serve``.

Playwright (PyPI) is used only as a driver: it launches ``/usr/bin/chromium`` (or
``$CHAINKG_CHROMIUM``) and never downloads a browser of its own. Each launch gets a new,
empty profile folder from Playwright. Under ``CI=true`` a missing driver or browser fails
the tests; elsewhere they are skipped with the reason.

Every page is watched: console errors, uncaught exceptions, failed requests and answers
of 400 or more are recorded, and any request for a host other than the test server is
blocked and recorded (the pages must work offline, without a CDN).
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as urlquote
from urllib.parse import urlencode, urlsplit

import pytest

from ..api.conftest import server  # noqa: F401  (the same real-server fixture as tests/api)

CHROMIUM = os.environ.get("CHAINKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 15_000  # any single wait for an element, a function or a download
NAVIGATION_MS = 30_000  # any page load
LAUNCH_MS = 60_000
TEST_SECONDS = 180  # a whole test, whatever it waits on (page.evaluate has no timeout)


def unavailable(reason: str):
    """Fail under CI (a missing browser is a broken CI set-up); skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def time_limit():
    """Stop any browser test after TEST_SECONDS: no test may hang the run."""

    def stop(signum, frame):
        raise TimeoutError(f"browser test still running after {TEST_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(TEST_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's binary, no downloaded browser)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        unavailable(f"Python playwright is not installed ({exc}): pip install -e '.[test]'")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(
            f"no Chromium at {CHROMIUM}: "
            "apt-get install -y --no-install-recommends chromium fonts-noto-cjk"
        )
    driver = sync_playwright().start()
    try:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS, timeout=LAUNCH_MS
        )
    except Error as exc:
        driver.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()
    driver.stop()


@dataclass
class Watch:
    """What went wrong while a page was open, recorded as it happened."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def local(self, url: str) -> bool:
        """True for the test server itself and for in-page URLs (data:, blob:, about:)."""
        parts, mine = urlsplit(url), urlsplit(self.origin)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme in ("http", "ws") and parts.netloc == mine.netloc

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"uncaught exception: {e}" for e in self.page_errors]
            + [f"failed request: {e}" for e in self.failed]
            + [f"request left the test server (blocked): {e}" for e in self.blocked]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


@pytest.fixture
def watch(server) -> Watch:  # noqa: F811
    return Watch(server.url)


@pytest.fixture
def context(browser, server, watch):  # noqa: F811
    """A new browser context (own cookies, cache, storage) whose traffic is watched."""
    ctx = browser.new_context(
        base_url=server.url,
        viewport={"width": 1280, "height": 860},
        locale="zh-CN",
        accept_downloads=True,
        service_workers="block",
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(NAVIGATION_MS)

    def gate(route):
        request = route.request
        if watch.local(request.url):
            route.continue_()
        else:
            watch.blocked.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")

    def gate_socket(ws):
        if watch.local(ws.url):
            ws.connect_to_server()
        else:
            watch.blocked.append(f"WebSocket {ws.url}")
            ws.close()

    def on_console(message):
        if message.type == "error":
            where = message.location or {}
            watch.console_errors.append(
                f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})"
            )

    def on_failed(request):
        if watch.local(request.url):
            watch.failed.append(f"{request.method} {request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 400:
            watch.failed.append(f"{response.status} {response.request.method} {response.url}")

    ctx.route(re.compile(r".*"), gate)
    ctx.route_web_socket(re.compile(r".*"), gate_socket)
    ctx.on("console", on_console)
    ctx.on("weberror", lambda error: watch.page_errors.append(str(error.error)))
    ctx.on("requestfailed", on_failed)
    ctx.on("response", on_response)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A new page in a watched context; its waits are bounded (15 s, loads 30 s)."""
    return context.new_page()


def page_url(path: str, query: dict[str, str] | None = None) -> str:
    """A server-relative URL, percent-encoded (the page fixture's base URL is the server)."""
    url = urlquote(path, safe="/")
    return url + ("?" + urlencode(query) if query else "")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of ``page`` as ``docs/screenshots/<name>.png``; return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
