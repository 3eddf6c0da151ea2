"""A real Virtuoso (Debian's ``virtuoso-opensource``) on loopback, for the remote backend.

:func:`start` writes a minimal ``virtuoso.ini`` in a temporary folder, starts
``virtuoso-t`` on two free loopback ports and waits until its SPARQL endpoint
answers; :meth:`Virtuoso.stop` ends it. Writes go through the digest-protected
``/sparql-auth`` and ``/sparql-graph-crud-auth`` endpoints as ``dba``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 20
MaxClientConnections = 20
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary() -> str | None:
    """The ``virtuoso-t`` program, if installed."""
    return shutil.which("virtuoso-t")


@dataclass
class Virtuoso:
    folder: Path
    http: int
    proc: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    def env(self, control: str | None = None) -> dict[str, str]:
        """``CHAINKG_*`` variables that point chainkg at this server."""
        out = {
            "CHAINKG_STORE": f"sparql+{self.base}/sparql",
            "CHAINKG_STORE_UPDATE": f"{self.base}/sparql-auth",
            "CHAINKG_STORE_GRAPH_STORE": f"{self.base}/sparql-graph-crud-auth",
            "CHAINKG_STORE_USER": "dba",
            "CHAINKG_STORE_PASSWORD": "dba",
        }
        if control:
            out["CHAINKG_STORE_GRAPH"] = control
        return out

    def settings(self, control: str) -> dict[str, str]:
        """The same, as ``Settings`` fields."""
        return {k.removeprefix("CHAINKG_").lower(): v for k, v in self.env(control).items()}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def configure(folder: Path, memory_mb: int = 1500) -> tuple[list[str], int]:
    """Write ``virtuoso.ini`` in ``folder``; the command that runs the server in the
    foreground, and its HTTP port."""
    exe = binary()
    if exe is None:
        raise FileNotFoundError("virtuoso-t not found (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    http, sql = free_port(), free_port()
    buffers = memory_mb * 1024 // 8 * 2 // 3  # 8 KiB pages, two thirds of the budget
    (folder / "virtuoso.ini").write_text(
        INI.format(d=folder, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4)
    )
    return [exe, "-c", str(folder / "virtuoso.ini"), "-f"], http


def ready(base: str) -> bool:
    """Whether the SPARQL endpoint at ``base`` answers."""
    try:
        return httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def start(folder: Path, memory_mb: int = 1500) -> Virtuoso:
    """Start Virtuoso with its database in ``folder``; ready when this returns."""
    cmd, http = configure(folder, memory_mb)
    log = open(folder / "stdout.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(cmd, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso(folder, http, proc)
    deadline = time.time() + 120
    while not ready(server.base):
        if proc.poll() is not None or time.time() > deadline:
            server.stop()
            text = (folder / "virtuoso.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"Virtuoso did not start:\n{text}")
        time.sleep(0.5)
    return server
