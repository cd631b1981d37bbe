"""The index behind negations checked in Python: the candidates it offers are exactly the
facts a full scan could match, so answers do not change and arg-max rules stay linear."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oss_rules.domains.oss.facts import Classification, Hazard
from oss_rules.engine._negation import NegationIndex, plan
from oss_rules.language import syntax as s
from oss_rules.language._parser import parse_pattern
from oss_rules.model.domain import shipped_registry


def pattern(text: str) -> s.Pattern:
    return parse_pattern(text, lambda line, col: s.Span("<test>", line, col))


def classification(hazard: str, workplace: str, score: int) -> Classification:
    return Classification(
        workplace=workplace, hazard=hazard, category="fall", score=score, level="low"
    )


FACTS = [
    classification("h1", "w1", 4),
    classification("h2", "w1", 12),
    classification("h3", "w1", 12),
    classification("h4", "w1", 20),
    classification("h5", "w2", 25),
]


def candidates(text: str, **bound: Any) -> list[str]:
    registry = shipped_registry()
    fact_type = registry["Classification"]
    lookup = plan(pattern(text), fact_type, bound)
    index = NegationIndex(lambda name: FACTS if name == "Classification" else [])
    found = index.candidates("Classification", lookup, {"as_of": dt.date(2026, 1, 1), **bound})
    return sorted(f.hazard for f in found)


def test_equality_and_an_ordering_narrow_the_candidates() -> None:
    c = FACTS[1]  # w1, score 12
    text = "Classification(workplace == c.workplace, score > c.score)"
    assert candidates(text, c=c) == ["h4"]
    assert candidates("Classification(workplace == c.workplace, score >= c.score)", c=c) == [
        "h2",
        "h3",
        "h4",
    ]
    assert candidates("Classification(c.score > score, workplace == c.workplace)", c=c) == ["h1"]


def test_without_an_ordering_the_whole_bucket_is_offered() -> None:
    text = "Classification(workplace == c.workplace, hazard != c.hazard)"
    assert candidates(text, c=FACTS[4]) == ["h5"]


def test_a_join_on_null_offers_nothing() -> None:
    undated = Hazard(id="h9", workplace="w1", category="fall", likelihood=1, severity=1)
    registry = shipped_registry()
    lookup = plan(pattern("Hazard(identified_on == h.identified_on)"), registry["Hazard"], ["h"])
    index = NegationIndex(lambda name: [undated] if name == "Hazard" else [])
    assert list(index.candidates("Hazard", lookup, {"h": undated})) == []
    # A constant null is no join: it finds the facts whose field is null.
    constant = plan(pattern("Hazard(identified_on == null)"), registry["Hazard"], [])
    assert list(index.candidates("Hazard", constant, {})) == [undated]
