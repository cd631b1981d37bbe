"""Input documents with exactly one mistake: the strategy behind ``invalid_inventories``.

A valid inventory is written in its JSON form, then one thing is broken. Each kind of
mistake is a candidate only where it applies (an int out of range needs a bounded int
field), and every replacement value is checked against the field's kind, so a document
can never be valid by accident.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import note
from hypothesis import strategies as st

from ..model._fields import Choice, Day, Integer, Kind, Many, Optional
from ..model.convert import Inventory, fact_to_json
from ..model.registry import FactRegistry

Document = dict[str, Any]
Mistake = Callable[[Document], None]

_WRONG_TYPES: tuple[Any, ...] = ("4", 4, 4.5, True, None, [], {}, "OSS-I", 20260630)
_BAD_DATES = ("2026-02-30", "2026-13-01", "30/06/2026", "2026-06-31", "")


def _bare(kind: Kind) -> Kind:
    return kind.inner if isinstance(kind, Optional) else kind


def _invalid(kind: Kind, value: Any) -> bool:
    """Whether the JSON ``value`` is not a valid value of ``kind``."""
    try:
        return not kind.check(kind.from_json(value))
    except (TypeError, ValueError):
        return True


def _set(i: int, name: str, value: Any) -> Mistake:
    def apply(document: Document) -> None:
        document["facts"][i][name] = value

    return apply


def _delete(i: int, name: str) -> Mistake:
    def apply(document: Document) -> None:
        del document["facts"][i][name]

    return apply


def _duplicate(i: int) -> Mistake:
    def apply(document: Document) -> None:
        document["facts"].append(copy.deepcopy(document["facts"][i]))

    return apply


def _top(key: str, value: Any) -> Mistake:
    def apply(document: Document) -> None:
        if value is _DROP:
            del document[key]
        else:
            document[key] = value

    return apply


_DROP = object()


def _field_mistakes(i: int, name: str, kind: Kind) -> list[tuple[str, Mistake]]:
    """Ways to break field ``name`` of fact ``i``, a field of ``kind``."""
    out = [(f"wrong type {v!r}", _set(i, name, v)) for v in _WRONG_TYPES if _invalid(kind, v)]
    bare = _bare(kind)
    if isinstance(bare, Integer):
        for edge in (bare.minimum, bare.maximum):
            if edge is not None:
                step = -1 if edge == bare.minimum else 1
                out += [
                    (f"out of range {edge + step * d}", _set(i, name, edge + step * d))
                    for d in (1, 100)
                ]
    inner = bare.inner if isinstance(bare, Many) else bare
    if isinstance(inner, Choice):
        for word in (inner.values[0] + "x", inner.values[0].upper(), "unknown"):
            if word not in inner.values:
                value = [word] if isinstance(bare, Many) else word
                out.append((f"unknown value {word!r}", _set(i, name, value)))
    if isinstance(bare, Day):
        out += [(f"impossible date {d!r}", _set(i, name, d)) for d in _BAD_DATES]
    return out


def _mistakes(
    document: Document, facts: tuple[Any, ...], registry: FactRegistry
) -> list[tuple[str, Mistake]]:
    out: list[tuple[str, Mistake]] = [
        ("as_of is not a date", _top("as_of", "2026-02-30")),
        ("as_of is missing", _top("as_of", _DROP)),
        ("facts is not a list", _top("facts", {})),
        ("an unknown top-level key", _top("asof", document["as_of"])),
    ]
    for i, fact in enumerate(facts):
        info = registry.type_of(fact)
        defaults = {a.name: a.default for a in attrs.fields(info.cls)}
        out.append(("a fact that is not an object", _set_fact(i, info.name)))
        out.append(("an unknown fact type", _set(i, "type", info.name + "s")))
        out.append(("an unknown field", _set(i, "colour", "red")))
        if info.field("id") is not None:
            out.append(("a duplicate id", _duplicate(i)))
        for field in info.fields:
            if not field.init:
                wrong = getattr(fact, field.name)
                if isinstance(wrong, int) and not isinstance(wrong, bool):
                    out.append((f"{field.name} not as computed", _set(i, field.name, wrong + 1)))
                continue
            out += _field_mistakes(i, field.name, field.kind)
            if defaults[field.name] is attrs.NOTHING:
                out.append((f"{field.name} missing", _delete(i, field.name)))
            if field.references is not None and getattr(fact, field.name) is not None:
                out.append((f"{field.name} refers to nothing", _set(i, field.name, "nowhere")))
    return out


def _set_fact(i: int, value: Any) -> Mistake:
    def apply(document: Document) -> None:
        document["facts"][i] = value

    return apply


@st.composite
def corrupted(
    draw: st.DrawFn, valid: st.SearchStrategy[Inventory], registry: FactRegistry
) -> Document:
    """A ``valid`` inventory in JSON form, with one mistake (see ``invalid_inventories``)."""
    inventory = draw(valid)
    document: Document = {
        "as_of": inventory.as_of.isoformat(),
        "facts": [fact_to_json(f, registry) for f in inventory.facts],
    }
    label, mistake = draw(st.sampled_from(_mistakes(document, inventory.facts, registry)))
    note(f"mistake: {label}")
    mistake(document)
    return document
