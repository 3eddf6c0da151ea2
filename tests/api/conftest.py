"""A real ``chainkg serve`` process on loopback, for tests that need a running server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and all its descendants (from /proc)."""
    total, todo, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        todo += [int(c) for c in children]
    return total


@pytest.fixture(scope="session")
def client(built_home):
    """An in-process client of the app over the built-in dataset (default settings)."""
    from fastapi.testclient import TestClient

    from chainkg.api.app import create_app
    from chainkg.api.settings import Settings

    with TestClient(create_app(Settings(store=built_home.location))) as c:
        yield c


@contextlib.contextmanager
def serve(location: str, log: Path, **env: str) -> Iterator:
    """A ``chainkg serve`` process over the store at ``location``, with ``CHAINKG_*``
    variables from ``env``; yields an object with ``url``, ``pid`` and ``log``."""
    port = free_port()
    environ = dict(os.environ, **env)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "chainkg.api.cli",
                "--store",
                str(location),
                "serve",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environ,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("chainkg serve did not start:\n" + log.read_text())
        time.sleep(0.3)
    try:
        yield type("Server", (), {"url": url, "pid": proc.pid, "log": log, "proc": proc})
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(built_home, tmp_path_factory):
    """Base URL of a running server over the built-in dataset (timeout 3 s, 3 workers)."""
    log = tmp_path_factory.mktemp("server") / "serve.log"
    with serve(built_home.location, log, CHAINKG_QUERY_TIMEOUT="3", CHAINKG_WORKERS="3") as s:
        yield s
