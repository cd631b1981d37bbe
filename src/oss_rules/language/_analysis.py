"""Static analysis of a loaded ruleset: what loads, but cannot be what the author meant.

The loader rejects what cannot run or can never hold, types included (OSS0xx, and
OSS101-104, see :mod:`._typecheck`). These checks (OSS1xx) find what runs but is wrong
or useless: params and sources nobody uses, rules that can never fire, and decision
tables with overlapping rows, gaps or dead rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..errors import ERROR, WARNING, Diagnostic
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._domain import UNKNOWN, constant_value, satisfiable
from ._effective import gaps
from ._splittable import unlinked_joins
from ._table_analysis import analyse_table
from ._table_expand import template
from ._unparse import unparse
from ._versions import Versioned
from .stratify import derived_types
from .syntax import Table, iter_names

__all__ = ["ERROR", "WARNING", "analyse"]


Add = Callable[[s.Span, str, str, str, str], None]
"""Report a problem: place, code, severity, message, hint."""


def analyse(ruleset: s.Ruleset) -> list[Diagnostic]:
    """Every OSS1xx problem of ``ruleset``, in file order, each reported once."""
    found: dict[tuple[Any, ...], Diagnostic] = {}

    def add(span: s.Span, code: str, severity: str, message: str, hint: str) -> None:
        problem = Diagnostic(span.file, span.line, span.col, code, message, hint, severity=severity)
        found.setdefault((span.file, span.line, span.col, code, message), problem)

    registry, params = ruleset.registry, ruleset.params
    for table in ruleset.tables:
        analyse_table(table, registry, params, add)
    _unused(ruleset, add)
    _dead_rules(ruleset, add)
    _version_gaps(ruleset, add)
    _untitled(ruleset, add)
    for unlinked in unlinked_joins(ruleset):
        add(
            unlinked.pattern.span,
            "OSS150",
            WARNING,
            unlinked.message(),
            f"join {unlinked.pattern.fact_type} on a field that references the same fact "
            f"(`workplace == x.workplace`), or declare the field with references=",
        )
    order = {f: i for i, f in enumerate(dict.fromkeys(r.span.file for r in ruleset.rules))}
    return sorted(found.values(), key=lambda p: (order.get(p.file, -1), p.line, p.col, p.code))


def _untitled(ruleset: s.Ruleset, add: Add) -> None:
    """A value a rule writes into a titled field, without a title of its own."""
    for rule in ruleset.rules:
        for derivation in rule.then:
            for assignment in derivation.assignments:
                key = f"{derivation.fact_type}.{assignment.field}"
                value = assignment.value
                titles = ruleset.titles.get(key)
                if titles is None or not isinstance(value, s.Literal):
                    continue
                if str(value.value) not in titles:
                    add(
                        value.span,
                        "OSS160",
                        WARNING,
                        f"`{key}` value {value.value!r} has no title",
                        f"add `{value.value}: <title in words>` under `titles: {key}:` "
                        "in ruleset.yaml, so that output shows words instead of the code",
                    )


def _own(expr: s.Expr, fact_type: FactType, bound: Mapping[str, FactType]) -> str | None:
    """The field of the pattern's own fact that ``expr`` names, as the loader resolves it."""
    if isinstance(expr, s.Name) and expr.id not in bound and fact_type.field(expr.id):
        return expr.id
    return None


def _names(rules: Iterable[s.Rule]) -> set[str]:
    """Every bare name the rules use, outside own fields and loop names."""
    used: set[str] = set()
    for rule in rules:
        for pattern in rule.patterns:
            for condition in pattern.conditions:
                used |= {
                    n.id for side in (condition.left, condition.right) for n in iter_names(side)
                }
        for aggregate in rule.aggregates:
            if aggregate.value is not None:
                used |= {n.id for n in iter_names(aggregate.value)}
        if rule.effective is not None:
            used |= {n.id for n in iter_names(rule.effective.on)}
        for derivation in rule.then:
            exprs = [a.value for a in derivation.assignments]
            if derivation.loop_over is not None:
                exprs.append(derivation.loop_over)
            used |= {n.id for e in exprs for n in iter_names(e) if n.id != derivation.loop_var}
    return used


def _unused(ruleset: s.Ruleset, add: Add) -> None:
    rules = [*ruleset.rules, *(template(t) for t in ruleset.tables if t.rows)]
    used = _names(rules)
    for name, span in ruleset.param_spans.items():
        if name not in used:
            add(
                span,
                "OSS110",
                WARNING,
                f"param `{name}` is never used",
                "use it in a rule or remove it; an override of it would change nothing",
            )
    cited = {c for r in rules for c in r.cite}
    for name, span in ruleset.source_spans.items():
        if name not in cited:
            add(
                span,
                "OSS111",
                WARNING,
                f"source `{name}` is never cited",
                "cite it from the rules it justifies, or remove it",
            )


def _version_gaps(ruleset: s.Ruleset, add: Add) -> None:
    """Days between two versions of an effective-dated param that no version covers."""
    for name, value in ruleset.params.items():
        if not isinstance(value, Versioned):
            continue
        for earlier, later in gaps(value):
            add(
                ruleset.param_spans.get(name, s.Span(ruleset.path, 1, 1)),
                "OSS140",
                WARNING,
                f"param `{name}` has no version in force from "
                f"{earlier.until + dt.timedelta(days=1) if earlier.until else '?'} to "
                f"{later.start - dt.timedelta(days=1)}",
                f"end version {earlier} the day before {later.start}, or add a version "
                "for the gap; evaluating in the gap is an error",
            )


def _dead_rules(ruleset: s.Ruleset, add: Add) -> None:
    """Rules that can never fire: a pattern no value meets, or a type nothing provides.

    The input types are the registered types that no rule derives. A derived type is
    available once a rule that derives it can fire.
    """
    registry, params = ruleset.registry, ruleset.params
    tables = {t.id: t for t in ruleset.tables}
    derived = {t for r in ruleset.rules for t in derived_types(r)}
    available = {name for name in registry.names() if name not in derived}
    # A table's `when` is reported once; its rows' cells by the table analysis (OSS132).
    for pattern in (p for t in ruleset.tables for p in t.when if not p.negated):
        condition = _never_matches(pattern, registry[pattern.fact_type], params)
        if condition is not None:
            _report_impossible(pattern, condition, registry, add)
    impossible = set()
    for rule in ruleset.rules:
        for pattern in rule.positives:
            condition = _never_matches(pattern, registry[pattern.fact_type], params)
            if condition is not None:
                impossible.add(rule.label)
                if _table_of(rule, tables) is None:
                    _report_impossible(pattern, condition, registry, add)
    firing: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in ruleset.rules:
            if rule.label in firing or rule.label in impossible:
                continue
            if all(p.fact_type in available for p in rule.positives):
                firing.add(rule.label)
                available |= derived_types(rule)
                changed = True
    for rule in ruleset.rules:
        if rule.label in firing or rule.label in impossible:
            continue
        missing = next(p.fact_type for p in rule.positives if p.fact_type not in available)
        table = _table_of(rule, tables)
        what, span = (
            (f"table `{table.id}`", table.span) if table else (f"rule `{rule.label}`", rule.span)
        )
        add(
            span,
            "OSS120",
            WARNING,
            f"{what} can never fire: it needs a {missing}, which is no input type and "
            "which no rule that can fire derives",
            f"input types are the fact types no rule derives; add a rule that derives "
            f"{missing}, or remove this one",
        )


def _table_of(rule: s.Rule, tables: Mapping[str, Table]) -> Table | None:
    name, sep, _ = rule.id.rpartition("#")
    return tables.get(name) if sep else None


def _never_matches(
    pattern: s.Pattern, fact_type: FactType, params: Mapping[str, Any]
) -> s.Compare | None:
    """The condition from which on no value of its field meets the pattern's constant tests."""
    tests: dict[str, list[tuple[str, Any]]] = {}
    for condition in pattern.conditions:
        field = _own(condition.left, fact_type, {})
        info = fact_type.field(field) if field else None
        value = constant_value(condition.right, params)
        if info is None or value is UNKNOWN or condition.op not in _ORDERED_OR_EQUAL:
            continue
        tests.setdefault(info.name, []).append((condition.op, value))
        if not satisfiable(info.kind, tests[info.name]):
            return condition
    return None


_ORDERED_OR_EQUAL = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})


def _report_impossible(
    pattern: s.Pattern, condition: s.Compare, registry: FactRegistry, add: Add
) -> None:
    assert isinstance(condition.left, s.Name)
    info = registry[pattern.fact_type].field(condition.left.id)
    assert info is not None
    add(
        condition.span,
        "OSS121",
        WARNING,
        f"{pattern.fact_type}(...) never matches: no {info.name} ({info.kind.expected}) "
        f"meets `{unparse(condition)}` and the conditions before it",
        "the rule can never fire; fix the bound or remove the rule",
    )
