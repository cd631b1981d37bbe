"""Type-check every expression of a ruleset when it loads (OSS101, OSS102, OSS103, OSS072).

Names are resolved first (:mod:`._check`); this pass then gives each expression a type
(:mod:`._types`) from the field kinds, the params' values in the file and the built-in
functions, and reports what could only fail or never hold at evaluation: a field
compared with a value of another type (OSS101), an operator or function given values it
cannot combine, such as a date plus a number (OSS102), a derived field given a value it
can never hold (OSS103), an effective window's date that is no date (OSS072). Each
report names the sub-expression's place and text, with a hint.

A table's rows share their table's ``when`` and ``then``: a problem there is reported
once, at its place, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..model._fields import Day, Integer, Kind, Moment, Optional, Text
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._domain import UNKNOWN, constant_value
from ._name_check import own_field
from ._nulls import Blame, guarded
from ._positions import _Collector
from ._type import (
    DATE,
    FACT,
    INT,
    NullReport,
    Report,
    Scope,
    Type,
    common,
    comparable,
    may_be_null,
    of_kind,
    of_value,
    storable,
)
from ._types import infer
from ._unparse import unparse
from ._versions import Versioned
from .syntax import iter_names

__all__ = ["check_types"]


class _Once:
    """Adds one diagnostic per place and code to ``out``: the rows of a table repeat its
    ``then``, each with its own values, and a mistake there is one mistake."""

    def __init__(self, out: _Collector) -> None:
        self.out = out
        self.seen: set[tuple[s.Span, str]] = set()

    def add(self, span: s.Span, code: str, message: str, hint: str) -> None:
        if (span, code) not in self.seen:
            self.seen.add((span, code))
            self.out.add(span, code, message, hint)


def check_types(
    rules: Iterable[s.Rule],
    tables: Iterable[s.Table],
    registry: FactRegistry,
    params: Mapping[str, Any],
    out: _Collector,
) -> None:
    """Report every expression of ``rules`` (tables' rows included) whose types cannot work.

    Each table is checked first as written, its output names typed by their columns'
    values, so that a mistake in its ``then`` is told in the words of the table
    (``as_of + within``) rather than of its first row (``as_of + 30``).
    """
    once = _Once(out)
    base: dict[str, Type | None] = {p: of_value(v) for p, v in params.items()}
    base["as_of"] = DATE
    for table in tables:
        outputs = {
            output.name: common([of_value(row.values[i]) for row in table.rows])
            for i, output in enumerate(table.outputs)
        }
        written = s.Rule(table.id, table.title, table.cite, table.when, table.then, span=table.span)
        _rule(written, registry, params, {**base, **outputs}, once, nulls=False)
    for rule in rules:
        _rule(rule, registry, params, base, once)


def _rule(
    rule: s.Rule,
    registry: FactRegistry,
    params: Mapping[str, Any],
    base: Scope,
    once: _Once,
    nulls: bool = True,
) -> None:
    """Checks ``rule``'s conditions in order, each with the fields that the conditions
    before it prove are set (:func:`._nulls.guarded`), then its ``then`` with those of
    all its positive patterns. Without ``nulls``, uses of null are not checked (a table
    as written: its rows, checked as rules, have the cells that guard them)."""
    names = dict(base)
    declared = dict(base)  # the fields' types with no guard: effective_on comes first
    types: dict[str, str] = {}
    values: set[str] = set()

    def report(span: s.Span, message: str, hint: str) -> None:
        once.add(span, "OSS102", message, hint)

    def null(blame: Blame) -> NullReport | None:
        def use(expr: s.Expr, culprits: Sequence[s.Expr]) -> None:
            once.add(expr.span, "OSS104", *blame.use(expr, culprits))

        return use if nulls else None

    bound: set[str] = set()
    for item in rule.when:
        pattern = item.pattern if isinstance(item, s.Aggregate) else item
        if pattern.fact_type not in registry:
            continue  # reported by the loader; its binding stays of unknown type
        fact_type = registry[pattern.fact_type]
        fields = frozenset(f.name for f in fact_type.fields if f.name not in bound)
        own = {**names, **{f.name: of_kind(f.kind) for f in fact_type.fields if f.name in fields}}
        blame = Blame(dict(types), _head(pattern), fact_type.name, fields)
        proven: list[str] = []
        for condition in pattern.conditions:
            _condition(condition, fact_type, bound, own, params, report, once, null(blame))
            # A condition that waits for an aggregate's value is checked after the
            # others: it guards nothing they use.
            if not any(
                n.id in values
                for side in (condition.left, condition.right)
                for n in iter_names(side)
            ):
                for key in guarded(condition, fields, own):
                    own[key] = _set(own[key])
                    proven.append(key)
        if isinstance(item, s.Aggregate):
            value = _aggregate(item, fact_type, names, report, once, null(Blame(types)))
            if item.binding:
                names[item.binding] = declared[item.binding] = value
                values.add(item.binding)
            continue
        if pattern.negated:
            continue  # what its conditions prove holds of a fact that is absent
        names.update((key, own[key]) for key in proven if "." in key)
        if pattern.binding:
            bound.add(pattern.binding)
            names[pattern.binding] = declared[pattern.binding] = FACT
            types[pattern.binding] = fact_type.name
            for info in fact_type.fields:
                key, kind = f"{pattern.binding}.{info.name}", of_kind(info.kind)
                declared[key] = kind
                names[key] = own[info.name] if info.name in proven else kind
    if rule.effective is not None:
        # The window is computed before the conditions that run in Python, so no guard
        # covers it: only a default does.
        on = infer(rule.effective.on, declared, report, null(Blame(types, guards=False)))
        if on is not None and on.family not in ("date", "moment"):
            once.add(
                rule.effective.on.span,
                "OSS072",
                f"`effective_on: {unparse(rule.effective.on)}` is {on}, not a date",
                "give the date the window is checked against, e.g. `p.month`",
            )
    blame = Blame(types)
    for derivation in rule.then:
        _derivation(derivation, registry, names, params, report, once, null(blame), blame)


def _head(pattern: s.Pattern) -> str:
    """The pattern as written before its parentheses: `h: Hazard`, `not: Hazard`."""
    if pattern.negated:
        return f"not: {pattern.fact_type}"
    return f"{pattern.binding}: {pattern.fact_type}" if pattern.binding else pattern.fact_type


def _set(kind: Type | None) -> Type | None:
    return None if kind is None else attrs.evolve(kind, nullable=False)


def _aggregate(
    aggregate: s.Aggregate,
    fact_type: FactType,
    names: Scope,
    report: Report,
    once: _Once,
    null: NullReport | None,
) -> Type | None:
    """The type of the aggregate's value (count: an int; else its field's); reports a test
    that compares it with a value of another type (OSS101)."""
    info = fact_type.field(aggregate.field) if aggregate.field else None
    if aggregate.function == "count":
        value: Type | None = INT
    else:
        field = of_kind(info.kind) if info is not None else None
        value = attrs.evolve(field, nullable=False) if field is not None else None
    if aggregate.op is None or aggregate.value is None or value is None:
        return value
    other = infer(aggregate.value, names, report, null)
    if other is not None and not comparable(aggregate.op, value, other):
        once.add(
            aggregate.value.span,
            "OSS101",
            f"`{' '.join(aggregate.text.split())}` compares {value} with {other}, "
            "so it never holds",
            "compare the aggregate with a value of its type: a count with a whole number, "
            "a sum, min or max with a value of the field's type",
        )
    return value


def _condition(
    condition: s.Compare,
    fact_type: FactType,
    bound: set[str],
    names: Scope,
    params: Mapping[str, Any],
    report: Report,
    once: _Once,
    null: NullReport | None,
) -> None:
    field = own_field(condition.left, fact_type, bound)
    other, member = condition.right, False
    if field is None:
        field, other = own_field(condition.right, fact_type, bound), condition.left
        member = condition.op in ("in", "not in")
    info = fact_type.field(field) if field else None
    if info is None or all(
        n.id in params and not isinstance(params[n.id], Versioned) for n in iter_names(other)
    ):
        return  # no own field (reported), or a constant: the loader checked it exactly
    field_type, other_type = of_kind(info.kind), infer(other, names, report, null)
    if field_type is None or other_type is None:
        return
    if member:
        ok = field_type.item is None or comparable("==", field_type.item, other_type)
    else:
        ok = comparable(condition.op, field_type, other_type)
    if not ok:
        once.add(
            condition.span,
            "OSS101",
            f"`{unparse(condition)}` compares {field} ({field_type}) with {other_type}, "
            "so it never holds",
            _compare_hint(field_type, other_type),
        )


def _compare_hint(field: Type, other: Type) -> str:
    if {field.family, other.family} == {"date", "moment"}:
        return "a moment compares with a moment: `start_of_day(d)` is the moment a date starts"
    if other.name == "list" or field.name == "list":
        return "`x in list` tests membership; compare an item with a value of its type"
    return "compare values of the same type: numbers, text, dates or moments"


def _derivation(
    derivation: s.Derivation,
    registry: FactRegistry,
    names: Scope,
    params: Mapping[str, Any],
    report: Report,
    once: _Once,
    null: NullReport | None,
    blame: Blame,
) -> None:
    scope = dict(names)
    if derivation.loop_var and derivation.loop_over is not None:
        over = infer(derivation.loop_over, names, report, null)
        if over is not None and over.name != "list":
            once.add(
                derivation.loop_over.span,
                "OSS102",
                f"`for {derivation.loop_var} in {unparse(derivation.loop_over)}`: "
                f"{unparse(derivation.loop_over)} is {over}, not a list",
                "`for` derives one fact per item of a list: a list field or a list param",
            )
        scope[derivation.loop_var] = over.item if over and over.name == "list" else None
    if derivation.fact_type not in registry:
        return  # reported by the loader
    fact_type = registry[derivation.fact_type]
    for assignment in derivation.assignments:
        target = fact_type.field(assignment.field)
        if target is None or not target.init:
            continue  # reported by the loader
        _assignment(assignment, fact_type, target.kind, scope, params, report, once, null, blame)


def _assignment(
    assignment: s.Assignment,
    fact_type: FactType,
    kind: Kind,
    names: Scope,
    params: Mapping[str, Any],
    report: Report,
    once: _Once,
    null: NullReport | None,
    blame: Blame,
) -> None:
    where = f"{fact_type.name}.{assignment.field}"
    value = constant_value(assignment.value, params)
    if value is not UNKNOWN:
        if isinstance(value, list):
            value = tuple(value)
        if not kind.check(value):
            once.add(
                assignment.value.span,
                "OSS103",
                f"{where} holds {kind.expected}; {value!r} can never be stored{kind.hint(value)}",
                "give a value the field can hold",
            )
        return
    field_type = of_kind(kind)
    value_type = infer(assignment.value, names, report, null)
    if field_type is None or value_type is None:
        return
    if not storable(field_type, value_type):
        once.add(
            assignment.value.span,
            "OSS103",
            f"{where} holds {kind.expected}; `{unparse(assignment.value)}` is {value_type}",
            _store_hint(kind, value_type),
        )
    elif null is not None and value_type.nullable and not field_type.nullable:
        culprits = may_be_null(assignment.value)
        once.add(assignment.value.span, "OSS104", *blame.store(where, assignment.value, culprits))


def _store_hint(kind: Kind, value: Type) -> str:
    inner = kind.inner if isinstance(kind, Optional) else kind
    if isinstance(inner, Integer) and value.family == "number":
        return "round it to a whole number: `round(x)`, `ceil(x)` or `floor(x)`"
    if isinstance(inner, Text):
        return "turn the value into text with `str(x)`"
    if isinstance(inner, Day) and value.family == "moment":
        return "`day(m)` is the date of a moment"
    if isinstance(inner, Moment) and value.family == "date":
        return "`start_of_day(d)` is the moment a date starts"
    if value.name == "null":
        return "the field is never null: give a value, or `coalesce(x, default)`"
    return "give a value the field can hold"
