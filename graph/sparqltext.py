"""Reading SPARQL text without a full parser: keywords, the query form, IRIs, groups.

What a remote store needs to send a query on: IRIs renamed to the names a store
version uses on the server, and parameters bound as RDF terms in a ``VALUES``
block at the head of every group pattern that mentions them (the server has no
substitutions API). Strings, IRIs and comments are masked first, so nothing
inside them is ever taken for syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urljoin

MASK = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)


def masked(text: str) -> str:
    """``text`` with comments, IRIs and strings blanked out (same length, same offsets)."""
    return MASK.sub(lambda m: "\0" * len(m.group(0)), text)


def keywords(text: str) -> set[str]:
    """Upper-cased bare words of a SPARQL text outside comments, IRIs and strings."""
    blank = MASK.sub(" ", text)
    return {w.upper() for w in re.findall(r"(?<![:\w?$@])[A-Za-z]+(?![:\w])", blank)}


def rename_iris(text: str, names: Mapping[str, str], unknown_graph: str | None = None) -> str:
    """``text`` with each IRI token ``<a>`` whose IRI is a key of ``names`` renamed to its
    value; with ``unknown_graph``, an IRI in graph position (after GRAPH, FROM, FROM NAMED)
    that is not a key becomes ``unknown_graph``, so no other graph can be named."""
    if not names and unknown_graph is None:
        return text
    graph_position = re.compile(r"(?<![:\w?$@])(?:GRAPH|FROM|NAMED)\s*$", re.IGNORECASE)

    def swap(m: re.Match) -> str:
        token = m.group(0)
        if not token.startswith("<"):
            return token
        if token[1:-1] in names:
            return f"<{names[token[1:-1]]}>"
        if unknown_graph and graph_position.search(
            masked(text[max(0, m.start() - 40) : m.start()])
        ):
            return f"<{unknown_graph}>"
        return token

    return MASK.sub(swap, text)


def iris_after(text: str, words: tuple[str, ...]) -> list[str]:
    """IRIs written right after one of ``words`` (e.g. ``GRAPH``, ``INTO``), in order."""
    blank = masked(text)
    out = []
    pattern = r"(?<![:\w?$@])(?:" + "|".join(words) + r")\s*(?:NAMED\s+|SILENT\s+|GRAPH\s+)*\0"
    for m in re.finditer(pattern, blank, re.IGNORECASE):
        start = m.end() - 1
        if text[start] == "<":
            out.append(text[start + 1 : text.index(">", start)])
    return out


def _groups(blank: str) -> list[tuple[int, int]]:
    """(open, close) offsets of every group graph pattern: each ``{ … }`` but a CONSTRUCT
    template or a VALUES data block."""
    skip = {m.end() - 1 for m in re.finditer(r"(?<![:\w?$@])CONSTRUCT\s*\{", blank, re.I)}
    values = r"(?<![:\w?$@])VALUES\s*(?:[?$]\w+|\([^)]*\))\s*\{"
    skip |= {m.end() - 1 for m in re.finditer(values, blank, re.I)}
    spans, stack = [], []
    for i, ch in enumerate(blank):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            start = stack.pop()
            if start not in skip:
                spans.append((start, i))
    return sorted(spans)


def bind_values(text: str, terms: Mapping[str, str]) -> str:
    """``text`` with ``VALUES ?name { term }`` at the head of each group using ``?name``.

    Every group that mentions the variable gets the block, so each FILTER sees the
    value, as with SEP-0007 substitutions; a ``{ SELECT … }`` wrapper is left to the
    sub-select's own WHERE.

    ``terms`` maps variable names to terms already written in N-Triples syntax by an
    RDF library (so they are data, whatever they hold); the text is only re-arranged.
    """
    if not terms:
        return text
    blank = masked(text)
    inserts: dict[int, list[str]] = {}
    for name, term in terms.items():
        var = re.compile(r"[?$]" + re.escape(name) + r"(?!\w)")
        hit = False
        for start, end in _groups(blank):
            if re.match(r"\s*SELECT(?![:\w])", blank[start + 1 : end], re.IGNORECASE):
                continue  # ``WHERE { SELECT … }``: the sub-select's own WHERE is bound
            if var.search(blank, start, end):
                inserts.setdefault(start + 1, []).append(f" VALUES ?{name} {{ {term} }} ")
                hit = True
        if not hit and var.search(blank):
            raise ValueError(f"?{name} is used outside any group pattern; cannot bind it")
    out, last = [], 0
    for pos in sorted(inserts):
        out += [text[last:pos], *inserts[pos]]
        last = pos
    out.append(text[last:])
    return "".join(out)


def ask_as_select(text: str) -> str:
    """An ASK query written as ``SELECT * … LIMIT 1`` (true iff it has a row): Virtuoso
    answers some ASKs true that the same pattern as SELECT finds no row for."""
    blank = masked(text)
    m = re.search(r"(?<![:\w?$@])ASK(?![:\w])", blank, re.IGNORECASE)
    if not m:
        raise SyntaxError("not an ASK query")
    return text[: m.start()] + "SELECT *" + text[m.end() :] + "\nLIMIT 1"


def unwrap_str(text: str, names: list[str]) -> str:
    """``STR(?v)`` written as ``?v`` for variables bound to simple literals (the same value:
    STR of a simple literal is itself; Virtuoso garbles STR of a non-ASCII constant)."""
    for name in names:
        pattern = re.compile(r"(?<![\w:])STR\s*\(\s*([?$]" + re.escape(name) + r")\s*\)", re.I)
        blank = masked(text)
        spans = [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(blank)]
        for start, end, var in reversed(spans):
            text = text[:start] + var + text[end:]
    return text


UPDATE_START = re.compile(
    r"\s*(?:(?:PREFIX\s*[^\s:]*:\s*\0+|BASE\s*\0+)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![:\w])",
    re.IGNORECASE,
)
_AT = re.compile(r"^error at (\d+):(\d+): expected (?:one of )?(.*)$", re.S)
_ALTERNATIVE = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\[\]"]+')


def syntax_message(message: str, text: str) -> str:
    """An engine's syntax error made readable: line and column, what was expected in
    words (no dumps of character ranges), the line itself with a caret under the spot,
    and an unknown prefix named as such."""
    m = _AT.match(message.strip())
    if not m:
        return message
    line, column = int(m.group(1)), int(m.group(2))
    wanted = [a.strip() for a in _ALTERNATIVE.findall(m.group(3)) if a.strip()]
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    where = f"syntax error at line {line}, column {column}"
    if "Prefix not found" in wanted:
        before = source[: max(0, column - 1)]
        pname = re.search(r"([A-Za-z][\w.-]*)?:[^\s:]*$", before)
        prefix = f"{pname.group(1) or ''}:" if pname else "a prefix"
        what = f"unknown prefix {prefix} (declare it: PREFIX {prefix} <…>)"
    else:
        words = [a for a in wanted if not a.startswith("[")]
        what = ("expected " + " or ".join(words[:12])) if words else "unexpected character"
    if "CONSTRUCT" in wanted and UPDATE_START.match(masked(text)):
        what += " (this is an update: send it as `update`, by POST)"
    caret = " " * max(0, column - 1) + "^"
    return f"{where}: {what}\n  {source}\n  {caret}"


GRAPH_WORDS = ("GRAPH", "INTO", "WITH", "TO", "USING", "FROM", "NAMED")


def absolute_graphs(text: str, base: str | None) -> str:
    """``text`` with relative graph IRIs (after GRAPH, FROM, INTO …) made absolute against
    ``base`` (or the text's own BASE), so a store that renames graphs can see them."""
    own = re.search(r"(?<![:\w?$@])BASE\s*\0", masked(text), re.IGNORECASE)
    if own:
        start = own.end() - 1
        base = urljoin(base or "", text[start + 1 : text.index(">", start)])
    if not base:
        return text
    relative = {
        iri
        for iri in iris_after(text, GRAPH_WORDS)
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri)
    }
    return rename_iris(text, {iri: urljoin(base, iri) for iri in relative})
