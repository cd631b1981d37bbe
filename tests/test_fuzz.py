"""Fuzzing: whatever a hostile or careless user gives, the answer is a result or a clear error.

Allowed outcomes: a result, or an :class:`~oss_rules.errors.OssRulesError` (a documented
exit status 0, 1 or 2 on the command line) with no traceback and no file changed. Inputs:
input documents (random bytes, mutated examples, structured JSON), ruleset YAML
(mutations of the shipped rulesets, random bytes, deep nesting, aliases), command lines
and param overrides.

A run of ``make test`` tries a few examples per target (derandomized, so CI reproduces);
``make fuzz`` soaks with ``OSS_RULES_FUZZ_EXAMPLES`` examples per target, drawn afresh
each run. A finding becomes a regression test in the test file of its area.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from profiles import profile

import oss_rules
from oss_rules import Engine
from oss_rules.cli import main
from oss_rules.errors import OssRulesError
from oss_rules.language import shipped_rulesets
from oss_rules.model._json import loads
from oss_rules.model._text import decode
from oss_rules.model.convert import read_inventory

pytestmark = pytest.mark.slow

SOAK = int(os.environ.get("OSS_RULES_FUZZ_EXAMPLES", "0"))
"""Examples per target of a soak run (``make fuzz``); 0 in ordinary test runs."""


def fuzz(examples: int) -> settings:
    """A few derandomized examples normally; ``SOAK`` fresh ones in a soak run."""
    if SOAK:
        return settings(
            max_examples=SOAK,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    return settings(
        profile(examples), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


EXAMPLES = sorted((ROOT / "examples").rglob("*.json"))
EXAMPLE_BYTES = [p.read_bytes() for p in EXAMPLES]
SHIPPED_ROOTS = sorted(shipped_rulesets().values())
RULESET_FILES = sorted(p for root in SHIPPED_ROOTS for p in root.rglob("*.yaml"))


def allowed(action: Callable[[], Any]) -> Any:
    """Run ``action``: a value or an OssRulesError is fine, anything else fails the test."""
    try:
        return action()
    except OssRulesError as error:
        assert str(error), "an error must say what went wrong"
        return error


# --- input documents ---------------------------------------------------------------------


HOSTILE = [b"NaN", b"1e9999999999", b'"\\ud800"', b"[" * 50, b'"id": "x", ', b"\xff", b"\x00", b"-"]
"""Byte strings that broke the readers once (issue 14), inserted by the mutations."""


@st.composite
def mutated(draw: st.DrawFn, sources: list[bytes]) -> bytes:
    """One of ``sources`` with a few bytes flipped, inserted, deleted or the end cut."""
    data = bytearray(draw(st.sampled_from(sources)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat"]))
        if edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif edit == "cut":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


def evaluate_bytes(engine: Engine, data: bytes) -> Any:
    """What the command line does with an input file's bytes, up to the result."""
    inventory = read_inventory(loads(decode(data, "fuzz.json"), "fuzz.json"))
    return engine.evaluate(inventory.facts, as_of=inventory.as_of)


@fuzz(60)
@given(data=st.one_of(st.binary(max_size=300), mutated(EXAMPLE_BYTES)))
def test_input_bytes(engine: Engine, data: bytes) -> None:
    """Random and mutated input files give a result or an OssRulesError."""
    allowed(lambda: evaluate_bytes(engine, data))


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["2026-06-30", "2026-02-30", "20260630", "OSS-I", "w1", "h1", "high"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """Input documents whose facts are example facts with fields replaced by random JSON."""
    data = json.loads(draw(st.sampled_from(EXAMPLE_BYTES)))
    facts = data.get("facts", [])
    for _ in range(draw(st.integers(0, 3))):
        if not facts:
            break
        fact = draw(st.sampled_from(facts))
        key = draw(st.sampled_from([*fact, "as_of", "nope"]))
        fact[key] = draw(JSON)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["as_of", "facts", "extra"]))] = draw(JSON)
    return data


@fuzz(60)
@given(document=documents())
def test_structured_documents(engine: Engine, document: Any) -> None:
    """Example documents with random field values give a result or an OssRulesError."""

    def run() -> Any:
        inventory = read_inventory(document)
        return engine.evaluate(inventory.facts, as_of=inventory.as_of)

    allowed(run)


# --- rulesets ----------------------------------------------------------------------------

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
)


@st.composite
def ruleset_texts(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped ruleset file's name and its bytes, mutated, or replaced by hostile YAML."""
    path = draw(st.sampled_from(RULESET_FILES))
    kind = draw(st.sampled_from(["mutate", "lines", "bytes", "deep", "bomb"]))
    original = path.read_bytes()
    if kind == "mutate":
        return path.name, draw(mutated([original]))
    if kind == "lines":
        lines = original.split(b"\n")
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(lines) - 1))
            other = draw(st.integers(0, len(lines) - 1))
            lines[at] = lines[other] if draw(st.booleans()) else b""
        return path.name, b"\n".join(lines)
    if kind == "bytes":
        return path.name, draw(st.binary(max_size=200))
    if kind == "deep":
        depth = draw(st.integers(50, 3000))
        return path.name, b"rules: " + b"[" * depth + b"]" * depth + b"\n"
    return path.name, original + b"\n" + _BOMB.encode()


@contextmanager
def ruleset_copy(name: str, text: bytes) -> Iterator[Path]:
    """A copy of the shipped ruleset holding ``name``, with that file replaced by ``text``."""
    source = next(p for p in RULESET_FILES if p.name == name).parent
    if source.name == "tests":
        source = source.parent
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / source.name
        shutil.copytree(source, root)
        target = next(root.rglob(name))
        target.write_bytes(text)
        yield root


@fuzz(40)
@given(case=ruleset_texts())
def test_rulesets(case: tuple[str, bytes]) -> None:
    """Mutated, random, deep and alias-bomb rulesets load, or fail with a located
    RulesetError; one that loads compiles and evaluates the office example."""
    name, text = case
    with ruleset_copy(name, text) as root:

        def run() -> Any:
            ruleset = oss_rules.load(root)
            inventory = read_inventory(EXAMPLES[0])
            return Engine(ruleset).evaluate(inventory.facts, as_of=inventory.as_of)

        allowed(run)


# --- the command line --------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "evaluate",
        "explain",
        "report",
        "payroll",
        "submission",
        "check",
        "fmt",
        "schema",
        "test",
        "--json",
        "--ruleset",
        "--param",
        "--as-of",
        "--conclusion",
        "--why-not",
        "--month",
        "--csv",
        "-o",
        "--check",
        "--diff",
        "--workplace",
        "--max-facts",
        "--coverage",
        "--format",
        "oss",
        "id-k3",
        "",
        "-",
        "0",
        "NaN",
        "2026-06-30",
        "2026-03",
        "high_from=NaN",
        'physical=["fal"]',
        "Obligation(module > 3)",
        "Obligation(" * 40,
        "in.json",
        "out.csv",
        "rules.yaml",
        "missing.json",
    ]
)


def _snapshot(*roots: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for root in roots
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


SHIPPED = _snapshot(*SHIPPED_ROOTS)


@fuzz(40)
@given(argv=st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=7))
def test_command_lines(argv: list[str]) -> None:
    """Random command lines exit 0, 1 or 2 with no traceback, leave the inputs and the
    shipped rulesets unchanged, and write only the outputs they were asked for."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as scratch, chdir(scratch):
        Path("in.json").write_bytes(EXAMPLE_BYTES[0])
        shutil.copy(RULESET_FILES[0], "rules.yaml")
        before = _snapshot(Path("."))
        result = runner.invoke(main, argv)
        after = _snapshot(Path("."))
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    assert "Traceback" not in result.output, (argv, result.output)
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed <= {"rules.yaml"}, (argv, changed)
    if "rules.yaml" in changed:
        assert "fmt" in argv
    assert _snapshot(*SHIPPED_ROOTS) == SHIPPED


# --- param overrides ---------------------------------------------------------------------


@fuzz(60)
@given(
    overrides=st.dictionaries(
        st.sampled_from(["high_from", "medium_from", "physical", "nope", "high"]),
        JSON,
        max_size=2,
    )
)
def test_param_overrides(engine: Engine, overrides: dict[str, Any]) -> None:
    """Random param overrides are refused with a ParamError or give a result."""

    def run() -> Any:
        inventory = read_inventory(EXAMPLES[0])
        return Engine(engine.ruleset, params=overrides).evaluate(
            inventory.facts, as_of=inventory.as_of
        )

    allowed(run)
