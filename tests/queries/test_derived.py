"""Reports kept with a store version when it is written (queries/derived.py)."""

from __future__ import annotations

import pytest

from chainkg.graph.namespaces import Ids
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.queries import chain, derived, gap_facts, plans
from chainkg.queries.gaps import gap_report


@pytest.fixture(scope="module")
def kept_home(backend, ids, fixtures):
    """The two-district store, built with its reports kept."""
    home = backend.home()
    manifest = Manifest.read(fixtures / "region" / "dataset.yaml")
    build(home, manifest, ids, derive=lambda store: derived.write(store, ids))
    return home


def _fresh():
    chain.clear_cache()  # as a new service process: nothing in memory


def test_a_new_version_keeps_each_plans_reports(kept_home, ids):
    store = kept_home.open()
    assert store.derived is not None and store.derived.is_file()
    _fresh()
    for name in ("西山区", None):
        view = plans.view(store, ids, name)
        for what in derived.NAMES:
            assert derived.stored(view, ids, what) is not None, (name, what)
    assert derived.stored(store, Ids("https://example.org/other/"), "gaps") is None


def test_the_service_reads_them_instead_of_computing(kept_home, ids, monkeypatch):
    store = kept_home.open()
    _fresh()
    expected = {}
    for name in (None, "西山区"):
        expected[name] = gap_report(plans.view(store, ids, name), ids, top=0)

    def never(*args, **kwargs):
        raise AssertionError("computed on a request although the version keeps it")

    _fresh()
    monkeypatch.setattr(chain, "load", never)
    monkeypatch.setattr(gap_facts, "context", never)
    for name in (None, "西山区"):
        assert gap_report(plans.view(store, ids, name), ids, top=0) == expected[name]


def test_a_version_without_them_is_computed_as_before(kept_home, ids):
    store = kept_home.open()
    view = plans.view(store, ids)
    kept = gap_report(view, ids, top=0)
    store.derived.rename(store.derived.with_name("elsewhere"))
    try:
        _fresh()
        assert derived.stored(view, ids, "gaps") is None
        assert gap_report(view, ids, top=0) == kept
    finally:
        store.derived.with_name("elsewhere").rename(store.derived)
        _fresh()


def test_old_versions_take_their_reports_with_them(backend, ids):
    home = backend.home()
    manifest = Manifest.read(builtin_manifest())
    for _ in range(4):
        build(home, manifest, ids, derive=lambda store: derived.write(store, ids))
    live = home.open()
    files = sorted(live.derived.parent.glob("*.derived"))
    assert live.derived in files and 1 <= len(files) <= 2  # the live and the previous one
