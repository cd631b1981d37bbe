"""Check a read ruleset against its fact types and params: every name must resolve.

Runs at load time so that a mistake surfaces with file:line:col and a hint before
any fact is evaluated. Deeper static analysis (types, dead rules) builds on this.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import suggest
from ..model._fields import Many
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._aggregate_check import check_field, shadows
from ._constants import check_constant
from ._evaluate import FUNCTIONS
from ._loader import RawRuleset
from ._positions import _Collector
from ._table_expand import MAX_PARTS, expand, template
from ._typecheck import check_types
from ._versions import Versioned
from .stratify import stratify
from .syntax import iter_names

MAX_PATTERNS = 15
"""durable-rules joins at most 16 facts per rule; one slot goes to the evaluation context."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED = frozenset({"as_of", "not", "true", "false", "null", "in", "for", "or"})


def check(raw: RawRuleset, registry: FactRegistry, out: _Collector) -> list[list[s.Rule]]:
    """Report every unresolved name, bad condition and negation cycle of ``raw``.

    Returns the strata of ``raw.rules`` (tables' rows included), meaningful when nothing
    was reported.
    """
    for name, span in raw.param_spans.items():
        if not _NAME.match(name) or name in RESERVED:
            out.add(
                span,
                "OSS020",
                f"param name `{name}` is not allowed",
                "use lower_snake_case and avoid reserved words (as_of, in, not, ...)",
            )
    seen: dict[str, s.Rule] = {}
    # The names some alternative of a rule binds: one that binds fewer cannot use them.
    bound_somewhere: dict[tuple[str, s.Span], set[str]] = {}
    for rule in raw.rules:
        if rule.alternative is not None:
            bound = {p.binding for p in rule.positives if p.binding}
            bound |= {a.binding for a in rule.aggregates if a.binding}
            bound_somewhere.setdefault((rule.id, rule.span), set()).update(bound)
    # A table is checked once, as a template rule, so that a mistake in its `when`,
    # `then` or `cite` is reported once rather than once per row.
    for rule in [*raw.rules, *(template(table) for table in raw.tables)]:
        if rule.id in seen and not _alternatives_of_one_rule(rule, seen[rule.id]):
            out.add(
                rule.span,
                "OSS021",
                f"duplicate rule id `{rule.id}`",
                f"it is also used at {seen[rule.id].span}; rule ids must be unique",
            )
        seen.setdefault(rule.id, rule)
        elsewhere = frozenset(bound_somewhere.get((rule.id, rule.span), ()))
        _check_rule(rule, raw, registry, out, elsewhere)
    raw.rules.extend(_table_rules(raw, registry, seen, out))
    check_types(raw.rules, raw.tables, registry, raw.params, out)
    strata, cycles = stratify(
        [r for r in raw.rules if all(p.fact_type in registry for p in r.patterns)]
    )
    for cycle in cycles:
        names = ", ".join(dict.fromkeys(r.id for r in cycle.rules))
        for rule in cycle.rules:
            if not cycle.through_negation(rule):
                out.add(
                    rule.span,
                    "OSS051",
                    f"rule `{rule.id}` is part of a cycle through an aggregate ({names}) over "
                    f"{', '.join(cycle.types)}",
                    "a rule cannot count, add up or compare facts that it (indirectly) derives, "
                    "as the total is not known until it stops; aggregate a lower stratum's type",
                )
                continue
            out.add(
                rule.span,
                "OSS050",
                f"rule `{rule.id}` is part of a cycle through negation ({names}) over "
                f"{', '.join(cycle.types)}",
                "a rule cannot depend on the absence of facts that it (indirectly) derives; "
                "split the derived type or remove the `not:`",
            )
    return strata


def _alternatives_of_one_rule(rule: s.Rule, other: s.Rule) -> bool:
    both = rule.alternative is not None and other.alternative is not None
    return both and rule.span == other.span


def _table_rules(
    raw: RawRuleset, registry: FactRegistry, seen: dict[str, s.Rule], out: _Collector
) -> list[s.Rule]:
    """The rules that the tables' rows compile to; their ids must be free too."""
    rules = []
    for table in raw.tables:
        for row, compiled in expand(table, registry):
            if len(compiled) > MAX_PARTS:
                out.add(
                    row.span,
                    "OSS065",
                    f"{row.label} of `first` table `{table.id}` needs more than "
                    f"{MAX_PARTS} rules to exclude the rows above it",
                    "use `hit: unique` with rows that do not overlap, or fewer input columns",
                )
                continue
            for rule in compiled:
                if rule.id in seen:
                    out.add(rule.span, "OSS021", f"duplicate rule id `{rule.id}`", "rename one")
                seen.setdefault(rule.id, rule)
                rules.append(rule)
    return rules


def _check_rule(
    rule: s.Rule,
    raw: RawRuleset,
    registry: FactRegistry,
    out: _Collector,
    elsewhere: frozenset[str] = frozenset(),
) -> None:
    """Check one rule (one alternative of a rule with ``or``); ``elsewhere`` are the
    names that other alternatives of the rule bind."""
    unbound = _Unbound(rule, elsewhere)
    if not rule.cite:
        out.add(
            rule.span,
            "OSS022",
            f"rule `{rule.id}` cites no source",
            "add `cite: <source id>` naming an entry of `sources:` in ruleset.yaml",
        )
    for cite in rule.cite:
        if cite not in raw.sources:
            out.add(
                rule.span,
                "OSS023",
                f"rule `{rule.id}` cites unknown source `{cite}`{suggest(cite, raw.sources)}",
                "declare it under `sources:` in ruleset.yaml",
            )
    if len(rule.when) > MAX_PATTERNS:
        out.add(
            rule.span,
            "OSS024",
            f"rule `{rule.id}` has {len(rule.when)} patterns",
            f"at most {MAX_PATTERNS}; split it with an intermediate fact",
        )
    bindings: dict[str, FactType] = {}
    # A binding of an unknown fact type (reported once) is still a name: its uses are
    # not unknown names too. So is an aggregate's value, which is no fact.
    untyped: set[str] = set()
    for position, pattern in enumerate(rule.when):
        if isinstance(pattern, s.Aggregate):
            _check_aggregate(pattern, bindings, raw.params, registry, out, untyped, unbound)
            name = pattern.binding
            if name is None:
                continue
            if name in bindings or name in untyped or name in raw.params:
                out.add(
                    pattern.span,
                    "OSS025",
                    f"`{name}` is already a {'param' if name in raw.params else 'binding'}",
                    "choose another name for the aggregate",
                )
            elif not _NAME.match(name) or name in RESERVED:
                out.add(
                    pattern.span,
                    "OSS026",
                    f"binding name `{name}` is not allowed",
                    "use a lower-case name such as `n` or `total`",
                )
            elif not shadows(name, rule.patterns[position + 1 :], registry, pattern.span, out):
                untyped.add(name)
            continue
        fact_type = _fact_type(pattern.fact_type, pattern.span, registry, out)
        if fact_type is None:
            if pattern.binding and not pattern.negated:
                untyped.add(pattern.binding)
            continue
        for condition in pattern.conditions:
            _check_condition(condition, fact_type, bindings, raw.params, out, untyped, unbound)
        if pattern.binding is None:
            continue
        if pattern.binding in bindings or pattern.binding in raw.params:
            what = "binding" if pattern.binding in bindings else "param"
            out.add(
                pattern.span,
                "OSS025",
                f"`{pattern.binding}` is already a {what}",
                "choose another name for this binding",
            )
        elif not _NAME.match(pattern.binding) or pattern.binding in RESERVED:
            out.add(
                pattern.span,
                "OSS026",
                f"binding name `{pattern.binding}` is not allowed",
                "use a short lower-case name such as `h` or `w`",
            )
        elif not pattern.negated:
            bindings[pattern.binding] = fact_type
    for derivation in rule.then:
        _check_derivation(derivation, bindings, raw.params, registry, out, untyped, unbound)


def _check_aggregate(
    aggregate: s.Aggregate,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    registry: FactRegistry,
    out: _Collector,
    untyped: Iterable[str],
    unbound: _Unbound,
) -> None:
    """The aggregate's pattern (checked like a negated one), its field and its test."""
    fact_type = _fact_type(aggregate.fact_type, aggregate.pattern.span, registry, out)
    if fact_type is not None:
        for condition in aggregate.pattern.conditions:
            _check_condition(condition, fact_type, bindings, params, out, untyped, unbound)
        check_field(aggregate, fact_type, out)
    if aggregate.value is not None:
        for name in iter_names(aggregate.value):
            _check_name(name, bindings, params, out, extra=untyped, unbound=unbound)
        _check_expr_parts(aggregate.value, bindings, out)


@attrs.frozen
class _Unbound:
    """The names that other alternatives of ``rule`` bind, so that using one where this
    alternative does not bind it gets its own diagnostic (OSS029) rather than OSS034."""

    rule: s.Rule
    names: frozenset[str]

    def report(self, name: s.Name, out: _Collector) -> bool:
        """Report ``name`` if another alternative binds it; whether it did."""
        if name.id not in self.names or self.rule.alternative is None:
            return False
        out.add(
            name.span,
            "OSS029",
            f"`{name.id}` is not bound in {self.rule.alternative} of rule `{self.rule.id}`",
            f"a name used after an `or` (in a later pattern or in `then`) must be bound in "
            f"every alternative: bind `{name.id}` in each, or use it only inside the "
            "alternatives that bind it",
        )
        return True


def _fact_type(name: str, span: s.Span, registry: FactRegistry, out: _Collector) -> FactType | None:
    if name in registry:
        return registry[name]
    out.add(
        span,
        "OSS030",
        f"unknown fact type `{name}`{suggest(name, registry.names())}",
        "known types: " + ", ".join(registry.names()),
    )
    return None


def _own_field(expr: s.Expr, fact_type: FactType, bindings: Mapping[str, Any]) -> str | None:
    if isinstance(expr, s.Name) and expr.id not in bindings and fact_type.field(expr.id):
        return expr.id
    return None


def _check_condition(
    condition: s.Compare,
    fact_type: FactType,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    out: _Collector,
    untyped: Iterable[str] = (),
    unbound: _Unbound | None = None,
) -> None:
    left = _own_field(condition.left, fact_type, bindings)
    right = _own_field(condition.right, fact_type, bindings)
    if left is None and right is None:
        # A misspelt field (`categroy == "fall"`) is an unknown name, reported with the
        # field it is close to; that the condition then has no field is the same mistake.
        names = list(_names(condition.left, condition.right))
        known = [
            _check_name(name, bindings, params, out, own=fact_type, extra=untyped, unbound=unbound)
            for name in names
        ]
        if all(known):
            out.add(
                condition.span,
                "OSS031",
                f"a condition in {fact_type.name}(...) must compare one of its fields",
                "fields: " + ", ".join(fact_type.field_names),
            )
        return
    other = condition.right if left is not None else condition.left
    field_name = left if left is not None else right
    assert field_name is not None
    for name in iter_names(other):
        # Another field of the same fact (`medical_care_at > occurred_at + hours(24)`)
        # is checked in Python after durable matched the fact.
        if not _own_field(name, fact_type, bindings):
            _check_name(name, bindings, params, out, own=fact_type, extra=untyped, unbound=unbound)
    _check_expr_parts(other, bindings, out)
    info = fact_type.field(field_name)
    assert info is not None
    if isinstance(info.kind, Many) and condition.op not in ("in", "not in"):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is a list; only `x in {field_name}` can test it",
            'e.g. "OSS-II" in declared_modules',
        )
    if condition.op in ("in", "not in") and left is not None and isinstance(info.kind, Many):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is a list; write `x in {field_name}`",
            "the list must be on the right of `in`",
        )
    if condition.op in ("in", "not in") and right is not None and not isinstance(info.kind, Many):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is not a list, so nothing can be `in` it",
            f"to test `{field_name}` against a list, write `{field_name} in [...]`",
        )
    elif all(n.id in params and not isinstance(params[n.id], Versioned) for n in iter_names(other)):
        check_constant(condition, field_name, info.kind, other, left is not None, params, out)


def _names(*exprs: s.Expr) -> Iterable[s.Name]:
    for expr in exprs:
        yield from iter_names(expr)


def _check_name(
    name: s.Name,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    out: _Collector,
    *,
    own: FactType | None = None,
    extra: Iterable[str] = (),
    unbound: _Unbound | None = None,
) -> bool:
    """Whether ``name`` is known; if not, report it (with the closest known name, or as
    bound only in another alternative)."""
    known = {*bindings, *params, "as_of", *extra}
    if name.id in known:
        return True
    if unbound is not None and unbound.report(name, out):
        return False
    candidates = known | set(own.field_names if own else ())
    out.add(
        name.span,
        "OSS034",
        f"unknown name `{name.id}`{suggest(name.id, candidates)}",
        "a name is a field of this pattern's fact, an earlier binding, a param or as_of",
    )
    return False


def _check_expr_parts(expr: s.Expr, bindings: Mapping[str, FactType], out: _Collector) -> None:
    """Check attribute accesses on bindings and function names inside ``expr``."""
    match expr:
        case s.Attribute(obj=s.Name(id=binding), name=name) if binding in bindings:
            fact_type = bindings[binding]
            if fact_type.field(name) is None:
                out.add(
                    expr.span,
                    "OSS035",
                    f"{fact_type.name} has no field `{name}`{suggest(name, fact_type.field_names)}",
                    f"`{binding}` is a {fact_type.name}; fields: "
                    + ", ".join(fact_type.field_names),
                )
        case s.Call(func=func, args=args):
            if func not in FUNCTIONS:
                out.add(
                    expr.span,
                    "OSS036",
                    f"unknown function `{func}`{suggest(func, FUNCTIONS)}",
                    "functions: " + ", ".join(FUNCTIONS),
                )
            elif func == "in_force" and (len(args) != 2 or not isinstance(args[0], s.Name)):
                out.add(
                    expr.span,
                    "OSS036",
                    "in_force() takes the name of an effective-dated param and a date",
                    "e.g. in_force(jp_wage_cap, p.month)",
                )
            for arg in args:
                _check_expr_parts(arg, bindings, out)
        case s.Attribute(obj=obj):
            _check_expr_parts(obj, bindings, out)
        case s.Index(obj=obj, key=key):
            _check_expr_parts(obj, bindings, out)
            _check_expr_parts(key, bindings, out)
        case s.BinOp(left=left, right=right):
            _check_expr_parts(left, bindings, out)
            _check_expr_parts(right, bindings, out)
        case s.Neg(operand=operand):
            _check_expr_parts(operand, bindings, out)
        case s.ListExpr(items=items):
            for item in items:
                _check_expr_parts(item, bindings, out)


def _check_derivation(
    derivation: s.Derivation,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    registry: FactRegistry,
    out: _Collector,
    untyped: Iterable[str] = (),
    unbound: _Unbound | None = None,
) -> None:
    fact_type = _fact_type(derivation.fact_type, derivation.span, registry, out)
    extra = (*untyped, derivation.loop_var) if derivation.loop_var else tuple(untyped)
    if derivation.loop_over is not None:
        for name in iter_names(derivation.loop_over):
            _check_name(name, bindings, params, out, extra=untyped, unbound=unbound)
        _check_expr_parts(derivation.loop_over, bindings, out)
    given: set[str] = set()
    for assignment in derivation.assignments:
        for name in iter_names(assignment.value):
            _check_name(name, bindings, params, out, extra=extra, unbound=unbound)
        _check_expr_parts(assignment.value, bindings, out)
        if fact_type is None:
            continue
        info = fact_type.field(assignment.field)
        settable = [f.name for f in fact_type.fields if f.init]
        if info is None or not info.init:
            why = "is computed" if info is not None else "does not exist"
            out.add(
                assignment.span,
                "OSS040",
                f"{fact_type.name}.{assignment.field} {why}"
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
    if fact_type is None:
        return
    defaults = {a.name for a in attrs.fields(fact_type.cls) if a.default is not attrs.NOTHING}
    # A misspelt field (`modul:`) is reported with the field it is close to (OSS040); that
    # field is not also missing: one mistake, one diagnostic.
    settable = [f.name for f in fact_type.fields if f.init]
    meant = {
        close
        for name in given
        if fact_type.field(name) is None
        for close in difflib.get_close_matches(name, sorted(settable), n=1, cutoff=0.6)
    }
    missing = [
        f.name for f in fact_type.fields if f.init and f.name not in given | defaults | meant
    ]
    if missing:
        out.add(
            derivation.span,
            "OSS042",
            f"{fact_type.name}(...) misses required field(s) {', '.join(missing)}",
            "add " + ", ".join(f"{m}: ..." for m in missing),
        )
