"""Errors that name the file, line, column and value of bad input."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file."""

    file: str
    line: int
    column: str
    value: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" column {self.column!r}" if self.column else ""
        val = f" value {self.value!r}" if self.value else ""
        tip = f" (did you mean {self.hint!r}?)" if self.hint else ""
        return f"{where}:{col}{val}: {self.message}{tip}"


class LoadError(ValueError):
    """Input that cannot be loaded; carries every problem found, and nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s), nothing was loaded:\n{shown}{more}")


def suggest(value: str, choices: list[str]) -> str | None:
    """The closest of ``choices`` to ``value``, if any is close enough.

    Closeness is the better of the characters' and the pinyin's similarity, so a
    misspelling by sound (己二晴 for 己二腈) finds the right name.
    """
    if not value or not choices:
        return None
    from pypinyin import lazy_pinyin  # a large dictionary: loaded only for a hint

    sound = " ".join(lazy_pinyin(value))

    def score(choice: str) -> float:
        chars = difflib.SequenceMatcher(None, value, choice).ratio()
        spoken = difflib.SequenceMatcher(None, sound, " ".join(lazy_pinyin(choice))).ratio()
        return max(chars, spoken) + (chars + spoken) / 100

    best = max(choices, key=lambda c: (score(c), -len(c)))
    if score(best) >= 0.6:
        return best
    contained = [c for c in choices if value in c or c in value]
    return min(contained, key=len) if contained else None
