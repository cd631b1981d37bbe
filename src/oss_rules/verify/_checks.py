"""The property checks behind :mod:`oss_rules.verify.properties` (see there)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import random as _random
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import OssRulesError, PropertyError
from ..language import syntax as s
from ..model.convert import fact_from_json, fact_to_json, read_inventory
from ..model.registry import FactRegistry
from . import _patterns
from ._judge import always_failures, case, lost_conclusions, never_failures

if TYPE_CHECKING:
    from .strategies import Raise

__all__ = [
    "TOTALITY",
    "PropertyError",
    "always_holds",
    "assert_always",
    "assert_deterministic",
    "assert_idempotent",
    "assert_json_round_trip",
    "assert_monotone",
    "assert_never",
    "assert_order_independent",
    "assert_rejected",
    "assert_total",
    "never_holds",
]


def _diff(expected: str, got: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=1
    )
    return "\n".join(list(lines)[:40])


def assert_deterministic(engine: Engine, facts: Sequence[Any], as_of: dt.date) -> Result:
    """Evaluating twice, and with a freshly compiled engine, gives the same JSON bytes."""
    first = engine.evaluate(facts, as_of=as_of)
    expected = first.to_json()
    fresh = Engine(engine.ruleset, params=dict(first.ruleset.overrides), backend=engine.backend)
    for label, again in (("again", engine), ("with a fresh engine", fresh)):
        got = again.evaluate(facts, as_of=as_of).to_json()
        if got != expected:
            raise PropertyError(
                f"not deterministic: evaluating {label} gave other JSON\n{_diff(expected, got)}"
            )
    return first


def assert_order_independent(
    engine: Engine,
    facts: Sequence[Any],
    as_of: dt.date,
    *,
    shuffles: int = 3,
    random: _random.Random | None = None,
) -> Result:
    """The facts reversed and shuffled ``shuffles`` times give the same JSON bytes.

    ``random`` draws the shuffles (pass hypothesis' ``st.randoms()`` to let it search).
    """
    rng = random if random is not None else _random.Random(0)
    result = engine.evaluate(facts, as_of=as_of)
    expected = result.to_json()
    orders = [list(reversed(facts))]
    for _ in range(shuffles):
        order = list(facts)
        rng.shuffle(order)
        orders.append(order)
    for order in orders:
        got = engine.evaluate(order, as_of=as_of).to_json()
        if got != expected:
            shown = ", ".join(_short(f) for f in order)
            raise PropertyError(
                f"order matters: the facts in the order [{shown}] give other JSON\n"
                f"{_diff(expected, got)}"
            )
    return result


def assert_idempotent(engine: Engine, facts: Sequence[Any], as_of: dt.date) -> Result:
    """Evaluating again with the conclusions added to the input concludes the same facts."""
    result = engine.evaluate(facts, as_of=as_of)
    again = engine.evaluate([*facts, *result.conclusions], as_of=as_of)
    first, second = set(result.conclusions), set(again.conclusions)
    if first != second:
        raise PropertyError(
            "not idempotent: with its own conclusions fed back as input, the ruleset "
            f"concluded {_listed(second - first)} more and {_listed(first - second)} fewer"
        )
    return result


def assert_json_round_trip(result: Result) -> None:
    """Facts and the result survive JSON: each fact, the input document, ``Result.from_json``."""
    registry = result.registry
    for fact in (*result.given, *result.conclusions):
        data = json.loads(json.dumps(fact_to_json(fact, registry)))
        back = fact_from_json(data, registry)
        if back != fact:
            raise PropertyError(f"{_short(fact)} comes back from JSON as {_short(back)}")
    document = {
        "as_of": result.as_of.isoformat(),
        "facts": [fact_to_json(f, registry) for f in result.given],
    }
    read = read_inventory(json.dumps(document), registry)
    if (read.as_of, set(read.facts)) != (result.as_of, set(result.given)):
        raise PropertyError("the input document read back differs from the facts written")
    text = result.to_json()
    again = Result.from_json(text, registry)
    if again != result or again.to_json() != text:
        raise PropertyError(f"Result.from_json(to_json()) differs\n{_diff(text, again.to_json())}")


def assert_rejected(
    document: Mapping[str, Any], *, registry: FactRegistry | None = None
) -> OssRulesError:
    """``read_inventory(document)`` raises a typed :class:`~oss_rules.errors.OssRulesError`.

    Returns the error. Anything else (accepting it, a ``KeyError``, a crash from
    durable-rules) is a failure.
    """
    try:
        read_inventory(document, registry)
    except OssRulesError as error:
        return error
    except Exception as error:
        raise PropertyError(
            f"read_inventory raised {type(error).__name__}: {error} instead of an "
            f"OssRulesError for {json.dumps(document, default=str)[:400]}"
        ) from error
    raise PropertyError(f"read_inventory accepted {json.dumps(document, default=str)[:400]}")


Patterns = str | Sequence[str] | Sequence[s.Pattern]


def _when(when: Patterns) -> tuple[s.Pattern, ...]:
    if isinstance(when, str) or (when and isinstance(when[0], str)):
        return _patterns.parse_when(when)  # type: ignore[arg-type]
    return tuple(when)  # type: ignore[arg-type]


def _then(then: str | s.Pattern) -> s.Pattern:
    return _patterns.parse_then(then) if isinstance(then, str) else then


def _spec(
    engine: Engine, when: Patterns, then: str | s.Pattern
) -> tuple[tuple[s.Pattern, ...], s.Pattern]:
    """``when`` and ``then`` parsed if they are text, and checked against the types."""
    patterns, pattern = _when(when), _then(then)
    _patterns.check(patterns, pattern, engine.ruleset.registry, dict(engine.params))
    return patterns, pattern


def always_holds(
    result: Result,
    params: Mapping[str, Any],
    when: Sequence[s.Pattern],
    then: s.Pattern,
    exactly_one: bool = False,
) -> None:
    """:func:`assert_always` on a result already evaluated with ``params``."""
    for message, expected in always_failures(result, params, when, then, exactly_one):
        raise PropertyError(message, case(result, "always", message, expect=expected))


def never_holds(
    result: Result, params: Mapping[str, Any], when: Sequence[s.Pattern], then: s.Pattern
) -> None:
    """:func:`assert_never` on a result already evaluated with ``params``."""
    for message, offending in never_failures(result, params, when, then):
        raise PropertyError(message, case(result, "never", message, absent=[offending]))


def assert_always(
    engine: Engine,
    facts: Sequence[Any],
    as_of: dt.date,
    *,
    when: Patterns,
    then: str | s.Pattern,
    exactly_one: bool = False,
) -> Result:
    """For every match of ``when`` (over given and derived facts) a conclusion matches
    ``then``, and exactly one if ``exactly_one``. Patterns are written as in rules:
    ``when=["h: Hazard()"], then="Classification(hazard == h.id)"``."""
    patterns, pattern = _spec(engine, when, then)
    result = engine.evaluate(facts, as_of=as_of)
    always_holds(result, engine.params, patterns, pattern, exactly_one)
    return result


def assert_never(
    engine: Engine, facts: Sequence[Any], as_of: dt.date, *, when: Patterns, then: str | s.Pattern
) -> Result:
    """For no match of ``when`` does a conclusion match ``then``."""
    patterns, pattern = _spec(engine, when, then)
    result = engine.evaluate(facts, as_of=as_of)
    never_holds(result, engine.params, patterns, pattern)
    return result


TOTALITY: tuple[tuple[str, str, bool], ...] = (
    ("w: Workplace()", 'Obligation(workplace == w.id, module == "OSS-I")', False),
    ("h: Hazard()", "Classification(hazard == h.id, workplace == h.workplace)", True),
)
"""The default model's totality: every workplace gets OSS-I, every hazard exactly one level.

Each entry is ``(when, then, exactly_one)`` for :func:`assert_always`."""


def assert_total(
    engine: Engine,
    facts: Sequence[Any],
    as_of: dt.date,
    requirements: Iterable[tuple[Patterns, str, bool]] = TOTALITY,
) -> Result:
    """Every requirement ``(when, then, exactly_one)`` holds (default :data:`TOTALITY`)."""
    result = engine.evaluate(facts, as_of=as_of)
    for when, then, exactly_one in requirements:
        patterns, pattern = _spec(engine, when, then)
        always_holds(result, engine.params, patterns, pattern, exactly_one)
    return result


def assert_monotone(
    engine: Engine,
    change: Raise,
    *,
    of: str = "Obligation",
    by: Sequence[str] | None = None,
    order: Sequence[Any] | None = None,
) -> None:
    """Raising ``change.field`` of one fact loses no ``of`` conclusion and lowers no rank.

    ``change`` comes from :func:`oss_rules.verify.strategies.raised`. ``of`` is a type
    (``"Obligation"``) or ``Type.field`` (``"Classification.level"``), whose field must
    not go down in ``order`` (default: the order of the field's allowed values, or of
    the numbers or dates). A conclusion after the raise counts as the same one when its
    ``by`` fields are equal (default: all fields), so an action whose due date moved is
    still there with ``by=["workplace", "hazard"]``.
    """
    of_type, _, rank = of.partition(".")
    as_of = change.before.as_of
    before = engine.evaluate(change.before.facts, as_of=as_of)
    after = engine.evaluate(change.after, as_of=as_of)
    ranking = (
        tuple(order) if order is not None else _patterns.default_order(engine.ruleset.registry, of)
    )
    for message, expect, absent in lost_conclusions(
        before, after, of_type, rank or None, tuple(by) if by else None, ranking
    ):
        text = f"raising {change}\n{message}"
        raise PropertyError(text, case(after, "monotone", text, expect=[expect], absent=absent))


def _short(fact: Any) -> str:
    fact_id = getattr(fact, "id", None)
    return f"{type(fact).__name__}({fact_id!r})" if isinstance(fact_id, str) else repr(fact)


def _listed(facts: Iterable[Any]) -> str:
    items = sorted(map(repr, facts))
    return f"{len(items)} ({'; '.join(items[:5])}{'; ...' if len(items) > 5 else ''})"
