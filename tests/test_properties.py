"""oss_rules.verify.properties, the ``properties:`` section and ``oss-rules verify``.

The ready-made properties hold for the shipped ruleset on generated inventories, and
each one fails, with a clear message and a test case, when its promise is broken.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from profiles import profile

import oss_rules
from oss_rules import Engine, Hazard, RulesetError, Workplace
from oss_rules.authoring import testing
from oss_rules.cli import main
from oss_rules.errors import PropertyError
from oss_rules.verify import properties, strategies
from oss_rules.verify._judge import render_case
from oss_rules.verify._runner import verify

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rulesets" / "oss"
AS_OF = dt.date(2026, 6, 30)
SITE = Workplace(id="w1", sector="retail", setting="office", headcount=3)


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The shipped ruleset, compiled once for this module."""
    return Engine(oss_rules.load_default())


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the shipped ruleset whose high band starts at 16, so 15 is medium."""
    copy = tmp_path / "oss"
    shutil.copytree(SHIPPED, copy)
    header = copy / "ruleset.yaml"
    text = header.read_text("utf-8")
    assert "  high_from: 15\n" in text
    header.write_text(text.replace("  high_from: 15\n", "  high_from: 16\n"), "utf-8")
    return copy


# --- the properties hold for the shipped ruleset -------------------------------------


@pytest.mark.slow
@profile(60)
@given(strategies.inventories(max_hazards=5), st.randoms(use_true_random=False))
def test_shipped_ruleset_is_deterministic_and_order_independent(
    engine: Engine, inventory: oss_rules.Inventory, rng: Any
) -> None:
    """Same facts, same JSON bytes: again, with a fresh engine, and in shuffled orders."""
    properties.assert_deterministic(engine, inventory.facts, inventory.as_of)
    properties.assert_order_independent(engine, inventory.facts, inventory.as_of, random=rng)


@pytest.mark.slow
@profile(100)
@given(strategies.inventories())
def test_shipped_ruleset_is_total_idempotent_and_round_trips(
    engine: Engine, inventory: oss_rules.Inventory
) -> None:
    """Every workplace gets OSS-I and every hazard one level; feeding the conclusions back
    changes nothing; facts and results survive JSON."""
    properties.assert_total(engine, inventory.facts, inventory.as_of)
    properties.assert_idempotent(engine, inventory.facts, inventory.as_of)
    result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
    properties.assert_json_round_trip(result)


@pytest.mark.slow
@profile(100)
@given(strategies.raised(strategies.inventories(min_hazards=1, max_hazards=4)))
def test_raising_a_likelihood_or_severity_is_monotone(
    engine: Engine, change: strategies.Raise
) -> None:
    """A higher likelihood or severity never lowers a level and never loses an obligation
    or a preventive action (whose due date may move)."""
    properties.assert_monotone(engine, change, of="Classification.level", by=["hazard"])
    properties.assert_monotone(engine, change, of="Obligation")
    properties.assert_monotone(engine, change, of="Action", by=["workplace", "hazard"])


# --- and each one fails, clearly, when broken ----------------------------------------


def test_always_fails_with_the_missing_conclusion_and_a_test_case(broken: Path) -> None:
    """always: the message names the bound fact and what was concluded instead; the case
    expects the conclusion the `then` pattern asks for."""
    engine = Engine(oss_rules.load(broken))
    hazard = Hazard(id="h1", workplace="w1", category="fall", likelihood=3, severity=5)
    with pytest.raises(PropertyError) as info:
        properties.assert_always(
            engine,
            [SITE, hazard],
            AS_OF,
            when=["h: Hazard(score >= 15)"],
            then='Classification(hazard == h.id, level == "high")',
        )
    assert "for h = Hazard(id='h1'" in str(info.value)
    assert "level='medium'" in str(info.value)
    assert info.value.case is not None
    assert info.value.case["expect"] == [
        {"type": "Classification", "hazard": "h1", "level": "high"}
    ]
    assert info.value.case["given"][1] == {
        "type": "Hazard",
        "id": "h1",
        "workplace": "w1",
        "category": "fall",
        "likelihood": 3,
        "severity": 5,
    }


def test_never_fails_with_the_offending_conclusion(engine: Engine) -> None:
    """never: the case forbids exactly the conclusion that should not have been drawn."""
    with pytest.raises(PropertyError, match="matches Obligation") as info:
        properties.assert_never(
            engine,
            [SITE],
            AS_OF,
            when="w: Workplace()",
            then='Obligation(workplace == w.id, module == "OSS-I")',
        )
    assert info.value.case is not None
    assert info.value.case["absent"] == [
        {"type": "Obligation", "workplace": "w1", "module": "OSS-I"}
    ]


def test_exactly_one_counts_matches(engine: Engine) -> None:
    """always with exactly_one fails when several conclusions match."""
    properties.assert_always(
        engine,
        [SITE],
        AS_OF,
        when="w: Workplace()",
        then="Obligation(workplace == w.id)",
        exactly_one=True,
    )
    field = SITE.__class__(id="f1", sector="x", setting="field", headcount=1)
    with pytest.raises(PropertyError, match="2 conclusions match"):
        properties.assert_always(
            engine,
            [field],
            AS_OF,
            when="w: Workplace()",
            then="Obligation(workplace == w.id)",
            exactly_one=True,
        )


def test_patterns_in_properties_are_checked(engine: Engine) -> None:
    """A typo in a property's pattern is a RulesetError with a code, not a silent pass."""
    with pytest.raises(RulesetError, match="OSS035"):
        properties.assert_always(
            engine, [SITE], AS_OF, when="w: Workplace()", then="Obligation(workplace == w.idd)"
        )
    with pytest.raises(RulesetError, match="OSS001"):
        properties.assert_always(engine, [SITE], AS_OF, when="w: Workplace(", then="Obligation()")


INVERTED = """\
ruleset: inverted
version: "1"
sources:
  s: A deliberately wrong matrix for the tests.
rules:
  - id: small-is-high
    cite: s
    when:
      - h: Hazard(score <= 12)
    then:
      - 'Classification(workplace: h.workplace, hazard: h.id, category: h.category,
        score: h.score, level: "high")'
  - id: big-is-medium
    cite: s
    when:
      - h: Hazard(score > 12)
    then:
      - 'Classification(workplace: h.workplace, hazard: h.id, category: h.category,
        score: h.score, level: "medium")'
  - id: high-needs-oss2
    cite: s
    when:
      - c: Classification(level == "high")
    then:
      - 'Obligation(workplace: c.workplace, module: "OSS-II")'
"""


def _raise_severity(old: int, new: int) -> strategies.Raise:
    def hazard(severity: int) -> Hazard:
        return Hazard(id="h1", workplace="w1", category="fall", likelihood=3, severity=severity)

    before = oss_rules.Inventory(AS_OF, (SITE, hazard(old)))
    return strategies.Raise(before, (SITE, hazard(new)), hazard(old), "severity", old, new)


def test_monotone_fails_when_a_raise_lowers_a_level_or_loses_a_conclusion(
    tmp_path: Path,
) -> None:
    """monotone: a matrix that makes 12 high and 15 medium lowers the level of a hazard
    whose severity rises from 4 to 5, and loses the obligation that the level gave."""
    (tmp_path / "ruleset.yaml").write_text(INVERTED, "utf-8")
    engine = Engine(oss_rules.load(tmp_path))
    change = _raise_severity(4, 5)
    with pytest.raises(PropertyError, match="fell from 'high' to 'medium'") as info:
        properties.assert_monotone(engine, change, of="Classification.level", by=["hazard"])
    assert str(info.value).startswith("raising Hazard h1: severity 4 -> 5\nlevel of ")
    assert info.value.case is not None
    assert info.value.case["expect"] == [{"type": "Classification", "hazard": "h1"}]
    assert info.value.case["absent"] == [
        {"type": "Classification", "hazard": "h1", "level": "low"},
        {"type": "Classification", "hazard": "h1", "level": "medium"},
    ]
    with pytest.raises(PropertyError, match="is no longer concluded") as lost:
        properties.assert_monotone(engine, change, of="Obligation")
    assert lost.value.case is not None
    assert lost.value.case["expect"] == [
        {"type": "Obligation", "workplace": "w1", "module": "OSS-II"}
    ]
    # Lowering the severity is no raise: nothing is promised, nothing fails.
    properties.assert_monotone(engine, _raise_severity(5, 4), of="Obligation")


def _shifted(engine: Engine, days: int) -> Any:
    """engine.evaluate, but every call after the first evaluates ``days`` later."""
    evaluate, calls = engine.evaluate, []

    def shifted(facts: Any, *, as_of: dt.date) -> Any:
        calls.append(facts)
        later = as_of + dt.timedelta(days=days * (len(calls) > 1))
        return evaluate(facts, as_of=later)

    return shifted


@pytest.mark.slow
def test_determinism_order_and_idempotence_failures_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine whose answer changes between calls fails determinism, order independence
    and idempotence, each with a message that says which."""
    facts = [SITE]
    for check, words in (
        (properties.assert_deterministic, "not deterministic: evaluating again"),
        (properties.assert_order_independent, "order matters"),
        (properties.assert_idempotent, "not idempotent"),
    ):
        engine = Engine(oss_rules.load_default())
        monkeypatch.setattr(engine, "evaluate", _shifted(engine, 400))
        with pytest.raises(PropertyError, match=words):
            check(engine, facts, AS_OF)


def test_rejected_fails_for_an_accepted_document() -> None:
    """assert_rejected returns the typed error, and fails when the input is accepted."""
    error = properties.assert_rejected({"as_of": "2026-02-30", "facts": []})
    assert isinstance(error, oss_rules.FactsError)
    with pytest.raises(PropertyError, match="accepted"):
        properties.assert_rejected({"as_of": "2026-06-30", "facts": []})


# --- the properties: section ---------------------------------------------------------

HEADER = """\
ruleset: checked
version: "1"
sources:
  s: A source.
params:
  high_from: 15
"""
RULES = """\
rules:
  - id: r
    cite: s
    when:
      - w: Workplace()
    then:
      - 'Obligation(workplace: w.id, module: "OSS-I")'
"""


@pytest.mark.parametrize(
    ("section", "codes", "text"),
    [
        ("properties: {a: 1}\n", {"OSS301"}, "must be a list"),
        ("properties:\n  - 3\n", {"OSS301"}, "must be a mapping"),
        ("properties:\n  - id: p\n    alwayz: {}\n", {"OSS302", "OSS303"}, "did you mean `always`"),
        ("properties:\n  - title: t\n    never: {}\n", {"OSS303"}, "needs an `id`"),
        (
            "properties:\n  - id: p\n    always:\n      then: Obligation()\n",
            {"OSS304"},
            "needs a `when` list",
        ),
        (
            "properties:\n  - id: p\n    always:\n      when:\n        - w: Workplace(\n"
            "      then: Obligation()\n",
            {"OSS001"},
            "cannot parse pattern",
        ),
        (
            "properties:\n  - id: p\n    never:\n      when:\n        - w: Workplace()\n"
            "      then: Obligation(workplace == w.idd)\n",
            {"OSS035"},
            "has no field `idd`",
        ),
        (
            "properties:\n  - id: p\n    cite: x\n    monotone:\n      in: Hazard.score\n"
            "      of: Obligation\n",
            {"OSS305", "OSS306"},
            "`Hazard.score` is computed",
        ),
        (
            "properties:\n  - id: p\n    monotone:\n      in: Hazard.category\n"
            "      of: Classification.lvl\n      by: [hazzard]\n",
            {"OSS305"},
            "cannot be raised",
        ),
        (
            "properties:\n  - id: p\n    monotone: {in: Hazard.severity, of: Obligation}\n"
            "  - id: p\n    monotone: {in: Hazard.severity, of: Obligation}\n",
            {"OSS303"},
            "duplicate property id",
        ),
    ],
    ids=lambda x: None,
)
def test_mistakes_in_the_properties_section_are_located(
    tmp_path: Path, section: str, codes: set[str], text: str
) -> None:
    """Each mistake is a diagnostic with file:line:col, code and hint, found before any run."""
    (tmp_path / "ruleset.yaml").write_text(HEADER + section + RULES, "utf-8")
    ruleset = oss_rules.load(tmp_path)
    with pytest.raises(RulesetError) as info:
        verify(ruleset, max_examples=1)
    assert {d.code for d in info.value.diagnostics} == codes
    assert text in str(info.value)
    assert all(d.line > 6 for d in info.value.diagnostics)


def test_properties_is_a_header_key_only(tmp_path: Path) -> None:
    """`properties:` belongs in ruleset.yaml; in another rule file it is OSS005."""
    (tmp_path / "ruleset.yaml").write_text(HEADER + RULES, "utf-8")
    (tmp_path / "more.yaml").write_text("properties: []\n", "utf-8")
    with pytest.raises(RulesetError, match=r"OSS005(.|\n)*belongs in ruleset.yaml"):
        oss_rules.load(tmp_path)


# --- oss-rules verify and check_ruleset_properties ------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["durable", "compiled"])
def test_verify_passes_on_the_shipped_rulesets(backend: str) -> None:
    """Every shipped property holds on each backend: `oss-rules verify rulesets/` exits 0."""
    code, output = run(
        "verify", str(ROOT / "rulesets"), "--max-examples", "25", "--backend", backend
    )
    assert code == 0, output
    assert "high-band" in output and output.rstrip().endswith(" passed, 0 failed")


@pytest.mark.slow
def test_verify_catches_a_moved_band_edge_with_a_minimal_test_case(broken: Path) -> None:
    """With high_from: 16, the high-band property fails on one workplace and one hazard,
    L3 x S5; the printed case fails on the broken copy and passes on the shipped ruleset."""
    code, output = run("verify", str(broken), "--property", "high-band")
    assert code == 1, output
    assert "FAIL high-band" in output
    assert (
        "- {type: Hazard, id: h1, workplace: w1, category: machinery, likelihood: 3, severity: 5}"
        in output
    )
    assert (
        f"reproduce: oss-rules verify {broken} --seed 0 --max-examples 100 --property high-band"
        in output
    )
    pasted = textwrap.dedent(
        output.split("test case for ")[1].split("\n", 1)[1].split("  reproduce:")[0]
    )
    for ruleset, passes in ((broken, False), (SHIPPED, True)):
        target = broken.parent / f"copy-{passes}"
        shutil.copytree(ruleset, target)
        pasted_file = target / "tests" / "properties.yaml"
        pasted_file.write_text(pasted, "utf-8")
        suite = testing.load_suite(target, [pasted_file])
        (case,) = suite.cases
        assert testing.run_case(suite, case).passed is passes


@pytest.mark.slow
def test_verify_is_deterministic_for_a_seed(broken: Path) -> None:
    """The same seed gives the same report, byte for byte."""
    first = run("verify", str(broken), "--property", "high-band", "--seed", "7")
    assert first == run("verify", str(broken), "--property", "high-band", "--seed", "7")
    assert "--seed 7" in first[1]


def test_verify_usage_errors_exit_2(broken: Path, tmp_path: Path) -> None:
    """An unknown property or a directory without rulesets is a usage error."""
    code, output = run("verify", str(broken), "--property", "nope")
    assert code == 2 and "no property 'nope'" in output
    code, output = run("verify", str(tmp_path / "oss" / "tests"))
    assert code == 2 and "no ruleset here" in output


def test_render_case_quotes_only_what_yaml_needs() -> None:
    """Ids, words and dates stay plain; text YAML would misread is quoted."""
    text = render_case(
        {
            "name": "property p",
            "as_of": "2026-06-30",
            "given": [{"type": "Workplace", "id": "w1", "sector": "a: b", "setting": "no"}],
            "expect": [{"type": "Obligation", "module": "OSS-I", "n": 3, "x": None}],
        }
    )
    assert '- {type: Workplace, id: w1, sector: "a: b", setting: "no"}' in text
    assert "- {type: Obligation, module: OSS-I, n: 3, x: null}" in text
    assert "as_of: 2026-06-30" in text


@pytest.mark.slow
def test_check_ruleset_properties_is_a_one_liner(broken: Path) -> None:
    """check_ruleset_properties passes silently, or raises with the verify report."""
    properties.check_ruleset_properties(oss_rules.load_default(), max_examples=10)
    with pytest.raises(PropertyError, match="FAIL high-band"):
        properties.check_ruleset_properties(oss_rules.load(broken), only=["high-band"])


NO_HYPOTHESIS = """
import sys
sys.modules["hypothesis"] = None
import oss_rules, oss_rules.cli
from click.testing import CliRunner
result = CliRunner().invoke(oss_rules.cli.main, ["verify"])
print(result.exit_code, result.output)
"""


@pytest.mark.slow
def test_the_core_and_the_cli_work_without_hypothesis() -> None:
    """`import oss_rules` and the CLI need no hypothesis; verify says how to get it."""
    proc = subprocess.run(
        [sys.executable, "-c", NO_HYPOTHESIS],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2 ")
    assert "pip install 'oss_rules[testing]'" in proc.stdout
