"""Point lookups: queries whose work is bounded by a few nodes' statements, proved on the store.

A query goes to a worker process so that one past its time limit can be killed; the hop
costs more than a point lookup itself (``bench/hop.py``). A query skips it only when its
work is bounded before it runs:

1. :func:`patterns` reads the query and accepts only ``SELECT`` (variables or ``*``) or
   ``ASK`` over one group of triple patterns, ``FILTER``s without sub-patterns and
   ``OPTIONAL`` groups of the same, with ``ORDER BY`` variables, ``LIMIT`` and ``OFFSET``.
   Each triple pattern has a constant subject or object (an IRI, or a string literal as
   object), and a single IRI or a variable as predicate: no property paths, blank nodes,
   sub-queries, ``UNION``, ``GRAPH``, ``SERVICE``, ``VALUES``, ``BIND`` or aggregates.
   Anything it does not read exactly (escapes, relative IRIs, long strings) is refused.
2. :class:`Bounds` counts on the store the statements each pattern can match with only
   its constants bound (any graph, up to the budget), and accepts only if the product of
   the counts, an upper bound on the solutions any join order can produce, is within the
   budget (256). A version never changes, so the counts are remembered per version.

Refused queries run in a worker as before; an accepted one does at most ``budget``
solutions' work, a few milliseconds, so it needs no time limit.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BUDGET = 256
FEW = 16
# the statements matching a pattern whose constants are bound (substituted) in any graph,
# counted by the engine up to a cap; the text holds no input, only our variables and cap
COUNT = (
    "SELECT {keys} (COUNT(*) AS ?n) WHERE {{ SELECT {keys} WHERE {{ "
    "{{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }} LIMIT {cap} }} GROUP BY {keys}"
)

TOKEN = re.compile(
    r"""(?P<ws>\s+|\#[^\r\n]*)
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<str>"[^"\\\n]*"(?!")|'[^'\\\n]*'(?!'))
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<dt>\^\^)
    |(?P<var>[?$]\w+)
    |(?P<name>[^\W\d_][\w.-]*+(?::(?:[\w:](?:[\w.:-]*[\w:-])?)?)?)
    |(?P<pname>:(?:[\w:](?:[\w.:-]*[\w:-])?)?)
    |(?P<num>[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<punct>[{}().;,*])
    |(?P<op>!=|<=|>=|&&|\|\||[=<>!+\-/])""",
    re.X,
)
ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# what a FILTER may use: functions whose cost is linear in their arguments, none that
# builds strings (REPLACE, CONCAT …), reaches out (SERVICE) or reads the store (EXISTS)
IN_FILTER = {
    *("LANG", "LANGMATCHES", "STR", "DATATYPE", "BOUND", "SAMETERM", "ISIRI", "ISURI"),
    *("ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "CONTAINS", "STRSTARTS", "STRENDS"),
    *("LCASE", "UCASE", "STRLEN", "TRUE", "FALSE", "IN"),
}
MAX_TEXT = 2000  # characters: longer texts go to a worker unread
MAX_PATTERNS = 8


@dataclass(frozen=True)
class Pattern:
    """One triple pattern's constants: ``None`` where it has a variable (or a constant the
    count cannot use, such as a number)."""

    subject: ox.NamedNode | None
    predicate: ox.NamedNode | None
    object: ox.NamedNode | ox.Literal | None


class Refused(Exception):
    """The text is not a point lookup this module can bound."""


def _tokens(text: str) -> list[tuple[str, str]]:
    """The tokens of ``text``, each read once (a name and its prefix are one run)."""
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None:
            raise Refused(f"unread text at {pos}")
        pos = m.end()
        kind, value = m.lastgroup or "", m.group(0)
        if kind == "name":
            prefix = value.split(":", 1)[0]
            if ":" not in value:
                kind = "word"  # a keyword, a function name, or something refused later
            elif prefix.endswith(".") or prefix.endswith("-"):
                raise Refused(f"bad prefix in {value!r}")
            else:
                kind = "pname"
        if kind != "ws":
            out.append((kind, value))
    return out


class _Reader:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.prefixes: dict[str, str] = {}
        self.found: list[Pattern] = []

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        k, v = self.peek()
        if (kind and k != kind) or (value and v.upper() != value):
            raise Refused(f"expected {value or kind}, found {v!r}")
        self.i += 1
        return v

    def word(self, *values: str) -> str | None:
        k, v = self.peek()
        if k == "word" and v.upper() in values:
            self.i += 1
            return v.upper()
        return None

    def iri(self, kind: str, value: str) -> ox.NamedNode:
        if kind == "iri":
            text = value[1:-1]
        elif kind == "pname":
            ns, local = value.split(":", 1)
            if ns not in self.prefixes:
                raise Refused(f"unknown prefix {ns}:")
            text = self.prefixes[ns] + local
        else:
            raise Refused(f"not an IRI: {value!r}")
        if not ABSOLUTE.match(text):
            raise Refused(f"relative IRI {text!r}")
        try:
            return ox.NamedNode(text)
        except ValueError as exc:
            raise Refused(str(exc)) from None

    def query(self) -> list[Pattern]:
        while (w := self.word("PREFIX", "BASE")) is not None:
            if w == "PREFIX":
                name = self.take("pname")
                if not name.endswith(":") or name.count(":") != 1:
                    raise Refused(f"bad prefix name {name!r}")
                self.prefixes[name[:-1]] = self.iri("iri", self.take("iri")).value
            else:
                self.take("iri")  # relative IRIs are refused anyway
        if self.word("SELECT"):
            self.word("DISTINCT", "REDUCED")
            if self.peek() == ("punct", "*"):
                self.i += 1
            else:
                self.take("var")
                while self.peek()[0] == "var":
                    self.i += 1
        elif not self.word("ASK"):
            raise Refused("not SELECT or ASK")
        while self.word("FROM"):
            self.word("NAMED")
            self.iri(*self.peek())
            self.i += 1
        self.word("WHERE")
        self.group()
        self.modifiers()
        if self.peek()[0] != "end":
            raise Refused(f"unread {self.peek()[1]!r} after the pattern")
        return self.found

    def group(self) -> None:
        self.take("punct", "{")
        while self.peek() != ("punct", "}"):
            if self.word("FILTER"):
                self.filter()
            elif self.word("OPTIONAL"):
                self.group()
            elif self.peek() == ("punct", "."):
                self.i += 1
            else:
                self.triples()
        self.i += 1

    def filter(self) -> None:
        """Skip a FILTER made only of variables, strings, numbers, the operators but the
        ordering ones (``<`` can start an IRI, so the engine and this reader could part
        ways on it) and the functions of :data:`IN_FILTER`."""
        if self.peek()[0] == "word":
            self._filter_word(self.take("word"))  # FILTER regex(...), FILTER langMatches(...)
        self.take("punct", "(")
        depth = 1
        while depth:
            kind, value = self.peek()
            if kind in ("end", "iri", "pname", "dt") or (kind == "punct" and value in "{}"):
                raise Refused(f"{value or 'the end'} inside FILTER")
            if kind == "op" and value[0] in "<>":
                raise Refused(f"{value} inside FILTER")
            if kind == "word":
                self._filter_word(value)
            depth += {"(": 1, ")": -1}.get(value, 0) if kind == "punct" else 0
            self.i += 1

    @staticmethod
    def _filter_word(value: str) -> None:
        if value.upper() not in IN_FILTER:
            raise Refused(f"{value} inside FILTER")

    def triples(self) -> None:
        kind, value = self.peek()
        self.i += 1
        subject = None if kind == "var" else self.iri(kind, value)
        while True:
            kind, value = self.peek()
            self.i += 1
            if kind == "word" and value == "a":
                predicate: ox.NamedNode | None = ox.NamedNode(RDF_TYPE)
            else:
                predicate = None if kind == "var" else self.iri(kind, value)
            while True:
                obj = self.object()
                if subject is None and obj is None:
                    raise Refused("a triple pattern with neither end constant")
                self.found.append(Pattern(subject, predicate, obj))
                if self.peek() != ("punct", ","):
                    break
                self.i += 1
            if self.peek() != ("punct", ";"):
                return
            self.i += 1
            if self.peek() in (("punct", "."), ("punct", "}")):
                return

    def object(self) -> ox.NamedNode | ox.Literal | None:
        kind, value = self.peek()
        self.i += 1
        if kind == "var":
            return None
        if kind in ("iri", "pname"):
            return self.iri(kind, value)
        if kind == "str":
            k, v = self.peek()
            if k == "lang":
                self.i += 1
                return ox.Literal(value[1:-1], language=v[1:].lower())
            if k == "dt":
                self.i += 1
                self.iri(*self.peek())  # typed literals may be stored in another form
                self.i += 1
                return None
            return ox.Literal(value[1:-1])
        if kind == "num" or (kind == "word" and value in ("true", "false")):
            return None
        raise Refused(f"unread object {value!r}")

    def modifiers(self) -> None:
        if self.word("ORDER"):
            self.take("word", "BY")
            while True:
                if self.peek()[0] == "var":
                    self.i += 1
                elif self.word("ASC", "DESC"):
                    self.take("punct", "(")
                    self.take("var")
                    self.take("punct", ")")
                else:
                    break
        while self.word("LIMIT", "OFFSET"):
            self.take("num")


def patterns(text: str) -> tuple[Pattern, ...] | None:
    """The triple patterns of ``text`` if it is a point lookup by its form (at most
    :data:`MAX_TEXT` characters, :data:`MAX_PATTERNS` patterns), else ``None``."""
    return _patterns(text) if len(text) <= MAX_TEXT else None


@lru_cache(maxsize=1024)
def _patterns(text: str) -> tuple[Pattern, ...] | None:
    # remembered for the texts met last: clients send the same text again and again
    try:
        found = tuple(_Reader(text).query())
    except (Refused, IndexError, ValueError):  # ValueError: a term pyoxigraph refuses
        return None
    return found if 0 < len(found) <= MAX_PATTERNS else None


def bounded(store: ox.Store, found: Sequence[Pattern], budget: int = BUDGET) -> bool:
    """Whether the product of the statements each pattern matches is at most ``budget``."""
    return Bounds(store, budget).within(found)


class Bounds:
    """The bound check on one store version, with the counts it has made remembered (a
    version never changes): a pattern met again costs a dictionary look-up."""

    def __init__(self, store: ox.Store, budget: int = BUDGET, size: int = 4096) -> None:
        self.store, self.budget, self.size = store, budget, size
        self.counts: dict[Pattern, int] = {}  # exact below the budget, else budget + 1
        self.lock = threading.Lock()  # the pool's run() may be called from several threads

    def within(self, found: Sequence[Pattern]) -> bool:
        """Whether the product of what each pattern matches is at most the budget."""
        product = 1
        for p in found:
            product *= max(1, self.count(p))
            if product > self.budget:
                return False
        return True

    def count(self, p: Pattern) -> int:
        """The statements ``p`` matches in any graph, up to ``budget + 1``."""
        known = self.counts.get(p)
        if known is None:
            known = self._count(p)
            with self.lock:
                if len(self.counts) >= self.size:
                    self.counts.pop(next(iter(self.counts)))
                self.counts[p] = known
        return known

    def _count(self, p: Pattern) -> int:
        # a few statements are counted as they come; more, by the engine (up to the cap)
        matches = self.store.quads_for_pattern(p.subject, p.predicate, p.object, None)
        few = sum(1 for _ in islice(matches, FEW + 1))
        if few <= FEW:
            return few
        ends = zip("spo", (p.subject, p.predicate, p.object), strict=True)
        bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in ends if v is not None
        }
        keys = " ".join(str(v) for v in bound)
        text = COUNT.format(keys=keys, cap=self.budget + 1)
        found = self.store.query(text, substitutions=bound)
        assert isinstance(found, ox.QuerySolutions)
        rows = list(found)
        return int(rows[0]["n"].value) if rows else 0
