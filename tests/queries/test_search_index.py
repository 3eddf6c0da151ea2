"""The search index kept with a store version (queries/search_index.py), and its answers
checked against a plain reading of the matching rules, on the built-in dataset and on a
generated national store."""

from __future__ import annotations

import importlib.util
import io
import random
import sqlite3
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.graph.scope import districts
from chainkg.graph.store import OxigraphStore
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.queries import plans, search_index, search_keys
from chainkg.queries.search import search
from chainkg.queries.search_keys import CLASSES, WEIGHTS, has_cjk, normalize

SPEC = importlib.util.spec_from_file_location(
    "bench_generator", Path(__file__).resolve().parents[2] / "bench" / "generator.py"
)
generator = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = generator
SPEC.loader.exec_module(generator)

QUERIES = ("jiersuan", "己二", "酸", "ji", "xin cai", "新材料", "临港", "adipic", "a", "ADN")


@pytest.fixture(scope="module")
def indexed_home(backend, ids, fixtures):
    """The two-district store, built with its search index kept."""
    home = backend.home()
    manifest = Manifest.read(fixtures / "region" / "dataset.yaml")
    build(home, manifest, ids, derive=lambda store: search_index.write(store, ids.graph("meta")))
    return home


def _answers(store, ids) -> dict:
    search_index.clear_cache()
    out = {}
    for name in (None, "西山区"):
        view = plans.view(store, ids, name)
        out[name] = {q: search(view, q, limit=15) for q in QUERIES}
    out["whole"] = {q: search(store, q, limit=15) for q in QUERIES}
    return out


def test_a_new_version_keeps_its_index_and_search_reads_it(indexed_home, ids, monkeypatch):
    store = indexed_home.open()
    kept = search_index.file_of(store)
    assert kept is not None and kept.is_file() and kept.parent == store.derived.parent
    from_file = _answers(store, ids)
    kept.rename(kept.with_name("elsewhere"))
    try:
        built_on_use = _answers(store, ids)  # no file: built on first use, as before
    finally:
        kept.with_name("elsewhere").rename(kept)
    assert from_file == built_on_use
    assert from_file["whole"]["jiersuan"][0]["label"] == "己二酸"

    def never(*args, **kwargs):
        raise AssertionError("names read from the store although the version keeps them")

    monkeypatch.setattr(search_index, "entries", never)
    assert _answers(store, ids) == from_file


def test_each_plan_searches_its_own_names(indexed_home, ids):
    store = indexed_home.open()
    search_index.clear_cache()
    firm = "西山绿氢能源有限公司"
    xishan = search(plans.view(store, ids, "西山区"), firm, limit=3)
    assert xishan[0]["label"] == firm and xishan[0]["matched"]["kind"] == "exact"
    fuling = search(plans.view(store, ids, None), firm, limit=3)
    assert all(r["label"] != firm for r in fuling)
    assert search(store, firm, limit=1)[0]["label"] == firm
    assert _views(store) == {"": 1} | {p: i for i, p in enumerate(_plans(store, ids), 2)}


def _plans(store, ids) -> tuple[str, ...]:
    return districts(store, ids.graph("meta")).plans


def _views(store) -> dict[str, int]:
    """The kept file's plans and the view each reads (views of the same graphs: once)."""
    db = sqlite3.connect(search_index.file_of(store))
    try:
        return dict(db.execute("SELECT plan, view FROM view").fetchall())
    finally:
        db.close()


def test_a_file_of_another_format_is_not_read(tmp_path, ids):
    store = OxigraphStore(tmp_path / "v1")
    store.ox.load(_generated(3_000), format=ox.RdfFormat.N_QUADS)
    kept = search_index.write(store, ids.graph("meta"))
    search_index.clear_cache()
    assert search_index.index(store).path == kept
    db = sqlite3.connect(kept)
    db.execute(f"PRAGMA user_version = {search_index.SIGNATURE + 1}")
    db.close()
    search_index.clear_cache()
    found = search_index.index(store)
    assert found.path != kept and found.temporary  # built anew, not misread
    assert search(store, "silicon", limit=1)


def test_old_versions_take_their_index_with_them(backend, ids):
    home = backend.home()
    manifest = Manifest.read(builtin_manifest())
    for _ in range(4):
        build(home, manifest, ids, derive=lambda s: search_index.write(s, ids.graph("meta")))
    store = home.open()
    live = search_index.file_of(store)
    files = sorted(live.parent.glob("*.search"))
    assert live in files and 1 <= len(files) <= 2  # the live and the previous one
    (plan,) = _plans(store, ids)
    assert _views(store) == {"": 1, plan: 1}  # one plan reads every graph: one view


# --- the answers against the rules, read plainly ----------------------------------------


def _generated(triples: int) -> bytes:
    out = io.StringIO()
    generator.generate(out, triples, 11)
    return out.getvalue().encode("utf-8")


def expected(items: list[search_keys.Entry], q: str, limit: int) -> list[tuple]:
    """Exact, prefix and substring matches of the folded ``q``, each entity once with its
    best key (the first of equal ones), best first, as the rules say."""
    n, long = len(q), len(q) >= 2 or has_cjk(q)
    rank = {c: i for i, c in enumerate(CLASSES)}
    found = []
    for e in items:
        best = None
        for k in e.keys:
            w, cover = WEIGHTS[k.field], n / len(k.norm)
            starts = k.starts if k.starts is not None else range(len(k.norm))
            if k.norm == q:
                hit = (0.9 + 0.1 * w, "exact")
            elif k.norm.startswith(q) and (n >= 2 or k.field != "initials"):
                hit = (0.7 + 0.2 * (0.6 * cover + 0.4 * w) * 0.999, "prefix")
            elif (
                k.field != "initials" and long and any(k.norm.startswith(q, p) for p in starts if p)
            ):
                hit = (0.5 + 0.2 * (0.6 * cover + 0.4 * w) * 0.999, "substring")
            else:
                continue
            if best is None or hit[0] > best[0]:
                best = (*hit, k)
        if best:
            found.append((best, e))
    found.sort(key=lambda h: (-h[0][0], rank[h[1].cls], len(h[1].label), h[1].label, h[1].iri))
    return [(e.iri, round(s, 4), k.field, k.text, kind) for (s, kind, k), e in found[:limit]]


def _sample(items: list[search_keys.Entry], seed: int, count: int) -> list[str]:
    """Queries drawn from the keys: whole keys, pieces of them (short and longer than the
    kept piece), shouted, spaced and dashed."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        key = rnd.choice(rnd.choice(items).keys)
        text, how = key.text, rnd.random()
        if how < 0.25:
            out.append(text)
        elif how < 0.7:
            at = rnd.randrange(len(text))
            out.append(text[at : at + rnd.choice((1, 2, 3, 5, 14, 20))])
        elif how < 0.85:
            out.append(text[: rnd.randint(1, len(text))].upper())
        else:
            out.append(text.replace(" ", rnd.choice(("-", "  ", ""))))
    return out


def _check(store, seed: int, count: int) -> int:
    items = search_keys.entries(store)
    checked = 0
    for q in _sample(items, seed, count):
        norm = normalize(q)
        if not norm:
            continue
        for limit in (1, 10, 40):
            got = [
                (
                    r["iri"],
                    r["score"],
                    r["matched"]["field"],
                    r["matched"]["text"],
                    r["matched"]["kind"],
                )
                for r in search(store, q, limit=limit)
                if r["matched"]["kind"] != "fuzzy"
            ]
            want = expected(items, norm, limit)
            assert got == want[: len(got)] and len(got) == len(want), (q, limit)
            checked += 1
    return checked


def test_answers_follow_the_rules_on_the_builtin_dataset(store):
    search_index.clear_cache()
    assert _check(store, seed=20261204, count=150) > 300


def test_answers_follow_the_rules_on_a_generated_national_store(tmp_path, ids):
    store = OxigraphStore(tmp_path / "v1")
    store.ox.load(_generated(40_000), format=ox.RdfFormat.N_QUADS)
    search_index.write(store, ids.graph("meta"))
    search_index.clear_cache()
    assert search_index.index(store).path is not None  # the kept file answers
    assert len(search_keys.entries(store)) > 1_000
    assert _check(store, seed=7, count=150) > 300


def test_build_and_load_commands_keep_the_index(backend, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from chainkg.api.cli import main

    home = backend.home()

    def cli(*args: str) -> None:
        result = CliRunner().invoke(main, ["--store", home.location, *args])
        assert result.exit_code == 0, result.output

    cli("build")
    first = search_index.file_of(home.open())
    assert first.is_file() and first.with_suffix(".derived").is_file()
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix ck: <https://w3id.org/chainkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/p/x> a ck:Product ; rdfs:label "钛酸锂负极"@zh .\n',
        encoding="utf-8",
    )
    cli("load", str(extra), "--kind", "rdf")
    store = home.open()
    kept = search_index.file_of(store)
    assert kept.is_file() and kept != first
    search_index.clear_cache()
    monkeypatch.setattr(search_index, "entries", lambda *a, **k: pytest.fail("not kept"))
    found = search(store, "taisuanli", limit=1)
    assert [(r["label"], r["matched"]["kind"]) for r in found] == [("钛酸锂负极", "prefix")]
