"""What the report knows about each result while it is written: the ruleset's helper
kinds, its titles and its risk bands, the numbered references, and proofs in words."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import attrs

from ..engine import Engine
from ..engine.result import Result
from ._bands import Bands, risk_bands
from ._refs import References
from ._why import why
from .words import Step, Titles, explain_in_words, fact_words, titles_from


def _no_titles(_kind: str, _field: str, _value: object) -> str | None:
    return None


@attrs.frozen
class Lens:
    """How one ruleset's conclusions are shown: which kinds are only proof steps and
    the human titles of values (the ruleset's ``internal:`` and ``titles:``, carried by
    each result), and its bands (``None`` when its engine is not given or when it
    classifies no hazard)."""

    internal: frozenset[str] = frozenset()
    titles: Titles = _no_titles
    bands: Bands | None = None
    known: bool = False
    """Whether the engine of the result was given, so ``bands`` is the ruleset's answer."""


def _key(id_: str, digest: str, overrides: Any) -> tuple[str, str, str]:
    return (id_, digest, json.dumps(dict(overrides), sort_keys=True, default=str))


class Context:
    """The state of one report being written."""

    def __init__(self, engines: Iterable[Engine], as_of: dt.date) -> None:
        self.refs = References()
        self._engines = {_key(e.ruleset.id, e.ruleset.digest, e.overrides): e for e in engines}
        self._as_of = as_of
        self._lenses: dict[tuple[str, str, str], Lens] = {}
        self._words: dict[tuple[int, Any], str] = {}
        self._html: dict[tuple[int, Step], str] = {}

    def lens(self, result: Result) -> Lens:
        """The lens of ``result``'s ruleset (and overrides), made once."""
        info = result.ruleset
        key = _key(info.id, info.digest, info.overrides)
        if key not in self._lenses:
            engine = self._engines.get(key)
            self._lenses[key] = Lens(
                internal=frozenset(info.internal),
                titles=titles_from(info.titles),
                bands=risk_bands(engine, self._as_of) if engine is not None else None,
                known=engine is not None,
            )
        return self._lenses[key]

    def why(self, result: Result, fact: Any) -> str:
        """The proof of ``fact`` in words, behind a "why" (nothing when the result
        has no trace of it)."""
        lens = self.lens(result)

        def describe(given: Any) -> str:
            # The same workplace or hazard decides many conclusions: say it once.
            key = (id(lens), given)
            if key not in self._words:
                self._words[key] = fact_words(given, lens.titles)
            return self._words[key]

        try:
            step = explain_in_words(
                result, fact, internal=lens.internal, titles=lens.titles, describe=describe
            )
        except KeyError:  # a result built by hand, without a trace for this fact
            return ""
        key = (id(result), step)
        if key not in self._html:
            self._html[key] = why(step, result, self.refs)
        return self._html[key]

    def title(self, result: Result, kind: str, field: str, value: object) -> str | None:
        """The ruleset's title of a value, if it gives one."""
        return self.lens(result).titles(kind, field, value)
