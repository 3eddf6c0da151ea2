"""The named queries as one-click SPARQL examples, and SPARQL results as a table.

A named query's parameters are bound for the example by a ``VALUES`` block at the start
of its outermost ``WHERE`` group, with an example value: the ``(e.g. …)`` of the
parameter's description, or an entity of the right kind from the graph. The text a user
sees is then a complete query they can run, change and download.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from chainkg.graph.namespaces import CK, Ids
from chainkg.queries import NamedQuery, named_queries
from chainkg.queries.chain import chain_graph
from chainkg.queries.industries import industries
from chainkg.queries.parks import parks

FORMATS = [
    ("json", "JSON", ("select", "graph")),
    ("xml", "XML", ("select", "graph")),
    ("csv", "CSV", ("select",)),
    ("tsv", "TSV", ("select",)),
    ("turtle", "Turtle", ("graph",)),
    ("nt", "N-Triples", ("graph",)),
]
SHOWN_ROWS = 500
_MASK = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_EXAMPLE = re.compile(r"\(e\.g\.\s*([^,，)]+)")
_LITERAL = re.compile(r'^"(.*)"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?$', re.S)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
PREFERRED = {"product": "product/nylon-66", "entity": "product/adipic-acid"}


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sample_values(store, ids: Ids | None) -> dict[str, str]:
    """An example IRI for each kind of IRI parameter, taken from the graph."""
    ids = ids or Ids()
    g = chain_graph(store, ids)
    products = {d["id"]: iri for iri, d in g.nodes(data=True)}
    hub = max(g.nodes, key=lambda n: (g.in_degree(n), n)) if len(g) else ids.base
    out = {k: products.get(v, hub) for k, v in PREFERRED.items()}
    found = industries(store, ids)
    out["industry"] = found[0]["iri"] if found else ids.base
    places = sorted(
        parks(store, ids), key=lambda p: (-(p["enterprises"] or 0), -(p["layouts"] or 0))
    )
    out["park"] = places[0]["iri"] if places else ids.base
    return out


def example_value(q: NamedQuery, name: str, samples: dict[str, str], ids: Ids) -> str:
    """The SPARQL term bound to parameter ``name`` of ``q`` in its example."""
    param = next(p for p in q.params if p.name == name)
    given = _EXAMPLE.search(param.description)
    if param.type == "iri":
        if given:  # a path under the base, e.g. product/nev
            return f"<{ids.base}{given.group(1).strip()}>"
        return f"<{samples.get(name, samples['entity'])}>"
    if name == "base":
        return _literal(ids.base)
    if name == "ontology":
        return _literal(str(CK._NS))
    if param.type in ("integer", "decimal"):
        return given.group(1).strip() if given else "1"
    return _literal(given.group(1).strip() if given else "")


def _masked(text: str) -> str:
    """``text`` with comments, IRIs and strings blanked out (same length), so braces and
    variables are only found in the query's structure."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), text)


def _groups(masked: str, start: int) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of every ``{…}`` group from ``start`` on."""
    out, stack = [], []
    for i in range(start, len(masked)):
        if masked[i] == "{":
            stack.append(i)
        elif masked[i] == "}" and stack:
            out.append((stack.pop(), i))
    return out


def _direct(masked: str, group: tuple[int, int], var: str) -> bool:
    """Whether ``?var`` occurs in ``group`` outside its nested groups."""
    depth, flat = 0, []
    for ch in masked[group[0] + 1 : group[1]]:
        depth += ch == "{"
        flat.append(ch if depth == 0 else " ")
        depth -= ch == "}"
    return re.search(rf"[?$]{re.escape(var)}\b", "".join(flat)) is not None


def bind(text: str, values: dict[str, str]) -> str:
    """``text`` with each parameter bound by ``VALUES ?name { term }``: at the start of the
    outermost WHERE group (so the column is filled) and of every group that uses the
    variable directly (so a FILTER in a nested group sees it), as a substitution would.
    Groups that hold a sub-SELECT get it inside the sub-SELECT instead."""
    masked = _masked(text)
    where = _WHERE.search(masked)
    if not values or where is None:
        return text
    inserts: dict[int, list[str]] = {}
    for group in _groups(masked, where.end() - 1):
        if re.match(r"\s*SELECT\b", masked[group[0] + 1 :], re.IGNORECASE):
            continue
        for var, term in values.items():
            if group[0] == where.end() - 1 or _direct(masked, group, var):
                inserts.setdefault(group[0] + 1, []).append(f" VALUES ?{var} {{ {term} }}")
    out, last = [], 0
    for at in sorted(inserts):
        out += [text[last:at], *inserts[at]]
        last = at
    return "".join([*out, text[last:]])


def form(text: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE): the result form of a query."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"<[^<>\s]*>", " ", body)
    found = _FORM.search(body)
    word = found.group(1).upper() if found else "SELECT"
    return {"SELECT": "select", "ASK": "ask"}.get(word, "graph")


def examples(store, ids: Ids | None) -> list[dict]:
    """Every named query with its example text (parameters bound) and result form."""
    ids = ids or Ids()
    samples = sample_values(store, ids)
    out = []
    for q in named_queries().values():
        values = {p.name: example_value(q, p.name, samples, ids) for p in q.params}
        text = bind(q.text, values)
        out.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": {k: v for k, v in values.items()},
                "sparql": text,
                "form": form(text),
            }
        )
    return out


def downloads(root: str, text: str) -> list[dict]:
    """The download links of a query: one per result format, marked by the forms they suit."""
    shown = form(text)
    shown = "select" if shown == "ask" else shown
    return [
        {
            "format": fmt,
            "label": label,
            "forms": " ".join(forms),
            "hidden": shown not in forms,
            "href": root + "/sparql?" + urlencode({"query": text, "format": fmt}),
        }
        for fmt, label, forms in FORMATS
    ]


def table(kind: str, body: bytes) -> dict:
    """A result (SPARQL JSON for select/ask, N-Triples for graphs) as columns and rows."""
    if kind == "graph":
        rows = []
        for line in body.decode("utf-8").splitlines():
            found = re.match(r"^(\S+)\s+(\S+)\s+(.*?)\s*\.\s*$", line)
            if found:
                rows.append([_short(found.group(i)) for i in (1, 2, 3)])
        return _cut(["subject", "predicate", "object"], rows)
    data = json.loads(body)
    if "boolean" in data:
        return _cut(["boolean"], [[str(data["boolean"]).lower()]])
    columns = data["head"]["vars"]
    rows = [[b[c]["value"] if c in b else "" for c in columns] for b in data["results"]["bindings"]]
    return _cut(columns, rows)


def _short(term: str) -> str:
    """An N-Triples term as text: an IRI without brackets, a literal's lexical form."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    found = _LITERAL.match(term)
    if found:
        try:
            return json.loads(f'"{found.group(1)}"')
        except ValueError:
            return found.group(1)
    return term


def _cut(columns: list[str], rows: list[list[str]]) -> dict:
    return {"columns": columns, "rows": rows[:SHOWN_ROWS], "count": len(rows)} | {
        "more": max(0, len(rows) - SHOWN_ROWS)
    }
