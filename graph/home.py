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
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from chainkg.graph.store import OxigraphStore


class StoreMissing(FileNotFoundError):
    """No built store at the given location."""


VERSION = re.compile(r"^v\d{8}T\d{6}-\d{9}-\d+$")
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


class StoreHome:
    """A folder of store versions with an atomically switched ``current`` link.

    The folder is marked as a chainkg store home when first written to; a folder
    that holds other things and no marker is refused, so nothing else is touched.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).expanduser().resolve()

    @property
    def location(self) -> str:
        """Where the store is, for messages."""
        return str(self.path)

    @property
    def link(self) -> Path:
        return self.path / "current"

    def exists(self) -> bool:
        """Whether a finished store is there."""
        return self.link.is_symlink() and self.link.resolve().is_dir()

    def current(self) -> Path:
        """The folder of the live version."""
        if not self.exists():
            raise StoreMissing(f"no store at {self.path} (run `chainkg build` first)")
        return self.link.resolve()

    def open(self, read_only: bool = True) -> OxigraphStore:
        """The live store; read-only unless asked otherwise."""
        return OxigraphStore(self.current(), read_only=read_only)

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
                live = self.open(read_only=True)
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
        live = self.link.resolve() if self.exists() else None
        versions = sorted(d for d in self.path.iterdir() if d.is_dir() and VERSION.match(d.name))
        done = [d for d in versions if d.with_suffix(".done").exists()]
        keepers = {live, *done[-keep:]}
        for child in versions:
            if child not in keepers:
                shutil.rmtree(child, ignore_errors=True)
                child.with_suffix(".done").unlink(missing_ok=True)
