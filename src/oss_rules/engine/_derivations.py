"""A rule's ``then`` and its absences as generated Python, for the compiled backend.

``_derive(run, m)`` builds the derived facts of a match; a value not known to be valid is
validated by its class's own validator, as on the durable backend (see ``_construct``:
copies of checked fields, literals and params checked once are not checked again);
``_absent(run, m)`` renders
each negated pattern with the values it was checked against, in the words of
:func:`oss_rules.engine._derive.compile_absent`, so that traces are byte-identical.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from typing import Any

from ..language import syntax as s
from ..language._unparse import literal as _literal
from ..model.registry import FactRegistry, FactType
from ._construct import derivation_constructor
from ._derive import negated_parts
from ._expressions import Generator, Scope


def _unpack(rule: s.Rule) -> str:
    count = len(rule.positives)
    if count == 0:
        return ""
    return "    " + "".join(f"b{i}, " for i in range(count)) + "= m"


def deriver(
    rule: s.Rule, gen: Generator, registry: FactRegistry, facts: Mapping[str, tuple[str, FactType]]
) -> str:
    """Source of ``_derive(run, m)``: the facts the rule's ``then`` builds from match ``m``."""
    lines = ["def _derive(run, m):", _unpack(rule), "    env = run.env", "    as_of = run.as_of"]
    lines.append("    out = []")

    bindings = {name: fact_type for name, (_, fact_type) in facts.items()}

    def call(cls: str, derivation: s.Derivation, scope: Scope) -> str:
        values = [(a.field, gen.expr(a.value, scope)) for a in derivation.assignments]
        make = derivation_constructor(derivation, registry, bindings, gen.params)
        if make is not None:
            # Positional, in the order the rule writes them: computed in that order, as
            # keyword arguments to the class would be.
            return f"{gen.constant(make)}(" + ", ".join(v for _, v in values) + ")"
        if all(f.isidentifier() and not keyword.iskeyword(f) for f, _ in values):
            return f"{cls}(" + ", ".join(f"{f}={v}" for f, v in values) + ")"
        return f"{cls}(**{{" + ", ".join(f"{f!r}: {v}" for f, v in values) + "})"

    for derivation in rule.then:
        cls = gen.constant(registry[derivation.fact_type].cls)
        if derivation.loop_over is None:
            lines.append(f"    out.append({call(cls, derivation, Scope(facts))})")
            continue
        assert derivation.loop_var is not None
        over = gen.expr(derivation.loop_over, Scope(facts))
        scope = Scope(facts, loop=(derivation.loop_var, "_item"))
        lines.append(f"    for _item in {over}:")
        lines.append(f"        out.append({call(cls, derivation, scope)})")
    lines.append("    return out")
    return "\n".join(line for line in lines if line)


def describer(rule: s.Rule, gen: Generator, facts: Mapping[str, tuple[str, FactType]]) -> str:
    """``no Type(field op value, ...)`` per negated pattern, as _compile describes them."""
    gen.namespace["_literal"] = _literal
    scope = Scope(facts)
    texts = []
    for name, conditions in negated_parts(rule, {*gen.params, *facts}):
        parts = [
            f"{gen.constant(head)} + _literal({gen.expr(value, scope)})"
            for head, value in conditions
        ]
        inner = ' + ", " + '.join(parts) if parts else '""'
        texts.append(f'{gen.constant(f"no {name}(")} + {inner} + ")"')
    body = "(" + "".join(f"{t}, " for t in texts) + ")"
    return "\n".join(
        line
        for line in (
            "def _absent(run, m):",
            _unpack(rule),
            "    env = run.env",
            "    as_of = run.as_of",
            f"    return {body}",
        )
        if line
    )


def bindings(rule: s.Rule, registry: FactRegistry) -> dict[str, tuple[str, FactType]]:
    """Every named positive pattern: binding name -> (variable, fact type)."""
    out: dict[str, tuple[str, FactType]] = {}
    for i, pattern in enumerate(rule.positives):
        if pattern.binding:
            out[pattern.binding] = (f"b{i}", registry[pattern.fact_type])
    return out


GeneratedDerive = Callable[[Any, tuple[Any, ...]], list[Any]]
GeneratedAbsent = Callable[[Any, tuple[Any, ...]], tuple[str, ...]]
Consequence = tuple[GeneratedDerive, GeneratedAbsent | None]
"""A rule's generated deriver and describer of absences (None: it negates nothing)."""


def compile_consequence(
    rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]
) -> Consequence | None:
    """Only the ``then`` side and the absences of ``rule`` as generated Python, for the
    durable backend's firings (None for a rule with an aggregate: its scope holds the
    aggregate's value, which the generated code does not compute). Both functions take
    an object with ``env`` and ``as_of`` and the facts the positive patterns matched."""
    if rule.aggregates:
        return None
    gen = Generator(params)
    facts = bindings(rule, registry)
    sources = [deriver(rule, gen, registry, facts)]
    if rule.negatives:
        sources.append(describer(rule, gen, facts))
    namespace = gen.namespace
    exec(compile("\n".join(sources), f"<then of rule {rule.label}>", "exec"), namespace)
    return namespace["_derive"], namespace["_absent"] if rule.negatives else None
