"""Limits a query or update process puts on itself before it touches a store.

Query workers and update processes run user SPARQL, so each one, at start:

* leaves the host's network (a network namespace of its own, with nothing in it)
  unless the network is allowed: the engine itself then cannot reach another
  server, whatever a query says and whatever a text check made of it;
* caps its memory (``RLIMIT_DATA``: heap and anonymous mappings, not the store's
  mapped files), so a query that builds a huge value fails in its own process.

Both are Linux features; where the kernel refuses a namespace (no privilege, no
user namespaces) the process keeps the network and says so in :func:`state`, and the
service's text check (:mod:`chainkg.graph.guard`) is what stands.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal
from dataclasses import dataclass

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class Limits:
    """What a worker process may use."""

    memory_mb: int = 0  # 0 = no cap
    network: bool = False  # may the engine reach other servers (SERVICE, LOAD)?


def _unshare(flags: int) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return libc.unshare(flags) == 0


def cut_network() -> bool:
    """Move this process into an empty network namespace; True if it worked.

    Call it while the process has one thread (a user namespace needs that)."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        return False
    try:
        return _unshare(CLONE_NEWNET) or _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    except (OSError, AttributeError):
        return False


def cap_memory(megabytes: int) -> None:
    """Cap this process's data segment at ``megabytes`` MiB (0: leave it)."""
    if megabytes <= 0:
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def apply(limits: Limits) -> bool:
    """Apply ``limits`` to this process; returns whether its network is cut."""
    cut = False if limits.network else cut_network()
    cap_memory(limits.memory_mb)
    return cut


def death(exitcode: int | None, limits: Limits) -> str:
    """Why a worker process ended with ``exitcode``, in words for the caller."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGABRT and limits.memory_mb:
            return (
                f"the query needed more memory than a query may use "
                f"({limits.memory_mb} MiB, CHAINKG_WORKER_MEMORY)"
            )
        if sig == signal.SIGSEGV:
            return "the engine crashed on this query (nested too deeply for its stack?)"
        return f"the query process was stopped by signal {signal.Signals(sig).name}"
    return f"the query process ended unexpectedly (exit code {exitcode})"
