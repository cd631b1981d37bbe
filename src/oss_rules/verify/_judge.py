"""Judge results against properties: what fails, and the ruleset test case that pins it.

The test case is a mapping in the format of ``<ruleset>/tests/*.yaml`` (see
docs/authoring.md): ``name``, ``description``, ``as_of``, ``given`` (the input facts in
their JSON form, defaults left out), and ``expect`` / ``absent`` (partial conclusions).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..engine.result import Result
from ..engine.result import show_fact as show
from ..language import syntax as s
from ..language._evaluate import ExpressionError, evaluate
from ..language._versions import environment
from ..model.convert import fact_to_json
from ..model.registry import FactRegistry
from .oracle import matches, meets

Case = dict[str, Any]
Partial = dict[str, Any]


def _by_type(facts: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for fact in dict.fromkeys(facts):
        out.setdefault(type(fact).__name__, []).append(fact)
    return out


def _named(when: Sequence[s.Pattern], bound: Mapping[str, Any]) -> dict[str, Any]:
    return {p.binding: bound[p.binding] for p in when if p.binding and not p.negated}


def _bindings(named: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} = {show(fact)}" for name, fact in named.items()) or "the facts"


def partial(
    pattern: s.Pattern,
    named: Mapping[str, Any],
    params: Mapping[str, Any],
    as_of: dt.date,
    registry: FactRegistry,
) -> Partial:
    """The conclusion ``pattern`` asks for, as a test-case entry: its ``==`` conditions."""
    info = registry[pattern.fact_type]
    out: Partial = {"type": pattern.fact_type}
    scope = {**environment(params, as_of), **named}
    for condition in pattern.conditions:
        if condition.op != "==":
            continue
        for own, other in ((condition.left, condition.right), (condition.right, condition.left)):
            field = info.field(own.id) if isinstance(own, s.Name) and own.id not in named else None
            if field is not None:
                with contextlib.suppress(ExpressionError):
                    out[field.name] = field.kind.to_json(evaluate(other, scope))
                break
    return out


def _listing(type_name: str, facts: Sequence[Any], most: int = 5) -> str:
    if not facts:
        return f"{type_name} conclusions: none"
    lines = [f"{type_name} conclusions:", *(f"  {show(f)}" for f in facts[:most])]
    if len(facts) > most:
        lines.append(f"  ... and {len(facts) - most} more")
    return "\n".join(lines)


def always_failures(
    result: Result,
    params: Mapping[str, Any],
    when: Sequence[s.Pattern],
    then: s.Pattern,
    exactly_one: bool,
) -> Iterator[tuple[str, list[Partial]]]:
    """Each match of ``when`` with no (or, with ``exactly_one``, several) ``then``."""
    everything = _by_type((*result.given, *result.conclusions))
    candidates = [c for c in result.conclusions if type(c).__name__ == then.fact_type]
    base = environment(params, result.as_of)
    for bound in matches(when, everything, params, result.as_of):
        named = _named(when, bound)
        hits = [c for c in candidates if meets(then, c, base, named)]
        if hits and not (exactly_one and len(hits) > 1):
            continue
        if hits:
            message = (
                f"for {_bindings(named)}\n{len(hits)} conclusions match {then.text}, "
                "not exactly one:" + "".join(f"\n  {show(hit)}" for hit in hits)
            )
        else:
            message = f"for {_bindings(named)}\nno conclusion matches {then.text}\n" + _listing(
                then.fact_type, candidates
            )
        yield message, [partial(then, named, params, result.as_of, result.registry)]


def never_failures(
    result: Result, params: Mapping[str, Any], when: Sequence[s.Pattern], then: s.Pattern
) -> Iterator[tuple[str, Partial]]:
    """Each conclusion that matches ``then`` for a match of ``when``."""
    everything = _by_type((*result.given, *result.conclusions))
    candidates = [c for c in result.conclusions if type(c).__name__ == then.fact_type]
    base = environment(params, result.as_of)
    for bound in matches(when, everything, params, result.as_of):
        named = _named(when, bound)
        for hit in candidates:
            if meets(then, hit, base, named):
                message = f"for {_bindings(named)}\n{show(hit)} matches {then.text}"
                yield message, fact_to_json(hit, result.registry)


def lost_conclusions(
    before: Result,
    after: Result,
    of: str,
    rank: str | None,
    by: tuple[str, ...] | None,
    order: tuple[Any, ...] | None,
) -> Iterator[tuple[str, Partial, list[Partial]]]:
    """Each ``of`` conclusion of ``before`` that ``after`` lost, or whose ``rank`` fell.

    Yields a message, the test-case entry that must be concluded, and the entries that
    must not be (the lower ranks).
    """
    registry = after.registry

    def key(fact: Any, fields: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(getattr(fact, f) for f in fields)

    def level(value: Any) -> tuple[Any, ...]:
        # null ranks below every value: an optional rank that was and stays null is kept.
        if value is None:
            return (0,)
        return (1, order.index(value) if order is not None and value in order else value)

    later = [c for c in after.conclusions if type(c).__name__ == of]
    for fact in (c for c in before.conclusions if type(c).__name__ == of):
        data = fact_to_json(fact, registry)
        fields = by or tuple(a.name for a in attrs.fields(type(fact)) if a.name != rank)
        entry = {"type": of, **{f: data[f] for f in fields}}
        same = [c for c in later if key(c, fields) == key(fact, fields)]
        if not same:
            yield f"{show(fact)} is no longer concluded", entry, []
            continue
        if rank is None:
            continue
        was = getattr(fact, rank)
        best = max(same, key=lambda c: level(getattr(c, rank)))
        if level(getattr(best, rank)) < level(was):
            lower = [v for v in (order or ()) if level(v) < level(was)]
            absent = (
                [{**entry, rank: fact_to_json(best, registry)[rank]}]
                if not lower
                else [{**entry, rank: value} for value in lower]
            )
            now = getattr(best, rank)
            yield f"{rank} of {show(fact)} fell from {was!r} to {now!r}", entry, absent


def input_json(fact: Any, registry: FactRegistry) -> dict[str, Any]:
    """A fact as input JSON: no computed fields, no fields left at their default."""
    data = fact_to_json(fact, registry)
    info = registry.type_of(fact)
    defaults = {a.name: a.default for a in attrs.fields(info.cls)}
    for field in info.fields:
        value = getattr(fact, field.name)
        if not field.init or (field.name in defaults and defaults[field.name] == value):
            del data[field.name]
    return data


def _inputs_first(result: Result) -> list[Any]:
    """The given facts in registry order of their types (workplaces before hazards)."""
    names = result.registry.names()
    return sorted(result.given, key=lambda f: names.index(type(f).__name__))


def case(
    result: Result,
    kind: str,
    message: str,
    *,
    expect: Sequence[Partial] = (),
    absent: Sequence[Partial] = (),
) -> Case:
    """The facts of ``result`` as a test case expecting ``expect`` and forbidding ``absent``."""
    out: Case = {
        "name": f"{kind} property",
        "description": message,
        "as_of": result.as_of.isoformat(),
        "given": [input_json(f, result.registry) for f in _inputs_first(result)],
    }
    if expect:
        out["expect"] = list(expect)
    if absent:
        out["absent"] = list(absent)
    return out


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .:/-]*[A-Za-z0-9_.]$|^[A-Za-z_]$|^\d{4}-\d{2}-\d{2}$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


_BLOCK = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .,;:/()'-]*[A-Za-z0-9_.)]$")


def flow(value: Any) -> str:
    """``value`` as one line of YAML flow style, quoting only what YAML needs."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def render_case(found: Case) -> str:
    """``found`` as YAML in the test-case format: ``cases:`` with one case."""
    lines = ["cases:"]
    for i, key in enumerate(("name", "description", "as_of")):
        if key in found:
            text = str(found[key])
            value = text if _BLOCK.match(text) and ": " not in text else flow(text)
            lines.append(f"{'  - ' if i == 0 else '    '}{key}: {value}")
    if "params" in found:
        lines.append(f"    params: {flow(found['params'])}")
    for key in ("given", "expect", "absent"):
        if key in found:
            lines.append(f"    {key}:")
            lines += [f"      - {flow(item)}" for item in found[key]]
    if "match" in found:
        lines.append(f"    match: {found['match']}")
    return "\n".join(lines)
