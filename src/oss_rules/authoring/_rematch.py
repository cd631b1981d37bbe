"""Re-match one rule against the facts of a result, remembering where the match stopped.

Used by ``explain --why-not`` (see :mod:`oss_rules.authoring._why_not`): the patterns of the rule
are matched in Python, in order, with the question's values pushed into them; for the
furthest pattern reached, every candidate fact is kept with the first condition it
failed and the values that made it fail.

The answer's records (:class:`Verdict` and its parts) are in :mod:`._verdict`; the
question's values pushed into the rule, and the next question one step down, in
:mod:`._asked`. This module is the search itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import OssRulesError
from ..language import syntax as s
from ..language._aggregate import NO_VALUE, fold, zero
from ..language._evaluate import ExpressionError, compare, evaluate, holds
from ..language._unparse import literal, pattern_text, show_fact, show_value, unparse
from ..language.syntax import iter_names
from ..model.convert import sort_key
from ..model.registry import FactRegistry
from ._asked import Check, Known, carry, own_goals, try_evaluate
from ._verdict import Attempt, Failure, Goal, Verdict

MAX_ATTEMPTS = 3
"""Partial matches kept per rule."""
MAX_FAILURES = 10
"""Rejected candidates kept per partial match (the rest are counted in ``Attempt.hidden``)."""
_MAX_STEPS = 100_000


class Match:
    """Re-matches one rule (for one of its derivations) and remembers the furthest failures."""

    def __init__(
        self,
        rule: s.Rule,
        derivation: s.Derivation,
        env: Mapping[str, Any],
        by_type: Mapping[str, list[Any]],
        registry: FactRegistry,
    ) -> None:
        self.rule = rule
        self.derivation = derivation
        self.env = env
        self.by_type = by_type
        self.registry = registry
        self.positives = [
            (p.binding or f"p{i}", p)
            for i, p in enumerate(rule.when)
            if isinstance(p, s.Pattern) and not p.negated
        ]
        self.aliases = [alias for alias, _ in self.positives]
        # Each aggregate is folded once the positive patterns before it are bound.
        self.aggregates: dict[int, list[s.Aggregate]] = {}
        before = 0
        for item in rule.when:
            if isinstance(item, s.Aggregate):
                self.aggregates.setdefault(before, []).append(item)
            elif not item.negated:
                before += 1
        self.values: dict[str, Any] = {}
        self.failing: dict[int, str] = {}
        """Why an aggregate (by its id) gives the rule no match for the current bindings."""
        self.goals: tuple[Goal, ...] = ()
        self.checks: dict[int, list[Check]] = {}
        self.best = -1
        self.attempts: list[Attempt] = []
        self.steps = 0
        self.blocked: s.Pattern | s.Aggregate | None = None

    def verdict(self, goals: Sequence[Goal]) -> Verdict:
        """Why this rule did not derive a fact meeting ``goals``."""
        self.goals = tuple(goals)
        cls = self.registry[self.derivation.fact_type].cls
        assigned = {a.field: a.value for a in self.derivation.assignments}
        defaults = {a.name: a.default for a in attrs.fields(cls)}
        known: Known = {}
        for name, op, value in goals:
            expr = assigned.get(name)
            if expr is None:
                default = defaults.get(name, attrs.NOTHING)
                if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    continue  # a computed field: checked on the derived fact
                expr = s.Literal(default, span=self.rule.span)
            why = f"asked {name} {op} {literal(value)}"
            names = {n.id for n in iter_names(expr)}
            if self.derivation.loop_var in names:
                continue  # checked on the derived facts once everything matched
            if not names & set(self.aliases):
                given = try_evaluate(expr, self.env)
                if not isinstance(given, ExpressionError) and not safe_compare(op, given, value):
                    reason = (
                        f"derives {name} {show_value(given)}, never {name} {op} {literal(value)}"
                    )
                    return Verdict(self.rule, "cannot-derive", reason)
            elif op == "==" and isinstance(expr, s.Attribute) and isinstance(expr.obj, s.Name):
                known[(expr.obj.id, expr.name)] = (value, why)
            else:
                level = max(self.aliases.index(n) for n in names if n in self.aliases)
                self.checks.setdefault(level, []).append(Check(expr, op, value, why))
        self._propagate(known)
        if self._search(0, {}):
            return Verdict(self.rule, "matches", "every condition holds: the rule derives it")
        return self._report()

    def _propagate(self, known: Known) -> None:
        """Carry asked values along equality joins, then check each where it is bound."""
        carry(known, self.positives, self.registry)
        for (alias, name), (value, why) in known.items():
            if alias in self.aliases:
                expr = s.Attribute(s.Name(alias, span=self.rule.span), name, span=self.rule.span)
                check = Check(expr, "==", value, why)
                self.checks.setdefault(self.aliases.index(alias), []).insert(0, check)

    def _report(self) -> Verdict:
        attempts = tuple(self.attempts)
        if self.best < len(self.positives):
            alias, pattern = self.positives[self.best]
            reason = f"no {pattern.fact_type} matched {alias}: {pattern_text(pattern)}"
            if not self.by_type.get(pattern.fact_type):
                reason += f": there is no {pattern.fact_type} fact"
            here = self.checks.get(self.aliases.index(alias), [])
            goals = own_goals(alias, pattern, self.registry, self.aliases, self.env, here)
            missing = (pattern.fact_type, goals)
            return Verdict(self.rule, "no-match", reason, attempts, missing)
        blocked = self.blocked
        if self.best == len(self.positives) and blocked is not None:
            if isinstance(blocked, s.Aggregate):
                reason = f"blocked by {' '.join(blocked.text.split())}"
            else:
                reason = f"blocked by not: {pattern_text(blocked)}"
            return Verdict(self.rule, "blocked", reason, attempts)
        reason = f"its then gives no such fact: {' '.join(self.derivation.text.split())}"
        return Verdict(self.rule, "no-match", reason, attempts)

    def _record(self, level: int, bound: Mapping[str, Any], failures: list[Failure]) -> None:
        if level < self.best:
            return
        if level > self.best:
            self.best, self.attempts = level, []
        relevant = [f for f in failures if f.relevant]
        if len(self.attempts) < MAX_ATTEMPTS and (relevant or not self.attempts):
            listed = relevant or failures
            shown = tuple(listed[:MAX_FAILURES])
            self.attempts.append(
                Attempt(
                    tuple(bound.items()),
                    shown,
                    len(listed) - len(shown),
                    len(failures) - len(listed),
                )
            )

    def _search(self, level: int, bound: dict[str, Any]) -> bool:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            return False
        folded = self.aggregates.get(level, [])
        for aggregate in folded:
            self._fold(aggregate, bound)
        try:
            return self._search_from(level, bound)
        finally:
            for aggregate in folded:
                self.failing.pop(id(aggregate), None)
                if aggregate.binding is not None:
                    self.values.pop(aggregate.binding, None)

    def _fold(self, aggregate: s.Aggregate, bound: Mapping[str, Any]) -> None:
        """Fold ``aggregate`` for ``bound``: its value goes to ``values``, and why it
        fails (no value, a failed test, an error) to ``failing``."""
        pattern = aggregate.pattern
        found = [
            f
            for f in self.by_type.get(pattern.fact_type, [])
            if self._first_failure(pattern, f, bound) is None
        ]
        field = self.registry[pattern.fact_type].field(aggregate.field or "")
        kind = field.kind if field is not None else None
        try:
            value, _ = fold(aggregate, found, lambda f: sort_key(f, self.registry), zero(kind))
            if value is NO_VALUE:
                self.failing[id(aggregate)] = f"{aggregate.function}() of no {pattern.fact_type}"
                return
            if aggregate.binding is not None:
                self.values[aggregate.binding] = value
            if aggregate.op is not None and aggregate.value is not None:
                limit = evaluate(aggregate.value, {**self.env, **self.values, **bound})
                if not safe_compare(aggregate.op, value, limit):
                    self.failing[id(aggregate)] = (
                        f"{aggregate.function}() is {show_value(value)}, "
                        f"needs {aggregate.op} {show_value(limit)}"
                    )
        except ExpressionError as error:
            self.failing[id(aggregate)] = f"cannot evaluate: {error}"

    def _search_from(self, level: int, bound: dict[str, Any]) -> bool:
        if level == len(self.positives):
            return self._complete(bound)
        alias, pattern = self.positives[level]
        failures = []
        for candidate in self.by_type.get(pattern.fact_type, []):
            candidate_bound = {**bound, alias: candidate}
            failure = self._check_failure(self.checks.get(level, []), candidate, candidate_bound)
            if failure is None:
                failure = self._first_failure(pattern, candidate, bound)
            if failure is None:
                if self._search(level + 1, candidate_bound):
                    return True
            else:
                failures.append(failure)
        self._record(level, bound, failures)
        return False

    def _complete(self, bound: dict[str, Any]) -> bool:
        for aggregate in self.rule.aggregates:
            why = self.failing.get(id(aggregate))
            if why is not None:
                self.blocked = aggregate
                text = " ".join(aggregate.text.split())
                self._record(len(self.positives), bound, [Failure(None, text, why)])
                return False
        matched = {id(f) for f in bound.values()}
        for pattern in self.rule.negatives:
            blockers = [
                Failure(f, pattern_text(pattern), "exists, so the `not:` pattern fails")
                for f in self.by_type.get(pattern.fact_type, [])
                if id(f) not in matched and self._first_failure(pattern, f, bound) is None
            ]
            if blockers:
                self.blocked = pattern
                self._record(len(self.positives), bound, blockers)
                return False
        return self._derives(bound)

    def _derives(self, bound: Mapping[str, Any]) -> bool:
        """Whether the rule's ``then`` gives, for these facts, a fact the question asks for."""
        derivation = self.derivation
        cls = self.registry[derivation.fact_type].cls
        env = {**self.env, **self.values, **bound}
        try:
            scopes = [env]
            if derivation.loop_var is not None and derivation.loop_over is not None:
                items = evaluate(derivation.loop_over, env)
                scopes = [{**env, derivation.loop_var: item} for item in items]
            facts = [
                cls(**{a.field: evaluate(a.value, scope) for a in derivation.assignments})
                for scope in scopes
            ]
        except (ExpressionError, OssRulesError, TypeError, ValueError) as error:
            reason = f"its then fails for these facts: {error}"
        else:
            if any(self._asked(fact) for fact in facts):
                return True
            shown = ", ".join(show_fact(fact) for fact in facts) or "nothing"
            reason = f"gives {shown}, asked {self._goal_text()}"
        last = list(bound.values())[-1] if bound else None
        self._record(len(self.positives) + 1, bound, [Failure(last, "then", reason)])
        return False

    def _asked(self, fact: Any) -> bool:
        return all(safe_compare(op, getattr(fact, name), value) for name, op, value in self.goals)

    def _goal_text(self) -> str:
        return ", ".join(f"{name} {op} {literal(value)}" for name, op, value in self.goals)

    def _first_failure(
        self, pattern: s.Pattern, fact: Any, bound: Mapping[str, Any]
    ) -> Failure | None:
        fields = attrs.asdict(fact, recurse=False)
        scope = {**self.env, **self.values, **fields, **bound}
        for condition in pattern.conditions:
            try:
                if holds(condition, scope):
                    continue
                reason = _explain(condition, scope, fields, bound)
            except ExpressionError as error:
                reason = f"cannot evaluate: {error}"
            return Failure(fact, unparse(condition), reason)
        return None

    def _check_failure(
        self, checks: Sequence[Check], fact: Any, bound: Mapping[str, Any]
    ) -> Failure | None:
        for check in checks:
            got = try_evaluate(check.expr, {**self.env, **self.values, **bound})
            if isinstance(got, ExpressionError) or not safe_compare(check.op, got, check.value):
                condition = f"{unparse(check.expr)} {check.op} {literal(check.value)}"
                reason = f"{unparse(check.expr)} is {show_value(got)}, {check.why}"
                return Failure(fact, condition, reason, relevant=False)
        return None


def safe_compare(op: str, left: Any, right: Any) -> bool:
    """``compare``, but false (not an error) for values that cannot be ordered."""
    try:
        return compare(op, left, right)
    except TypeError:
        return False


def _explain(
    condition: s.Compare,
    scope: Mapping[str, Any],
    fields: Mapping[str, Any],
    bound: Mapping[str, Any],
) -> str:
    """``level is 'medium', needs level == "high"``, with the values of non-literal sides."""
    own: list[str] = []
    other: list[str] = []
    for side in (condition.left, condition.right):
        if isinstance(side, s.Literal) or (
            isinstance(side, s.ListExpr) and all(isinstance(i, s.Literal) for i in side.items)
        ):
            continue
        value = show_value(evaluate(side, scope))
        if isinstance(side, s.Name) and side.id in fields and side.id not in bound:
            own.append(f"{side.id} is {value}")
        else:
            other.append(f"{unparse(side)} = {value}")
    needs = f"needs {unparse(condition)}" + (f" with {', '.join(other)}" if other else "")
    return ", ".join([*own, needs])
