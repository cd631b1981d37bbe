"""The public surface: a small typed top level, domains declared by rulesets, old paths kept."""

from __future__ import annotations

import datetime as dt
import importlib
import pydoc
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import oss_rules
from oss_rules.domains.oss.views import OssResult
from oss_rules.engine._proof import depths
from oss_rules.engine.result import Inference
from oss_rules.errors import DomainError
from oss_rules.model.domain import find_domain, registry_for

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
AS_OF = dt.date(2026, 6, 30)


def test_top_level_is_small_and_documented():
    """`oss_rules.__all__` holds about 25 names, each with a docstring, and help() names no
    private module."""
    assert 20 <= len(oss_rules.__all__) <= 32
    for name in oss_rules.__all__:
        assert getattr(oss_rules, name).__doc__, name
    text = pydoc.render_doc(oss_rules, renderer=pydoc.plaintext)
    assert not re.search(r"oss_rules\._\w", text)
    assert len(text.splitlines()) < 4000


def test_an_empty_registry_has_no_domain_types():
    """An app's own registry holds only the types it registers: no OSS type it did not ask
    for."""
    registry = oss_rules.FactRegistry()

    @registry.register
    @attrs.frozen
    class Contractor:
        id: str

    assert registry.names() == ("Contractor",)


def test_a_ruleset_gets_the_types_of_its_domains(tmp_path: Path):
    """`domains: [k3]` gives the K3 types and the OSS types K3 builds on, not BPJS's."""
    (tmp_path / "ruleset.yaml").write_text(
        textwrap.dedent(
            """\
            ruleset: mine
            version: "1"
            domains: [k3]
            sources: {s: a source}
            rules:
              - id: loud
                cite: s
                when: [{m: "NoiseMeasurement(level_dba > 85)"}]
                then: ['Finding(workplace: m.workplace, code: "loud", subject: m.id)']
            """
        )
    )
    ruleset = oss_rules.load(tmp_path)
    assert ruleset.domains == ("k3",)
    assert "NoiseMeasurement" in ruleset.registry and "Hazard" in ruleset.registry
    assert "Worker" not in ruleset.registry
    assert ruleset.registry.names() == registry_for(["oss", "k3"]).names()


def test_a_ruleset_naming_a_type_outside_its_domains_is_an_error(tmp_path: Path):
    """A rule that names a BPJS type in a ruleset of the OSS domain alone fails to load."""
    (tmp_path / "ruleset.yaml").write_text(
        textwrap.dedent(
            """\
            ruleset: mine
            version: "1"
            domains: [oss]
            sources: {s: a source}
            rules:
              - id: paid
                cite: s
                when: [{w: "Worker()"}]
                then: ['Finding(workplace: w.id, code: "x", subject: w.id)']
            """
        )
    )
    with pytest.raises(oss_rules.RulesetError, match="OSS030"):
        oss_rules.load(tmp_path)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("[nope]", "OSS018", "unknown domain 'nope'"),
        ("[os]", "OSS018", "did you mean `oss`"),
        ("oss", "OSS017", "non-empty list"),
        ("[]", "OSS017", "non-empty list"),
    ],
)
def test_bad_domains_are_located_errors(tmp_path: Path, value: str, code: str, message: str):
    """A malformed or unknown `domains:` is an error at its line, naming the known domains."""
    (tmp_path / "ruleset.yaml").write_text(f'ruleset: mine\nversion: "1"\ndomains: {value}\n')
    with pytest.raises(oss_rules.RulesetError) as raised:
        oss_rules.load(tmp_path)
    diagnostic = raised.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.line) == (code, 3)
    assert message in diagnostic.message


def test_unknown_domain_lookup_is_a_domain_error():
    """Looking up a domain that is not installed names the ones that are."""
    with pytest.raises(DomainError, match="domains: oss, bpjstk, k3"):
        find_domain("payroll")


def test_shipped_rulesets_give_typed_oss_results():
    """Every shipped ruleset builds on the OSS domain, so it gives an OssResult with views;
    a ruleset with no domain views gives a plain Result."""
    for name in ("oss", "id-k3", "id-bpjstk"):
        engine = oss_rules.Engine(oss_rules.load_default(name))
        result = engine.evaluate([], as_of=AS_OF)
        assert type(result) is OssResult
        assert result.findings == ()


def test_a_ruleset_of_an_apps_own_types_gives_a_plain_result(tmp_path: Path):
    """With the app's own registry and no declared domain, results have no domain views."""
    registry = oss_rules.FactRegistry()

    @registry.register
    @attrs.frozen
    class Node:
        id: str

    @registry.register
    @attrs.frozen
    class Seen:
        node: str

    (tmp_path / "ruleset.yaml").write_text(
        'ruleset: plain\nversion: "1"\nsources: {s: a source}\nrules:\n'
        '  - id: seen\n    cite: s\n    when: [{n: "Node()"}]\n    then: ["Seen(node: n.id)"]\n'
    )
    ruleset = oss_rules.load(tmp_path, registry=registry)
    result = oss_rules.Engine(ruleset).evaluate([Node("a")], as_of=AS_OF)
    assert type(result) is oss_rules.Result
    assert result.of_type(Seen) == (Seen("a"),) == result.conclusions
    assert not hasattr(result, "findings")


def test_result_json_round_trip_keeps_the_class():
    """`Result.from_json` gives back an equal result of the same domain class."""
    inventory = oss_rules.read_inventory(ROOT / "examples" / "workshop.json")
    result = oss_rules.Engine(oss_rules.load_default()).evaluate(
        inventory.facts, as_of=inventory.as_of
    )
    again = oss_rules.Result.from_json(result.to_json())
    assert type(again) is OssResult and again == result
    assert again.to_json() == result.to_json()


def _naive_depths(given_facts, trace):
    """The fixpoint the proof depths were computed by before: relax until nothing changes."""
    depth = dict.fromkeys(given_facts, 0)
    changed = True
    while changed:
        changed = False
        for inference in trace:
            if not all(p in depth for p in inference.premises):
                continue
            d = 1 + max((depth[p] for p in inference.premises), default=0)
            if d < depth.get(inference.fact, d + 1):
                depth[inference.fact] = d
                changed = True
    return depth


@given(
    st.integers(1, 6).flatmap(
        lambda n_given: st.tuples(
            st.just(tuple(range(n_given))),
            st.lists(
                st.tuples(
                    st.integers(0, n_given + 8),
                    st.lists(st.integers(0, n_given + 8), max_size=3),
                ),
                max_size=25,
            ),
        )
    )
)
def test_proof_depths_match_the_fixpoint(case):
    """The linear-time proof depths equal the quadratic fixpoint's on any trace."""
    given_facts, raw = case
    trace = tuple(Inference(fact, "r", tuple(premises)) for fact, premises in raw)
    assert depths(given_facts, trace) == _naive_depths(given_facts, trace)


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("oss_rules.strategies", "inventories"),
        ("oss_rules.facts", "Hazard"),
        ("oss_rules.facts", "FactRegistry"),
        ("oss_rules.registration", "build_submission"),
        ("oss_rules.payroll", "payroll_report"),
        ("oss_rules.result", "Result"),
        ("oss_rules.convert", "read_inventory"),
    ],
)
def test_old_module_paths_still_import_with_a_warning(old: str, name: str):
    """Code written before the packages still imports, and is told the new path."""
    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert hasattr(module, name)
    assert any("moved to oss_rules." in str(w.message) for w in caught)


def test_moved_top_level_names_warn():
    """A name that left the top level is still reachable there, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match=r"oss_rules\.DeclaredModule moved to"):
        cls = oss_rules.DeclaredModule
    assert cls.__name__ == "DeclaredModule"
    with pytest.raises(AttributeError):
        oss_rules.NoSuchThing  # noqa: B018


def _readme_python() -> str:
    text = README.read_text("utf-8")
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


@pytest.mark.slow
def test_readme_example_type_checks_and_a_typo_does_not(tmp_path: Path):
    """mypy --strict accepts the README's example and flags `finding.subjet` in it: the
    result's views are typed."""
    good = tmp_path / "good.py"
    good.write_text(_readme_python())
    bad = tmp_path / "bad.py"
    bad.write_text(_readme_python().replace("finding.subject", "finding.subjet"))
    assert "finding.subjet" in bad.read_text()

    def mypy(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=600,
        )

    ok = mypy(good)
    assert ok.returncode == 0, ok.stdout
    flagged = mypy(bad)
    assert flagged.returncode == 1
    assert '"Finding" has no attribute "subjet"' in flagged.stdout


def test_a_registry_holds_the_very_class_not_a_namesake():
    """`FactRegistry.holds` is true for a registered class, false for another of its name."""
    registry = oss_rules.FactRegistry()

    @registry.register
    @attrs.frozen
    class Node:
        id: str

    namesake = attrs.frozen(type("Node", (), {"__annotations__": {"id": str}}))
    assert registry.holds(Node)
    assert not registry.holds(namesake)
    assert not registry.holds(oss_rules.Hazard)
