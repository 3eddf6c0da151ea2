"""Packaging: every package folder is installed, under the one import root."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ["api", "graph", "loaders", "ontology", "queries", "viz"]


def config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed():
    setup = config()["tool"]["setuptools"]
    listed = set(setup["packages"])
    mapping = setup["package-dir"]
    found = set()
    for folder in FOLDERS:
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT)
            found.add("chainkg." + ".".join(rel.parts))
    assert found <= listed, f"not listed in pyproject: {sorted(found - listed)}"
    for pkg in listed - {"chainkg"}:
        assert (ROOT / mapping[pkg] / "__init__.py").exists(), pkg


def test_no_bare_imports_of_the_folders():
    bare = re.compile(rf"^\s*(from|import)\s+({'|'.join(FOLDERS)})(\.|\s|$)", re.M)
    for path in ROOT.rglob("*.py"):
        if any(part.startswith(".") for part in path.parts) or "build" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not bare.search(text), f"bare import in {path}"


def test_wheel_holds_every_package_and_data_file(tmp_path):
    # build from a copy of the tracked and new files, so no stale build/ output can leak in
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    src = tmp_path / "src"
    for rel in listed:
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("chainkg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for pkg in config()["tool"]["setuptools"]["packages"]:
        assert pkg.replace(".", "/") + "/__init__.py" in names, pkg
    for data in (
        "chainkg/ontology/chainkg.ttl",
        "chainkg/ontology/shapes.ttl",
        "chainkg/loaders/data/fuling-plan-2022-2026.txt",
        "chainkg/loaders/data/chains.yaml",
        "chainkg/loaders/data/enterprises-public.csv",
        "chainkg/loaders/data/dataset.yaml",
        "chainkg/queries/park-hosts.rq",
        "chainkg/api/templates/entity.html",
        "chainkg/api/templates/pages/industry.html",
        "chainkg/viz/static/explorer.js",
    ):
        assert data in names, data
