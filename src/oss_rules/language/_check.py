"""Check a read ruleset against its fact types and params: every name must resolve.

Runs at load time so that a mistake surfaces with file:line:col and a hint before
any fact is evaluated. Deeper static analysis (types, dead rules) builds on this.
This module checks the ruleset as a whole (param names, unique rule ids, the rules
tables' rows compile to, cycles between strata) and each rule's sources and size; a
rule's `when` is checked in :mod:`._when_check`, its `then` in :mod:`._then_check`, and
the names both use resolve in :mod:`._name_check`.
"""

from __future__ import annotations

from ..errors import suggest
from ..model.registry import FactRegistry
from . import syntax as s
from ._loader import RawRuleset
from ._name_check import NAME, RESERVED, Unbound
from ._positions import _Collector
from ._table_expand import MAX_PARTS, expand, template
from ._then_check import check_derivation
from ._typecheck import check_types
from ._when_check import check_when
from .stratify import stratify

MAX_PATTERNS = 15
"""durable-rules joins at most 16 facts per rule; one slot goes to the evaluation context."""


def check(raw: RawRuleset, registry: FactRegistry, out: _Collector) -> list[list[s.Rule]]:
    """Report every unresolved name, bad condition and negation cycle of ``raw``.

    Returns the strata of ``raw.rules`` (tables' rows included), meaningful when nothing
    was reported.
    """
    for name, span in raw.param_spans.items():
        if not NAME.match(name) or name in RESERVED:
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
    unbound = Unbound(rule, elsewhere)
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
    bindings, untyped = check_when(rule, raw.params, registry, out, unbound)
    for derivation in rule.then:
        check_derivation(derivation, bindings, raw.params, registry, out, untyped, unbound)
