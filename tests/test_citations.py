"""The source texts of the shipped rulesets agree with the params they describe.

A source text is what a proof prints under ``cites``: when it says "actions due 30 days
(high)" the param the citing rule reads must hold 30. Two kinds of numbers are checked,
both reliable enough to fail only on a real disagreement:

* a param named in the text with its value in parentheses, ``alert_days (30)``: the
  param must hold that value;
* a duration, ``30 days``, ``12 months``, ``24 h``, ``2 x 24 hours`` (the product): when
  the rules that cite the source read params of that unit (a name ending in ``_days``,
  ``_months`` or ``_hours``), the duration must be one of their values. A source whose
  citing rules read no param of the unit describes something else, and is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import oss_rules
from oss_rules.language import shipped_rulesets
from oss_rules.language._analysis import _names

RULESETS = {name: oss_rules.load(path) for name, path in shipped_rulesets().items()}
UNITS = {"days": "days", "months": "months", "hours": "hours", "h": "hours"}
PRODUCT = re.compile(r"\b(\d+)\s*[x\u00d7]\s*(\d+)\s*(days|months|hours|h)\b")
DURATION = re.compile(r"\b(\d+)\s*(days|months|hours|h)\b")


def _numbers(value: Any) -> set[int]:
    """The whole numbers a param holds: itself, or the values of its mapping."""
    values = value.values() if isinstance(value, dict) else [value]
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def durations(text: str) -> Iterator[tuple[int, str, str]]:
    """Each duration in ``text``: its length, its unit, and how the text writes it."""
    for match in PRODUCT.finditer(text):
        yield int(match.group(1)) * int(match.group(2)), UNITS[match.group(3)], match.group(0)
    for match in DURATION.finditer(PRODUCT.sub("", text)):
        yield int(match.group(1)), UNITS[match.group(2)], match.group(0)


def test_durations_are_read_with_their_products() -> None:
    """``2 x 24 hours`` is 48 hours, once; ``24 h`` is 24 hours; a plain number is none."""
    assert list(durations("report within 2 x 24 hours; care within 24 h; 15-25")) == [
        (48, "hours", "2 x 24 hours"),
        (24, "hours", "24 h"),
    ]


@pytest.mark.parametrize("ruleset", RULESETS.values(), ids=list(RULESETS))
def test_a_param_named_in_a_source_has_the_value_the_source_gives(ruleset: Any) -> None:
    """``name (N)`` in a source text: the ruleset's param ``name`` holds N."""
    wrong = []
    for source, text in ruleset.sources.items():
        for match in re.finditer(r"\b([a-z][a-z0-9_]*)\s*\((\d+)\)", text):
            name, number = match.group(1), int(match.group(2))
            if name in ruleset.params and number not in _numbers(ruleset.params[name]):
                wrong.append(f"{source}: {match.group(0)}, but {name} is {ruleset.params[name]}")
    assert not wrong


def duration_checks(ruleset: Any) -> Iterator[tuple[str, str, str]]:
    """Each duration of a source text that the rules citing it can be held to: the
    source, how the text writes it, and what is wrong (empty when it agrees)."""
    for source, text in ruleset.sources.items():
        read = _names([r for r in ruleset.rules if source in r.cite]) & set(ruleset.params)
        for length, unit, written in durations(text):
            of_unit = {n: ruleset.params[n] for n in read if n.endswith("_" + unit)}
            if not of_unit:
                continue
            values = set().union(*map(_numbers, of_unit.values()))
            problem = "" if length in values else f"the rules citing it read {of_unit}"
            yield source, written, problem


@pytest.mark.parametrize("ruleset", RULESETS.values(), ids=list(RULESETS))
def test_a_duration_in_a_source_is_a_value_of_the_params_its_rules_read(ruleset: Any) -> None:
    """Each duration a source gives is held by a param of that unit that a citing rule reads."""
    wrong = [f"{s}: {w!r}, but {p}" for s, w, p in duration_checks(ruleset) if p]
    assert not wrong


def test_the_duration_check_reaches_the_shipped_sources() -> None:
    """The check is not vacuous: it holds the due days, the incident months and the
    report hours of the shipped sources to their params."""
    checked = {(s, w) for r in RULESETS.values() for s, w, _ in duration_checks(r)}
    assert {
        ("spec-issue-3", "30 days"),
        ("spec-issue-3", "90 days"),
        ("spec-issue-6", "12 months"),
        ("seed-benefits", "2x24 h"),
        ("permenaker-03-1998", "2 x 24 hours"),
    } <= checked
