"""Entity search over zh and en labels, aliases and pinyin: ``search(store, "jes")`` → 己二酸.

The index holds every searchable entity with its keys: zh and en labels, aliases
(``skos:altLabel``), full pinyin (``jiersuan``; spaces and dashes in the query are
ignored, so ``ji er suan`` and ``ji-er-suan`` match too) and pinyin initials
(``jes``). It is built by one SPARQL query (``search-index.rq``) once per store
version and kept in memory, keyed by the store's folder: the live store is a new
folder whenever ``current`` switches, so a new version gets a new index.

Matches rank exact > prefix > substring > fuzzy (scores in [0.9, 1], [0.7, 0.9),
[0.5, 0.7) and [0, 0.5)); inside a tier a label beats an alias, an alias beats
pinyin, pinyin beats initials, and a key the query covers more of ranks higher.
"""

from __future__ import annotations

import difflib
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import overload

from pypinyin import lazy_pinyin
from rdflib.term import Identifier

from chainkg.graph.namespaces import CK, Ids
from chainkg.queries import get

# searchable classes, in the order ties are broken
CLASSES = (
    "Industry",
    "IndustrySegment",
    "IndustryChain",
    "Product",
    "Park",
    "Enterprise",
    "InnovationPlatform",
    "Project",
    "PlanItem",
    "Indicator",
)
SUBCLASSES = {"PlanItem": ("PlanItem", "Project")}
WEIGHTS = {"zh": 1.0, "en": 1.0, "alt": 0.9, "pinyin": 0.7, "initials": 0.5}
FUZZY_CUTOFF = 0.6
FUZZY_MAX = 40  # longer queries are not compared fuzzily
_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class Key:
    """One searchable form of an entity's name."""

    field: str  # zh | en | alt | pinyin | initials
    text: str  # as shown
    norm: str  # as matched
    starts: tuple[int, ...] | None = None  # syllable starts, for pinyin substrings


@dataclass(slots=True)
class Entry:
    """One entity in the index."""

    iri: str
    cls: str
    label: str = ""
    label_en: str | None = None
    keys: list[Key] = field(default_factory=list)


def normalize(text: str) -> str:
    """``text`` folded for matching: NFKC, case-folded, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _marked(chars: str) -> list[str]:
    """What pypinyin gives for characters it has no reading of: themselves, marked."""
    return ["\0" + chars]


def _pinyin(text: str) -> tuple[str, str, tuple[int, ...]]:
    """Full pinyin, initials and syllable start offsets of ``text``."""
    full, initials, starts = "", "", set()
    for part in lazy_pinyin(text, errors=_marked):  # type: ignore[arg-type]
        other = part.startswith("\0")
        norm = normalize(part.lstrip("\0"))
        if not norm:
            continue
        starts.add(len(full))
        full += norm
        initials += norm if other else norm[0]
    return full, initials, tuple(sorted(starts))


def keys_of(text: str, field_name: str) -> list[Key]:
    """The keys of one label: itself and, when it holds Chinese, its pinyin and initials."""
    keys = [Key(field_name, text, normalize(text))]
    if field_name == "pinyin":
        return keys
    if _has_cjk(text):
        full, initials, starts = _pinyin(text)
        spoken = " ".join(p for p in lazy_pinyin(text) if p.strip())
        keys.append(Key("pinyin", spoken, full, starts))
        keys.append(Key("initials", initials, initials))
    return keys


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_id(iri: str, ids: Ids | None = None) -> str:
    """``iri`` without the data base (``product/adipic-acid``); other IRIs as they are."""
    base = (ids or Ids()).base
    return iri[len(base) :] if iri.startswith(base) else iri


def build_index(store) -> list[Entry]:
    """Every searchable entity with its keys, from one query over ``store``."""
    entries: dict[str, Entry] = {}
    rank = {c: i for i, c in enumerate(CLASSES)}
    for row in store.select(get("search-index").text):
        iri, cls = str(row["entity"]), local_name(str(row["class"]))
        entry = entries.setdefault(iri, Entry(iri, cls))
        if rank[cls] < rank[entry.cls]:
            entry.cls = cls
        text, where = str(row["label"]), str(row["field"])
        if where == "zh" and not entry.label:
            entry.label = text
        elif where == "en" and entry.label_en is None:
            entry.label_en = text
        seen = {(k.field, k.norm) for k in entry.keys}
        entry.keys += [k for k in keys_of(text, where) if k.norm and (k.field, k.norm) not in seen]
    for entry in entries.values():
        entry.label = entry.label or entry.label_en or local_name(entry.iri)
    return list(entries.values())


_cache: OrderedDict[object, list[Entry]] = OrderedDict()
_lock = threading.Lock()


def index(store) -> list[Entry]:
    """The search index of ``store``, built on first use per store version."""
    key = store.cache_key
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    entries = build_index(store)
    with _lock:
        _cache[key] = entries
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return entries


def clear_cache() -> None:
    """Forget every index (for a store written in place)."""
    with _lock:
        _cache.clear()


def _band(low: float, cover: float, weight: float) -> float:
    return low + 0.2 * (0.6 * cover + 0.4 * weight) * 0.999


def _contains(norm: str, q: str, starts: tuple[int, ...] | None) -> bool:
    pos = norm.find(q, 1)
    while pos > 0:
        if starts is None or pos in starts:
            return True
        pos = norm.find(q, pos + 1)
    return False


def match(q: str, key: Key) -> tuple[float, str] | None:
    """Score and kind (exact, prefix, substring) of normalized query ``q`` against ``key``."""
    weight, n = WEIGHTS[key.field], key.norm
    if n == q:
        return 0.9 + 0.1 * weight, "exact"
    if n.startswith(q) and (len(q) >= 2 or key.field != "initials"):
        return _band(0.7, len(q) / len(n), weight), "prefix"
    long_enough = len(q) >= 2 or _has_cjk(q)
    if key.field != "initials" and long_enough and _contains(n, q, key.starts):
        return _band(0.5, len(q) / len(n), weight), "substring"
    return None


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
    spoken = [norm] + ([_pinyin(q)[0]] if _has_cjk(q) else [])
    rank = {c: i for i, c in enumerate(CLASSES)}
    hits = []
    for entry in index(store):
        if wanted is not None and entry.cls not in wanted:
            continue
        best: tuple[float, str, Key] | None = None
        for key in entry.keys:
            found = match(norm, key)
            if found and (best is None or found[0] > best[0]):
                best = (found[0], found[1], key)
        if best is None:
            fuzzy = _fuzzy(spoken if 2 <= len(norm) <= FUZZY_MAX else [], entry)
            if fuzzy:
                best = (fuzzy[0], "fuzzy", fuzzy[1])
        if best:
            hits.append((best, entry))
    hits.sort(key=lambda h: (-h[0][0], rank[h[1].cls], len(h[1].label), h[1].label, h[1].iri))
    return [
        {
            "iri": entry.iri,
            "id": entity_id(entry.iri, ids),
            "label": entry.label,
            "label_en": entry.label_en,
            "class": entry.cls,
            "score": round(score, 4),
            "matched": {"field": key.field, "text": key.text, "kind": kind},
        }
        for (score, kind, key), entry in hits[:limit]
    ]


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
