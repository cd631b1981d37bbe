"""The fact converter: facts to and from JSON through one configured :class:`cattrs.Converter`.

The hooks are derived from the field kinds, so that a kind stays the single description of
a field. For each fact class cattrs generates a structuring function whose hook for a field
is that field's kind (``from_json``, then ``check``) and an unstructuring function whose
hook is the kind's ``to_json``. cattrs' detailed validation collects every problem of one
fact (bad values, missing fields, unknown keys) into a ``ClassValidationError``;
:func:`structure_fact` turns that into the library's :class:`~oss_rules.errors.FactError`
objects, each with its JSON path, expectation and "did you mean" hint.

Each field of a fact is checked once. The converter checks every field it reads and then
builds the fact with the class's own kind validators standing down (``FIELDS_CHECKED``). A
fact of a type with fields that the class does not check itself (an app's plain attrs
class) is remembered, by identity and weakly, so that ``Engine.evaluate`` does not check
it again (:func:`was_checked`).

The hooks depend on the class alone (its fields' kinds), not on the registry that
registered it, so they are cached per class by the one converter: registries are cheap
and made often (``shipped_registry()`` makes a new one per call), while generating the
hooks of a class takes about a millisecond and a half.

cattrs is imported, and the converter built, by the first fact structured or unstructured:
declaring fact types and loading a ruleset need neither (see docs/architecture.md).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .._messages import MISSING
from ..errors import FactError, FactsError, suggest
from ._fields import FIELDS_CHECKED, kind_of
from ._kinds import Kind, Optional
from .registry import FactRegistry, FactType

if TYPE_CHECKING:
    import cattrs
    from cattrs.errors import ClassValidationError

__all__ = ["structure_fact", "unstructure_fact", "was_checked"]


class _BadValueError(ValueError):
    """A JSON value outside its field's kind: raised inside cattrs' generated code and
    turned into a :class:`FactError` by :func:`_problems`, which knows the fact and path."""

    def __init__(self, raw: Any, value: Any) -> None:
        super().__init__(f"invalid value {raw!r}")
        self.raw = raw
        self.value = value


def _structure_hook(kind: Kind) -> Callable[[Any, Any], Any]:
    """The cattrs hook of one field: the kind reads the JSON value, then checks it."""
    from_json, check = kind.from_json, kind.check

    def structure(raw: Any, _: Any) -> Any:
        value = from_json(raw)
        if not check(value):
            raise _BadValueError(raw, value)
        return value

    return structure


def _plain_json(kind: Kind) -> bool:
    """Whether a kind's JSON form is the value itself (cattrs then copies it inline)."""
    if isinstance(kind, Optional):
        return _plain_json(kind.inner)
    return type(kind).to_json is Kind.to_json


def _kinds(cls: type) -> dict[str, Kind]:
    """Each field's kind, as the registry derives it (metadata, else annotation)."""
    attrs.resolve_types(cls)
    return {a.name: kind_of(a) for a in attrs.fields(cls)}


def _is_fact_class(cls: Any) -> bool:
    # Only frozen attrs classes reach the converter: the registry refuses anything else,
    # and fact_from_json looks the class up in a registry first.
    return isinstance(cls, type) and attrs.has(cls)


def _make_structure(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    from cattrs.gen import make_dict_structure_fn, override

    kinds = _kinds(cls)
    # Typed Any: cattrs' signature mixes keyword flags with **overrides.
    hooks: dict[str, Any] = {
        a.name: override(struct_hook=_structure_hook(kinds[a.name]))
        for a in attrs.fields(cls)
        if a.init
    }
    return make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        _cattrs_use_linecache=False,
        **hooks,
    )


def _make_unstructure(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    from cattrs.fns import identity
    from cattrs.gen import make_dict_unstructure_fn, override

    kinds = _kinds(cls)
    hooks: dict[str, Any] = {
        name: override(unstruct_hook=identity if _plain_json(kind) else kind.to_json)
        for name, kind in kinds.items()
    }
    # Computed fields (init=False) are written too: a reader may check them.
    return make_dict_unstructure_fn(
        cls, converter, _cattrs_include_init_false=True, _cattrs_use_linecache=False, **hooks
    )


@functools.cache
def converter() -> tuple[cattrs.Converter, type[ClassValidationError]]:
    """The one converter of facts to and from JSON, whose hooks come from the field kinds,
    and cattrs' error for a fact with problems."""
    import cattrs  # about a fifth of what loading a ruleset imports
    from cattrs.errors import ClassValidationError

    made = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    made.register_structure_hook_factory(_is_fact_class, _make_structure)
    made.register_unstructure_hook_factory(_is_fact_class, _make_unstructure)
    return made, ClassValidationError


@attrs.frozen
class _Plan:
    """What :func:`structure_fact` needs of a fact type besides the cattrs hook."""

    skip: frozenset[str]
    """Keys that are not cattrs' business: ``type`` and the computed fields."""
    computed: tuple[str, ...]
    remember: bool
    """Whether to remember the facts built: the class leaves some field unchecked, so
    Engine.evaluate would check it again."""


_PLANS: dict[type, _Plan] = {}


def _plan(info: FactType) -> _Plan:
    plan = _PLANS.get(info.cls)
    if plan is None:
        computed = tuple(f.name for f in info.fields if not f.init)
        # A class without __weakref__ cannot be remembered: Engine.evaluate checks it again.
        remember = bool(info.unchecked) and info.cls.__weakrefoffset__ != 0
        plan = _PLANS[info.cls] = _Plan(frozenset({"type", *computed}), computed, remember)
    return plan


class _Checked:
    """Facts the converter built and checked, by identity, held weakly.

    By identity, not by equality: ``Crane(height=True) == Crane(height=1)``, and only the
    second was checked.
    """

    def __init__(self) -> None:
        self._facts: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()

    def add(self, fact: Any) -> None:
        self._facts[id(fact)] = fact

    def __contains__(self, fact: Any) -> bool:
        return self._facts.get(id(fact)) is fact


_CHECKED = _Checked()


def was_checked(fact: Any) -> bool:
    """Whether :func:`structure_fact` built ``fact`` and checked all its fields."""
    return fact in _CHECKED


def structure_fact(data: Any, registry: FactRegistry, path: str = "$") -> Any:
    """One fact from its JSON object ``{"type": ..., field: value, ...}``.

    Raises :class:`FactsError` listing every problem of the object, each located under
    ``path`` (``$.facts[3].severity``).
    """
    if not isinstance(data, Mapping):
        raise FactsError([FactError("fact", "", data, 'an object with a "type"', path=path)])
    type_name = data.get("type")
    if not isinstance(type_name, str) or type_name not in registry:
        raise FactsError(
            [
                FactError(
                    "fact",
                    "type",
                    type_name if "type" in data else MISSING,
                    "one of " + ", ".join(registry.names()),
                    path=f"{path}.type",
                    hint=suggest(str(type_name), registry.names()),
                )
            ]
        )
    info = registry[type_name]
    plan = _plan(info)
    values = {k: v for k, v in data.items() if k not in plan.skip}
    structure, invalid = converter()
    token = FIELDS_CHECKED.set(True)
    try:
        fact: Any = structure.structure(values, info.cls)
    except invalid as error:
        raise FactsError(_problems(info, data, path, error)) from None
    except FactError as error:  # cattrs before 25 does not wrap what the class raises
        raise FactsError([error.at(path)]) from None
    finally:
        FIELDS_CHECKED.reset(token)
    for name in plan.computed:
        if name in data:
            _check_computed(info, fact, name, data, path)
    if plan.remember:
        _CHECKED.add(fact)
    return fact


def _check_computed(
    info: FactType, fact: Any, name: str, data: Mapping[str, Any], path: str
) -> None:
    """A computed field may be given, but only with the value the fact computes."""
    field = info.field(name)
    assert field is not None
    value = getattr(fact, name)
    if field.kind.from_json(data[name]) != value:
        raise FactsError(
            [
                FactError(
                    info.name,
                    name,
                    data[name],
                    f"{value!r}, the value computed from the other fields (or left out)",
                    fact_id=_fact_id(data),
                    path=f"{path}.{name}",
                )
            ]
        )


def _fact_id(data: Mapping[str, Any]) -> str | None:
    value = data.get("id")
    return value if isinstance(value, str) else None


def _problems(
    info: FactType, data: Mapping[str, Any], path: str, error: ClassValidationError
) -> list[FactError]:
    """cattrs' grouped errors of one fact as FactErrors: unknown keys first (in the order
    of the input), then the fields (in declaration order), then what the class raised."""
    from cattrs.errors import ForbiddenExtraKeysError

    fact_id = _fact_id(data)
    unknown: set[str] = set()
    fields: list[FactError] = []
    raised: list[FactError] = []
    located, others = error.group_exceptions()
    for exc, note in located:
        field = info.field(note.name)
        assert field is not None
        if isinstance(exc, _BadValueError):
            value, shown, hint = exc.raw, field.kind.expected, field.kind.hint(exc.value)
        elif isinstance(exc, KeyError):
            value, shown, hint = MISSING, field.kind.expected, ""
        else:
            raise exc from None
        fields.append(
            FactError(
                info.name,
                field.name,
                value,
                shown,
                fact_id=fact_id,
                path=f"{path}.{field.name}",
                hint=hint,
            )
        )
    for exc in others:
        if isinstance(exc, ForbiddenExtraKeysError):
            unknown |= set(exc.extra_fields)
        elif isinstance(exc, FactError):
            raised.append(exc.at(path))
        else:
            # An app's own validator failed: its error is not ours to rephrase.
            raise exc from None
    names = info.field_names
    extra = [
        FactError(
            info.name,
            key,
            data[key],
            f"a field of {info.name}",
            fact_id=fact_id,
            path=f"{path}.{key}",
            hint=suggest(key, names) or f" (fields: {', '.join(names)})",
        )
        for key in data
        if key in unknown
    ]
    return extra + fields + raised


def unstructure_fact(fact: Any, registry: FactRegistry, *, typed: bool = True) -> dict[str, Any]:
    """A fact as a JSON object (with ``"type"`` first unless ``typed=False``)."""
    info = registry.type_of(fact)
    values: dict[str, Any] = converter()[0].unstructure(fact, info.cls)
    return {"type": info.name, **values} if typed else values
