"""Limits of one evaluation: durable's hashed ids never collide, max_facts stops early with
the right advice, durable's own C limits are refused up front, and an interrupted
evaluation releases its durable session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import durable_rules_engine
import pytest
from click.testing import CliRunner
from conftest import AS_OF, ROOT, hazard, workplace

from oss_rules import Engine
from oss_rules.cli import _common, main
from oss_rules.engine import _durable
from oss_rules.engine._ids import fact_index, fnv1a32, message_id
from oss_rules.errors import LimitError, OssRulesError
from oss_rules.model.domain import shipped_registry
from oss_rules.model.registry import MAX_FIELDS


def test_durable_hash_of_two_engine_ids_collides():
    """The collision that broke evaluations of 797,187 facts: durable hashes ids with
    32-bit FNV-1a, and "40189" and "797186" share a hash."""
    assert fnv1a32("40189") == fnv1a32("797186")


@pytest.mark.parametrize(("first", "second"), [(40189, 797186), (40188, 797187)])
def test_message_ids_never_share_a_hash(first: int, second: int):
    """The ids given to colliding indices differ in hash, and map back to their index."""
    a, b = message_id(first), message_id(second)
    assert fnv1a32(a) != fnv1a32(b)
    assert (fact_index(a), fact_index(b)) == (first, second)
    assert b != str(second)


@pytest.mark.slow
def test_message_ids_are_unique_in_hash_over_a_million():
    """Over the first 800,000 ids, every hash is distinct (the table is re-keyed where the
    decimal text would collide)."""
    hashes = {fnv1a32(message_id(i)) for i in range(0, 800_000, 1)}
    assert len(hashes) == 800_000
    assert fnv1a32("ctx") not in hashes


def test_an_input_over_max_facts_is_refused_up_front(engine: Engine):
    """An input larger than max_facts is refused before any work, pointing at splitting it."""
    small = Engine(engine.ruleset, max_facts=3)
    facts = [workplace(), *(hazard(f"h{i}") for i in range(4))]
    with pytest.raises(LimitError, match="the input has 5 facts, more than max_facts=3") as e:
        small.evaluate(facts, as_of=AS_OF)
    assert "split it" in str(e.value)


def test_many_derived_facts_from_a_large_input_blame_the_input(engine: Engine):
    """When an input near the limit derives past it, the advice is to split the input,
    not to look for a runaway rule."""
    small = Engine(engine.ruleset, max_facts=8)
    facts = [workplace(), *(hazard(f"h{i}") for i in range(5))]
    with pytest.raises(OssRulesError, match="the input is too large for one evaluation"):
        small.evaluate(facts, as_of=AS_OF)


def test_cli_max_facts(tmp_path: Path):
    """`oss-rules --max-facts N` sets the limit of every engine; over it, exit 2."""
    office = str(ROOT / "examples" / "office.json")
    result = CliRunner().invoke(main, ["--max-facts", "3", "evaluate", office])
    assert result.exit_code == 2
    assert "more than max_facts=3" in result.output
    assert CliRunner().invoke(main, ["--max-facts", "1000", "evaluate", office]).exit_code == 0


def test_an_input_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch):
    """A file larger than the input size limit is refused before it is read."""
    monkeypatch.setattr(_common, "MAX_INPUT_BYTES", 100)
    result = CliRunner().invoke(main, ["evaluate", str(ROOT / "examples" / "office.json")])
    assert result.exit_code == 2
    assert "more than 100 for one evaluation" in result.output


def test_too_many_fields_for_durable_is_a_limit_error():
    """A fact type with more fields than durable stores is a LimitError (an OssRulesError,
    still a ValueError), refused at registration."""
    big = attrs.make_class(
        "Big", {f"f{i}": attrs.field(type=int) for i in range(MAX_FIELDS + 1)}, frozen=True
    )
    with pytest.raises(LimitError, match=f"at most {MAX_FIELDS} fields") as caught:
        shipped_registry().register(big)
    assert isinstance(caught.value, OssRulesError | ValueError)


class _Interrupting:
    """durable's engine module, but raising KeyboardInterrupt after a chosen call returns."""

    def __init__(self, after: str) -> None:
        self._after = after

    def __getattr__(self, name: str) -> Any:
        real = getattr(durable_rules_engine, name)
        if name != self._after:
            return real

        def call(*args: Any) -> Any:
            real(*args)
            raise KeyboardInterrupt

        return call


def _live_sessions(engine: Engine, sids: range) -> list[str]:
    live = []
    for network in engine._networks:
        for sid in sids:
            try:
                durable_rules_engine.get_state(network.handle, str(sid))
            except durable_rules_engine.error:
                continue
            live.append(str(sid))
    return live


@pytest.mark.parametrize(
    "after", ["assert_facts", "start_action_for_state", "complete_and_start_action"]
)
def test_interrupted_evaluations_release_their_sessions(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, after: str
):
    """1,100 evaluations interrupted at the same point leave no durable session behind
    (durable allows 1,024 live sessions per ruleset: a leak would fail the next one), and
    the engine still evaluates."""
    fresh = Engine(engine.ruleset)
    facts = [workplace(), hazard()]
    monkeypatch.setattr(_durable, "_engine", _Interrupting(after))
    for _ in range(1100):
        with pytest.raises(KeyboardInterrupt):
            fresh.evaluate(facts, as_of=AS_OF)
    monkeypatch.setattr(_durable, "_engine", durable_rules_engine)
    assert _live_sessions(fresh, range(1, 1200)) == []
    assert fresh.evaluate(facts, as_of=AS_OF).obligations
