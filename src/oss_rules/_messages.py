"""The pieces the errors' messages are written with: a "did you mean", a count with one
item a line, a value cut to a readable length, and the marker of a missing value.

Apart from :mod:`oss_rules.errors` so that the exceptions read as what can go wrong, and
these helpers as how it is said; ``errors`` re-exports :func:`suggest`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["MISSING", "listing", "shown", "suggest"]


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean `x`?)"`` for the closest candidate, or ``""``."""
    import difflib  # only for a mistake: not a cost of every `import oss_rules`

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def listing(items: Sequence[object], noun: str, indent: str) -> str:
    """``3 errors occurred:`` (``noun`` pluralised on its first word), then one item a line."""
    first, _, rest = noun.partition(" ")
    words = noun if len(items) == 1 else f"{first}s {rest}".strip()
    return "\n".join([f"{len(items)} {words}:", *(f"{indent}{i}" for i in items)])


def shown(value: Any, limit: int = 200) -> str:
    """``repr(value)``, cut in the middle when longer than ``limit`` (a 5,000-digit
    number in a message helps nobody)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]}...{text[-limit // 4 :]} ({len(text)} characters)"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""The value of a field that is not there at all: ``FactError`` says "missing" for it."""
