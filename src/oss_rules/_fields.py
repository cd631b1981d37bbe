"""Field kinds: what a fact field may hold, how it reads from JSON and how durable sees it.

A kind is the single description of a field's values. It validates Python values
(through an attrs validator), converts JSON input, encodes for the durable-rules
engine (dates become day ordinals so that the engine can compare them), and
describes itself in error messages.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import attrs

from .errors import FactError, suggest

KIND_KEY = "oss_rules.kind"
REFERENCE_KEY = "oss_rules.references"
_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")


class Kind(abc.ABC):
    """Base of field kinds; subclasses are frozen attrs classes."""

    expected: str = "a value"

    @abc.abstractmethod
    def check(self, value: Any) -> bool:
        """Return whether ``value`` is a valid Python value of this kind."""

    def from_json(self, value: Any) -> Any:
        """Turn a JSON value into the Python value (no coercion beyond the format)."""
        return value

    def to_json(self, value: Any) -> Any:
        """Turn a valid Python value into its JSON form."""
        return value

    def to_durable(self, value: Any) -> Any:
        """Encode a valid Python value for durable-rules conditions."""
        return value

    def hint(self, value: Any) -> str:
        """A short suggestion for a wrong value, or ``""``."""
        return ""


@attrs.frozen
class Text(Kind):
    """A string, non-empty unless ``empty``; ``ident`` allows identifier characters only."""

    ident: bool = False
    empty: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        if self.ident:
            return "a non-empty identifier (letters, digits, _ . : / -)"
        return "a string" if self.empty else "a non-empty string"

    def check(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        if not self.empty and not value.strip():
            return False
        return not self.ident or bool(_IDENT.match(value))


@attrs.frozen
class Integer(Kind):
    """An int (not a bool) within ``[minimum, maximum]`` where given."""

    minimum: int | None = None
    maximum: int | None = None

    @property
    def expected(self) -> str:  # type: ignore[override]
        if self.minimum is not None and self.maximum is not None:
            return f"an int in {self.minimum}..{self.maximum}"
        if self.minimum is not None:
            return f"an int >= {self.minimum}"
        if self.maximum is not None:
            return f"an int <= {self.maximum}"
        return "an int"

    def check(self, value: Any) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


@attrs.frozen
class Number(Kind):
    """A real number (int or float, not bool)."""

    expected = "a number"

    def check(self, value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)


@attrs.frozen
class Boolean(Kind):
    """``true`` or ``false``."""

    expected = "a bool (true or false)"

    def check(self, value: Any) -> bool:
        return isinstance(value, bool)


@attrs.frozen
class Day(Kind):
    """A calendar date; ISO ``YYYY-MM-DD`` in JSON, a day ordinal inside the engine."""

    expected = "a date (YYYY-MM-DD)"

    def check(self, value: Any) -> bool:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)

    def from_json(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_durable(self, value: Any) -> Any:
        return value.toordinal()


@attrs.frozen
class Choice(Kind):
    """One of a fixed set of strings."""

    values: tuple[str, ...]

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.values)

    def check(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def hint(self, value: Any) -> str:
        return suggest(value, self.values) if isinstance(value, str) else ""


@attrs.frozen
class Optional(Kind):
    """Either ``None`` (absent) or a value of ``inner``."""

    inner: Kind

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.inner.expected} or null"

    def check(self, value: Any) -> bool:
        return value is None or self.inner.check(value)

    def from_json(self, value: Any) -> Any:
        return None if value is None else self.inner.from_json(value)

    def to_json(self, value: Any) -> Any:
        return None if value is None else self.inner.to_json(value)

    def to_durable(self, value: Any) -> Any:
        return None if value is None else self.inner.to_durable(value)

    def hint(self, value: Any) -> str:
        return self.inner.hint(value)


@attrs.frozen
class Many(Kind):
    """A tuple of distinct values of ``inner`` (a JSON array)."""

    inner: Kind

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of distinct values, each {self.inner.expected}"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, tuple)
            and all(self.inner.check(v) for v in value)
            and len(set(value)) == len(value)
        )

    def from_json(self, value: Any) -> Any:
        return tuple(self.inner.from_json(v) for v in value) if isinstance(value, list) else value

    def to_json(self, value: Any) -> Any:
        return [self.inner.to_json(v) for v in value]

    def to_durable(self, value: Any) -> Any:
        return [self.inner.to_durable(v) for v in value]

    def hint(self, value: Any) -> str:
        if isinstance(value, tuple):
            for item in value:
                if not self.inner.check(item):
                    return self.inner.hint(item)
        return ""


@attrs.frozen(repr=False)
class _KindValidator:
    """attrs validator that raises :class:`FactError` for a value outside its kind."""

    kind: Kind

    def __call__(self, inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
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
    bool: Boolean(),
    dt.date: Day(),
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
        "bool, datetime.date, Literal[...] of strings, tuple[X, ...] or X | None"
    )
