"""The store's home folder: versions switched atomically.

A home holds one folder per store version and a symlink ``current`` to the live
one. Every write (a build, a load) happens in a new version; only when it has
finished does ``current`` switch, by an atomic rename of a fresh symlink. A
build that fails or is killed leaves ``current`` untouched and readable; its
half-written folder is removed by the next write.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from chainkg.graph.executor import QueryPool
from chainkg.graph.store import OxigraphStore, Store, WritableStore

if TYPE_CHECKING:
    from chainkg.graph.remote_home import RemoteHome

_LIVE: dict[Path, OxigraphStore] = {}  # home folder → its live version, opened read-only
_LIVE_LOCK = threading.Lock()


class StoreMissing(FileNotFoundError):
    """No built store at the given location."""


VERSION = re.compile(r"^v\d{8}T\d{6}-\d{9}-\d+$")
KEPT = (".derived", ".search")  # files kept beside a version: its reports, its search index
MARKER = ".chainkg-store"


@contextlib.contextmanager
def file_lock(path: Path, waiting: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing), held for the block.

    The holder writes its pid into the file; a process that has to wait says once,
    through ``waiting``, which pid holds which lock file, then waits for it.
    """
    with open(path, "a+") as fh:  # "a+": opening must not wipe the holder's pid
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            pid = fh.read().strip()
            who = f"pid {pid}" if pid.isdigit() else "pid unknown"
            waiting(f"waiting for another writer ({who}) holding {path} …")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


SCRATCH = ".scratch-"  # a writer's working files, in the home folder (under its lock)


@contextlib.contextmanager
def scratch(home: Home) -> Iterator[Path]:
    """A folder for a writer's working files in ``home``'s local folder, removed at the
    end of the block. Call it under the home's lock (inside ``new_version``): any other
    such folder there is a killed writer's, and goes."""
    for stale in home.path.glob(SCRATCH + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=SCRATCH, dir=home.path) as folder:
        yield Path(folder)


class StoreHome:
    """A folder of store versions with an atomically switched ``current`` link.

    The folder is marked as a chainkg store home when first written to; a folder
    that holds other things and no marker is refused, so nothing else is touched.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).expanduser().resolve()
        self._named: tuple[str, Path] | None = None  # the link's text and its folder

    @property
    def location(self) -> str:
        """Where the store is, for messages."""
        return str(self.path)

    @property
    def link(self) -> Path:
        return self.path / "current"

    def _target(self) -> Path | None:
        """The live version's folder, or ``None``: one ``readlink`` and one ``stat`` (the
        service asks once per query), the path cached while the link names the same."""
        try:
            name = os.readlink(self.link)
        except OSError:
            return None
        if not os.path.isdir(os.path.join(self.path, name)):
            return None
        held = self._named
        if held is None or held[0] != name:
            self._named = held = (name, (self.path / name).resolve())
        return held[1]

    def exists(self) -> bool:
        """Whether a finished store is there."""
        return self._target() is not None

    def current(self) -> Path:
        """The folder of the live version."""
        target = self._target()
        if target is None:
            raise StoreMissing(f"no store at {self.path} (run `chainkg build` first)")
        return target

    def open(self) -> OxigraphStore:
        """The live store, read-only (a new version is written through :meth:`new_version`)."""
        return OxigraphStore(self.current(), read_only=True)

    def live(self) -> OxigraphStore:
        """The live version for readers: opened read-only once per version and shared."""
        current = self.current()
        with _LIVE_LOCK:
            held = _LIVE.get(self.path)
            if held is None or held.path != current:
                held = _LIVE[self.path] = OxigraphStore(current, read_only=True)
            return held

    def version(self) -> str:
        """The id of the live version (its folder's name)."""
        return self.current().name

    def query_pool(self, workers: int, timeout: float, queue_wait: float, limits) -> QueryPool:
        """Worker processes that run user SPARQL on the live version, with ``limits``."""
        return QueryPool(
            self.current, workers, timeout, queue_wait, limits, local=lambda: self.live().ox
        )

    def _claim(self) -> None:
        """Create or check the home folder before anything is written in it."""
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / MARKER
        if marker.exists():
            return
        if any(self.path.iterdir()):
            raise StoreMissing(
                f"{self.path} is not empty and is not a chainkg store folder; "
                "choose an empty or new folder for the store"
            )
        marker.write_text("chainkg store home: versions v*, live version behind 'current'\n")

    @contextlib.contextmanager
    def lock(self, progress: Callable[[str], None] = lambda _: None) -> Iterator[None]:
        """Serialise writers (builds and loads) across processes; says if it has to wait."""
        self._claim()
        with file_lock(self.path / ".lock", progress):
            yield

    @contextlib.contextmanager
    def new_version(
        self, from_current: bool = False, progress=lambda _: None
    ) -> Iterator[OxigraphStore]:
        """A writable new version; it goes live only if the block ends without error.

        ``from_current`` starts from a copy of the live store (for loads); else empty.
        """
        with self.lock(progress):
            self._sweep()
            stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}"
            target = self.path / f"v{stamp}-{os.getpid()}"
            if from_current:
                live = self.open()
                live.backup(target)
                live.close()
            store = OxigraphStore(target)
            try:
                yield store
                store.flush()
            except BaseException:
                store.close()
                shutil.rmtree(target, ignore_errors=True)
                raise
            store.close()
            target.with_suffix(".done").touch()
            self._switch(target)
            self._sweep()

    def _switch(self, target: Path) -> None:
        tmp = self.path / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(target.name)
        os.replace(tmp, self.link)

    def _sweep(self, keep: int = 2) -> None:
        """Remove unfinished versions (killed writes) and all but the ``keep`` newest
        finished ones; the previous version stays for readers that still have it open."""
        live = self.current() if self.exists() else None
        versions = sorted(d for d in self.path.iterdir() if d.is_dir() and VERSION.match(d.name))
        done = [d for d in versions if d.with_suffix(".done").exists()]
        keepers = {live, *done[-keep:]}
        for child in versions:
            if child not in keepers:
                shutil.rmtree(child, ignore_errors=True)
                child.with_suffix(".done").unlink(missing_ok=True)
                for kept in KEPT:
                    child.with_name(child.name + kept).unlink(missing_ok=True)


class Home(Protocol):
    """A place that holds store versions, one of them live: a folder (:class:`StoreHome`)
    or a SPARQL server (:class:`chainkg.graph.remote_home.RemoteHome`). Readers take
    :meth:`live`; writers write a :meth:`new_version` that goes live when it is done."""

    path: Path  # a local folder (the store itself, or kept copies and the write lock)

    @property
    def location(self) -> str:
        """Where the store is, for messages."""

    def exists(self) -> bool:
        """Whether a finished store is there."""

    def open(self) -> Store:
        """The live version as a read-only store (writes go through :meth:`new_version`)."""

    def live(self) -> Store:
        """The live version for readers, shared."""

    def version(self) -> str:
        """The id of the live version."""

    def new_version(
        self, from_current: bool = False, progress: Callable[[str], None] = ...
    ) -> contextlib.AbstractContextManager[WritableStore]:
        """A writable new version; it goes live only if the block ends without error."""

    def query_pool(self, workers: int, timeout: float, queue_wait: float, limits) -> Any:
        """What runs user SPARQL on the live version."""


REMOTE = ("sparql+http://", "sparql+https://")


class StoreSettings(Protocol):
    """What :func:`home_for` reads from settings (``chainkg.api.settings.Settings``)."""

    store: str
    store_update: str | None
    store_graph_store: str | None
    store_user: str | None
    store_password: str | None
    store_auth: str
    store_graph: str | None
    base_iri: str
    query_timeout: float


def is_remote(store: str) -> bool:
    """Whether a ``store`` setting names a SPARQL server rather than a folder."""
    return str(store).startswith(REMOTE)


def home_for(settings: StoreSettings) -> StoreHome | RemoteHome:
    """The store home the settings name: a folder (embedded Oxigraph) or a SPARQL server.

    Both kinds answer the same calls: ``exists``, ``current``, ``open``, ``live``,
    ``version``, ``new_version`` and ``query_pool``; nothing outside ``graph/`` asks which
    kind it has."""
    if not is_remote(settings.store):
        return StoreHome(Path(settings.store))
    from chainkg.graph.remote import Endpoint
    from chainkg.graph.remote_home import RemoteHome

    url, _, control = settings.store.removeprefix("sparql+").partition("#")
    endpoint = Endpoint(
        url,
        settings.store_update,
        settings.store_graph_store,
        settings.store_user,
        settings.store_password,
        settings.store_auth,
        timeout=max(300.0, settings.query_timeout),
    )
    control = control or settings.store_graph or settings.base_iri.rstrip("/") + "/store"
    return RemoteHome(endpoint, control)
