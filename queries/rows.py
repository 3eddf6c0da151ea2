"""Small helpers over the rows of a named query, shared by the query modules.

A row is a dict of variable name → RDF term (or missing). :func:`run` binds parameters
as typed terms (never spliced into the text); :func:`text` and :func:`interned` turn an
optional term into an optional string; :func:`grouped` and :func:`unique` gather rows
and values in first-seen order, so results are deterministic.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from chainkg.queries import get


def run(store, name: str, **params: str) -> list[dict]:
    """Rows of named query ``name`` with ``params`` bound as typed RDF terms."""
    q = get(name)
    return store.select(q.text, q.bindings(**params))


def text(term) -> str | None:
    """A term's text (a literal's lexical form, an IRI), or None."""
    return None if term is None else str(term)


def interned(term) -> str | None:
    """Like :func:`text`, interned: for labels that repeat across thousands of rows."""
    return None if term is None else sys.intern(str(term))


def grouped(rows: Iterable[dict], key: str) -> dict[str, list[dict]]:
    """Rows grouped by the value of ``key``, in first-seen order."""
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(str(row[key]), []).append(row)
    return out


def unique(values: Iterable) -> list:
    """``values`` without None and repeats, in first-seen order."""
    out = []
    for v in values:
        if v is not None and v not in out:
            out.append(v)
    return out
