"""Every number is finite and bounded (|x| < 10^15, 28 significant digits), on input, in
params and in rulesets; a huge exponent is refused at once, never expanded."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, workplace, write_ruleset

import oss_rules
from oss_rules import Engine
from oss_rules.cli import main
from oss_rules.engine._engine import ParamError
from oss_rules.errors import FactError, FactsError, InputError, RulesetError
from oss_rules.model._limits import in_range
from oss_rules.model.convert import read_inventory

AS_OF = dt.date(2026, 6, 30)


def measurement(level: str) -> str:
    """An input document with one noise measurement whose level is the JSON text ``level``."""
    return (
        '{"as_of": "2026-06-30", "facts": ['
        '{"type": "Workplace", "id": "w1", "sector": "retail", "setting": "office",'
        ' "headcount": 5},'
        '{"type": "NoiseMeasurement", "id": "m1", "workplace": "w1", "area": "a",'
        f' "level_dba": {level}, "exposure_hours": 8}}]}}'
    )


@pytest.mark.parametrize(
    "level", ["1e9999999999", "1e5000", "9" * 5000, "1e15", "-1e15", "1" * 29 + ".5", "1E+16"]
)
def test_out_of_range_input_numbers_are_refused(level: str):
    """A number beyond the limits is a FactsError naming the field and the limit, found
    without expanding the exponent (1e9999999999 used to hang for minutes)."""
    with pytest.raises(FactsError) as caught:
        read_inventory(measurement(level))
    assert "$.facts[1].level_dba" in str(caught.value)
    assert "-10^15 < x < 10^15" in str(caught.value)
    assert len(str(caught.value)) < 1000


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_numbers(word: str):
    """NaN and Infinity, which Python's json accepts, are refused with their place."""
    with pytest.raises(InputError, match=f"{word} is not a JSON number"):
        read_inventory(measurement(word))


@pytest.mark.parametrize("level", ["999999999999999", "0.000000001", "-3.25", "85"])
def test_numbers_within_range_are_read_exactly(level: str):
    """Numbers inside the limits are read as they were written."""
    inventory = read_inventory(measurement(level))
    assert inventory.facts[1].level_dba == Decimal(level)


@pytest.mark.parametrize(
    "value",
    [Decimal("NaN"), Decimal("Infinity"), float("inf"), float("nan"), 10**15, Decimal("1E+15")],
)
def test_the_limits_hold_in_python_too(value: object):
    """A fact built in Python with a number beyond the limits raises FactError."""
    assert not in_range(value)  # type: ignore[arg-type]
    with pytest.raises(FactError):
        workplace(headcount=value)


def test_a_headcount_of_ten_to_the_forty_is_refused():
    """10^40 workers used to give a first-aid officer count wrong in its last digits; it is
    now refused as out of range, naming the limit."""
    with pytest.raises(FactError, match="headcount") as caught:
        workplace(headcount=10**40)
    assert "10^15" in str(caught.value)


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), Decimal("-Infinity"), 10**40, [1, float("nan")]]
)
def test_param_overrides_are_bounded(engine: Engine, value: object):
    """A param override that is NaN, infinite or beyond the limits is a ParamError."""
    name = "physical" if isinstance(value, list) else "high_from"
    with pytest.raises(ParamError, match=r"high_from|physical"):
        Engine(engine.ruleset, params={name: value})


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e9999999999"])
def test_cli_param_nan_is_a_usage_error(text: str):
    """`--param high_from=NaN` no longer changes the answers silently: exit 2."""
    result = CliRunner().invoke(
        main, ["evaluate", "--param", f"high_from={text}", str(ROOT / "examples" / "office.json")]
    )
    assert result.exit_code == 2, result.output
    assert "high_from" in result.output


HEADER = """\
ruleset: limits
version: "1"
sources:
  doc: A test.
params:
  severe_from: {value}
rules:
  - id: severe
    cite: doc
    when:
      - h: Hazard(severity >= severe_from)
    then:
      - 'Finding(workplace: h.workplace, code: "severe", subject: h.id)'
"""


@pytest.mark.parametrize(
    ("value", "code"),
    [(".nan", "OSS027"), (".inf", "OSS027"), ("1e9999999999", "OSS027"), ("9" * 5000, "OSS003")],
)
def test_ruleset_params_are_bounded(tmp_path: Path, value: str, code: str):
    """A ruleset param that is NaN, infinite or out of range is a located load error."""
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(write_ruleset(tmp_path, HEADER.format(value=value)))
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == (code, 6)


def test_a_huge_literal_in_a_rule_is_a_located_error(tmp_path: Path):
    """A number literal beyond the limits in a pattern is OSS027 at its column."""
    text = HEADER.format(value=4).replace("severity >= severe_from", "severity >= " + "9" * 30)
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(write_ruleset(tmp_path, text))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "OSS027"
    assert (diagnostic.line, diagnostic.col) == (11, 31)


def test_as_of_keeps_decimals_exact(tmp_path: Path):
    """`--as-of` on a file without as_of reads numbers as exact decimals, as without it:
    the same noise measurement gives the same finding both ways."""
    path = tmp_path / "noise.json"
    path.write_text(measurement("85.00000000000000001"))
    undated = tmp_path / "undated.json"
    undated.write_text(measurement("85.00000000000000001").replace('"as_of": "2026-06-30", ', ""))
    runner = CliRunner()
    dated = runner.invoke(main, ["evaluate", "--json", "--ruleset", "id-k3", str(path)])
    given = runner.invoke(
        main,
        ["evaluate", "--json", "--ruleset", "id-k3", "--as-of", "2026-06-30", str(undated)],
    )
    assert dated.exit_code == given.exit_code == 0, given.output
    assert json.loads(dated.output)["findings"] == json.loads(given.output)["findings"]
    assert "85.00000000000000001" in given.output
