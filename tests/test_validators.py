"""The fields' validators: a quick test first, the kind's full check when it does not vouch.

The quick tests are closures written per kind (``model._fields._validator``); these
properties hold them to the kinds' own ``check``: a validator accepts exactly the values
its kind does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oss_rules.errors import FactError
from oss_rules.model._fields import _validator, validates_itself
from oss_rules.model._kinds import (
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Number,
    Optional,
    Text,
)
from oss_rules.model._limits import MAX_MAGNITUDE

KINDS: list[Kind] = [
    Text(),
    Text(empty=True),
    Text(ident=True),
    Integer(),
    Integer(1, 5),
    Integer(minimum=0),
    Integer(maximum=-1),
    Choice(("low", "medium", "high")),
    Day(),
    Boolean(),
    Number(),
    Many(Text()),
    Optional(Day()),
    Optional(Choice(("a", "b"))),
    Optional(Integer(1, 25)),
]


class Label(str):
    """A str subclass: valid for a Text, but not the quick test's exact ``str``."""


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.sampled_from([0, 1, 5, 6, -1, MAX_MAGNITUDE - 1, MAX_MAGNITUDE, 1 - MAX_MAGNITUDE]),
    st.text(),
    st.sampled_from(["", " ", "\n", "a\n", "h 1", "\ud800", "low", "LOW", "a", "b", "-x"]),
    st.builds(Label, st.sampled_from(["low", "a", " "])),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=True),
    st.tuples(st.text()),
)


@pytest.mark.parametrize("kind", KINDS, ids=repr)
@given(value=values)
def test_a_validator_accepts_exactly_what_its_kind_accepts(kind: Kind, value: Any) -> None:
    validate = _validator(kind)
    attribute = attrs.fields(_Holder).value
    try:
        validate(None, attribute, value)
    except FactError:
        accepted = False
    else:
        accepted = True
    assert accepted == kind.check(value)


@attrs.define
class _Holder:
    value: Any = None


@pytest.mark.parametrize("kind", KINDS, ids=repr)
def test_every_generated_validator_is_known_as_a_kind_check(kind: Kind) -> None:
    """``validates_itself`` (which decides what the engine re-checks) sees through the
    generated function."""
    holder = attrs.make_class("H", {"value": attrs.field(validator=_validator(kind))})
    assert validates_itself(attrs.fields(holder).value)


def test_a_subclass_of_a_kind_is_checked_by_its_own_check() -> None:
    """A kind's subclass may check differently: it gets no quick test."""

    @attrs.frozen
    class Even(Integer):
        def check(self, value: Any) -> bool:
            return super().check(value) and value % 2 == 0

    validate = _validator(Even(0, 10))
    attribute = attrs.fields(_Holder).value
    validate(None, attribute, 4)
    with pytest.raises(FactError, match="must be"):
        validate(None, attribute, 3)

    @attrs.frozen
    class Required(Optional):
        def check(self, value: Any) -> bool:
            return value is not None and super().check(value)

    validate = _validator(Required(Integer()))
    with pytest.raises(FactError, match="must be"):
        validate(None, attribute, None)


def test_dates_outside_the_calendar_limits_are_refused_quickly_or_not() -> None:
    validate = _validator(Day())
    attribute = attrs.fields(_Holder).value
    validate(None, attribute, dt.date(2026, 1, 1))
    for wrong in (dt.date(1, 1, 1), dt.datetime(2026, 1, 1), "2026-01-01", Decimal(1)):
        with pytest.raises(FactError):
            validate(None, attribute, wrong)
