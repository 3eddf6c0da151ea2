"""Shared fixtures: the built-in dataset built once into a temporary store, per backend.

Every test that uses ``built_home``, ``store``, ``fresh_home`` (and the API fixtures
built on them) runs on both backends: the embedded Oxigraph store and a real
Virtuoso started for the session. ``CHAINKG_TEST_BACKENDS=embedded`` (or
``virtuoso``) narrows a local run; under ``CI=true`` a missing Virtuoso fails.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
import virtuoso as virtuoso_launcher  # tests/virtuoso.py (pytest's pythonpath)

from chainkg.api.settings import Settings
from chainkg.graph.home import StoreHome, home_for
from chainkg.graph.namespaces import Ids
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.loaders.plan import Plan, parse_plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of test input files."""
    return FIXTURES


@pytest.fixture(scope="session")
def ids() -> Ids:
    return Ids()


@pytest.fixture(scope="session")
def fuling_plan() -> Plan:
    """The built-in plan, parsed."""
    return parse_plan(Manifest.read(builtin_manifest()).plan.read_text(encoding="utf-8"))


BACKENDS = [b for b in os.environ.get("CHAINKG_TEST_BACKENDS", "embedded,virtuoso").split(",") if b]
_names = itertools.count(1)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """A Virtuoso server for the session; its credentials go into ``CHAINKG_STORE_*``."""
    vt = virtuoso_launcher
    if vt.binary() is None:
        message = "virtuoso-t is not installed (apt-get install virtuoso-opensource)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = vt.start(tmp_path_factory.mktemp("virtuoso"))
    saved = dict(os.environ)
    env = server.env()
    env.pop("CHAINKG_STORE")
    os.environ.update(env)  # chainkg processes started by tests inherit them
    yield server
    os.environ.clear()
    os.environ.update(saved)
    server.stop()


class Backend:
    """Makes empty store homes of one kind: a folder, or a control graph on Virtuoso."""

    def __init__(self, kind: str, tmp: pytest.TempPathFactory, server=None) -> None:
        self.kind, self.tmp, self.server = kind, tmp, server

    def location(self) -> str:
        """The ``--store`` / ``CHAINKG_STORE`` value of a new, empty store."""
        n = next(_names)
        if self.server is None:
            return str(self.tmp.mktemp("store") / "store")
        return f"sparql+{self.server.base}/sparql#https://example.org/test/{n}/store"

    def home(self):
        return home_for(Settings(store=self.location()))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory) -> Backend:
    """Each backend in turn: ``embedded`` (Oxigraph on disk) and ``virtuoso``."""
    server = request.getfixturevalue("virtuoso") if request.param == "virtuoso" else None
    return Backend(request.param, tmp_path_factory, server)


@pytest.fixture(scope="session")
def built_home(backend: Backend, ids: Ids):
    """A store home holding the built-in dataset (read-only use, please)."""
    home = backend.home()
    build(home, Manifest.read(builtin_manifest()), ids)
    return home


@pytest.fixture(scope="session")
def store(built_home):
    """The built-in dataset's store, opened read-only."""
    return built_home.open()


@pytest.fixture(scope="session")
def region_home(backend: Backend, ids: Ids):
    """A store home of two districts: the built-in Fuling plan and the Xishan fixture plan
    (``fixtures/region/dataset.yaml``), read-only use."""
    home = backend.home()
    build(home, Manifest.read(FIXTURES / "region" / "dataset.yaml"), ids)
    return home


@pytest.fixture(scope="session")
def region_store(region_home):
    """The two-district store, opened (the whole store: every plan)."""
    return region_home.open()


@pytest.fixture
def fresh_home(backend: Backend, ids: Ids):
    """A store home of its own, built from the built-in dataset, for tests that write."""
    home = backend.home()
    build(home, Manifest.read(builtin_manifest()), ids)
    return home


@pytest.fixture
def embedded_home(tmp_path: Path, ids: Ids) -> StoreHome:
    """An embedded store home of its own, for tests of the on-disk versions."""
    home = StoreHome(tmp_path / "store")
    build(home, Manifest.read(builtin_manifest()), ids)
    return home
