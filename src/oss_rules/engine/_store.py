"""The facts of one evaluation on the compiled backend: by type, hash-indexed, deduplicated.

Facts of each type sit in a list in the order they became known, so a fact's position
in its list never changes; semi-naive rounds select facts by position. A hash index
maps the values of some fields to positions; it is built on first use and kept up to
date as facts are added. A negation index is built once: a negated type belongs to a
lower stratum, so it is complete by the time anything negates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import EvaluationError, LimitError
from ..language._versions import environment
from .result import Inference

Bucket = tuple[Sequence[Any], Sequence[Any], list[Any] | None]
"""A negation index entry: its facts, those sorted by the ordered field, and the sorted values
(None when no field is ordered, or the values do not order)."""


class Store:
    """Given and derived facts, the derived ones in the order found, and the trace."""

    def __init__(
        self,
        given: Iterable[Any],
        params: Mapping[str, Any],
        as_of: dt.date,
        max_facts: int,
    ) -> None:
        self.as_of = as_of
        self.env = environment(params, as_of)
        self.max_facts = max_facts
        self.known: dict[Any, Any] = {}
        """Every fact, mapped to the object kept for it: the first one seen, so that the
        trace names one object per fact (the result finds premises by identity)."""
        self.derived: list[Any] = []
        self.trace: list[Inference] = []
        self._lists: dict[str, list[Any]] = {}
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[Any, list[int]]] = {}
        self._maintained: dict[str, list[tuple[tuple[str, ...], dict[Any, list[int]]]]] = {}
        self._negations: dict[tuple[str, tuple[str, ...], str | None], dict[Any, Bucket]] = {}
        known = self.known
        lists = self._lists
        for fact in given:
            known[fact] = fact
            name = type(fact).__name__
            found = lists.get(name)
            if found is None:
                found = lists[name] = []
            found.append(fact)
        self._given_only: set[int] = {id(fact) for fact in known}
        """The ids of the given facts no rule has derived yet."""
        self.given = len(self.known)

    def facts_of(self, type_name: str) -> list[Any]:
        """The facts of ``type_name`` known so far (the list grows as facts are added)."""
        found = self._lists.get(type_name)
        if found is None:
            found = self._lists[type_name] = []
        return found

    def index(self, type_name: str, fields: tuple[str, ...]) -> dict[Any, list[int]]:
        """Positions of the facts of ``type_name`` by the value of ``fields`` (one field:
        the value; several: the tuple of values)."""
        found = self._indexes.get((type_name, fields))
        if found is not None:
            return found
        found = {}
        for position, fact in enumerate(self.facts_of(type_name)):
            found.setdefault(_key(fact, fields), []).append(position)
        self._indexes[(type_name, fields)] = found
        self._maintained.setdefault(type_name, []).append((fields, found))
        return found

    def negation_index(
        self, type_name: str, fields: tuple[str, ...], order: str | None
    ) -> dict[Any, Bucket]:
        """The (complete) facts of ``type_name`` by ``fields``; within a bucket, sorted
        by ``order`` when given, as ``_negation.NegationIndex`` does."""
        found = self._negations.get((type_name, fields, order))
        if found is not None:
            return found
        groups: dict[Any, list[Any]] = {}
        for fact in self.facts_of(type_name):
            key = (
                tuple(getattr(fact, f) for f in fields) if len(fields) != 1 else _key(fact, fields)
            )
            groups.setdefault(key, []).append(fact)
        found = {key: _bucket(facts, order) for key, facts in groups.items()}
        self._negations[(type_name, fields, order)] = found
        return found

    def emit(
        self,
        rule: str,
        match: tuple[Any, ...],
        facts: list[Any],
        absent: tuple[str, ...],
        alternative: int | None = None,
    ) -> None:
        """Record what one match of ``rule`` (its ``alternative``, for a rule with ``or``)
        derived: new facts, and one trace entry per distinct fact (set semantics: a fact
        already known is not added again)."""
        known = self.known
        seen: set[Any] | None = set() if len(facts) > 1 else None
        for fact in facts:
            # One hash per fact: setdefault both looks up and inserts.
            size = len(known)
            kept = known.setdefault(fact, fact)
            if len(known) > size:
                if size >= self.max_facts:
                    del known[fact]
                    raise self._limit(rule)
                self.derived.append(fact)
                self._add(fact)
            elif id(kept) in self._given_only:
                self._given_only.discard(id(kept))  # a given fact, derived now too
                self.derived.append(kept)
            if seen is not None:
                if fact in seen:
                    continue
                seen.add(fact)
            self.trace.append(Inference(kept, rule, match, absent, alternative))

    def _limit(self, rule: str) -> EvaluationError:
        """The durable backend's error for an evaluation that reached ``max_facts``."""
        given = self.given
        derived = len(self.known) - given
        # Many derived facts per given one means a loop; few, an input too large.
        cause = (
            "does a rule derive new facts from its own output forever?"
            if derived > 50 * max(given, 1)
            else "the input is too large for one evaluation: split it into smaller "
            "inputs (one per workplace) and evaluate each, or raise max_facts"
        )
        return EvaluationError(
            rule,
            "evaluate",
            f"{given} given facts and {derived} derived ones",
            LimitError(
                "facts",
                self.max_facts,
                f"reached max_facts={self.max_facts} facts: the rules derived "
                f"{derived} facts from {given} given, the last by rule {rule!r}; {cause}",
            ),
        )

    def _add(self, fact: Any) -> None:
        name = type(fact).__name__
        facts = self._lists.get(name)
        if facts is None:
            facts = self._lists[name] = []
        position = len(facts)
        facts.append(fact)
        maintained = self._maintained.get(name)
        if maintained is None:
            return
        for fields, index in maintained:
            key = getattr(fact, fields[0]) if len(fields) == 1 else _key(fact, fields)
            bucket = index.get(key)
            if bucket is None:
                index[key] = [position]
            else:
                bucket.append(position)

    def sizes(self, type_names: Iterable[str]) -> dict[str, int]:
        """How many facts of each type are known now."""
        return {name: len(self.facts_of(name)) for name in type_names}


def _key(fact: Any, fields: tuple[str, ...]) -> Any:
    if len(fields) == 1:
        return getattr(fact, fields[0])
    return tuple(getattr(fact, f) for f in fields)


def _bucket(facts: list[Any], order: str | None) -> Bucket:
    if order is None:
        return facts, (), None
    present = [f for f in facts if getattr(f, order) is not None]
    try:
        present.sort(key=lambda f: getattr(f, order))
    except TypeError:
        return facts, (), None
    return facts, present, [getattr(f, order) for f in present]
