"""The fact registry: which attrs classes a ruleset may name, and their fields.

Every fact, given or derived, is a frozen attrs instance whose fields validate
themselves: a bad value raises :class:`~oss_rules.errors.FactError` naming the fact,
field, value and what was expected. The registry knows no domain: a ruleset gets the
types of the domains it declares, and an embedding app adds its own types with
:meth:`FactRegistry.register`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import attrs

from ..errors import ArgumentError, FactTypeError, LimitError, suggest
from ._fields import KIND_KEY, REFERENCE_KEY, Kind, kind_of, validates_itself

__all__ = ["MAX_FIELDS", "FactRegistry", "FactType", "FieldInfo"]

MAX_FIELDS = 251
"""The most fields a fact type may have: durable-rules silently matches nothing on a
fact of more (measured: 251 works, 252 does not; it stores at most 255 properties,
and sid, id and type are among them)."""

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]$|^[a-z]$")
_RESERVED = frozenset({"type", "sid", "as_of"})


@attrs.frozen
class FieldInfo:
    """One field of a fact type as rulesets see it."""

    name: str
    kind: Kind
    init: bool
    references: str | None
    validated: bool = False
    """Whether the class vouches for this field: it checks the value against its kind on
    construction (a field made with :func:`oss_rules.model._fields.field`) or computes it
    (``init=False``). Other fields are checked by the converter or by ``Engine.evaluate``."""


@attrs.frozen
class FactType:
    """A registered fact type: its name in rulesets, its class and its fields."""

    name: str
    cls: type
    fields: tuple[FieldInfo, ...]
    unchecked: tuple[FieldInfo, ...] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: tuple(f for f in self.fields if not f.validated), True),
    )
    """The fields the class does not check itself: the converter or Engine.evaluate does."""

    def field(self, name: str) -> FieldInfo | None:
        """The field called ``name``, or ``None``."""
        for info in self.fields:
            if info.name == name:
                return info
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        """Names of all fields, in declaration order."""
        return tuple(f.name for f in self.fields)


T = TypeVar("T", bound=type)


class FactRegistry:
    """The fact types a ruleset may name, by class name.

    ``FactRegistry()`` holds the built-in OSS types; an app adds its own:

    >>> registry = FactRegistry()
    >>> @registry.register
    ... @attrs.frozen
    ... class Contractor:
    ...     id: str
    ...     workplace: str
    >>> "Contractor" in registry
    True
    """

    def __init__(self, types: Iterable[type] = ()) -> None:
        self._types: dict[str, FactType] = {}
        for cls in types:
            self.register(cls)

    def register(self, cls: T) -> T:
        """Add a frozen attrs class as a fact type; returns it, so it works as a decorator.

        Raises :class:`~oss_rules.errors.FactTypeError` for a class that cannot be one.
        """
        if not isinstance(cls, type) or not attrs.has(cls):
            what = "a class" if isinstance(cls, type) else f"an instance of {type(cls).__name__}"
            raise FactTypeError(
                f"{cls!r} is {what}, not an attrs class; decorate the class with @attrs.frozen"
            )
        if cls.__setattr__ is object.__setattr__:
            raise FactTypeError(
                f"{cls.__name__} must be frozen (@attrs.frozen) so facts are values"
            )
        name = cls.__name__
        if name in self._types and self._types[name].cls is not cls:
            raise FactTypeError(f"a different fact type named {name!r} is already registered")
        if any(KIND_KEY not in a.metadata for a in attrs.fields(cls)):
            # A field without a kind takes it from its annotation, which must be resolved
            # first (get_type_hints: costly, so only for such classes).
            attrs.resolve_types(cls)
        infos = []
        for attribute in attrs.fields(cls):
            if not _FIELD_NAME.match(attribute.name) or attribute.name in _RESERVED:
                raise FactTypeError(
                    f"{name}.{attribute.name}: field names must be lower_snake_case, must not "
                    f"end in '_' and must not be one of {sorted(_RESERVED)}"
                )
            infos.append(
                FieldInfo(
                    attribute.name,
                    kind_of(attribute),
                    attribute.init,
                    attribute.metadata.get(REFERENCE_KEY),
                    validated=validates_itself(attribute) or not attribute.init,
                )
            )
        if len(infos) > MAX_FIELDS:
            raise LimitError(
                "fields",
                MAX_FIELDS,
                f"{name} has {len(infos)} fields; durable-rules matches facts of at most "
                f"{MAX_FIELDS} fields; split the type",
            )
        self._types[name] = FactType(name, cls, tuple(infos))
        return cls  # type: ignore[return-value]

    def __getitem__(self, name: str) -> FactType:
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(f"unknown fact type {name!r}{suggest(name, self._types)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[FactType]:
        return iter(self._types.values())

    def names(self) -> tuple[str, ...]:
        """Registered type names, in registration order."""
        return tuple(self._types)

    def holds(self, cls: type) -> bool:
        """Whether ``cls`` itself (not just a class of its name) is registered."""
        info = self._types.get(cls.__name__)
        return info is not None and info.cls is cls

    def type_of(self, fact: Any) -> FactType:
        """The registered type of ``fact``; raises :class:`~oss_rules.errors.ArgumentError`
        (a ``TypeError``) for anything else."""
        # On the hot path (sort keys, input checks): one lookup, not holds() and another.
        info = self._types.get(type(fact).__name__)
        if info is None or info.cls is not type(fact):
            raise ArgumentError(
                "FactRegistry.type_of",
                "fact",
                fact,
                "an instance of a registered fact type",
                "; register its class with FactRegistry.register",
            )
        return info
