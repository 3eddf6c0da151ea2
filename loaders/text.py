"""Small text tools for plan prose: list splitting, capacities, numerals, name lookup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

OPEN = "（("
CLOSE = "）)"


def split_top(text: str, seps: str = "、") -> list[str]:
    """Split ``text`` on any of ``seps`` outside parentheses; empty parts dropped."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def strip_end(text: str) -> str:
    """Drop sentence-final punctuation and surrounding blanks."""
    return text.strip().rstrip("。；;，,.").strip()


_PAREN = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<detail>.*)[）)]$")


def name_and_detail(text: str) -> tuple[str, str | None]:
    """``先进有色金属材料（轻量化、高强度）`` → (``先进有色金属材料``, ``轻量化、高强度``)."""
    m = _PAREN.match(text.strip())
    if not m:
        return text.strip(), None
    return m["name"].strip(), m["detail"].strip()


def detail_items(detail: str | None) -> list[str]:
    """The 、-separated parts of a parenthesised detail, without a trailing 等."""
    if not detail:
        return []
    return [re.sub(r"等$", "", p).strip() for p in split_top(detail, "、，")]


# Units of output (longest first where one contains another). Sizes (英寸) and money
# (亿元) are not capacities. After 年产 any one measure word counts (年产200架 → 架).
UNITS = (
    "亿立方米|万立方米|立方米|亿平方米|万平方米|平方米|万千瓦时|千瓦时|万千瓦|千瓦|kVA|GWh|MWh|"
    "kWh|GW|MW|kW|万公里|公里|万吨|吨|万米|米|亿只|万只|只|亿片|万片|片|亿支|万支|支|万台套|台套|"
    "万套|套|万台|台|万辆|辆|"
    "万件|件|万架|架|万艘|艘|万头份|头份|万人份|人份|亿粒|万粒|粒|万瓶|瓶|万盒|盒|万条|条|万块|块"
)
CAPACITY = re.compile(
    rf"(?P<annual>年产能?|年处理|年加工)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>{UNITS})(?P<per>/年)?"
)
ANNUAL_ANY = re.compile(r"年产能?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[万亿千]?[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Quantity:
    """A capacity as stated: numeric value, unit as written, and whether per year."""

    value: Decimal
    unit: str
    per_year: bool
    text: str


def parse_capacity(text: str) -> Quantity | None:
    """The first capacity stated in ``text`` (``年产12GWh`` → 12 GWh per year), if any."""
    found = list(CAPACITY.finditer(text))
    # a stated annual output wins over other quantities (新建2条年产5万吨生产线 → 5万吨)
    m = next((f for f in found if f["annual"] or f["per"]), found[0] if found else None)
    if m:
        annual = bool(m["annual"] or m["per"])
        return Quantity(Decimal(m["value"]), m["unit"], annual, m.group(0).strip())
    m = ANNUAL_ANY.search(text)
    if m:
        return Quantity(Decimal(m["value"]), m["unit"], True, m.group(0).strip())
    return None


_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def chinese_number(text: str) -> int | None:
    """Parse a Chinese numeral such as 七百, 两百, 百, 三千五百; None if not one."""
    if not text or any(ch not in _DIGITS and ch not in _POWERS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
    return total + (digit or 0)


class Lexicon:
    """Finds known names in text, longest match first, without overlaps."""

    def __init__(self) -> None:
        self._names: dict[str, object] = {}

    def add(self, name: str, value: object) -> None:
        """Register ``name``; the first value registered for a name wins."""
        name = name.strip()
        if name:
            self._names.setdefault(name, value)

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def get(self, name: str) -> object | None:
        return self._names.get(name.strip())

    def names(self) -> Iterable[str]:
        return self._names.keys()

    def scan(self, text: str) -> list[tuple[str, object]]:
        """Every known name in ``text`` in order of appearance, longest first at each place."""
        found, i = [], 0
        by_len = sorted((n for n in self._names if len(n) >= 2), key=len, reverse=True)
        while i < len(text):
            for name in by_len:
                if text.startswith(name, i) and _bounded(text, i, len(name)):
                    found.append((name, self._names[name]))
                    i += len(name)
                    break
            else:
                i += 1
        return found

    def values_in(self, text: str) -> list[object]:
        """Distinct values of the names found in ``text``, in order."""
        out: list[object] = []
        for _, value in self.scan(text):
            if value not in out:
                out.append(value)
        return out

    def resolve(self, label: str, fuzzy: bool = False) -> object | None:
        """Best entry for ``label``: exact, suffix/prefix, containment, then (``fuzzy``)
        shared character pairs."""
        label = label.strip()
        if label in self._names:
            return self._names[label]
        names = sorted(self._names, key=lambda n: (-len(n), n))
        tests = (
            lambda n: len(n) >= 2 and (n.endswith(label) or label.endswith(n)),
            lambda n: len(label) >= 2 and n.startswith(label),
            lambda n: len(n) >= 3 and (n in label or label in n),
        )
        for test in tests:
            for name in names:
                if test(name):
                    return self._names[name]
        if not fuzzy:
            return None
        best, best_score = None, 0.0
        grams = _bigrams(label)
        for name in names:
            theirs = _bigrams(name)
            if not theirs:
                continue
            score = len(grams & theirs) / len(theirs)
            if score > best_score:
                best, best_score = self._names[name], score
        return best if best_score >= 0.5 else None


def _bounded(text: str, start: int, length: int) -> bool:
    """An ASCII name must not sit inside a longer ASCII word (PET in PETG)."""
    name = text[start : start + length]
    before = text[start - 1] if start else ""
    after = text[start + length] if start + length < len(text) else ""
    if name[:1].isascii() and name[:1].isalpha() and before.isascii() and before.isalpha():
        return False
    return not (name[-1:].isascii() and name[-1:].isalpha() and after.isascii() and after.isalpha())


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
