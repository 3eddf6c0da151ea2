"""Shared fixtures: the built-in dataset built once into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.graph.build import build
from chainkg.graph.home import StoreHome
from chainkg.graph.namespaces import Ids
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


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory, ids: Ids) -> StoreHome:
    """A store home holding the built-in dataset (read-only use, please)."""
    home = StoreHome(tmp_path_factory.mktemp("store"))
    build(home, Manifest.read(builtin_manifest()), ids)
    return home


@pytest.fixture(scope="session")
def store(built_home: StoreHome):
    """The built-in dataset's store, opened read-only."""
    return built_home.open(read_only=True)


@pytest.fixture
def fresh_home(tmp_path: Path, ids: Ids) -> StoreHome:
    """A store home of its own, built from the built-in dataset, for tests that write."""
    home = StoreHome(tmp_path / "store")
    build(home, Manifest.read(builtin_manifest()), ids)
    return home
