"""The searchable names of a store: each entity's keys, as the search index keeps them.

An entity of ``search-index.rq`` has keys: zh and en labels, aliases
(``skos:altLabel``), full pinyin (``jiersuan``, with the offsets its syllables start at)
and pinyin initials (``jes``). Every key is folded by :func:`normalize` (NFKC,
case-folded, letters and digits only), so ``Ji-Er Suan`` and ``ji er suan`` are the
same key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

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
WEIGHTS = {"zh": 1.0, "en": 1.0, "alt": 0.9, "pinyin": 0.7, "initials": 0.5}


@dataclass(frozen=True, slots=True)
class Key:
    """One searchable form of an entity's name."""

    field: str  # zh | en | alt | pinyin | initials
    text: str  # as shown
    norm: str  # as matched
    starts: tuple[int, ...] | None = None  # syllable starts, for pinyin substrings

    def pieces(self) -> Iterable[int]:
        """The positions a query may match from (see the module's text)."""
        if self.field == "initials":
            return (0,)
        if self.starts is not None:
            return sorted({0, *self.starts})
        return range(len(self.norm))


@dataclass(slots=True)
class Entry:
    """One entity of the index."""

    iri: str
    cls: str
    label: str = ""
    label_en: str | None = None
    keys: list[Key] = field(default_factory=list)


def normalize(text: str) -> str:
    """``text`` folded for matching: NFKC, case-folded, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _marked(chars: str) -> list[str]:
    """What pypinyin gives for characters it has no reading of: themselves, marked."""
    return ["\0" + chars]


def pinyin(text: str) -> tuple[str, str, tuple[int, ...], str]:
    """Full pinyin, initials, syllable start offsets and spoken form of ``text``."""
    full, initials, starts, spoken = "", "", set(), []
    for part in lazy_pinyin(text, errors=_marked):  # type: ignore[arg-type]
        other = part.startswith("\0")
        plain = part.lstrip("\0")
        if plain.strip():
            spoken.append(plain)
        norm = normalize(plain)
        if not norm:
            continue
        starts.add(len(full))
        full += norm
        initials += norm if other else norm[0]
    return full, initials, tuple(sorted(starts)), " ".join(spoken)


def keys_of(text: str, field_name: str) -> list[Key]:
    """The keys of one label: itself and, when it holds Chinese, its pinyin and initials."""
    keys = [Key(field_name, text, normalize(text))]
    if field_name != "pinyin" and has_cjk(text):
        full, initials, starts, spoken = pinyin(text)
        keys.append(Key("pinyin", spoken, full, starts))
        keys.append(Key("initials", initials, initials))
    return keys


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entries(store, within: Sequence[str] | None = None, memo: dict | None = None) -> list[Entry]:
    """Every searchable entity of ``store`` (read through the graphs ``within``) with its
    keys, from one query; ``memo`` keeps the keys of labels across calls."""
    memo = {} if memo is None else memo
    found: dict[str, Entry] = {}
    rank = {c: i for i, c in enumerate(CLASSES)}
    for row in store.select(get("search-index").text, None, within):
        iri, cls = str(row["entity"]), local_name(str(row["class"]))
        entry = found.setdefault(iri, Entry(iri, cls))
        if rank[cls] < rank[entry.cls]:
            entry.cls = cls
        text, where = str(row["label"]), str(row["field"])
        if where == "zh" and not entry.label:
            entry.label = text
        elif where == "en" and entry.label_en is None:
            entry.label_en = text
        if (text, where) not in memo:
            memo[text, where] = keys_of(text, where)
        seen = {(k.field, k.norm) for k in entry.keys}
        entry.keys += [k for k in memo[text, where] if k.norm and (k.field, k.norm) not in seen]
    for entry in found.values():
        entry.label = entry.label or entry.label_en or local_name(entry.iri)
    return list(found.values())
