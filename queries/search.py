"""Entity search over zh and en labels, aliases and pinyin: ``search(store, "jes")`` → 己二酸.

Every searchable entity has keys: zh and en labels, aliases (``skos:altLabel``), full
pinyin (``jiersuan``; spaces and dashes in the query are ignored, so ``ji er suan`` and
``ji-er-suan`` match too) and pinyin initials (``jes``). They are kept in the version's
search index (:mod:`chainkg.queries.search_index`), written with the version by ``chainkg
build`` and ``chainkg load``.

Matches rank exact > prefix > substring > fuzzy (scores in [0.9, 1], [0.7, 0.9),
[0.5, 0.7) and [0, 0.5)); inside a tier a label beats an alias, an alias beats
pinyin, pinyin beats initials, and a key the query covers more of ranks higher.
"""

from __future__ import annotations

import difflib
from typing import overload

from rdflib.term import Identifier

from chainkg.graph.namespaces import CK, Ids
from chainkg.queries.search_index import index
from chainkg.queries.search_keys import (
    CLASSES,
    WEIGHTS,
    Entry,
    Key,
    has_cjk,
    local_name,
    normalize,
    pinyin,
)

__all__ = ["CLASSES", "index", "normalize", "pick", "ref", "search", "suggestions"]

SUBCLASSES = {"PlanItem": ("PlanItem", "Project")}
FUZZY_CUTOFF = 0.6
FUZZY_MAX = 40  # longer queries are not compared fuzzily
FUZZY_CANDIDATES = 200  # entities sharing most two-character pieces, compared fuzzily


def entity_id(iri: str, ids: Ids | None = None) -> str:
    """``iri`` without the data base (``product/adipic-acid``); other IRIs as they are."""
    base = (ids or Ids()).base
    return iri[len(base) :] if iri.startswith(base) else iri


def _fuzzy(queries: list[str], entry: Entry) -> tuple[float, Key] | None:
    best: tuple[float, Key] | None = None
    for key in entry.keys:
        if key.field == "initials":
            continue
        for q in queries:
            m = difflib.SequenceMatcher(None, q, key.norm, autojunk=False)
            if m.real_quick_ratio() < FUZZY_CUTOFF or m.quick_ratio() < FUZZY_CUTOFF:
                continue
            ratio = m.ratio()
            if ratio >= FUZZY_CUTOFF:
                score = 0.49 * ratio * (0.8 + 0.2 * WEIGHTS[key.field])
                if best is None or score > best[0]:
                    best = (score, key)
    return best


def _wanted(classes: list[str] | None) -> set[str] | None:
    if not classes:
        return None
    known = {c.casefold(): c for c in CLASSES}
    wanted: set[str] = set()
    for name in classes:
        short = local_name(name.removeprefix("ck:")).casefold()
        if short not in known:
            raise ValueError(f"unknown class {name!r}; one of {', '.join(CLASSES)}")
        wanted.update(SUBCLASSES.get(known[short], (known[short],)))
    return wanted


def search(
    store, q: str, limit: int = 10, classes: list[str] | None = None, ids: Ids | None = None
) -> list[dict]:
    """Entities whose label, alias or pinyin matches ``q``, best first.

    Each result is ``{"iri", "id", "label", "label_en", "class", "score", "matched"}``
    where ``matched`` is ``{"field", "text", "kind"}``: which key matched and how
    (exact, prefix, substring or fuzzy). ``classes`` (e.g. ``["Product"]``) limits
    the classes; ``PlanItem`` includes projects. Unknown classes raise ValueError.
    """
    wanted = _wanted(classes)
    norm = normalize(q or "")
    if not norm or limit <= 0:
        return []
    idx = index(store)
    rows = idx.hits(norm, limit, wanted)
    results = [_result(ids, *row[1:]) for row in rows]
    if len(results) < limit and 2 <= len(norm) <= FUZZY_MAX:
        spoken = [norm] + ([pinyin(q)[0]] if has_cjk(q) else [])
        rank = {c: i for i, c in enumerate(CLASSES)}
        fuzzy = []
        for entry in idx.sharing(spoken, {r[0] for r in rows}, FUZZY_CANDIDATES, wanted):
            found = _fuzzy(spoken, entry)
            if found:
                fuzzy.append((found, entry))
        fuzzy.sort(key=lambda h: (-h[0][0], rank[h[1].cls], len(h[1].label), h[1].label, h[1].iri))
        results += [
            _result(ids, e.iri, e.cls, e.label, e.label_en, key.field, key.text, score, "fuzzy")
            for (score, key), e in fuzzy[: limit - len(results)]
        ]
    return results


def _result(ids, iri, cls, label, label_en, fld, text, score, kind) -> dict:
    return {
        "iri": iri,
        "id": entity_id(iri, ids),
        "label": label,
        "label_en": label_en,
        "class": cls,
        "score": round(score, 4),
        "matched": {"field": fld, "text": text, "kind": kind},
    }


def find(store, key: str, classes: list[str], ids: Ids | None = None) -> dict | None:
    """The entity of ``classes`` that ``key`` names by IRI, id or last IRI segment, as
    :func:`ref` gives it with ``label_en`` and ``class``; None when none is."""
    bare = key.strip().strip("/")
    if not bare:
        return None
    for entry in index(store).named([bare, (ids or Ids()).base + bare], bare):
        if entry.cls in classes:
            return ref(entry.iri, entry.label, ids, label_en=entry.label_en, **{"class": entry.cls})
    return None


def suggestions(
    store,
    key: str,
    classes: list[str] | None = None,
    fallback: list[dict] | None = None,
    ids: Ids | None = None,
    limit: int = 5,
) -> list[dict]:
    """What ``key`` (a name, id or IRI: its last path segment counts) may have meant: the
    closest entities of ``classes``; failing those, close matches of any class; failing
    those, the first of ``fallback`` (the listed entities), so suggestions are never empty
    while there is data. Without ``classes``, any class, dashes read as spaces."""
    word = key.strip().strip("/").rsplit("/", 1)[-1]
    found = search(store, word, limit=limit, classes=classes, ids=ids) if word else []
    if not found and word and classes:
        found = [r for r in search(store, word, limit=limit, ids=ids) if r["score"] >= 0.5]
    if not found and "-" in word:
        found = search(store, word.replace("-", " "), limit=limit, classes=classes, ids=ids)
    if not found and fallback:
        found = [
            {k: item.get(k) for k in ("iri", "id", "label", "label_en")}
            | {"class": (classes or [item.get("class") or ""])[0], "score": 0.0, "matched": None}
            for item in fallback[:limit]
        ]
    return found


def pick(items: list[dict], key: str) -> dict | None:
    """The item (with ``iri``, ``id``, ``label``, ``label_en``) that ``key`` names.

    ``key`` may be the IRI, the id (``industry/fu-ling-qu-2022-2026/xin-cai-liao``),
    its last part (``xin-cai-liao``), or the zh or en label (case and width ignored).
    """
    key = key.strip().strip("/")
    name = normalize(key)

    def named(it: dict) -> bool:
        return bool(name) and name in {normalize(it.get(k) or "") for k in ("label", "label_en")}

    for test in (
        lambda it: key in (it["iri"], it["id"]),
        lambda it: it["id"].rsplit("/", 1)[-1] == key,
        named,
    ):
        found = [it for it in items if test(it)]
        if found:
            return found[0]
    return None


@overload
def ref(iri: None, label=None, ids: Ids | None = None, **more) -> None: ...
@overload
def ref(iri: Identifier | str, label=None, ids: Ids | None = None, **more) -> dict: ...
def ref(iri, label=None, ids: Ids | None = None, **more) -> dict | None:
    """``{"iri", "id", "label", ...}`` for an entity, or None when ``iri`` is None."""
    if iri is None:
        return None
    out = {"iri": str(iri), "id": entity_id(str(iri), ids), "label": _str(label)}
    out.update(more)
    return out


def code(row: dict, key: str) -> dict | None:
    """A code-list value of a row (``key``, ``key_label``, ``key_label_en``) as
    ``{"iri", "name", "label", "label_en"}``, or None when the row has none."""
    term = row.get(key)
    if term is None:
        return None
    return {
        "iri": str(term),
        "name": local_name(str(term)),
        "label": _str(row.get(f"{key}_label")),
        "label_en": _str(row.get(f"{key}_label_en")),
    }


def _str(term) -> str | None:
    return None if term is None else str(term)


def class_name(term) -> str | None:
    """The local name of a chainkg class IRI (``Product``), None for other IRIs."""
    if term is None or not str(term).startswith(str(CK._NS)):
        return None
    return local_name(str(term))
