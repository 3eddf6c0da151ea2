"""Load the curated chain file: products, named chains and chain links.

The file (YAML, see ``loaders/data/chains.yaml``) is written by people. Each
link either quotes the plan section it rests on (the quote is checked against
the section's text) or is marked ``basis: domain`` with a one-line reason. Any
mistake is reported with the file and line, and nothing is loaded.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from chainkg.graph.namespaces import CK, WD, Ids
from chainkg.loaders.errors import LoadError, Problem, suggest
from chainkg.loaders.plan import Plan
from chainkg.loaders.plan_rdf import park_iri, plan_slug
from chainkg.loaders.text import Lexicon

EVIDENCE = {"source": str, "quote": str, "basis": str, "reason": str}
SCHEMA: dict[str, dict[str, type]] = {
    "industries": {"zh": str, "en": str},
    "chains": {"id": str, "zh": str, "en": str, "industry": str, **EVIDENCE},
    "products": {
        "id": str,
        "zh": str,
        "en": str,
        "aliases": list,
        "kind": str,
        "industry": str,
        "chains": list,
        **EVIDENCE,
    },
    "links": {"from": str, "to": str, "type": str, "chain": str, "ratio": float, **EVIDENCE},
    "presence": {"product": str, "kind": str, "park": str, **EVIDENCE},
}
KINDS = {
    "raw-material": CK.RawMaterial,
    "intermediate": CK.Intermediate,
    "component": CK.Component,
    "end-product": CK.EndProduct,
    "equipment": CK.Equipment,
    "service": CK.Service,
    "utility": CK.Utility,
    "infrastructure": CK.Infrastructure,
}
# What a link is (its ``type:``). The first three are supply: they make paths and gaps.
RELATIONS = {
    "material-input": CK.MaterialInput,
    "component": CK.ComponentInput,
    "equipment": CK.EquipmentInput,
    "service": CK.ServiceRelation,
    "infrastructure": CK.InfrastructureRelation,
    "utility": CK.UtilityRelation,
    "category": CK.CategoryRelation,
    "complement": CK.ComplementRelation,
}
SUPPLY = ("material-input", "component", "equipment")
PRESENCE = {
    "existing-producer": CK.ExistingProducer,
    "upgrade": CK.ExistingUnitUpgrade,
    "built": CK.AlreadyBuilt,
}


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line as ``__line__``."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    data = loader.construct_mapping(node, deep=True)
    data["__line__"] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Catalogue:
    """The products of a chain file (names and aliases → IRI), its chains (name stems →
    IRI, e.g. 聚酯 for 聚酯产业链) and its graph."""

    lexicon: Lexicon
    graph: Graph
    chains: Lexicon


class ChainFile:
    """One curated chain file checked against the plan it cites."""

    def __init__(self, path: Path, plan: Plan, ids: Ids) -> None:
        self.path, self.plan, self.ids = Path(path), plan, ids
        self.problems: list[Problem] = []
        self.g = Graph()
        self.key = plan_slug(plan)
        self.sections = {s.id: _squash(s.text) for s in plan.sections}
        self.industries = {i.name for i in plan.industries}

    def problem(
        self,
        entry: dict,
        column: str,
        value: object,
        message: str,
        choices: list[str] | None = None,
    ) -> None:
        hint = suggest(str(value), choices or [])
        self.problems.append(
            Problem(str(self.path), entry.get("__line__", 0), column, str(value), message, hint)
        )

    def row(self, entry: dict, what: str) -> URIRef:
        iri = self.ids.iri(
            "source", "chains", self.key, f"{what}-{entry.get('id') or entry['__line__']}"
        )
        self.g.add((iri, RDF.type, CK.RegistryRow))
        self.g.add((iri, CK.sourceFile, Literal(self.path.name)))
        self.g.add((iri, CK.lineNumber, Literal(entry["__line__"])))
        return iri

    def evidence(self, iri: URIRef, entry: dict) -> None:
        """Attach the plan quote or the domain reason behind ``entry``."""
        self.g.add((iri, PROV.wasDerivedFrom, self.row(entry, iri.split("/")[-2])))
        if entry.get("basis") == "domain":
            if not entry.get("reason"):
                self.problem(entry, "reason", "", "a domain-knowledge entry needs a reason")
            self.g.add((iri, CK.reason, Literal(entry.get("reason", ""), lang="en")))
            self.g.add((iri, CK.evidenceKind, CK.DomainKnowledge))
            return
        sid, quote = entry.get("source"), entry.get("quote")
        if sid not in self.sections:
            self.problem(entry, "source", sid, "unknown plan section", list(self.sections))
            return
        if not quote or _squash(str(quote)) not in self.sections[sid]:
            self.problem(entry, "quote", quote, f"quote not found in section {sid}")
            return
        self.g.add((iri, PROV.wasDerivedFrom, self.ids.iri("plan", self.key, sid)))
        self.g.add((iri, CK.evidenceText, Literal(str(quote), lang="zh")))
        self.g.add((iri, CK.evidenceKind, CK.PlanTextEvidence))

    def industry(self, entry: dict) -> URIRef | None:
        name = entry.get("industry")
        if name not in self.industries:
            self.problem(entry, "industry", name, "unknown industry", sorted(self.industries))
            return None
        return self.ids.of("industry", name, self.key)

    def load(self) -> Catalogue:
        """Check the file and build its graph; raises :class:`LoadError` listing all problems."""
        try:
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            raise LoadError(
                [Problem(str(self.path), line, "", "", f"not valid YAML: {exc}")]
            ) from exc
        self.check_shape(data)
        lexicon = Lexicon()
        chains = {c.get("id"): c for c in data.get("chains", [])}
        for c in chains.values():
            iri = self.ids.iri("chain", str(c.get("id")))
            self.g.add((iri, RDF.type, CK.IndustryChain))
            self.g.add((iri, RDFS.label, Literal(c.get("zh", ""), lang="zh")))
            if c.get("en"):
                self.g.add((iri, RDFS.label, Literal(c["en"], lang="en")))
            ind = self.industry(c)
            if ind:
                self.g.add((iri, CK.inIndustry, ind))
            self.evidence(iri, c)
        products = self.products(data.get("products", []), chains, lexicon)
        self.links(data.get("links", []), products, chains)
        self.presence(data.get("presence", []), products)
        for entry in data.get("industries", []):
            if entry.get("zh") in self.industries and entry.get("en"):
                iri = self.ids.of("industry", entry["zh"], self.key)
                self.g.add((iri, RDFS.label, Literal(entry["en"], lang="en")))
        if self.problems:
            raise LoadError(self.problems)
        stems = Lexicon()
        for c in chains.values():
            stem = re.sub(r"(产业链|生产链|链)$", "", str(c.get("zh", "")))
            stems.add(
                stem if len(stem) >= 2 else str(c.get("zh", "")),
                self.ids.iri("chain", str(c.get("id"))),
            )
        return Catalogue(lexicon, self.g, stems)

    def check_shape(self, data: object) -> None:
        """Keys and value types of the file; raises before anything else is read."""
        if not isinstance(data, dict):
            raise LoadError(
                [Problem(str(self.path), 1, "", "", "expected a mapping of " + ", ".join(SCHEMA))]
            )
        for section, entries in data.items():
            if section == "__line__":
                continue
            if section not in SCHEMA:
                self.problem(data, section, section, "unknown section", list(SCHEMA))
                continue
            if not isinstance(entries, list):
                self.problem(data, section, "", "expected a list of entries")
                continue
            for entry in entries:
                if not isinstance(entry, dict):
                    self.problem(data, section, str(entry), "expected a mapping (key: value)")
                    continue
                for key, value in entry.items():
                    if key == "__line__":
                        continue
                    kind = SCHEMA[section].get(key)
                    if kind is None:
                        self.problem(entry, key, key, "unknown key", list(SCHEMA[section]))
                    elif kind is list and not (
                        isinstance(value, list) and all(isinstance(v, str) for v in value)
                    ):
                        self.problem(entry, key, str(value), "expected a list of names [a, b]")
                    elif kind is str and not isinstance(value, str):
                        self.problem(entry, key, str(value), "expected text")
                    elif kind is float and not (
                        isinstance(value, int | float) and not isinstance(value, bool) and value > 0
                    ):
                        message = "expected a positive number (t of input per t of output)"
                        self.problem(entry, key, str(value), message)
        if self.problems:
            raise LoadError(self.problems)

    def products(self, entries: list[dict], chains: dict, lexicon: Lexicon) -> dict[str, URIRef]:
        out: dict[str, URIRef] = {}
        for p in entries:
            pid, label = p.get("id"), p.get("zh")
            if not pid or not label:
                self.problem(p, "id" if not pid else "zh", "", "a product needs an id and zh")
                continue
            if pid in out:
                self.problem(p, "id", pid, "duplicate product id")
                continue
            iri = out[pid] = self.ids.iri("product", pid)
            self.g.add((iri, RDF.type, CK.Product))
            self.g.add((iri, RDFS.label, Literal(label, lang="zh")))
            self.g.add((iri, SKOS.prefLabel, Literal(label, lang="zh")))
            if p.get("en"):
                self.g.add((iri, RDFS.label, Literal(p["en"], lang="en")))
            for name in [label, *p.get("aliases", [])]:
                other = lexicon.get(str(name))
                if other is not None and other != iri:
                    self.problem(p, "aliases", name, "name already used by another product")
                lexicon.add(str(name), iri)
                if name != label:
                    self.g.add((iri, SKOS.altLabel, Literal(str(name))))
            kind = KINDS.get(p.get("kind"))
            if kind is None:
                self.problem(p, "kind", p.get("kind"), "unknown product kind", list(KINDS))
            else:
                self.g.add((iri, CK.productKind, kind))
            ind = self.industry(p)
            if ind:
                self.g.add((iri, CK.inIndustry, ind))
            for cid in p.get("chains", []):
                if cid not in chains:
                    self.problem(p, "chains", cid, "unknown chain", [str(c) for c in chains])
                self.g.add((iri, CK.inChain, self.ids.iri("chain", str(cid))))
            self.evidence(iri, p)
        return out

    def links(self, entries: list[dict], products: dict[str, URIRef], chains: dict) -> None:
        seen: set[tuple[str, str]] = set()
        for link in entries:
            a, b, kind = link.get("from"), link.get("to"), link.get("type")
            bad = [(k, v) for k, v in (("from", a), ("to", b)) if v not in products]
            for column, value in bad:
                self.problem(link, column, value, "unknown product id", list(products))
            if kind not in RELATIONS:
                message = "unknown or missing relation type"
                self.problem(link, "type", kind, message, list(RELATIONS))
            if bad or a == b or (a, b) in seen:
                if not bad:
                    self.problem(link, "to", b, "self-link or duplicate link")
                continue
            seen.add((a, b))
            iri = self.ids.iri("link", f"{a}--{b}")
            self.g.add((iri, RDF.type, CK.ChainLink))
            self.g.add((iri, CK.upstream, products[a]))
            self.g.add((iri, CK.downstream, products[b]))
            self.g.add((iri, RDFS.label, Literal(f"{a} → {b}")))
            if kind in RELATIONS:
                self.g.add((iri, CK.relationType, RELATIONS[kind]))
            if kind in SUPPLY:
                self.g.add((iri, RDF.type, CK.SupplyLink))
                self.g.add((products[a], CK.supplies, products[b]))
            if "ratio" in link:
                if kind != "material-input":
                    self.problem(
                        link, "ratio", str(link["ratio"]), "a ratio needs a material-input link"
                    )
                else:
                    ratio = Decimal(str(link["ratio"]))
                    self.g.add((iri, CK.inputRatio, Literal(ratio, datatype=XSD.decimal)))
            elif kind == "category":
                self.g.add((products[a], SKOS.broader, products[b]))
            if link.get("chain"):
                if link["chain"] not in chains:
                    self.problem(link, "chain", link["chain"], "unknown chain", list(chains))
                self.g.add((iri, CK.inChain, self.ids.iri("chain", str(link["chain"]))))
            self.evidence(iri, link)
        self.no_cycles([e for e in entries if e.get("type") in SUPPLY], "supply links")
        self.no_cycles([e for e in entries if e.get("type") == "category"], "category links")

    def presence(self, entries: list[dict], products: dict[str, URIRef]) -> None:
        """Plan statements that a product is already made locally; each must quote the plan."""
        parks = {p: park_iri(self.ids, self.plan, p) for p in self.plan.parks}
        for entry in entries:
            pid, kind, park = entry.get("product"), entry.get("kind"), entry.get("park")
            if pid not in products:
                self.problem(entry, "product", pid, "unknown product id", list(products))
                continue
            if kind not in PRESENCE:
                self.problem(entry, "kind", kind, "unknown presence kind", list(PRESENCE))
                continue
            if entry.get("basis") == "domain" or not entry.get("quote"):
                self.problem(entry, "quote", "", "local presence must quote the plan")
                continue
            iri = self.ids.iri("presence", self.key, f"{pid}-{entry['__line__']}")
            self.g.add((iri, RDF.type, CK.LocalPresence))
            self.g.add((iri, CK.product, products[pid]))
            self.g.add((iri, CK.presenceKind, PRESENCE[kind]))
            self.g.add((iri, RDFS.label, Literal(f"{entry['quote']}", lang="zh")))
            if park is not None:
                if park not in parks:
                    self.problem(entry, "park", park, "unknown park", list(parks))
                else:
                    self.g.add((iri, CK.inPark, parks[park]))
            self.evidence(iri, entry)

    def no_cycles(self, entries: list[dict], what: str) -> None:
        """Chains run one way: report a cycle of ``what`` at the line of its first link."""
        import networkx as nx  # only a chain file's check needs it

        graph = nx.DiGraph()
        for link in entries:
            graph.add_edge(link.get("from"), link.get("to"), entry=link)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            return
        path = " → ".join([str(a) for a, _ in cycle] + [str(cycle[0][0])])
        self.problem(
            graph.edges[cycle[0]]["entry"], "to", cycle[0][1], f"{what} form a cycle: {path}"
        )


def load_chains(path: Path, plan: Plan, ids: Ids) -> Catalogue:
    """The products and links of a curated chain file, checked against ``plan``."""
    return ChainFile(path, plan, ids).load()


def identifiers_graph(path: Path, catalogue: Catalogue, ids: Ids, key: str) -> Graph:
    """CAS numbers and Wikidata ids (CSV: product_zh, cas, wikidata, source_note) of the
    products of plan ``key``'s chains."""
    g = Graph()
    problems: list[Problem] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            product = catalogue.lexicon.get(row.get("product_zh") or "")
            if product is None:
                names = list(catalogue.lexicon.names())
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "product_zh",
                        row.get("product_zh", ""),
                        "unknown product",
                        suggest(row["product_zh"], names),
                    )
                )
                continue
            src = ids.iri("source", "identifiers", key, f"line-{line}")
            g.add((src, RDF.type, CK.RegistryRow))
            g.add((src, CK.sourceFile, Literal(Path(path).name)))
            g.add((src, CK.lineNumber, Literal(line)))
            if row.get("source_note"):
                g.add((src, CK.note, Literal(row["source_note"])))
            p = URIRef(str(product))
            if row.get("cas"):
                g.add((p, CK.casNumber, Literal(row["cas"])))
            if row.get("wikidata"):
                g.add((p, SKOS.exactMatch, WD[row["wikidata"]]))
            g.add((p, PROV.wasDerivedFrom, src))
    if problems:
        raise LoadError(problems)
    return g
