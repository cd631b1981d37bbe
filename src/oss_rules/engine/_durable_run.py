"""One evaluation on the durable backend: the facts by index, the trace, the firings.

durable-rules matches; each firing it reports comes back to :meth:`DurableRun.action`'s
callback, which checks what durable leaves to Python, derives the rule's facts, records
the inference and hands durable the new facts it must see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import EvaluationError, LimitError
from ..language import syntax as s
from ..language._aggregate import premises as with_used
from ..language._versions import environment
from ..model.registry import FactRegistry
from ._aggregates import aggregated
from ._compile import SESSION_RULE, CompiledRule, CompiledStratum, MessageField
from ._derivations import Consequence, compile_consequence
from ._ids import fact_index, message_id
from ._negation import NegationIndex
from .result import Inference


class DurableRun:
    """The state of one evaluation: facts by index, the trace, the current session.

    ``consequences`` is the engine's cache of each rule's generated ``then`` (see
    :func:`~oss_rules.engine._derivations.compile_consequence`), filled on first firing.
    """

    def __init__(
        self,
        params: Mapping[str, Any],
        registry: FactRegistry,
        max_facts: int,
        consequences: dict[str, Consequence | None],
        as_of: dt.date,
        given: list[Any],
    ) -> None:
        self.params = params
        self.registry = registry
        self.max_facts = max_facts
        self.consequences = consequences
        self.as_of = as_of
        self.facts: list[Any] = list(given)
        self.given = len(given)
        self.index: dict[Any, int] = {f: i for i, f in enumerate(given)}
        self.by_type: dict[str, list[Any]] = {}
        for fact in given:
            self.by_type.setdefault(type(fact).__name__, []).append(fact)
        self.trace: list[Inference] = []
        self.seen: set[tuple[int, str, tuple[int, ...]]] = set()
        self.derived: set[int] = set()
        self.sid = ""
        # The names expressions see (params, versioned ones resolved on as_of): the same
        # for every firing of the evaluation, so built once.
        self.env = environment(params, as_of)
        # A negated type is complete before the stratum that negates it starts, so its
        # index, built on first use, stays valid for the rest of the evaluation.
        self.negations = NegationIndex(self.of_type)

    def message(self, index: int, fields: tuple[MessageField, ...]) -> dict[str, Any]:
        """The durable message of fact ``index``: the fields the stratum's conditions read."""
        fact = self.facts[index]
        out: dict[str, Any] = {
            "sid": self.sid,
            "id": message_id(index),
            "type": type(fact).__name__,
        }
        for name, key, encode in fields:
            value = getattr(fact, name)
            if value is not None:
                out[key] = value if encode is None else encode(value)
        return out

    def action(self, stratum: CompiledStratum) -> Any:
        env = self.env
        facts = self.facts
        index_of = self.index
        fields = stratum.fields
        consequences = self.consequences
        registry, params = self.registry, self.params

        def on_action(rule_name: str, frame: Mapping[str, Any]) -> list[dict[str, Any]]:
            if rule_name == SESSION_RULE:
                return []
            compiled = stratum.rules[rule_name]
            rule = compiled.rule
            aliases = compiled.aliases
            ids = tuple([fact_index(frame[alias]["id"]) for alias in aliases])
            matched = tuple([facts[i] for i in ids])
            # The rule's then and absences as generated Python (as on the compiled
            # backend), made at its first firing; any failure takes the closures below,
            # whose errors name the rule and the facts.
            if rule.label not in consequences:
                consequences[rule.label] = _generated(rule, registry, params)
            fast = consequences[rule.label]
            scope: dict[str, Any] | None = None
            if fast is None or compiled.checks_in_python:
                bound = dict(zip(aliases, matched, strict=True))
                scope = {**env, **bound}
                if compiled.checks_in_python and not compiled.holds(bound, scope, self.negations):
                    return []
            number = rule.alternative.number if rule.alternative is not None else None
            absent: tuple[str, ...] = ()
            if compiled.negates:
                absent = self._absent(compiled, fast, matched, scope)
            counted: tuple[Any, ...] = ()
            if compiled.aggregates:
                assert scope is not None, "a rule with an aggregate has a scope"
                described, counted = aggregated(scope)
                absent += described
            new_messages = []
            for fact in self._conclude(compiled, fast, matched, scope):
                index = index_of.get(fact)
                if index is None:
                    index = self._add(fact, rule.id)
                    name = type(fact).__name__
                    if name in stratum.matches:
                        new_messages.append(self.message(index, fields[name]))
                self.derived.add(index)
                key = (index, rule_name, ids)
                if key not in self.seen:
                    self.seen.add(key)
                    premises = with_used(matched, counted)
                    # The fact's first object: the result finds facts by identity.
                    self.trace.append(Inference(facts[index], rule.id, premises, absent, number))
            return new_messages

        return on_action

    def _scope(self, compiled: CompiledRule, matched: tuple[Any, ...]) -> dict[str, Any]:
        return {**self.env, **dict(zip(compiled.aliases, matched, strict=True))}

    def _absent(
        self,
        compiled: CompiledRule,
        fast: Consequence | None,
        matched: tuple[Any, ...],
        scope: dict[str, Any] | None,
    ) -> tuple[str, ...]:
        if fast is not None and fast[1] is not None:
            try:
                return fast[1](self, matched)
            except Exception:
                pass
        return compiled.absent(scope if scope is not None else self._scope(compiled, matched))

    def _conclude(
        self,
        compiled: CompiledRule,
        fast: Consequence | None,
        matched: tuple[Any, ...],
        scope: dict[str, Any] | None,
    ) -> list[Any]:
        if fast is not None:
            try:
                return fast[0](self, matched)
            except Exception:
                pass
        if scope is None:
            scope = self._scope(compiled, matched)
        bound = dict(zip(compiled.aliases, matched, strict=True))
        return compiled.conclude(bound, scope)

    def _add(self, fact: Any, rule_id: str) -> int:
        if len(self.facts) >= self.max_facts:
            derived = len(self.facts) - self.given
            # Many derived facts per given one means a loop; few, an input too large.
            cause = (
                "does a rule derive new facts from its own output forever?"
                if derived > 50 * max(self.given, 1)
                else "the input is too large for one evaluation: split it into smaller "
                "inputs (one per workplace) and evaluate each, or raise max_facts"
            )
            raise EvaluationError(
                rule_id,
                "evaluate",
                f"{self.given} given facts and {derived} derived ones",
                LimitError(
                    "facts",
                    self.max_facts,
                    f"reached max_facts={self.max_facts} facts: the rules derived "
                    f"{derived} facts from {self.given} given, the last by rule "
                    f"{rule_id!r}; {cause}",
                ),
            )
        index = len(self.facts)
        self.facts.append(fact)
        self.index[fact] = index
        self.by_type.setdefault(type(fact).__name__, []).append(fact)
        return index

    def of_type(self, name: str) -> list[Any]:
        """Every fact of type ``name`` known so far (complete for lower strata)."""
        return self.by_type.get(name, [])


def _generated(
    rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]
) -> Consequence | None:
    """The rule's generated ``then``, or None to use the closures. The compiled backend
    generates every rule it is given, so a failure here is a bug; the closures give the
    same facts, so the default backend goes on with them rather than fail a user."""
    try:
        return compile_consequence(rule, registry, params)
    except Exception:
        return None
