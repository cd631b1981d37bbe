"""The checks of a rule's `then`: each derivation names a fact type, sets only its
settable fields, each once, every required one, with values whose names resolve."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import suggest
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._name_check import Unbound, check_names, fact_type
from ._positions import _Collector


def check_derivation(
    derivation: s.Derivation,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    registry: FactRegistry,
    out: _Collector,
    untyped: Iterable[str],
    unbound: Unbound,
) -> None:
    """Check one derivation of a `then` against what the `when` bound (``bindings``,
    ``untyped``)."""
    derived = fact_type(derivation.fact_type, derivation.span, registry, out)
    extra = (*untyped, derivation.loop_var) if derivation.loop_var else tuple(untyped)
    if derivation.loop_over is not None:
        check_names(derivation.loop_over, bindings, params, out, extra=untyped, unbound=unbound)
    given: set[str] = set()
    for assignment in derivation.assignments:
        check_names(assignment.value, bindings, params, out, extra=extra, unbound=unbound)
        if derived is None:
            continue
        info = derived.field(assignment.field)
        settable = [f.name for f in derived.fields if f.init]
        if info is None or not info.init:
            why = "is computed" if info is not None else "does not exist"
            out.add(
                assignment.span,
                "OSS040",
                f"{derived.name}.{assignment.field} {why}"
                f"{suggest(assignment.field, settable) if info is None else ''}",
                "settable fields: " + ", ".join(settable),
            )
        if assignment.field in given:
            out.add(
                assignment.span,
                "OSS041",
                f"`{assignment.field}` is given twice",
                "give each field once",
            )
        given.add(assignment.field)
    if derived is not None:
        _check_required(derivation, derived, given, out)


def _check_required(
    derivation: s.Derivation, derived: FactType, given: set[str], out: _Collector
) -> None:
    """Every field without a default is given (OSS042)."""
    defaults = {a.name for a in attrs.fields(derived.cls) if a.default is not attrs.NOTHING}
    # A misspelt field (`modul:`) is reported with the field it is close to (OSS040); that
    # field is not also missing: one mistake, one diagnostic.
    settable = [f.name for f in derived.fields if f.init]
    meant = {
        close
        for name in given
        if derived.field(name) is None
        for close in difflib.get_close_matches(name, sorted(settable), n=1, cutoff=0.6)
    }
    missing = [f.name for f in derived.fields if f.init and f.name not in given | defaults | meant]
    if missing:
        out.add(
            derivation.span,
            "OSS042",
            f"{derived.name}(...) misses required field(s) {', '.join(missing)}",
            "add " + ", ".join(f"{m}: ..." for m in missing),
        )
