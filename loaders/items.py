"""Load the curated item file: what a plan item makes, or what it is when not a product.

The general rule (:func:`chainkg.loaders.plan_rdf.products_made`) reads the products an
item makes from its text. The item file (YAML, see ``loaders/data/items.yaml``) holds the
reviewed exceptions, one entry per item the rule does not map right::

    items:
      - section: box5
        item: 页岩气制氢技术
        products: [hydrogen]
        nature: technology
        note: shale-gas-to-hydrogen technology; 页岩气 is its feedstock

An entry is keyed by the item's section id and its exact text as the parser gives it, so
a changed plan is reported, not silently ignored. ``products`` are product ids of the
chain file and replace what the rule found (``[]``: none); ``nature`` says what a
non-product item is. Any mistake is reported with the file and line, and nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph
from rdflib.namespace import RDF

from chainkg.graph.namespaces import CK, Ids
from chainkg.loaders.errors import LoadError, Problem, suggest
from chainkg.loaders.plan import Plan

NATURES = {
    "platform": CK.PlatformItem,
    "base": CK.BaseItem,
    "technology": CK.TechnologyItem,
    "service": CK.ServiceItem,
    "programme": CK.ProgrammeItem,
}
FIELDS = {"section": str, "item": str, "products": list, "nature": str, "note": str}


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line as ``__line__`` (as in chains.py,
    which cannot be imported here: it needs plan_rdf, which needs this module)."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    data = loader.construct_mapping(node, deep=True)
    data["__line__"] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@dataclass(frozen=True)
class Curated:
    """The reviewed mapping of one plan item; ``products`` None keeps what the rule found."""

    section: str
    text: str
    products: tuple[str, ...] | None
    nature: str | None
    note: str
    line: int


@dataclass
class ItemFile:
    """The checked entries of an item file, by (section id, item text)."""

    path: Path
    entries: dict[tuple[str, str], Curated]

    def get(self, section: str, text: str) -> Curated | None:
        return self.entries.get((section, text))


def product_ids(graph: Graph, ids: Ids) -> list[str]:
    """The ids of the products in a chain file's graph (``adipic-acid``, …)."""
    prefix = str(ids.iri("product", ""))
    return sorted(
        str(p)[len(prefix) :]
        for p in graph.subjects(RDF.type, CK.Product)
        if str(p).startswith(prefix)
    )


class _Checker:
    def __init__(self, path: Path, plan: Plan, products: Iterable[str]) -> None:
        self.path, self.products = Path(path), set(products)
        self.texts: dict[str, list[str]] = {}
        for item in plan.items:
            self.texts.setdefault(item.section, []).append(item.text)
        self.problems: list[Problem] = []

    def problem(
        self, entry: dict, key: str, value: object, message: str, choices: Iterable[str] = ()
    ) -> None:
        line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
        hint = suggest(str(value), list(choices))
        self.problems.append(Problem(str(self.path), line, key, str(value), message, hint))

    def entry(self, e: dict) -> Curated | None:
        before = len(self.problems)
        for key, value in e.items():
            if key == "__line__":
                continue
            kind = FIELDS.get(key)
            if kind is None:
                self.problem(e, key, key, "unknown key", FIELDS)
            elif not isinstance(value, kind) or (
                kind is list and not all(isinstance(v, str) for v in value)
            ):
                wanted = "expected a list of ids [a, b]" if kind is list else "expected text"
                self.problem(e, key, value, wanted)
        sid, text = e.get("section"), e.get("item")
        if not isinstance(sid, str) or sid not in self.texts:
            self.problem(e, "section", sid, "no plan items in this section", self.texts)
        elif text not in self.texts[sid]:
            self.problem(e, "item", text, f"no such item in section {sid}", self.texts[sid])
        products = e.get("products")
        for pid in products if isinstance(products, list) else []:
            if not isinstance(pid, str) or pid not in self.products:
                self.problem(e, "products", pid, "unknown product id", sorted(self.products))
        nature = e.get("nature")
        if nature is not None and (not isinstance(nature, str) or nature not in NATURES):
            self.problem(e, "nature", nature, "unknown nature; use " + ", ".join(NATURES), NATURES)
        if products is None and nature is None:
            self.problem(e, "products", "", "an entry gives products, a nature or both")
        elif products == [] and nature is None:
            self.problem(e, "nature", "", "an item with no products needs a nature")
        if not e.get("note"):
            self.problem(e, "note", "", "an entry needs a short note saying why")
        if len(self.problems) > before:
            return None
        return Curated(
            str(sid),
            str(text),
            tuple(products) if products is not None else None,
            nature,
            str(e["note"]),
            e["__line__"],
        )

    def load(self) -> ItemFile:
        try:
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
        except (OSError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            raise LoadError([Problem(str(self.path), line, "", "", f"cannot read: {exc}")]) from exc
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise LoadError(
                [Problem(str(self.path), 1, "items", "", "expected a mapping with a list 'items'")]
            )
        for key in data:
            if key not in ("items", "__line__"):
                self.problem(data, key, key, "unknown section; the file holds 'items'", ["items"])
        entries: dict[tuple[str, str], Curated] = {}
        for e in data["items"]:
            if not isinstance(e, dict):
                self.problem(data, "items", e, "expected a mapping (section, item, …)")
                continue
            got = self.entry(e)
            if got is None:
                continue
            key = (got.section, got.text)
            if key in entries:
                self.problem(e, "item", got.text, f"duplicate entry (line {entries[key].line})")
            entries[key] = got
        if self.problems:
            raise LoadError(self.problems)
        return ItemFile(self.path, entries)


def load_items(path: Path, plan: Plan, products: Iterable[str]) -> ItemFile:
    """The reviewed item mappings of ``path``, checked against ``plan`` and ``products`` (ids)."""
    return _Checker(path, plan, products).load()
