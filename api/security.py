"""Limits and headers that every response of the service gets, as pure ASGI middleware.

- :class:`BodyLimit` counts the request body's bytes as they arrive (chunked or not,
  whatever ``Content-Length`` says) and answers 413 as soon as the count passes the cap:
  the body is never read whole first.
- :class:`SecurityHeaders` adds ``X-Content-Type-Options: nosniff``, ``X-Frame-Options:
  DENY`` and a Content-Security-Policy to every response (a route may send its own policy).

The policy allows scripts from this server and the inline scripts of the page templates by
their SHA-256 hashes (:func:`template_hashes`), never ``'unsafe-inline'`` scripts; inline
``style=""`` attributes are allowed (the map legends colour their swatches with them).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from importlib.resources import files

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style\s*>", re.S | re.I)
NOT_JS = re.compile(r"""\btype\s*=\s*["']?(?!(text|application)/javascript|module)""", re.I)


class BodyTooLarge(Exception):
    """Raised into the app by :class:`BodyLimit` when the body passes the cap."""


class BodyLimit:
    """413 for a request body over ``max_body`` bytes, sent as soon as the count passes it."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    def refusal(self) -> Response:
        return PlainTextResponse(f"request body over {self.max_body} bytes\n", 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await self.refusal()(scope, receive, send)  # refused unread
            return
        count, refused, started = 0, False, False

        async def capped() -> Message:
            nonlocal count, refused
            message = await receive()
            if message["type"] == "http.request":
                count += len(message.get("body", b""))
                if count > self.max_body:
                    if not started:
                        refused = True
                        await self.refusal()(scope, receive, send)
                    raise BodyTooLarge(f"request body over {self.max_body} bytes")
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has gone out; whatever the app answers after it is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped, guarded)
        except BodyTooLarge:
            if not refused:
                raise  # the response had started: abort it


def digest(text: str) -> str:
    """The CSP source expression (``'sha256-…'``) that allows this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def inline_parts(html: str) -> tuple[list[str], list[str]]:
    """The texts of the inline scripts (the executable ones: no ``src``, a JavaScript
    type) and of the ``<style>`` elements of ``html``."""
    scripts = [
        body
        for attrs, body in INLINE_SCRIPT.findall(html)
        if "src=" not in attrs.lower() and not NOT_JS.search(attrs)
    ]
    return scripts, [body for _, body in INLINE_STYLE.findall(html)]


def template_hashes() -> tuple[list[str], list[str]]:
    """Hashes of the inline scripts and styles of the page templates (``api/templates``).

    Only static text is hashed: an inline script or style with template markup inside
    (``{{ }}``, ``{% %}``) has no hash known before a request, so the policy blocks it. Pages
    pass their data in ``data-`` attributes or ``<script type="application/json">`` blocks.
    """
    scripts: set[str] = set()
    styles: set[str] = set()
    todo = [files("chainkg.api") / "templates"]
    while todo:
        for entry in todo.pop().iterdir():
            if entry.is_dir():
                todo.append(entry)
            elif entry.name.endswith(".html"):
                found = inline_parts(entry.read_text(encoding="utf-8"))
                scripts.update(digest(b) for b in found[0] if "{{" not in b and "{%" not in b)
                styles.update(digest(b) for b in found[1] if "{{" not in b and "{%" not in b)
    return sorted(scripts), sorted(styles)


def policy(scripts: Iterable[str] = (), styles: Iterable[str] = ()) -> str:
    """A Content-Security-Policy: this server only, inline scripts and ``<style>`` elements
    only by the given hashes, no plugins, no framing, forms posting only here."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *scripts],
        # style-src is the fallback of browsers without style-src-elem / -attr
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'", *styles],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def with_own_policy(response: Response) -> Response:
    """``response`` (a page the server generated itself, with no user input in its inline
    scripts) with a policy that allows exactly its own inline scripts and styles."""
    scripts, styles = inline_parts(bytes(response.body).decode("utf-8"))
    response.headers["Content-Security-Policy"] = policy(map(digest, scripts), map(digest, styles))
    return response


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, content_security_policy: str) -> None:
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": content_security_policy,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self.wrap(send))

    def wrap(self, send: Send) -> Send:
        """``send`` with the headers added to the start of a response."""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        return send_with_headers
