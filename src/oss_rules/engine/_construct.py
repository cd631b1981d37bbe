"""Build derived facts without re-checking values already known to be valid.

A fact's attrs ``__init__`` validates every field against its kind. For a fact the engine
derives, most values are already known to be valid: a field copied from a matched fact of
the same kind (that fact was validated when it was built), a literal or a param checked
against the kind once, when the engine is built, ``as_of`` into a date field. Only the
other values (arithmetic, function calls, text built by ``+``) can be wrong, and only they
are checked, by the class's own validator, so a wrong one raises the same
:class:`~oss_rules.errors.FactError` as before.

:func:`constructor` generates, once per derivation, a function that does what attrs'
``__init__`` does (converters, defaults, computed fields, ``__attrs_post_init__``) minus
the validators of the proven fields.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ..language._versions import Versioned
from ..model._fields import Choice, Day, Integer, Kind, Many, Optional, Text
from ..model.registry import FactRegistry, FactType

__all__ = ["Trusted", "constructor", "derivation_constructor", "proven"]


@attrs.frozen
class Trusted:
    """What a derivation's expressions may read that is known to be valid.

    ``bindings`` are the matched facts by binding name, ``params`` the engine's params,
    ``loop`` the loop variable and the kind of the list it runs over (if any).
    """

    bindings: Mapping[str, FactType]
    params: Mapping[str, Any]
    loop: tuple[str, Kind | None] | None = None


def proven(expr: s.Expr, target: Kind, trusted: Trusted) -> bool:
    """Whether every value ``expr`` can take is valid for a field of kind ``target``."""
    match expr:
        case s.Literal(value=value):
            return target.check(value)
        case s.Name(id=name):
            # The scope's order: loop variable, bindings, as_of, params.
            if trusted.loop is not None and name == trusted.loop[0]:
                element = trusted.loop[1]
                return element is not None and fits(element, target)
            if name in trusted.bindings:
                return False
            if name == "as_of":
                return fits(Day(), target)
            if name in trusted.params:
                value = trusted.params[name]
                if isinstance(value, Versioned):
                    return all(target.check(v.value) for v in value.versions)
                return target.check(value)
            return False
        case s.Attribute(obj=s.Name(id=alias), name=field):
            if trusted.loop is not None and alias == trusted.loop[0]:
                return False
            fact_type = trusted.bindings.get(alias)
            info = fact_type.field(field) if fact_type is not None else None
            # Only a field the class validates (or computes) holds a checked value.
            return info is not None and info.validated and fits(info.kind, target)
        case s.BinOp(op="+") | s.Call() if isinstance(target, Text) and not target.ident:
            # Text joined by `+` from checked strings: a string, and not blank when
            # one of its parts is not.
            blank_free = _text(expr, trusted)
            return blank_free is not None and (target.empty or blank_free)
    return False


def _text(expr: s.Expr, trusted: Trusted) -> bool | None:
    """None unless ``expr`` is surely a string; else whether it is surely not blank."""
    match expr:
        case s.Literal(value=str() as value):
            return bool(value.strip())
        case s.Attribute(obj=s.Name(id=alias), name=field):
            if trusted.loop is not None and alias == trusted.loop[0]:
                return None
            fact_type = trusted.bindings.get(alias)
            info = fact_type.field(field) if fact_type is not None else None
            if info is None or not info.validated:
                return None
            if isinstance(info.kind, Choice):
                return all(v.strip() for v in info.kind.values)
            if isinstance(info.kind, Text):
                return not info.kind.empty
            return None
        case s.Call(func="str" | "join"):
            return False  # always a string, perhaps a blank one
        case s.BinOp(op="+", left=left, right=right):
            a, b = _text(left, trusted), _text(right, trusted)
            return None if a is None or b is None else a or b
    return None


def element_kind(expr: s.Expr, trusted: Trusted) -> Kind | None:
    """The kind of the items of the list ``expr`` when it is a checked list field."""
    if isinstance(expr, s.Attribute) and isinstance(expr.obj, s.Name):
        fact_type = trusted.bindings.get(expr.obj.id)
        info = fact_type.field(expr.name) if fact_type is not None else None
        if info is not None and info.validated and isinstance(info.kind, Many):
            return info.kind.inner
    return None


def fits(source: Kind, target: Kind) -> bool:
    """Whether every valid value of kind ``source`` is a valid value of kind ``target``."""
    if source == target:
        return True
    if isinstance(target, Optional):
        return fits(source.inner if isinstance(source, Optional) else source, target.inner)
    if isinstance(source, Choice):
        return all(target.check(v) for v in source.values)
    if isinstance(source, Integer) and isinstance(target, Integer):
        low = target.minimum is None or (
            source.minimum is not None and source.minimum >= target.minimum
        )
        high = target.maximum is None or (
            source.maximum is not None and source.maximum <= target.maximum
        )
        return low and high
    if isinstance(source, Text) and isinstance(target, Text):
        return (source.ident or not target.ident) and (target.empty or not source.empty)
    return False


def derivation_constructor(
    derivation: s.Derivation,
    registry: FactRegistry,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
) -> Callable[..., Any] | None:
    """:func:`constructor` for ``derivation``: of its assigned values (in the order
    written), those :func:`proven` valid in its scope (``bindings``, ``params``, the loop
    variable) are not checked again. None: use the class itself."""
    fact_type = registry[derivation.fact_type]
    trusted = Trusted(bindings, params)
    if derivation.loop_over is not None and derivation.loop_var is not None:
        loop = (derivation.loop_var, element_kind(derivation.loop_over, trusted))
        trusted = Trusted(bindings, params, loop)
    checked = set()
    for assignment in derivation.assignments:
        info = fact_type.field(assignment.field)
        if info is not None and proven(assignment.value, info.kind, trusted):
            checked.add(assignment.field)
    return constructor(fact_type.cls, [a.field for a in derivation.assignments], checked)


def constructor(
    cls: type, fields: Sequence[str], checked: Collection[str]
) -> Callable[..., Any] | None:
    """A function of ``fields``' values (in that order) that builds a ``cls`` like its
    ``__init__`` does but runs the validators of the fields not in ``checked`` only.

    None when ``cls`` does something this cannot copy (a cached hash, a pre-init hook,
    a required field that ``fields`` does not give): then use ``cls`` itself. Engines
    share the functions: generating one costs more than many evaluations.
    """
    return _constructor(cls, tuple(fields), frozenset(checked))


@functools.lru_cache(maxsize=1024)
def _constructor(
    cls: type, fields: tuple[str, ...], checked: frozenset[str]
) -> Callable[..., Any] | None:
    if not attrs.has(cls) or hasattr(cls, "__attrs_pre_init__"):
        return None
    if _caches_hash(cls) or any(a.converter is not None and not a.init for a in attrs.fields(cls)):
        return None
    given = set(fields)
    if not given <= {a.name for a in attrs.fields(cls) if a.init}:
        return None
    scope: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    lines = ["self = _new(_cls)"]
    checks = []
    for i, attribute in enumerate(attrs.fields(cls)):
        name = attribute.name
        if attribute.init and name in given:
            value = f"v{fields.index(name)}"
        elif isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
            scope[f"_factory{i}"] = attribute.default.factory
            value = f"_factory{i}(self)" if attribute.default.takes_self else f"_factory{i}()"
        elif attribute.default is attrs.NOTHING:
            return None
        else:
            scope[f"_default{i}"] = attribute.default
            value = f"_default{i}"
        if attribute.converter is not None and attribute.init:
            scope[f"_convert{i}"] = attribute.converter
            value = f"_convert{i}({value})"
        lines.append(f"_set(self, {name!r}, {value})")
        if attribute.validator is not None and attribute.init and name not in checked:
            scope[f"_validate{i}"] = attribute.validator
            scope[f"_attribute{i}"] = attribute
            checks.append(f"_validate{i}(self, _attribute{i}, self.{name})")
    lines += checks
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("self.__attrs_post_init__()")
    lines.append("return self")
    params = ", ".join(f"v{i}" for i in range(len(fields)))
    source = f"def build({params}):\n" + "".join(f"    {line}\n" for line in lines)
    exec(compile(source, f"<oss_rules constructor of {cls.__name__}>", "exec"), scope)
    built: Callable[..., Any] = scope["build"]
    return built


def _caches_hash(cls: type) -> bool:
    # attrs keeps a cached hash under this name and its __init__ resets it.
    code = getattr(cls.__hash__, "__code__", None)
    return code is not None and "_attrs_cached_hash" in code.co_names
