"""Check a ruleset's properties with hypothesis: the engine of ``oss-rules verify``.

For each property declared in the ruleset's ``properties:`` section, and for three
built-in ones (order independence, idempotence, JSON round trip), hypothesis generates
valid inputs for the ruleset's input types and looks for a counterexample. A failure is
shrunk to a minimal one and reported as a ruleset test case, ready to paste into
``<ruleset>/tests/``. Runs are deterministic: the same seed gives the same examples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from ..engine._engine import Engine
from ..errors import OssRulesError
from ..language import syntax as s
from ..language.stratify import derived_types
from ..model.convert import Inventory
from . import _checks as properties
from . import _declared, _edges
from ._judge import Case, input_json
from ._reduce import reduce
from ._report import Layout, Outcome, Report
from ._reproducible import no_local_constants
from .strategies import Raise, fact_lists, raised

__all__ = ["Outcome", "Report", "verify"]

BUILTIN = ("order-independence", "idempotence", "json-round-trip")


def input_types(ruleset: s.Ruleset, declared: Sequence[_declared.Property]) -> list[str]:
    """The types that rules and properties read and no rule derives, with the types they
    reference, in registry order."""
    derived = {t for rule in ruleset.rules for t in derived_types(rule)}
    read = {p.fact_type for rule in ruleset.rules for p in rule.patterns}
    for prop in declared:
        if isinstance(prop, _declared.Monotone):
            read |= {path.partition(".")[0] for path in prop.raise_}
        else:
            read |= {p.fact_type for p in prop.when}
    wanted = read - derived
    for name in list(wanted):
        wanted |= {f.references for f in ruleset.registry[name].fields if f.references}
    return [name for name in ruleset.registry.names() if name in wanted]


def inputs(
    types: Sequence[str],
    ruleset: s.Ruleset,
    params: Mapping[str, Any],
    declared: Sequence[_declared.Property] = (),
) -> st.SearchStrategy[Inventory]:
    """Inventories of ``types`` for ``ruleset``: numbers and dates cluster at the
    thresholds, day counts and month counts of its params, rules and properties (see
    :mod:`._edges`)."""
    found = _edges.edges(ruleset, params, declared)
    dates = _edges.as_of_dates_for(found)

    @st.composite
    def draw_inventory(draw: st.DrawFn) -> Inventory:
        as_of = draw(dates)
        facts = draw(
            fact_lists(
                types,
                as_of=as_of,
                registry=ruleset.registry,
                boundaries=found.numbers,
                months=found.months,
            )
        )
        return Inventory(as_of, facts)

    return draw_inventory()


def verify(
    ruleset: s.Ruleset,
    *,
    max_examples: int = 100,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    backend: str = "durable",
    on_start: Callable[[Layout], None] | None = None,
    on_example: Callable[[str, int, bool], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Report:
    """Check the properties of ``ruleset`` (those named in ``only``, or all) on an
    engine with ``backend``.

    The callbacks let a caller show the run as it goes: ``on_start`` gets the layout of
    the report before the first property is checked, ``on_example`` the property's id,
    the number of examples tried so far and whether hypothesis is shrinking a failure
    (after every example), and ``on_outcome`` each property's outcome as it finishes.

    Raises :class:`~oss_rules.errors.RulesetError` for a mistake in the ``properties:``
    section and :class:`~oss_rules.errors.ParamError` for a bad override.
    """
    declared = _declared.read(ruleset)
    engine = Engine(ruleset, params=params, backend=backend)
    strategy = inputs(input_types(ruleset, declared), ruleset, engine.params, declared)
    checks: list[tuple[str, str, str, st.SearchStrategy[Any], Callable[[Any], None]]] = []
    for prop in declared:
        checks.append((prop.id, prop.kind, prop.title, *_declared_check(prop, engine, strategy)))
    for name in BUILTIN:
        checks.append((name, "builtin", _TITLES[name], *_builtin_check(name, engine, strategy)))
    unknown = set(only) - {c[0] for c in checks}
    if unknown:
        raise KeyError(
            f"no property {sorted(unknown)[0]!r} (properties: {', '.join(c[0] for c in checks)})"
        )
    chosen = [c for c in checks if not only or c[0] in only]
    overrides = dict(params or {})
    layout = Layout(
        ruleset,
        tuple(c[0] for c in chosen),
        sum(c[1] != "builtin" for c in chosen),
        max_examples,
        seed,
        overrides,
    )
    if on_start is not None:
        on_start(layout)
    outcomes = []
    for prop_id, kind, title, values, body in chosen:
        tried = _counted(prop_id, body, on_example) if on_example is not None else body
        outcome = _run(prop_id, kind, title, values, tried, engine, max_examples, seed)
        if outcome.case is not None and overrides:
            outcome.case["params"] = overrides
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return Report(ruleset, tuple(outcomes), max_examples, seed, overrides)


def _counted(
    prop_id: str, body: Callable[[Any], None], on_example: Callable[[str, int, bool], None]
) -> Callable[[Any], None]:
    """``body``, telling ``on_example`` how many examples it was called with, and whether
    one of them failed (from then on hypothesis is shrinking)."""
    tried = 0
    failed = False

    def counted(value: Any) -> None:
        nonlocal tried, failed
        tried += 1
        try:
            body(value)
        except Exception:
            failed = True
            raise
        finally:
            on_example(prop_id, tried, failed)

    return counted


_TITLES = {
    "order-independence": "The same facts in any order give the same JSON",
    "idempotence": "Feeding the conclusions back in concludes nothing new",
    "json-round-trip": "Facts and results survive JSON",
}


def _builtin_check(
    name: str, engine: Engine, strategy: st.SearchStrategy[Inventory]
) -> tuple[st.SearchStrategy[Any], Callable[[Any], None]]:
    if name == "order-independence":

        def order(value: tuple[Inventory, Any]) -> None:
            inventory, rng = value
            properties.assert_order_independent(
                engine, inventory.facts, inventory.as_of, shuffles=2, random=rng
            )

        return st.tuples(strategy, st.randoms(use_true_random=False)), order
    if name == "idempotence":

        def idempotent(inventory: Inventory) -> None:
            properties.assert_idempotent(engine, inventory.facts, inventory.as_of)

        return strategy, idempotent

    def round_trip(inventory: Inventory) -> None:
        properties.assert_json_round_trip(engine.evaluate(inventory.facts, as_of=inventory.as_of))

    return strategy, round_trip


def _declared_check(
    prop: _declared.Property, engine: Engine, strategy: st.SearchStrategy[Inventory]
) -> tuple[st.SearchStrategy[Any], Callable[[Any], None]]:
    if isinstance(prop, _declared.Monotone):
        changes = raised(strategy, prop.raise_, registry=engine.ruleset.registry)
        of = f"{prop.of}.{prop.rank}" if prop.rank else prop.of

        def monotone(change: Raise) -> None:
            properties.assert_monotone(engine, change, of=of, by=prop.by, order=prop.order)

        return changes, monotone
    if isinstance(prop, _declared.Never):

        def never(inventory: Inventory) -> None:
            result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
            properties.never_holds(result, engine.params, prop.when, prop.then)

        return strategy, never

    def always(inventory: Inventory) -> None:
        result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
        properties.always_holds(result, engine.params, prop.when, prop.then, prop.exactly_one)

    return strategy, always


def _run(
    prop_id: str,
    kind: str,
    title: str,
    values: st.SearchStrategy[Any],
    body: Callable[[Any], None],
    engine: Engine,
    max_examples: int,
    seed_value: int,
) -> Outcome:
    failing: list[Any] = []

    def guarded(value: Any) -> None:
        try:
            body(value)
        except properties.PropertyError:
            failing[:] = [value]
            raise
        except OssRulesError as error:
            # Valid input must never make a rule fail: that is a counterexample too.
            failing[:] = [value]
            message = f"valid input made the evaluation fail: {type(error).__name__}: {error}"
            broken = _failing_input(engine, value)
            raise properties.PropertyError(message, _input_case(broken, message, engine)) from None

    test = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )(given(values)(guarded))
    try:
        with no_local_constants():
            seed(seed_value)(test)()
    except properties.PropertyError as failure:
        # hypothesis ran the minimal example last; drop the facts it could not.
        final = _smallest(failing[0], guarded, engine) if failing else failure
        found = dict(final.case) if final.case is not None else None
        if found is not None:
            found["name"] = f"property {prop_id}"
            found["description"] = f"{title}; a counterexample found by oss-rules verify"
        return Outcome(prop_id, kind, title, str(final), found)
    except HypothesisException as error:
        return Outcome(prop_id, kind, title, f"could not check it: {type(error).__name__}: {error}")
    return Outcome(prop_id, kind, title)


def _smallest(value: Any, check: Callable[[Any], None], engine: Engine) -> properties.PropertyError:
    """The failure of the smallest variant of ``value`` (see ``oss_rules.verify._reduce``)."""

    def fails(example: Any) -> bool:
        try:
            check(example)
        except properties.PropertyError:
            return True
        return False

    if isinstance(value, Inventory | Raise):
        value = reduce(value, fails, engine.ruleset.registry)
    try:
        check(value)
    except properties.PropertyError as failure:
        return failure
    raise AssertionError("a counterexample stopped failing")  # pragma: no cover


def _failing_input(engine: Engine, value: Any) -> Inventory:
    """The inventory of a generated ``value`` whose evaluation fails."""
    if isinstance(value, Raise):
        try:
            engine.evaluate(value.before.facts, as_of=value.before.as_of)
        except OssRulesError:
            return value.before
        return Inventory(value.before.as_of, value.after)
    return value[0] if isinstance(value, tuple) else value  # type: ignore[no-any-return]


def _input_case(inventory: Inventory, message: str, engine: Engine) -> Case:
    registry = engine.ruleset.registry
    return {
        "name": "property",
        "description": message,
        "as_of": inventory.as_of.isoformat(),
        "given": [input_json(f, registry) for f in inventory.facts],
    }
