"""Fact fields: an attrs field validated by its kind, and the kind of any attrs field.

The kinds themselves live in :mod:`oss_rules.model._kinds` (and the value renderer in
:mod:`oss_rules.model._show`) and are re-exported here, so that a fact module imports
everything it needs from one place.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, Union

import attrs

from ..errors import FactError, FactTypeError
from ._kinds import (
    _DECIMAL,
    _IDENT,
    _SURROGATE,
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Moment,
    Month,
    Number,
    Optional,
    Text,
    moment_seconds,
)
from ._limits import FIRST_DAY, LAST_DAY, MAX_MAGNITUDE
from ._show import canonical_number, show_value

__all__ = [
    "FIELDS_CHECKED",
    "KIND_KEY",
    "REFERENCE_KEY",
    "_DECIMAL",
    "_IDENT",
    "Boolean",
    "Choice",
    "Day",
    "Integer",
    "Kind",
    "Many",
    "Moment",
    "Month",
    "Number",
    "Optional",
    "Text",
    "canonical_number",
    "computed",
    "field",
    "kind_of",
    "moment_seconds",
    "show_fact",
    "show_value",
    "validates_itself",
]

KIND_KEY = "oss_rules.kind"
REFERENCE_KEY = "oss_rules.references"

FIELDS_CHECKED: ContextVar[bool] = ContextVar("oss_rules.fields_checked", default=False)
"""True while the fact converter builds a fact whose fields it has just checked against
their kinds: the class's kind validators stand down then, so that each field is checked
once. A context variable, not a flag on the class, so that other threads building facts
at the same moment still validate."""


@attrs.frozen(repr=False)
class _KindValidator:
    """attrs validator that raises :class:`FactError` for a value outside its kind.

    A fact class calls it once per field on every construction, so :func:`field` wraps
    it in a generated function (see :func:`_validator`) that first tries a quick test
    and calls this only when the quick test does not vouch for the value.
    """

    kind: Kind

    def __call__(self, inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if FIELDS_CHECKED.get():
            return
        if not self.kind.check(value):
            raise FactError(
                type(inst).__name__ if inst is not None else "?",
                attribute.name,
                value,
                self.kind.expected,
                fact_id=_fact_id(inst),
                hint=self.kind.hint(value),
            )

    def __repr__(self) -> str:
        return f"<must be {self.kind.expected}>"


_VALIDATES = "__oss_rules_kind_validator__"
"""The attribute that marks a validator made by :func:`field` (it holds the
:class:`_KindValidator`)."""


Validate = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _validator(kind: Kind) -> Validate:
    """The validator of a field of ``kind``: a quick test of the usual valid values, and
    the full check (:class:`_KindValidator`) for everything else.

    The quick test is true only for valid values (a valid value it does not recognise
    takes the full check). Only the kinds defined here get one, not their subclasses,
    which may check differently. Closures, not generated source: a class's fields are
    made when its module is imported, and compiling source for each would slow that.
    """
    full = _KindValidator(kind)
    nullable = type(kind) is Optional
    inner = kind.inner if nullable and isinstance(kind, Optional) else kind
    validate: Validate
    if type(inner) is Integer:
        # Exact ints only (bool and subclasses take the full check).
        low = -MAX_MAGNITUDE + 1 if inner.minimum is None else max(inner.minimum, 1 - MAX_MAGNITUDE)
        high = MAX_MAGNITUDE - 1 if inner.maximum is None else min(inner.maximum, MAX_MAGNITUDE - 1)

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if (value.__class__ is int and low <= value <= high) or (value is None and nullable):
                return
            full(inst, attribute, value)

    elif type(inner) is Choice:
        choices = frozenset(inner.values)

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if (value.__class__ is str and value in choices) or (value is None and nullable):
                return
            full(inst, attribute, value)

    elif type(inner) is Text and inner.ident:
        ident = _IDENT.match

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if (value.__class__ is str and ident(value) is not None) or (
                value is None and nullable
            ):
                return
            full(inst, attribute, value)

    elif type(inner) is Text:
        surrogate = _SURROGATE.search
        empty = inner.empty

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if (
                value.__class__ is str
                and (empty or (value and not value.isspace()))
                and surrogate(value) is None
            ) or (value is None and nullable):
                return
            full(inst, attribute, value)

    elif type(inner) is Day:
        date = dt.date

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if (value.__class__ is date and FIRST_DAY <= value <= LAST_DAY) or (
                value is None and nullable
            ):
                return
            full(inst, attribute, value)

    elif type(inner) is Boolean:

        def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if value is True or value is False or (value is None and nullable):
                return
            full(inst, attribute, value)

    else:
        return full
    setattr(validate, _VALIDATES, full)
    return validate


def show_fact(fact: Any) -> str:
    """``Type(field=value, ...)`` as proofs, why-not answers and test reports show a fact:
    each value by its field's kind (quoted style), fields that are null or empty left out.

    >>> from oss_rules.domains.oss.facts import Hazard
    >>> show_fact(Hazard(id="h1", workplace="w1", category="fall", likelihood=4, severity=5))
    "Hazard(id='h1', workplace='w1', category='fall', likelihood=4, severity=5, score=20)"
    """
    shown = []
    for attribute in attrs.fields(type(fact)):
        value = getattr(fact, attribute.name)
        if value in (None, "", ()):
            continue
        kind = attribute.metadata.get(KIND_KEY)
        text = kind.show(value) if isinstance(kind, Kind) else show_value(value)
        shown.append(f"{attribute.name}={text}")
    return f"{type(fact).__name__}({', '.join(shown)})"


def validates_itself(attribute: attrs.Attribute[Any]) -> bool:
    """Whether the class checks this field against its kind on construction (a field made
    with :func:`field`, alone or combined with other validators by ``attrs.validators.and_``)."""
    validator = attribute.validator
    parts = getattr(validator, "_validators", (validator,))
    return any(isinstance(getattr(v, _VALIDATES, v), _KindValidator) for v in parts)


def _fact_id(inst: Any) -> str | None:
    value = getattr(inst, "id", None)
    return value if isinstance(value, str) else None


def _tuple_of(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def field(kind: Kind, *, default: Any = attrs.NOTHING, references: str | None = None) -> Any:
    """An attrs field validated by ``kind``; ``references`` names the fact type it points to."""
    metadata: dict[str, Any] = {KIND_KEY: kind}
    if references:
        metadata[REFERENCE_KEY] = references
    converter = _tuple_of if isinstance(kind, Many) else None
    return attrs.field(
        default=default, validator=_validator(kind), converter=converter, metadata=metadata
    )


def computed(kind: Kind, compute: Callable[[Any], Any]) -> Any:
    """A field computed from the others (not an ``__init__`` argument, not read from JSON)."""
    return attrs.field(
        init=False,
        default=attrs.Factory(compute, takes_self=True),
        metadata={KIND_KEY: kind},
    )


_SIMPLE: dict[Any, Kind] = {
    str: Text(),
    int: Integer(),
    float: Number(),
    Decimal: Number(),
    bool: Boolean(),
    dt.date: Day(),
    dt.datetime: Moment(),
}


def kind_of(attribute: attrs.Attribute[Any]) -> Kind:
    """The kind of an attrs field: from its metadata, else from its type annotation."""
    kind = attribute.metadata.get(KIND_KEY)
    if isinstance(kind, Kind):
        return kind
    return _kind_from_type(attribute.type, attribute.name)


def _kind_from_type(tp: Any, name: str) -> Kind:
    if tp in _SIMPLE:
        return _SIMPLE[tp]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = args[0] if args[1] is type(None) else args[1]
        return Optional(_kind_from_type(inner, name))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return Many(_kind_from_type(args[0], name))
    if origin is typing.Literal and all(isinstance(a, str) for a in args):
        return Choice(tuple(args))
    raise FactTypeError(
        f"field {name!r} has type {tp!r}, which facts cannot hold; use str, int, float, "
        "bool, Decimal, datetime.date, datetime.datetime, Literal[...] of strings, "
        "tuple[X, ...] or X | None"
    )
