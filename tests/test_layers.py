"""The layers and which may import which (docs/ARCHITECTURE.md), read from every import
statement of the package, at module level or inside a function.

    ontology, graph          the store, IRIs, SPARQL text: import nothing above them
    loaders, queries         read sources, answer questions: import graph only
    viz                      maps and page models: import queries and graph
    api                      HTTP, pages, CLI: may import everything

``chainkg`` (the version) may be imported from anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "ontology": set(),
    "graph": {"ontology"},
    "loaders": {"graph", "ontology"},
    "queries": {"graph", "ontology"},
    "viz": {"queries", "graph", "ontology"},
    "api": {"viz", "queries", "loaders", "graph", "ontology"},
}


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``chainkg.*`` import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in found if m == "chainkg" or m.startswith("chainkg.")]


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layer_imports_only_the_layers_below_it(layer):
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, layer
    wrong = []
    for path in files:
        for line, module in imports(path):
            parts = module.split(".")
            target = parts[1] if len(parts) > 1 else "chainkg"
            if target in (layer, "chainkg") or target in LAYERS[layer]:
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []


def test_the_layers_are_all_there():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"chainkg"}
    assert packages - {"tests", "bench"} == set(LAYERS)
