"""What a SPARQL text may do before any engine sees it: reach the network, nest too deep.

The decisions are taken on the query as a SPARQL parser reads it, never on text
with its strings masked by patterns: ``\\u`` escapes are expanded first (as the
SPARQL grammar says, and as Oxigraph does), and a text that names ``SERVICE`` or
``LOAD`` anywhere is parsed (rdflib's SPARQL 1.1 parser) and its parse tree
walked for those operations. A text that cannot be parsed while naming them is
refused: a guard that cannot read a query does not let it through.

Nesting is bounded because the engines parse recursively: a few thousand nested
groups overflow a process's stack (a crash, not an error message).
"""

from __future__ import annotations

import re

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

MAX_DEPTH = 64
"""Deepest nesting of ``{``, ``(`` and ``[`` accepted; real queries stay far below."""

MAX_CHECKED = 16_000
"""Longest text naming SERVICE or LOAD that is parsed to check it (the parser is slow on
long texts); a longer one is refused while the network is not allowed."""

NETWORK_NODES = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
"""Parse-tree nodes of the operations that reach another server."""

# Virtuoso's own ways out of SPARQL: built-in SQL functions (``bif:http_get``) and
# pragmas (``define input:grab-all``); not SPARQL 1.1, so a text naming them is refused
# on a remote store whatever the parser makes of it.
SERVER_WORDS = re.compile(r"\b(?:bif|sql)\s*:|\bdefine\s+[\w-]+\s*:", re.I)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Refused(ValueError):
    """A SPARQL text the service will not run; the message says why."""

    status = 400


def unescape(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes expanded (they are
    expanded before parsing, so they can spell keywords and quotes)."""

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def nesting(text: str) -> int:
    """The deepest nesting of brackets in ``text``, strings and IRIs included (so it is
    never below what a parser meets)."""
    depth = deepest = 0
    for ch in text:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]" and depth:
            depth -= 1
    return deepest


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a text nested deeper than ``limit`` brackets."""
    depth = nesting(text)
    if depth > limit:
        raise Refused(
            f"the query is nested {depth} brackets deep; this endpoint accepts at most {limit}"
        )


def _walk(node, found: set[str]) -> set[str]:
    if isinstance(node, CompValue):
        if node.name in NETWORK_NODES:
            found.add(NETWORK_NODES[node.name])
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            _walk(value, found)
    return found


def network_operations(text: str, update: bool = False) -> set[str]:
    """``SERVICE`` / ``LOAD`` operations of a query (or, with ``update``, an update).

    A text without either word anywhere (after escapes) has none; one that names
    them is decided on its parse tree. Raises :class:`Refused` if it cannot be parsed.
    """
    plain = unescape(text)
    words = sorted({w.upper() for w in re.findall(r"service|load", plain, re.IGNORECASE)})
    if not words:
        return set()
    if len(plain) > MAX_CHECKED:
        raise Refused(
            f"the text names {'/'.join(words)} and is too long to be checked "
            f"({len(plain)} characters; at most {MAX_CHECKED} when it names them)"
        )
    try:
        tree = (parseUpdate if update else parseQuery)(plain)
    except RecursionError:
        raise Refused("the query is nested too deeply to be checked") from None
    except Exception as exc:  # pyparsing's errors; the engine would give its own message
        raise Refused(
            f"the text names {'/'.join(words)} and could not be read to check it "
            f"({type(exc).__name__}: {str(exc)[:200]})"
        ) from None
    return _walk(tree, set())


def check(text: str, update: bool = False, allow_network: bool = False) -> None:
    """Refuse a text nested too deep, or one that would reach another server when the
    network is not allowed."""
    check_depth(text)
    if allow_network:
        return
    used = network_operations(text, update)
    if SERVER_WORDS.search(unescape(text)):
        used.add("bif:/sql:/define")
    if used:
        raise Refused(
            f"{'/'.join(sorted(used))} would reach another server; this endpoint does not "
            "(set CHAINKG_ALLOW_NETWORK=true to allow it)"
        )
