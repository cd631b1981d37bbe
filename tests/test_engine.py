"""The engine: stratified negation, recursion, set semantics, errors, determinism, threads."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from pathlib import Path

import attrs
import durable_rules_engine
import pytest
from conftest import AS_OF, ROOT, hazard, workplace, write_ruleset

import oss_rules
from oss_rules import Engine, EvaluationError, FactRegistry, FactsError, RulesetError
from oss_rules.engine._engine import BACKENDS
from oss_rules.errors import BackendError, ParamError
from oss_rules.model.domain import shipped_registry


@attrs.frozen
class Edge:
    """A directed edge, for recursion tests."""

    src: str
    dst: str


@attrs.frozen
class Reach:
    """Transitive closure of Edge."""

    src: str
    dst: str


@attrs.frozen
class Worst:
    """The highest-scoring hazard of a workplace."""

    workplace: str
    hazard: str


@attrs.frozen
class Counter:
    """A number that a runaway rule keeps incrementing."""

    n: int


def registry() -> FactRegistry:
    reg = shipped_registry()
    for cls in (Edge, Reach, Worst, Counter):
        reg.register(cls)
    return reg


HEADER = """\
ruleset: test
version: "0.1"
sources:
  t: test source
params:
  limit: 3
rules:
"""


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: the tests that take it hold for both."""
    return str(request.param)


def engine_for(tmp_path: Path, rules: str, **kwargs) -> Engine:
    root = write_ruleset(tmp_path / "rs", HEADER + rules)
    return Engine(oss_rules.load(root, registry=registry()), **kwargs)


def test_transitive_closure_is_a_fixpoint_with_set_semantics(tmp_path: Path, backend: str):
    """Positive recursion runs to fixpoint and derives each Reach once, even on a cycle."""
    engine = engine_for(
        tmp_path,
        """\
  - id: base
    cite: t
    when: [e: Edge()]
    then: ["Reach(src: e.src, dst: e.dst)"]
  - id: step
    cite: t
    when: [r: Reach(), e: Edge(src == r.dst)]
    then: ["Reach(src: r.src, dst: e.dst)"]
""",
        backend=backend,
    )
    edges = [Edge("a", "b"), Edge("b", "c"), Edge("c", "a")]
    result = engine.evaluate(edges, as_of=AS_OF)
    assert set(result.derived) == {Reach(x, y) for x in "abc" for y in "abc"}
    assert len(result.derived) == 9


@pytest.mark.parametrize("seed", range(6))
def test_self_negation_sees_every_fact_whatever_the_order(tmp_path: Path, seed: int, backend: str):
    """`not` is checked against all facts, even those asserted after the positive match.

    durable-rules does not re-check a negation before a queued activation fires; the
    engine's context gate makes this correct in any input order.
    """
    engine = engine_for(
        tmp_path,
        """\
  - id: worst
    cite: t
    when:
      - h: Hazard()
      - not: Hazard(workplace == h.workplace, score > h.score)
    then: ["Worst(workplace: h.workplace, hazard: h.id)"]
""",
        backend=backend,
    )
    facts = [workplace()] + [hazard(f"h{i}", likelihood=i, severity=i) for i in range(1, 6)]
    random.Random(seed).shuffle(facts)
    assert engine.evaluate(facts, as_of=AS_OF).derived == (Worst("w1", "h5"),)


def test_negation_over_a_derived_type_waits_for_its_stratum(tmp_path: Path, backend: str):
    """A `not` over a derived type sees every fact of that type, not a partial world."""
    engine = engine_for(
        tmp_path,
        """\
  - id: reach
    cite: t
    when: [e: Edge()]
    then: ["Reach(src: e.src, dst: e.dst)"]
  - id: unreached
    cite: t
    when:
      - e: Edge()
      - not: Reach(src == e.dst)
    then: ["Worst(workplace: e.dst, hazard: e.src)"]
""",
        backend=backend,
    )
    result = engine.evaluate([Edge("a", "b"), Edge("b", "c")], as_of=AS_OF)
    assert [w for w in result.derived if isinstance(w, Worst)] == [Worst("c", "b")]


def test_cycle_through_negation_is_rejected_at_load(tmp_path: Path):
    """A rule that depends on the absence of what it derives is a load error naming it."""
    root = write_ruleset(
        tmp_path / "rs",
        HEADER
        + """\
  - id: flip
    cite: t
    when:
      - e: Edge()
      - not: Reach(src == e.src)
    then: ["Reach(src: e.src, dst: e.dst)"]
""",
    )
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root, registry=registry())
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "OSS050"
    assert "flip" in diagnostic.message
    assert (diagnostic.line, diagnostic.col) == (8, 5)


def test_exception_in_then_is_raised_with_rule_and_facts(tmp_path: Path, backend: str):
    """A failing `then` raises EvaluationError naming rule, location and the matched facts."""
    engine = engine_for(
        tmp_path,
        """\
  - id: divide
    cite: t
    when: [h: Hazard()]
    then: ["Counter(n: round(h.score / (h.likelihood - 1)))"]
""",
        backend=backend,
    )
    with pytest.raises(EvaluationError) as info:
        engine.evaluate([workplace(), hazard(likelihood=1)], as_of=AS_OF)
    assert info.value.rule == "divide"
    assert "ZeroDivisionError" in str(info.value)
    assert "h=Hazard(id='h1'" in str(info.value)
    assert engine.evaluate([workplace(), hazard(likelihood=2)], as_of=AS_OF).derived


def test_invalid_derived_fact_is_an_evaluation_error(tmp_path: Path, backend: str):
    """A derivation that builds an invalid fact fails loudly instead of storing it."""
    engine = engine_for(
        tmp_path,
        """\
  - id: bad
    cite: t
    when: [h: Hazard()]
    then: ['Obligation(workplace: h.workplace, module: "OSS-IV-" + h.id)']
""",
        backend=backend,
    )
    with pytest.raises(EvaluationError, match="OSS-IV"):
        engine.evaluate([workplace(), hazard()], as_of=AS_OF)


def test_runaway_derivation_stops_at_max_facts(tmp_path: Path, backend: str):
    """A rule that derives new facts forever is stopped with a clear error."""
    engine = engine_for(
        tmp_path,
        """\
  - id: forever
    cite: t
    when: [c: Counter()]
    then: ["Counter(n: c.n + 1)"]
""",
        max_facts=200,
        backend=backend,
    )
    with pytest.raises(EvaluationError, match="max_facts=200"):
        engine.evaluate([Counter(0)], as_of=AS_OF)


def test_sessions_are_deleted_after_each_evaluation(engine: Engine):
    """No durable session outlives an evaluation, so memory stays flat."""
    engine.evaluate([workplace(), hazard()], as_of=AS_OF)
    for network in engine._networks:
        last = str(next(engine._sessions) - 1)
        with pytest.raises(durable_rules_engine.error):
            durable_rules_engine.get_state(network.handle, last)


def test_sessions_are_deleted_after_a_failure(tmp_path: Path):
    """A failing evaluation also deletes its session."""
    engine = engine_for(
        tmp_path,
        """\
  - id: divide
    cite: t
    when: [h: Hazard()]
    then: ["Counter(n: round(h.score / 0))"]
""",
    )
    with pytest.raises(EvaluationError):
        engine.evaluate([workplace(), hazard()], as_of=AS_OF)
    with pytest.raises(durable_rules_engine.error):
        durable_rules_engine.get_state(engine._networks[0].handle, "0")


def test_as_of_in_conditions_is_per_evaluation(tmp_path: Path, backend: str):
    """One compiled engine compares against each evaluation's own as_of."""
    engine = engine_for(
        tmp_path,
        """\
  - id: recent
    cite: t
    when: [h: Hazard(identified_on >= as_of - days(limit))]
    then: ["Counter(n: h.score)"]
""",
        backend=backend,
    )
    facts = [workplace(), hazard(identified_on=dt.date(2026, 6, 27))]
    assert engine.evaluate(facts, as_of=dt.date(2026, 6, 30)).derived == (Counter(1),)
    assert engine.evaluate(facts, as_of=dt.date(2026, 7, 1)).derived == ()


def test_null_never_satisfies_an_ordering(tmp_path: Path, backend: str):
    """A missing date is neither before nor after as_of; `== null` finds it."""
    engine = engine_for(
        tmp_path,
        """\
  - id: early
    cite: t
    when: [h: Hazard(identified_on < as_of)]
    then: ["Counter(n: 1)"]
  - id: unknown
    cite: t
    when: [h: Hazard(identified_on == null)]
    then: ["Counter(n: 2)"]
""",
        backend=backend,
    )
    assert engine.evaluate([workplace(), hazard()], as_of=AS_OF).derived == (Counter(2),)


def test_list_field_membership(tmp_path: Path, backend: str):
    """`"X" in list_field` matches facts whose list holds X."""
    engine = engine_for(
        tmp_path,
        """\
  - id: has-two
    cite: t
    when: [w: Workplace("OSS-II" in declared_modules)]
    then: ["Counter(n: w.headcount)"]
""",
        backend=backend,
    )
    facts = [
        workplace(id="a", headcount=1),
        workplace(id="b", headcount=2, declared_modules=("OSS-I", "OSS-II")),
    ]
    assert engine.evaluate(facts, as_of=AS_OF).derived == (Counter(2),)


def test_membership_in_another_facts_list(tmp_path: Path, backend: str):
    """`b.field in list_field` joins on list membership (checked in Python, not durable)."""
    engine = engine_for(
        tmp_path,
        """\
  - id: declared-obligation
    cite: t
    when:
      - o: Obligation()
      - w: Workplace(id == o.workplace, o.module in declared_modules)
    then: ["Counter(n: w.headcount)"]
""",
        backend=backend,
    )
    facts = [
        workplace(id="a", headcount=1, declared_modules=("OSS-I",)),
        workplace(id="b", headcount=2, declared_modules=("OSS-II",)),
        oss_rules.Obligation("a", "OSS-II"),
        oss_rules.Obligation("b", "OSS-II"),
    ]
    assert engine.evaluate(facts, as_of=AS_OF).derived == (Counter(2),)


def test_param_override_errors_name_the_param(engine: Engine):
    """Unknown or mistyped param overrides raise ParamError with a hint."""
    with pytest.raises(ParamError, match="did you mean `high_from`"):
        Engine(engine.ruleset, params={"high_form": 16})
    with pytest.raises(ParamError, match="must be a number"):
        Engine(engine.ruleset, params={"high_from": "16"})


def test_inventory_errors_are_all_reported(engine: Engine):
    """Duplicate ids and dangling references are reported together, with paths."""
    facts = [workplace(), workplace(headcount=99), hazard(workplace="w2")]
    with pytest.raises(FactsError) as info:
        engine.evaluate(facts, as_of=AS_OF)
    paths = [e.path for e in info.value.errors]
    assert paths == ["$.facts[1].id", "$.facts[2].workplace"]


def test_identical_facts_count_once(engine: Engine):
    """Set semantics for input: the same fact twice is one fact."""
    facts = [workplace(), hazard(), hazard()]
    assert len(engine.evaluate(facts, as_of=AS_OF).given) == 2


def test_as_of_must_be_a_date(engine: Engine):
    """as_of is a date, not a datetime or a string."""
    with pytest.raises(oss_rules.FactError, match="as_of"):
        engine.evaluate([workplace()], as_of="2026-06-30")  # type: ignore[arg-type]


def _example_facts() -> tuple[list, dt.date]:
    inventory = oss_rules.read_inventory(ROOT / "examples" / "construction.json")
    plant = oss_rules.read_inventory(ROOT / "examples" / "plant.json")
    return list(inventory.facts + plant.facts), inventory.as_of


@pytest.mark.parametrize("seed", range(5))
def test_fact_order_does_not_change_the_json_bytes(engine: Engine, seed: int):
    """Shuffled input gives byte-identical JSON output."""
    facts, as_of = _example_facts()
    expected = engine.evaluate(facts, as_of=as_of).to_json()
    random.Random(seed).shuffle(facts)
    assert engine.evaluate(facts, as_of=as_of).to_json() == expected


def test_threads_sharing_an_engine_get_identical_results(engine: Engine):
    """Eight threads evaluating on one engine get the same bytes as a lone evaluation."""
    facts, as_of = _example_facts()
    expected = engine.evaluate(facts, as_of=as_of).to_json()
    outputs: list[str] = []
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        mine = list(facts)
        random.Random(seed).shuffle(mine)
        try:
            for _ in range(5):
                outputs.append(engine.evaluate(mine, as_of=as_of).to_json())
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert outputs == [expected] * 40


def test_result_json_round_trips(engine: Engine):
    """Result.from_json(result.to_json()) is the same result."""
    facts, as_of = _example_facts()
    result = engine.evaluate(facts, as_of=as_of)
    again = oss_rules.Result.from_json(result.to_json())
    assert again == result
    assert json.loads(again.to_json()) == json.loads(result.to_json())


def test_explain_builds_the_proof_tree(engine: Engine):
    """A missing-module finding is explained by its rule, the absences, and its premises:
    the obligation and the one reason that no higher-ranked or smaller reason beats."""
    facts = [workplace(setting="field")]
    result = engine.evaluate(facts, as_of=AS_OF)
    finding = next(f for f in result.findings if f.code == "missing_module")
    assert finding.message == "OSS-III is required but not declared: field setting"
    proof = result.explain(finding)
    assert proof.rule == "missing-module"
    assert proof.absent == (
        'no DeclaredModule(workplace == "w1", module == "OSS-III")',
        'no ModuleReason(workplace == "w1", module == "OSS-III", rank > 0)',
        'no ModuleReason(workplace == "w1", module == "OSS-III", rank == 0, '
        'text < "field setting")',
    )
    obligation, reason = proof.premises
    assert reason.fact == oss_rules.domains.oss.facts.ModuleReason(
        "w1", "OSS-III", 0, "field setting"
    )
    assert reason.rule == "oss3-setting"
    assert obligation.fact == oss_rules.Obligation("w1", "OSS-III")
    assert obligation.rule == "oss3-setting"
    assert obligation.premises[0].rule is None
    assert obligation.premises[0].fact == facts[0]
    assert "seed-step2-oss3" in obligation.citations[0]


def test_result_carries_ruleset_identity(engine: Engine):
    """Every result names the ruleset id, version and content digest that decided it."""
    result = engine.evaluate([workplace()], as_of=AS_OF)
    assert result.ruleset.id == "oss"
    assert result.ruleset.version == engine.ruleset.version
    assert result.ruleset.digest.startswith("sha256:") and len(result.ruleset.digest) == 71


def test_rule_of_only_a_python_checked_negation_fires(tmp_path: Path, backend: str):
    """A rule whose only pattern is a negation checked in Python still fires once."""
    engine = engine_for(
        tmp_path,
        """\
  - id: nothing-future
    cite: t
    when:
      - not: Hazard(identified_on > as_of)
    then: ["Counter(n: 1)"]
""",
        backend=backend,
    )
    assert engine.evaluate([workplace()], as_of=AS_OF).derived == (Counter(1),)
    future = hazard(identified_on=AS_OF + dt.timedelta(days=1))
    assert engine.evaluate([workplace(), future], as_of=AS_OF).derived == ()


@pytest.mark.parametrize(
    "condition",
    ['reported_by != "worker"', "reported_by != w.sector", 'reported_by not in ["worker"]'],
)
def test_null_is_unequal_to_every_value_on_every_path(tmp_path: Path, condition: str, backend: str):
    """`!=` and `not in` treat null alike whether durable or Python checks them."""
    engine = engine_for(
        tmp_path,
        f"""\
  - id: not-worker
    cite: t
    when:
      - w: Workplace()
      - h: Hazard({condition})
    then: ["Counter(n: h.score)"]
""",
        backend=backend,
    )
    facts = [
        workplace(sector="worker"),
        hazard("h1", likelihood=2, severity=2),
        hazard("h2", likelihood=3, severity=3, reported_by="worker"),
    ]
    assert engine.evaluate(facts, as_of=AS_OF).derived == (Counter(4),)


@pytest.mark.parametrize(
    ("extra", "of_two"),
    [("", ()), (", score >= h.score", (Counter(2),))],
    ids=["durable", "python"],
)
def test_negation_never_matches_the_fact_already_bound(
    tmp_path: Path, extra: str, of_two, backend: str
):
    """A negated pattern ignores the facts the rule's positive patterns matched, on both paths."""
    engine = engine_for(
        tmp_path,
        f"""\
  - id: alone
    cite: t
    when:
      - h: Hazard()
      - not: Hazard(workplace == h.workplace{extra})
    then: ["Counter(n: h.score)"]
""",
        backend=backend,
    )
    assert engine.evaluate([workplace(), hazard()], as_of=AS_OF).derived == (Counter(1),)
    two = [workplace(), hazard("a"), hazard("b", severity=2)]
    assert engine.evaluate(two, as_of=AS_OF).derived == of_two


def test_given_fact_that_is_also_derived_is_a_conclusion(engine: Engine):
    """A conclusion the input already states is still reported, with its proof."""
    given = oss_rules.Obligation("w1", "OSS-I")
    result = engine.evaluate([workplace(), given], as_of=AS_OF)
    assert result.obligations == (given,)
    assert result.explain(given).rule == "oss1-every-workplace"


def test_app_fact_with_invalid_field_is_rejected_before_evaluation(tmp_path: Path, backend: str):
    """An app's unvalidated attrs class is checked field by field at evaluate()."""
    engine = engine_for(
        tmp_path,
        "  []\n".replace("  []\n", "")
        + """\
  - id: count
    cite: t
    when: [c: Counter()]
    then: ["Counter(n: c.n)"]
""",
        backend=backend,
    )
    with pytest.raises(FactsError) as info:
        engine.evaluate([Counter("seven")], as_of=AS_OF)
    (error,) = info.value.errors
    assert (error.fact, error.field, error.value, error.path) == (
        "Counter",
        "n",
        "seven",
        "$.facts[0].n",
    )


def test_param_overrides_are_recorded_in_the_result(engine: Engine):
    """A result names the params its engine overrode, so an audit can tell."""
    overridden = Engine(engine.ruleset, params={"high_from": 16})
    assert overridden.evaluate([workplace()], as_of=AS_OF).ruleset.overrides == {"high_from": 16}
    assert engine.evaluate([workplace()], as_of=AS_OF).ruleset.overrides == {}


def test_expressions_reach_only_fact_fields(tmp_path: Path, backend: str):
    """`x.attr` works on a fact's fields only, never on Python internals.

    The load-time check refuses `h.id.__class__` (text has no fields); a value of a type it
    cannot tell (a coalesce of text and a number) reaches the evaluation's own guard.
    """
    engine = engine_for(
        tmp_path,
        """\
  - id: sneaky
    cite: t
    when: [h: Hazard()]
    then: ["Counter(n: len(coalesce(h.id, 0).__class__))"]
""",
        backend=backend,
    )
    with pytest.raises(EvaluationError, match="`__class__` is not a field"):
        engine.evaluate([workplace(), hazard()], as_of=AS_OF)


def test_an_unknown_backend_is_refused_with_the_list(engine: Engine):
    """`Engine(backend=...)` names the backends when given another one."""
    with pytest.raises(BackendError) as info:
        Engine(engine.ruleset, backend="compield")
    assert str(info.value) == (
        "backend must be one of 'durable', 'compiled' (got backend='compield')"
        " (did you mean `compiled`?)"
    )
    assert isinstance(info.value, ValueError)
    assert Engine(engine.ruleset, backend="compiled").backend == "compiled"
    assert engine.backend == "durable"


def test_compiled_threads_sharing_an_engine_get_identical_results(engine: Engine):
    """The compiled backend keeps no state between evaluations: threads may share it."""
    compiled = Engine(engine.ruleset, backend="compiled")
    facts = [workplace(), hazard("h1", likelihood=5, severity=5), hazard("h2", category="fall")]
    expected = engine.evaluate(facts, as_of=AS_OF).to_json()
    outputs: list[str] = []

    def work() -> None:
        for _ in range(5):
            outputs.append(compiled.evaluate(facts, as_of=AS_OF).to_json())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outputs == [expected] * 20


def test_a_recursion_is_matched_once_per_combination(tmp_path: Path, backend: str):
    """Semi-naive rounds give each rule application one trace entry, as durable does."""
    engine = engine_for(
        tmp_path,
        """\
  - id: base
    cite: t
    when: [e: Edge()]
    then: ["Reach(src: e.src, dst: e.dst)"]
  - id: join
    cite: t
    when: [a: Reach(), b: Reach(src == a.dst)]
    then: ["Reach(src: a.src, dst: b.dst)"]
""",
        backend=backend,
    )
    chain = [Edge(str(i), str(i + 1)) for i in range(6)]
    result = engine.evaluate(chain, as_of=AS_OF)
    assert len(result.derived) == 21  # every i < j among 0..6
    joins = [i for i in result.trace if i.rule == "join"]
    assert len(joins) == len({(i.fact, i.premises) for i in joins})
    # Reach(i, k) is joined from (i, j) and (j, k) for every i < j < k.
    assert len(joins) == sum(k - i - 1 for i in range(7) for k in range(i + 1, 7))


def test_a_condition_failing_on_a_match_durable_never_completes_is_no_error(
    tmp_path: Path, backend: str
):
    """Errors are durable's: a condition left to Python fails only on complete matches.

    The compiled backend checks the hazard's condition before it looks for the
    workplace; when that fails, it redoes the rule in durable's order, so a hazard
    whose workplace never matches raises nothing, and one whose workplace matches
    raises the same EvaluationError on both backends.
    """
    engine = engine_for(
        tmp_path,
        """\
  - id: half
    cite: t
    when:
      - h: Hazard(identified_on < as_of - days(round(4 / (likelihood - 1))))
      - w: Workplace(id == h.workplace, sector == "mining")
    then: ["Counter(n: h.score)"]
""",
        backend=backend,
    )
    failing = hazard(likelihood=1, identified_on=dt.date(2026, 1, 1))
    assert engine.evaluate([workplace(), failing], as_of=AS_OF).derived == ()
    with pytest.raises(EvaluationError) as info:
        engine.evaluate([workplace(sector="mining"), failing], as_of=AS_OF)
    assert info.value.rule == "half"
    assert "ZeroDivisionError" in str(info.value) and "w=Workplace(id='w1'" in str(info.value)
    fine = hazard(likelihood=2, identified_on=dt.date(2026, 1, 1))
    result = engine.evaluate([workplace(sector="mining"), fine], as_of=AS_OF)
    assert result.derived == (Counter(2),)
