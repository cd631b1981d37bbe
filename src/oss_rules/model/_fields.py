"""Fact fields: an attrs field validated by its kind, and the kind of any attrs field.

The kinds themselves live in :mod:`oss_rules.model._kinds` and are re-exported here, so that a
fact module imports everything it needs from one place.
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

from ..errors import FactError
from ._kinds import (
    _DECIMAL,
    _IDENT,
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
    canonical_number,
    moment_seconds,
)

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
    """attrs validator that raises :class:`FactError` for a value outside its kind."""

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


def validates_itself(attribute: attrs.Attribute[Any]) -> bool:
    """Whether the class checks this field against its kind on construction (a field made
    with :func:`field`, alone or combined with other validators by ``attrs.validators.and_``)."""
    validator = attribute.validator
    parts = getattr(validator, "_validators", (validator,))
    return any(isinstance(v, _KindValidator) for v in parts)


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
        default=default, validator=_KindValidator(kind), converter=converter, metadata=metadata
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
    raise TypeError(
        f"field {name!r} has type {tp!r}, which facts cannot hold; use str, int, float, "
        "bool, Decimal, datetime.date, datetime.datetime, Literal[...] of strings, "
        "tuple[X, ...] or X | None"
    )
