"""The canonical order of facts: by type name, then field by field, null first.

A result is sorted on every evaluation (its conclusions, and its trace by conclusion and
premises), so a key is computed for every fact of every evaluation. The key function of
each fact type is generated once: it reads the fields directly and wraps in
``(0, "")`` / ``(1, value)`` only the fields that may hold null, so that null sorts
first and never meets a value of another type. For a field that is never null the bare
value orders exactly as ``(1, value)`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._kinds import Boolean, Choice, Day, Integer, Many, Moment, Month, Number, Text
from .registry import FactRegistry, FactType

__all__ = ["key_of", "sort_key"]

Key = Callable[[Any], tuple[Any, ...]]

_NEVER_NULL = frozenset({Boolean, Choice, Day, Integer, Many, Moment, Month, Number, Text})
"""Kinds that refuse null (not their subclasses: an app's kind may accept it)."""

_KEYS: dict[type, Key] = {}
"""By class: the registry finds a fact's type by its class's name, so the name and fields
of a class's type are the same in every registry."""


def sort_key(fact: Any, registry: FactRegistry) -> tuple[Any, ...]:
    """A total order on facts that does not depend on how they were produced."""
    return (_KEYS.get(type(fact)) or _made(fact, registry))(fact)


def key_of(registry: FactRegistry) -> Key:
    """:func:`sort_key` with ``registry`` fixed, for sorting many facts."""
    keys = _KEYS

    def key(fact: Any) -> tuple[Any, ...]:
        return (keys.get(type(fact)) or _made(fact, registry))(fact)

    return key


def _made(fact: Any, registry: FactRegistry) -> Key:
    """The key function of ``fact``'s type, made on its first use."""
    info = registry.type_of(fact)
    made = _KEYS[info.cls] = _key_function(info)
    return made


def _key_function(info: FactType) -> Key:
    parts = [repr(info.name)]
    for n, field in enumerate(info.fields):
        # A field the class does not check may hold anything, null included.
        if field.validated and type(field.kind) in _NEVER_NULL and field.name.isidentifier():
            parts.append(f"fact.{field.name}")
        else:
            parts.append(f"(_NULL if (v{n} := _get(fact, {field.name!r})) is None else (1, v{n}))")
    source = f"def key(fact):\n    return ({', '.join(parts)},)\n"
    scope: dict[str, Any] = {"_NULL": (0, ""), "_get": getattr}
    exec(compile(source, f"<sort key of {info.name}>", "exec"), scope)
    key: Key = scope["key"]
    return key
