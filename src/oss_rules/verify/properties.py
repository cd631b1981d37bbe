"""Ready-made properties of an engine's behaviour, as plain functions for any test.

Each function evaluates with the engine it is given and raises :class:`PropertyError`
(an ``AssertionError``) whose message says what went wrong and on which facts. Use
them with hypothesis strategies (:mod:`oss_rules.verify.strategies`) or with your own facts:

>>> import datetime as dt
>>> import oss_rules
>>> from oss_rules.verify import properties
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> site = oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)
>>> result = properties.assert_order_independent(engine, [site], dt.date(2026, 6, 30))
>>> properties.assert_always(engine, [site], dt.date(2026, 6, 30),
...     when="w: Workplace()", then='Obligation(workplace == w.id, module == "OSS-I")')

``check_ruleset_properties(ruleset)`` runs every property a ruleset declares (its
``properties:`` section) with hypothesis, as ``oss-rules verify`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..language import syntax as s
from ._checks import (
    TOTALITY,
    PropertyError,
    always_holds,
    assert_always,
    assert_deterministic,
    assert_idempotent,
    assert_json_round_trip,
    assert_monotone,
    assert_never,
    assert_order_independent,
    assert_rejected,
    assert_total,
    never_holds,
)
from ._runner import verify

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
    "check_ruleset_properties",
    "never_holds",
]


def check_ruleset_properties(
    ruleset: s.Ruleset,
    *,
    max_examples: int = 100,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
) -> None:
    """Check every property ``ruleset`` declares, and the built-in ones, with hypothesis.

    One line in an app's test suite: ``check_ruleset_properties(load("my_rules/"))``.
    ``only`` names the properties to check (default: all), ``params`` overrides params.
    Raises :class:`PropertyError` with the report of ``oss-rules verify`` (minimal
    counterexamples as ready-to-paste test cases) when a property fails.
    """
    report = verify(ruleset, max_examples=max_examples, seed=seed, params=params, only=only)
    if not report.passed:
        raise PropertyError(report.render())
