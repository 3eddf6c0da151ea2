"""The app shell: the body cap as bytes arrive, security headers on every response, a
Content-Security-Policy that the pages satisfy, and API docs served without a CDN."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from chainkg.api.app import create_app
from chainkg.api.settings import Settings

PARKS = "SELECT ?p WHERE { ?p a <https://w3id.org/chainkg/ontology#Park> } ORDER BY ?p"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JS_TYPES = ("", "text/javascript", "application/javascript", "module")


def policy(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("content-security-policy")
    assert header, f"no Content-Security-Policy on {response.request.url}"
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            out[name.lower()] = sources
    return out


class Page(HTMLParser):
    """The inline scripts and styles and the referenced URLs of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []  # executable inline scripts
        self.styles: list[str] = []
        self.urls: list[str] = []
        self.style_attributes = 0
        self._open: tuple[str, bool] | None = None
        self._text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action") and v]
        self.style_attributes += "style" in a
        if tag == "script":
            runs = "src" not in a and (a.get("type") or "").lower() in JS_TYPES
            self._open, self._text = ("script", runs), []
        elif tag == "style":
            self._open, self._text = ("style", True), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            if self._open[1]:
                (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._open = None


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_chunked_body_under_the_cap_still_reaches_the_endpoint(client):
    def body():  # a generator: httpx sends it chunked, without Content-Length
        yield PARKS[:20].encode()
        yield PARKS[20:].encode()

    r = client.post("/sparql", content=body(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]["bindings"]) == 3


def asgi_post(app, headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    """POST ``chunks`` to ``app`` over ASGI itself; (status, body, chunks the app read)."""
    read, sent = [0], []

    async def receive():
        if read[0] < len(chunks):
            read[0] += 1
            return {
                "type": "http.request",
                "body": chunks[read[0] - 1],
                "more_body": read[0] < len(chunks),
            }
        await asyncio.sleep(3600)  # never a disconnect: the app must not wait for one

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    # a thread of its own: the browser tests' driver keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), 30)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, read[0]


@pytest.mark.parametrize("declared", [None, b"100"], ids=["chunked", "lying-length"])
def test_body_is_cut_as_soon_as_it_passes_the_cap(tmp_path, declared):
    app = create_app(Settings(store=str(tmp_path / "store"), max_body=1000, workers=1))
    headers = [(b"content-type", b"application/sparql-query")]
    if declared:
        headers.append((b"content-length", declared))
    chunks = [b"#" * 400] * 50  # 20,000 bytes offered in 400-byte pieces
    status, body, read = asgi_post(app, headers, chunks)
    assert status == 413
    assert b"over 1000 bytes" in body
    assert read == 3  # 1,200 bytes: the first read past the cap, and no more


def test_declared_length_over_the_cap_is_refused_unread(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), max_body=1000, workers=1))
    headers = [(b"content-type", b"application/sparql-query"), (b"content-length", b"5000")]
    status, _, read = asgi_post(app, headers, [b"#" * 5000])
    assert (status, read) == (413, 0)


def kinds_of_response(client) -> dict[str, object]:
    """One response of every kind the service gives."""
    return {
        "json": client.get("/api/industries"),
        "html page": client.get("/explore/industry/新材料"),
        "html entity": client.get("/product/adipic-acid", headers=HTML),
        "html 404": client.get("/product/no-such-thing", headers=HTML),
        "sparql json": client.get("/sparql", params={"query": PARKS}),
        "sparql csv": client.get("/sparql", params={"query": PARKS, "format": "csv"}),
        "turtle": client.get("/product/adipic-acid", headers={"accept": "text/turtle"}),
        "service description": client.get("/sparql"),
        "query page": client.get("/sparql", headers=HTML),
        "static js": client.get("/static/explorer.js"),
        "docs": client.get("/docs"),
        "openapi": client.get("/openapi.json"),
        "streamed dump": client.get("/dump.nq"),
        "400 bad query": client.get("/sparql", params={"query": "SELECT nonsense"}),
        "404 json": client.get("/api/industries/no-such-industry"),
        "404 route": client.get("/no/such/route"),
        "405": client.put("/sparql"),
        "413": client.post(
            "/sparql", content=b"#" * 2_000_000, headers={"content-type": "text/plain"}
        ),
        "415": client.post("/sparql", content=b"x", headers={"content-type": "text/plain"}),
        "422": client.get("/api/search"),
        "preflight": client.options(
            "/sparql",
            headers={"origin": "https://x.example", "access-control-request-method": "POST"},
        ),
    }


def test_security_headers_on_every_kind_of_response(client):
    for kind, r in kinds_of_response(client).items():
        assert r.headers.get("x-content-type-options") == "nosniff", kind
        assert r.headers.get("x-frame-options") == "DENY", kind
        csp = policy(r)
        assert csp["frame-ancestors"] == ["'none'"], kind
        assert csp["object-src"] == ["'none'"], kind
    statuses = {k: r.status_code for k, r in kinds_of_response(client).items()}
    assert statuses["413"] == 413 and statuses["405"] == 405 and statuses["422"] == 422


def test_security_headers_even_on_a_server_error(tmp_path):
    from fastapi.testclient import TestClient

    app = create_app(Settings(store=str(tmp_path / "store"), workers=1))

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert policy(r)["frame-ancestors"] == ["'none'"]


PAGES = [
    "/",
    "/?lang=en",
    "/explore/industry/新材料",
    "/explore/park/临港经济区",
    "/explore/product/己二酸",
    "/explore/paths?from=己二酸&to=尼龙66",
    "/explore/gaps?industry=新材料",
    "/explore/sparql",
    "/explore/search?q=jiersuan",
    "/explore/product/no-such-product",
    "/product/adipic-acid",
    "/ontology",
    "/sparql",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_satisfy_their_policy_without_unsafe_inline_script(client, path):
    r = client.get(path, headers=HTML)
    assert r.headers["content-type"].startswith("text/html"), path
    csp, html = policy(r), Page(r.text)
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert all(s == "'self'" or s.startswith("'sha256-") for s in scripts), scripts
    for script in html.scripts:
        assert digest(script) in scripts, f"{path}: inline script not allowed: {script[:80]}"
    elements = csp.get("style-src-elem", csp["style-src"])
    for style in html.styles:
        assert digest(style) in elements or "'unsafe-inline'" in elements, path
    if html.style_attributes:
        assert "'unsafe-inline'" in csp.get("style-src-attr", csp["style-src"]), path
    for url in html.urls:  # everything a page loads or links to stays on this server
        parts = urlsplit(url)
        assert not parts.netloc or parts.netloc == "testserver", f"{path}: {url}"


def test_api_docs_load_only_same_origin_assets(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = Page(r.text)
    assets = [u for u in html.urls if not u.startswith("#")]
    assert len(assets) >= 2, assets
    for url in assets:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in (
            "text/javascript",
            "application/javascript",
            "text/css",
            "image/png",
        ), url
        assert len(asset.content) > 100, url
    assert "'/openapi.json'" in r.text and "cdn" not in r.text.lower()
    # ReDoc is off: its page loads its vendor's logo from a CDN whatever its options
    assert client.get("/redoc").status_code == 404
    scripts = policy(r)["script-src"]
    assert "'unsafe-inline'" not in scripts
    for script in html.scripts:
        assert digest(script) in scripts


def test_api_docs_follow_the_root_path(built_home):
    from fastapi.testclient import TestClient

    app = create_app(Settings(store=built_home.location, workers=1))
    with TestClient(app, root_path="/kg") as c:
        r = c.get("/docs")
        html = Page(r.text)
        assert all(u.startswith("/kg/docs/") for u in html.urls), html.urls
        assert "'/kg/openapi.json'" in r.text
        assert all(digest(s) in policy(r)["script-src"] for s in html.scripts)
