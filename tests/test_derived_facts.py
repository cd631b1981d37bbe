"""Derived facts are built without re-checking values known to be valid, and equal the
facts their class builds; a value that may be wrong is still checked by the class."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import oss_rules
from oss_rules import Engine, EvaluationError, FactError
from oss_rules.engine._construct import Trusted, constructor, fits, proven
from oss_rules.language import syntax as s
from oss_rules.language._versions import Version, Versioned
from oss_rules.model._fields import Choice, Day, Integer, Many, Month, Optional, Text
from oss_rules.model.domain import shipped_registry
from oss_rules.verify.strategies import facts

REGISTRY = shipped_registry()
SPAN = s.Span("<test>", 1, 1)


def init_fields(cls: type) -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(cls) if a.init)


@st.composite
def any_fact(draw: st.DrawFn) -> Any:
    info = draw(st.sampled_from(list(REGISTRY)))
    return draw(facts(info))


@given(any_fact(), st.booleans())
def test_a_built_fact_equals_the_class_built_one(fact: Any, reversed_order: bool) -> None:
    """For every shipped type: same fields, computed fields, equality, hash and repr."""
    cls = type(fact)
    fields = init_fields(cls)
    if reversed_order:
        fields = fields[::-1]
    build = constructor(cls, fields, checked=fields)
    assert build is not None
    built = build(*(getattr(fact, f) for f in fields))
    assert built == fact and hash(built) == hash(fact) and repr(built) == repr(fact)
    assert attrs.asdict(built) == attrs.asdict(fact)


def test_an_unchecked_field_is_validated_like_the_class_does() -> None:
    """A value not proven valid raises the class's own FactError, naming the fact."""
    cls = REGISTRY["Obligation"].cls
    build = constructor(cls, ("workplace", "module"), checked={"workplace"})
    assert build is not None
    with pytest.raises(FactError) as built_error:
        build("w1", "OSS-IV")
    with pytest.raises(FactError) as class_error:
        cls(workplace="w1", module="OSS-IV")
    assert str(built_error.value) == str(class_error.value)


def test_a_class_with_a_cached_hash_is_built_by_itself() -> None:
    """What the generated code cannot copy is left to the class."""

    @attrs.frozen(cache_hash=True)
    class Cached:
        id: str

    assert constructor(Cached, ("id",), checked={"id"}) is None
    assert constructor(REGISTRY["Obligation"].cls, ("workplace",), checked=()) is None


def name(text: str) -> s.Name:
    return s.Name(text, span=SPAN)


def field_of(alias: str, field: str) -> s.Attribute:
    return s.Attribute(name(alias), field, span=SPAN)


TRUSTED = Trusted(
    {"h": REGISTRY["Hazard"], "w": REGISTRY["Workplace"]},
    {
        "limit": 3,
        "label": "",
        "rate": Versioned(
            "rate", (Version(dt.date(2020, 1, 1), None, 2), Version(dt.date(2021, 1, 1), None, 9))
        ),
    },
    ("m", Choice(("OSS-I", "OSS-II"))),
)
TEXT = Text()


@pytest.mark.parametrize(
    ("expr", "kind", "expected"),
    [
        (s.Literal("OSS-I", span=SPAN), Choice(("OSS-I",)), True),
        (s.Literal("OSS-V", span=SPAN), Choice(("OSS-I",)), False),
        (name("limit"), Integer(minimum=0), True),
        (name("label"), TEXT, False),  # blank
        (name("rate"), Integer(maximum=5), False),  # one version is out of range
        (name("rate"), Integer(), True),
        (name("as_of"), Day(), True),
        (name("as_of"), Optional(Day()), True),
        (name("as_of"), Month(), False),  # not every day is the first of a month
        (name("m"), Choice(("OSS-I", "OSS-II", "OSS-III")), True),
        (name("m"), Choice(("OSS-I",)), False),
        (name("h"), TEXT, False),  # a fact is no field value
        (name("unknown"), TEXT, False),
        (field_of("h", "category"), TEXT, True),  # every category is a non-blank text
        (field_of("h", "workplace"), REGISTRY["Hazard"].field("workplace").kind, True),  # type: ignore[union-attr]
        (field_of("w", "last_assessment"), Day(), False),  # may be null
        (field_of("w", "last_assessment"), Optional(Day()), True),
        (field_of("h", "likelihood"), Integer(minimum=0), True),
        (field_of("h", "likelihood"), Integer(minimum=2), False),
        (field_of("m", "x"), TEXT, False),
        (
            s.BinOp("+", field_of("h", "category"), s.Literal(":", span=SPAN), span=SPAN),
            TEXT,
            True,
        ),
        (
            s.BinOp("+", s.Literal(" ", span=SPAN), s.Literal("", span=SPAN), span=SPAN),
            TEXT,
            False,
        ),
        (s.BinOp("+", name("limit"), name("limit"), span=SPAN), Integer(), False),
        (s.Call("str", (name("limit"),), span=SPAN), Text(empty=True), True),
        (s.Call("str", (name("limit"),), span=SPAN), TEXT, False),
        (s.Call("str", (name("limit"),), span=SPAN), Text(ident=True), False),
    ],
)
def test_which_values_are_proven_valid(expr: s.Expr, kind: Any, expected: bool) -> None:
    """Only values valid for every input are trusted; anything else is checked."""
    assert proven(expr, kind, TRUSTED) is expected


def test_kinds_fit_only_when_every_value_does() -> None:
    """Choice into a wider choice or text, bounded ints into wider bounds, not the reverse."""
    assert fits(Choice(("a",)), Choice(("a", "b")))
    assert not fits(Choice(("a", "b")), Choice(("a",)))
    assert fits(Choice(("a b",)), Text()) and not fits(Choice(("a b",)), Text(ident=True))
    assert fits(Integer(1, 5), Integer(0)) and not fits(Integer(0), Integer(1, 5))
    assert fits(Text(ident=True), Text()) and not fits(Text(empty=True), Text())
    assert not fits(Optional(Text()), Text()) and fits(Text(), Optional(Text()))
    assert not fits(Many(Text()), Text())


WRONG_VALUE = """\
ruleset: wrong
version: "1"
sources:
  s: "a source"
rules:
  - id: blank-code
    cite: s
    when:
      - h: Hazard()
    then:
      - 'Action(workplace: h.workplace, hazard: h.id, code: h.category + ":",
        control: join(h.id, []), due: as_of)'
"""


@pytest.mark.parametrize("backend", ["durable", "compiled"])
def test_a_derived_value_that_breaks_its_kind_names_the_rule(tmp_path: Any, backend: str) -> None:
    """A computed value is still checked, on both backends (each builds derived facts
    without re-checking proven values): the failure is an EvaluationError of the rule,
    the same on both."""
    (tmp_path / "ruleset.yaml").write_text(WRONG_VALUE, "utf-8")
    engine = Engine(oss_rules.load(tmp_path), backend=backend)
    from conftest import AS_OF, hazard, workplace

    with pytest.raises(EvaluationError, match="blank-code") as error:
        engine.evaluate([workplace(), hazard()], as_of=AS_OF)
    assert isinstance(error.value.__cause__, FactError)
    assert "control" in str(error.value)
    durable = Engine(oss_rules.load(tmp_path))
    with pytest.raises(EvaluationError) as expected:
        durable.evaluate([workplace(), hazard()], as_of=AS_OF)
    assert str(error.value) == str(expected.value)
