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
from ..language._unparse import literal, show_fact, subject, unparse, where
from ..language._versions import environment
from ..model._kinds import Choice, Day, Integer, Kind, Moment, Month, Number, Optional, Text
from ..model.convert import fact_to_json
from ..model.registry import FactRegistry
from ._rematch import Match, safe_compare
from ._verdict import Attempt, Goal, Verdict

__all__ = ["QuestionError", "WhyNot", "why_not"]


@attrs.frozen
class WhyNot:
    """The answer to "why does this conclusion not hold?"."""

    question: str
    as_of: dt.date
    matches: tuple[Any, ...]
    verdicts: tuple[Verdict, ...]
    below: tuple[WhyNot | None, ...] = ()
    """Per verdict, one step down: why the fact its failing pattern needed was not
    derived (``None`` where that type is no rule's conclusion, or past the depth)."""

    def render(self) -> str:
        """The answer as text: one block per rule that could have derived it.

        Rules that failed in the same way (the rows of a table, most often) share one
        block; each answer one step down is shown once, under the first rule that needs it.
        """
        return self._render(set())

    def _render(self, shown: set[str]) -> str:
        if self.matches:
            return "\n".join(
                [f"{self.question} holds:", *(f"  {show_fact(f)}" for f in self.matches)]
            )
        head = f"{self.question} does not hold as of {self.as_of.isoformat()}."
        if not self.verdicts:
            return f"{head}\nNo rule derives {self.question.split('(', 1)[0]} facts."
        blocks = [head]
        below = self.below or (None,) * len(self.verdicts)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, verdict in enumerate(self.verdicts):
            if verdict.kind != "cannot-derive":
                same = (verdict.rule.title, verdict.kind, verdict.reason, verdict.attempts)
                groups.setdefault(same, []).append(i)
        for members in groups.values():
            verdict = self.verdicts[members[0]]
            names = _rule_ids([self.verdicts[i].rule.label for i in members])
            lines = [f"rule{'s' if len(members) > 1 else ''} {names}: {verdict.rule.title}"]
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
            for deeper in dict.fromkeys(b for i in members if (b := below[i]) is not None):
                if deeper.question in shown:
                    lines.append(f"  why no {deeper.question}: see above")
                    continue
                if all(v.kind == "cannot-derive" for v in deeper.verdicts):
                    count = len(deeper.verdicts)
                    lines.append(
                        f"  why: no rule can derive {deeper.question}: "
                        f"{count} rule{'s' if count != 1 else ''} derive "
                        f"{deeper.question.split('(', 1)[0]} facts, none with these values"
                    )
                    continue
                shown.add(deeper.question)
                text = deeper._render(shown).removesuffix(".")
                first, _, rest = text.partition("\n")
                lines.append(f"  why: {first}")
                lines += [f"    {line}" if line else "" for line in rest.splitlines()]
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
                    "below": None if b is None else b.to_data(registry),
                }
                for v, b in zip(
                    self.verdicts, self.below or (None,) * len(self.verdicts), strict=True
                )
            ],
        }


def _rule_ids(ids: Sequence[str]) -> str:
    """``risk-level#1, #2, #3`` for rows of one table, else the ids joined."""
    tables = {i.partition("#")[0] for i in ids}
    if len(ids) > 1 and len(tables) == 1 and all("#" in i for i in ids):
        return ", ".join([ids[0], *("#" + i.partition("#")[2] for i in ids[1:])])
    return ", ".join(ids)


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
    result: Result,
    rules: Sequence[s.Rule],
    params: Mapping[str, Any],
    question: s.Pattern,
    *,
    depth: int = 1,
) -> WhyNot:
    """Explain why no fact matching ``question`` is among ``result``'s facts.

    ``rules`` and ``params`` are those the result was evaluated with. Where a rule's
    pattern found no fact of a type that rules derive, the answer follows it ``depth``
    steps down: why no such fact was derived (``Obligation`` not concluded because no
    ``Classification`` is high, and no ``Classification`` is high because no hazard's
    score reaches ``high_from``). Raises :class:`QuestionError` for a question that is
    not ``Type(field op constant, ...)``.
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
    return _answer(result, rules, params, question.fact_type, tuple(goals), text, depth, {})


def _answer(
    result: Result,
    rules: Sequence[s.Rule],
    params: Mapping[str, Any],
    fact_type: str,
    goals: tuple[Goal, ...],
    text: str,
    depth: int,
    asked: dict[str, WhyNot | None],
) -> WhyNot:
    facts = (*result.given, *result.conclusions)
    matches = tuple(
        f
        for f in facts
        if type(f).__name__ == fact_type
        and all(safe_compare(op, getattr(f, name), value) for name, op, value in goals)
    )
    if matches:
        return WhyNot(text, result.as_of, matches, ())
    by_type: dict[str, list[Any]] = {}
    for fact in facts:
        by_type.setdefault(type(fact).__name__, []).append(fact)
    env = environment(params, result.as_of)
    verdicts = tuple(
        Match(rule, derivation, env, by_type, result.registry).verdict(goals)
        for rule in rules
        for derivation in rule.then
        if derivation.fact_type == fact_type
    )
    asked[text] = None  # a rule that needs the fact it derives asks nothing again
    derived = {d.fact_type for rule in rules for d in rule.then}
    below: list[WhyNot | None] = []
    for verdict in verdicts:
        if depth < 1 or verdict.kind != "no-match" or verdict.missing is None:
            below.append(None)
            continue
        kind, wanted = verdict.missing
        question = f"{kind}({', '.join(f'{n} {op} {literal(v)}' for n, op, v in wanted)})"
        if kind in derived and question not in asked:
            deeper = _answer(result, rules, params, kind, wanted, question, depth - 1, asked)
            asked[question] = None if deeper.matches else deeper
        below.append(asked.get(question))
    return WhyNot(text, result.as_of, (), verdicts, tuple(below) if depth >= 1 else ())
