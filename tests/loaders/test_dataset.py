"""Dataset manifests of one plan or several (loaders/dataset.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chainkg.loaders.dataset import Manifest, builtin_manifest, read_dataset
from chainkg.loaders.errors import LoadError

REGION = "region/dataset.yaml"


def test_a_manifest_lists_several_plans(fixtures):
    m = Manifest.read(fixtures / REGION)
    assert [e.plan.name for e in m.entries] == ["fuling-plan-2022-2026.txt", "b-xishan.txt"]
    assert m.entries[0] == Manifest.read(builtin_manifest()).first  # `builtin`
    assert [r.name for r in m.entries[1].registries] == ["xishan-firms.csv"]
    assert m.plan.name == "fuling-plan-2022-2026.txt"  # the first plan is the default


def test_every_source_names_its_plan(fixtures, ids, tmp_path):
    sources = read_dataset(Manifest.read(fixtures / REGION), ids, tmp_path)
    owners = {str(s.graph).removeprefix(ids.base): s.plan for s in sources}
    assert owners["graph/ontology"] is None
    assert owners["graph/registry/xishan-firms"] == ids.iri("plan", "xi-shan-qu-2024-2028")
    assert owners["graph/registry/enterprises-public"] == ids.iri("plan", "fu-ling-qu-2022-2026")
    assert sum(s.kind == "ontology" for s in sources) == 1


def _write(folder: Path, text: str) -> Path:
    path = folder / "dataset.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("plans: []\n", "plans", "a list"),
        ("plan: a.txt\nplans: [builtin]\n", "plan", "entry"),
        ("plans:\n  - builtin\n  - {plan: a.txt, colour: red}\n", "plans[2].colour", "unknown"),
        ("plans:\n  - {chains: c.yaml}\n", "plans[1].plan", "no plan"),
        ("plans:\n  - {plan: missing.txt}\n", "plans[1].plan", "no such file"),
        ("plans:\n  - other.yaml\n", "plans[1]", "no such manifest"),
        ("plans:\n  - 3\n", "plans[1]", "expected"),
        ("plans:\n  - dataset.yaml\n", "plans", "lists itself"),
    ],
)
def test_a_bad_plans_list_is_named(tmp_path, text, key, words):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        Manifest.read(_write(tmp_path, text))
    problem = err.value.problems[0]
    assert (problem.column, problem.file) == (key, str(tmp_path / "dataset.yaml"))
    assert words in problem.message


def test_a_plan_listed_twice_is_refused(tmp_path, ids):
    with pytest.raises(LoadError) as err:
        read_dataset(Manifest.read(_write(tmp_path, "plans: [builtin, builtin]\n")), ids, tmp_path)
    assert "already in the dataset" in err.value.problems[0].message


def test_two_registries_of_one_file_name_are_refused(tmp_path, fixtures, ids):
    shutil.copy(fixtures / "plans" / "b-xishan.txt", tmp_path / "xishan.txt")
    shutil.copy(fixtures / "region" / "xishan-chains.yaml", tmp_path / "chains.yaml")
    (tmp_path / "enterprises-public.csv").write_text(
        (fixtures / "region" / "xishan-firms.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (
        "plans:\n  - builtin\n  - plan: xishan.txt\n    chains: chains.yaml\n"
        "    registries: [enterprises-public.csv]\n"
    )
    with pytest.raises(LoadError) as err:
        read_dataset(Manifest.read(_write(tmp_path, text)), ids, tmp_path)
    problem = err.value.problems[0]
    assert problem.column == "registries" and "same file name" in problem.message
