"""Every curl example of README.md and docs/*.md, run as written against a real server.

Each command is taken verbatim from the text, only its ``127.0.0.1:8000`` replaced by the
test server's host and port, split with :func:`shlex.split` (no shell) and run with the real
``curl`` binary. It must answer 2xx with a body of the kind it asks for (``accept:``
header: CSV, Turtle, else JSON), holding every output line the text shows under it (a
line with ``…`` is cut: the pieces around the ``…`` must be in the answer).

The one rule for examples that write: an example that sends ``Authorization: Bearer
<token>`` runs against a server of its own, over a freshly built store, started with
``CHAINKG_UPDATE_TOKEN=<token>``, and must change that store; every other example runs
against the shared read-only server (which has no token, so a write there would fail).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shlex
import shutil
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from .conftest import serve

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ORIGIN = "127.0.0.1:8000"  # where the examples say the server is
FENCE = re.compile(r"^\s*(```|~~~)")
COMMAND = re.compile(r"^\s*(\$\s+)?curl\s")
INLINE = re.compile(r"`(curl\s[^`]*)`")
BEARER = re.compile(r"^\s*authorization\s*:\s*bearer\s+(\S+)\s*$", re.I)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@dataclass(frozen=True)
class Example:
    """One curl command of the docs, with the output lines the text shows under it."""

    where: str  # file:line
    command: str
    shown: tuple[str, ...] = ()

    def args(self, origin: str = ORIGIN) -> list[str]:
        """The command's arguments, with the example's host:port replaced by ``origin``."""
        return shlex.split(self.command.replace(ORIGIN, origin))

    def headers(self) -> list[str]:
        args = self.args()
        return [v for k, v in itertools.pairwise(args) if k in ("-H", "--header")]

    def token(self) -> str | None:
        """The bearer token the example sends, if any (then it writes: see the rule above)."""
        found = [m.group(1) for h in self.headers() if (m := BEARER.match(h))]
        return found[0] if found else None

    def wants(self) -> str:
        """The kind of body the example asks for: csv, turtle or json."""
        accept = " ".join(
            h.split(":", 1)[1]
            for h in self.headers()
            if ":" in h and h.split(":", 1)[0].strip().lower() == "accept"
        ).lower()
        if "csv" in accept:
            return "csv"
        if "turtle" in accept:
            return "turtle"
        return "json"

    def urls(self) -> list[str]:
        return [a for a in self.args() if a.startswith(("http://", "https://"))]


def examples() -> list[Example]:
    """Every curl command in the docs: in fenced blocks (``$ curl …`` with output lines
    after it, or a bare ``curl …``; ``\\`` continues a line) and in inline code."""
    found: list[Example] = []
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        name = doc.relative_to(ROOT).as_posix()
        fenced, i = False, 0
        while i < len(lines):
            line = lines[i]
            if FENCE.match(line):
                fenced = not fenced
                i += 1
                continue
            if not fenced:
                found += [Example(f"{name}:{i + 1}", m) for m in INLINE.findall(line)]
                i += 1
                continue
            if not COMMAND.match(line):
                i += 1
                continue
            start, prompt, text = i, line.lstrip().startswith("$"), line.strip()
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1] + " " + lines[i].strip()
            i += 1
            shown = []
            while prompt and i < len(lines) and not FENCE.match(lines[i]):
                if lines[i].lstrip().startswith("$"):
                    break
                shown.append(lines[i])
                i += 1
            text = text.removeprefix("$").strip()
            found.append(Example(f"{name}:{start + 1}", text, tuple(shown)))
    return found


EXAMPLES = examples()


def test_the_docs_have_runnable_curl_examples():
    assert EXAMPLES, "no curl example found"
    assert any("/api/queries/park-hosts" in " ".join(e.args()) for e in EXAMPLES)
    assert any(e.token() for e in EXAMPLES), "no example of a write with a token"
    for e in EXAMPLES:
        args = e.args()
        assert args[0] == "curl", e
        assert len(e.urls()) == 1, f"{e.where}: one URL per example: {e.urls()}"
        assert urllib.parse.urlsplit(e.urls()[0]).netloc == ORIGIN, e.where
        # curl sends a URL's bytes as written; uvicorn refuses raw non-ASCII (400)
        assert e.urls()[0].isascii(), f"{e.where}: percent-encode or use --data-urlencode"


def test_the_write_rule():
    """Examples with a token are the writing ones; read-only ones carry none."""
    write = Example(
        "x",
        "curl -s http://127.0.0.1:8000/sparql -H 'Authorization: Bearer t1' "
        "--data-urlencode 'update=CLEAR ALL'",
    )
    read = Example("y", "curl -s http://127.0.0.1:8000/api/search -H 'accept: text/csv'")
    assert write.token() == "t1" and read.token() is None
    assert read.wants() == "csv" and write.wants() == "json"
    for e in EXAMPLES:
        writes = any("update=" in a or "sparql-update" in a for a in e.args())
        assert writes == (e.token() is not None), e.where


def curl(args: list[str]) -> tuple[int, str, bytes]:
    """Run curl; (HTTP status, content type, body). Our write-out goes to stderr."""
    if shutil.which(args[0]) is None:
        pytest.skip("curl is not installed")
    done = subprocess.run(
        [*args, "--write-out", "%{stderr}\n[chainkg %{http_code} %{content_type}]"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    match = re.search(rb"\[chainkg (\d+) ([^\]]*)\]", done.stderr)
    assert done.returncode == 0 and match, done.stderr.decode(errors="replace")
    return int(match.group(1)), match.group(2).decode(), done.stdout


def parsed(kind: str, body: bytes):
    """The body parsed as ``kind``; fails if it is not."""
    text = body.decode("utf-8")
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), text[:300]
        return rows
    if kind == "turtle":
        graph = Graph().parse(data=text, format="turtle")
        assert len(graph) > 0
        return graph
    value = json.loads(text)
    assert value
    return value


def triples(url: str) -> int:
    query = urllib.parse.urlencode({"query": COUNT})
    with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=30) as r:
        return int(json.load(r)["results"]["bindings"][0]["n"]["value"])


@contextmanager
def serving(store: str, tmp: Path, **env: str) -> Iterator[str]:
    """A ``chainkg serve`` of its own over ``store``; yields its base URL."""
    with serve(store, tmp / "serve.log", CHAINKG_WORKERS="1", **env) as server:
        yield server.url


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_curl_example_works_as_written(example: Example, server, request, tmp_path):
    token = example.token()
    if token is None:
        url = server.url
        status, ctype, body = curl(example.args(url.removeprefix("http://")))
    else:
        home = request.getfixturevalue("fresh_home")
        with serving(home.location, tmp_path, CHAINKG_UPDATE_TOKEN=token) as url:
            before = triples(url)
            status, ctype, body = curl(example.args(url.removeprefix("http://")))
            after = triples(url)
        assert 200 <= status < 300, (status, body[:500])
        assert after > before, "the write example changed nothing"
        return
    assert 200 <= status < 300, (status, body[:500])
    kind = example.wants()
    assert kind in ctype or (kind == "json" and ctype.endswith("json")), ctype
    parsed(kind, body)
    text = body.decode("utf-8")
    for line in example.shown:
        if "…" not in line:  # a whole line of the answer
            assert line in text.splitlines(), f"{example.where}: not in the answer: {line!r}"
        for part in filter(None, (p.strip() for p in line.split("…"))):
            assert part in text, f"{example.where}: not in the answer: {part!r}"
