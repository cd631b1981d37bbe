"""Why a conclusion does not hold: which rules could derive it, and which condition failed.

The question is a pattern such as ``Obligation(workplace == "w1", module == "OSS-II")``.
For every rule whose ``then`` derives that type, the rule's patterns are matched again,
in Python, against the facts of a :class:`~oss_rules.engine.result.Result` (given and
derived). The question's field values are pushed back through the derivation
(``workplace: c.workplace`` with ``workplace == "w1"`` asks for ``c.workplace == "w1"``)
and through equality joins (``Hazard(id == c.hazard)`` carries ``h.id`` to
``c.hazard``), so facts about other workplaces or hazards are set aside as irrelevant.
The report shows the furthest the match got: the facts bound so far and, for each
relevant candidate of the next pattern, the first condition it failed with the values
that made it fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..engine.result import Result
from ..errors import QuestionError, suggest
from ..language import syntax as s
from ..language._evaluate import ExpressionError, evaluate
from ..language._unparse import show_fact, subject, unparse, where
from ..language._versions import environment
from ..model._kinds import Choice, Day, Integer, Kind, Moment, Month, Number, Optional, Text
from ..model.convert import fact_to_json
from ..model.registry import FactRegistry
from ._rematch import Attempt, Goal, Match, Verdict, safe_compare

__all__ = ["QuestionError", "WhyNot", "why_not"]


@attrs.frozen
class WhyNot:
    """The answer to "why does this conclusion not hold?"."""

    question: str
    as_of: dt.date
    matches: tuple[Any, ...]
    verdicts: tuple[Verdict, ...]

    def render(self) -> str:
        """The answer as text: one block per rule that could have derived it."""
        if self.matches:
            return "\n".join(
                [f"{self.question} holds:", *(f"  {show_fact(f)}" for f in self.matches)]
            )
        head = f"{self.question} does not hold as of {self.as_of.isoformat()}."
        if not self.verdicts:
            return f"{head}\nNo rule derives {self.question.split('(', 1)[0]} facts."
        blocks = [head]
        for verdict in (v for v in self.verdicts if v.kind != "cannot-derive"):
            lines = [f"rule {verdict.rule.label}: {verdict.rule.title}"]
            lines += [f"  at {where(verdict.rule.span)}", f"  {verdict.reason}"]
            for attempt in verdict.attempts:
                pad = "      " if attempt.bindings else "    "
                lines += [f"    with {k} = {show_fact(v)}" for k, v in attempt.bindings]
                lines += [
                    f"{pad}{subject(f.fact)}: {f.reason}" if f.fact is not None else pad + f.reason
                    for f in attempt.failures
                ]
                if attempt.hidden:
                    lines.append(f"{pad}... and {attempt.hidden} more")
                if attempt.set_aside:
                    lines.append(f"{pad}({attempt.set_aside} set aside: about something else)")
            blocks.append("\n".join(lines))
        never = [v for v in self.verdicts if v.kind == "cannot-derive"]
        if never:
            blocks.append(
                "\n".join(
                    [
                        "rules that never derive it:",
                        *(f"  {v.rule.label} ({where(v.rule.span)}): {v.reason}" for v in never),
                    ]
                )
            )
        return "\n\n".join(blocks)

    def to_data(self, registry: FactRegistry) -> dict[str, Any]:
        """The answer as JSON-ready data."""

        def fact(value: Any) -> dict[str, Any]:
            return fact_to_json(value, registry)

        def attempt(a: Attempt) -> dict[str, Any]:
            return {
                "bindings": {k: fact(b) for k, b in a.bindings},
                "failures": [
                    {
                        "fact": None if f.fact is None else fact(f.fact),
                        "condition": f.condition,
                        "reason": f.reason,
                    }
                    for f in a.failures
                ],
                "more": a.hidden,
                "set_aside": a.set_aside,
            }

        return {
            "question": self.question,
            "as_of": self.as_of.isoformat(),
            "holds": bool(self.matches),
            "matches": [fact(f) for f in self.matches],
            "rules": [
                {
                    "rule": v.rule.id,
                    **(
                        {"alternative": v.rule.alternative.number}
                        if v.rule.alternative is not None
                        else {}
                    ),
                    "title": v.rule.title,
                    "at": where(v.rule.span),
                    "verdict": v.kind,
                    "reason": v.reason,
                    "attempts": [attempt(a) for a in v.attempts],
                }
                for v in self.verdicts
            ],
        }


_ORDERING = frozenset({"<", "<=", ">", ">="})


def _comparable(kind: Kind, value: Any) -> bool:
    """Whether values of ``kind`` can be ordered against ``value`` at all."""
    while isinstance(kind, Optional):
        kind = kind.inner
    if isinstance(kind, Choice | Text):
        return isinstance(value, str)
    if isinstance(kind, Integer | Number):
        return isinstance(value, int | Decimal | float) and not isinstance(value, bool)
    if isinstance(kind, Moment):
        return isinstance(value, dt.datetime)
    if isinstance(kind, Day | Month):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return True


def why_not(
    result: Result, rules: Sequence[s.Rule], params: Mapping[str, Any], question: s.Pattern
) -> WhyNot:
    """Explain why no fact matching ``question`` is among ``result``'s facts.

    ``rules`` and ``params`` are those the result was evaluated with. Raises
    :class:`QuestionError` for a question that is not ``Type(field op constant, ...)``.
    """
    info = result.registry[question.fact_type]
    goals: list[Goal] = []
    for condition in question.conditions:
        if not isinstance(condition.left, s.Name) or info.field(condition.left.id) is None:
            near = (
                suggest(condition.left.id, info.field_names)
                if isinstance(condition.left, s.Name)
                else ""
            )
            raise QuestionError(
                f"the left side of `{unparse(condition)}` must be a field of "
                f"{question.fact_type}{near or ' (fields: ' + ', '.join(info.field_names) + ')'}"
            )
        try:
            value = evaluate(condition.right, params)
        except ExpressionError as error:
            raise QuestionError(
                f"the right side of `{unparse(condition)}` must be a constant ({error})"
            ) from None
        kind = info.field(condition.left.id).kind  # type: ignore[union-attr]
        if condition.op in _ORDERING and not _comparable(kind, value):
            # The same question as --conclusion, which fails comparing 'OSS-I' > 3.
            raise QuestionError(
                f"`{unparse(condition)}`: {condition.left.id} holds {kind.expected}, "
                f"which cannot be compared with {value!r}"
            )
        goals.append((condition.left.id, condition.op, value))
    text = f"{question.fact_type}({', '.join(unparse(c) for c in question.conditions)})"
    facts = (*result.given, *result.conclusions)
    matches = tuple(
        f
        for f in facts
        if type(f).__name__ == question.fact_type
        and all(safe_compare(op, getattr(f, name), value) for name, op, value in goals)
    )
    if matches:
        return WhyNot(text, result.as_of, matches, ())
    by_type: dict[str, list[Any]] = {}
    for fact in facts:
        by_type.setdefault(type(fact).__name__, []).append(fact)
    env = environment(params, result.as_of)
    verdicts = [
        Match(rule, derivation, env, by_type, result.registry).verdict(goals)
        for rule in rules
        for derivation in rule.then
        if derivation.fact_type == question.fact_type
    ]
    return WhyNot(text, result.as_of, (), tuple(verdicts))
