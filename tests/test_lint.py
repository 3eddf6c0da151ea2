"""ruff is clean over the whole tree; mypy is clean on graph/ and queries/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_on_graph_and_queries(tmp_path):
    """Type-check ``chainkg.graph`` and ``chainkg.queries`` as the installed package lays
    them out (the source folders linked under ``chainkg/``), so imports between the
    layers are checked too."""
    mypy = shutil.which("mypy")
    assert mypy, "mypy is a test dependency: pip install -e '.[test]'"
    package = tmp_path / "chainkg"
    package.mkdir()
    shutil.copy(ROOT / "chainkg" / "__init__.py", package / "__init__.py")
    for layer in ("graph", "queries", "loaders", "ontology", "viz", "api"):
        (package / layer).symlink_to(ROOT / layer, target_is_directory=True)
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "c")]
    done = subprocess.run(
        [mypy, *config, "-p", "chainkg.graph", "-p", "chainkg.queries"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_ruff_check_and_format():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a test dependency: pip install -e '.[test]'"
    check = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout
