"""Malformed files give located errors: bad UTF-8, lone surrogates, deep nesting, repeated
keys, directories, loose dates, alias bombs; never a traceback."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, workplace, write_ruleset

import oss_rules
from oss_rules import Engine
from oss_rules.cli import main
from oss_rules.errors import FactError, FactsError, InputError, RulesetError
from oss_rules.language._yaml import MAX_ALIAS_NODES
from oss_rules.model.convert import read_inventory

OFFICE = ROOT / "examples" / "office.json"
GOOD = (
    '{"as_of": "2026-06-30", "facts": [{"type": "Workplace", "id": "w1", '
    '"sector": "retail", "setting": "office", "headcount": 5}]}'
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_invalid_utf8_input_names_the_byte(tmp_path: Path):
    """An input with a byte that is not UTF-8 is exit 2 naming the file, offset and line."""
    path = tmp_path / "latin1.json"
    path.write_bytes(GOOD.replace("retail", "caf\xe9").encode("latin-1"))
    code, output = run("evaluate", str(path))
    assert code == 2
    assert f"{path}: not UTF-8: byte 0xe9 at offset 82 (line 1, column 83)" in output


def test_invalid_utf8_ruleset_is_a_located_diagnostic(tmp_path: Path):
    """A ruleset file that is not UTF-8 is OSS003 at the bad byte's line and column."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    header = root / "ruleset.yaml"
    header.write_bytes(header.read_bytes().replace(b"title: ", b"title: \xff", 1))
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "OSS003"
    assert "not UTF-8: byte 0xff" in diagnostic.message
    line = (
        header.read_bytes()
        .split(b"\n")
        .index(next(x for x in header.read_bytes().split(b"\n") if b"\xff" in x))
    )
    assert diagnostic.line == line + 1


def test_invalid_utf8_test_file_is_reported(tmp_path: Path):
    """`oss-rules test` on a test file that is not UTF-8 exits 2 naming it."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    case = root / "tests" / "classify.yaml"
    case.write_bytes(b"\xfe" + case.read_bytes())
    code, output = run("test", str(root))
    assert code == 2
    assert "classify.yaml" in output and "not UTF-8" in output


def test_lone_surrogate_in_json_is_refused():
    """`"\\ud800"` in an input is refused where it is read, not when output crashes."""
    with pytest.raises(InputError, match="lone surrogate"):
        read_inventory(GOOD.replace('"retail"', '"re\\ud800tail"'))


def test_a_surrogate_pair_is_a_character():
    """An escaped surrogate pair is one character and is accepted."""
    inventory = read_inventory(GOOD.replace('"id": "w1"', '"id": "w1"').replace("retail", "r"))
    assert inventory.facts[0].sector == "r"
    text = GOOD.replace('"setting": "office"', '"setting": "office"')
    assert read_inventory(text.replace("retail", "\\ud83d\\ude00")).facts[0].sector == "\U0001f600"


def test_lone_surrogate_in_yaml_is_refused(tmp_path: Path):
    """A lone surrogate escaped in a ruleset's double-quoted string is OSS003, located."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    header = root / "ruleset.yaml"
    text = header.read_text("utf-8")
    header.write_text(text.replace("title: ", 'title: "\\ud800" # ', 1), "utf-8")
    with pytest.raises(RulesetError, match="lone surrogate"):
        oss_rules.load(root)


def test_deep_json_is_refused_before_recursion():
    """100,000 nested arrays are an InputError, not a RecursionError."""
    with pytest.raises(InputError, match="nested deeper than 32"):
        read_inventory("[" * 100_000)


def test_repeated_json_keys_are_refused_with_their_path():
    """A key given twice in one object is refused, naming the key and the object's path."""
    text = GOOD.replace('"id": "w1"', '"id": "w1", "id": "w2"')
    with pytest.raises(InputError, match=r"key 'id' appears twice in the object at \$.facts\[0\]"):
        read_inventory(text)


@pytest.mark.parametrize(
    "depth_pattern",
    [
        "Obligation(" + "(" * 500 + "1" + ")" * 500 + " == 1)",
        "Obligation(module == " + "-" * 500 + "1)",
    ],
)
def test_deep_conclusion_pattern_is_a_usage_error(depth_pattern: str):
    """A 500-deep pattern given to `explain --conclusion` or `--why-not` is exit 2, located."""
    for option in ("--conclusion", "--why-not"):
        code, output = run("explain", str(OFFICE), option, depth_pattern)
        assert code == 2, output
        assert "OSS019" in output


def test_deep_rule_expression_is_a_located_error(tmp_path: Path):
    """A deeply nested expression in a rule is OSS019 at its place, at load time."""
    rule = "Finding(workplace: h.workplace, code: " + "(" * 200 + '"x"' + ")" * 200 + ")"
    text = (
        'ruleset: deep\nversion: "1"\nsources:\n  doc: A test.\nrules:\n  - id: deep\n'
        "    cite: doc\n    when:\n      - h: Hazard()\n    then:\n"
        f"      - '{rule}'\n"
    )
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(write_ruleset(tmp_path, text))
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("OSS019", 11)


def test_deep_yaml_is_a_located_error(tmp_path: Path):
    """A ruleset nesting YAML sequences 10,000 deep is an invalid-YAML diagnostic."""
    text = 'ruleset: deep\nversion: "1"\nrules: ' + "[" * 10_000 + "]" * 10_000 + "\n"
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(write_ruleset(tmp_path, text))
    assert caught.value.diagnostics[0].code == "OSS003"
    assert caught.value.diagnostics[0].line == 3


def test_a_directory_named_like_a_ruleset_file(tmp_path: Path):
    """A directory `rules.yaml/` inside a ruleset is reported, not an IsADirectoryError."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    (root / "zz.yaml").mkdir()
    with pytest.raises(RulesetError, match=r"zz.yaml:1:1: OSS003: is a directory"):
        oss_rules.load(root)
    code, output = run("check", str(root))
    assert code == 1 and "is a directory" in output


@pytest.mark.parametrize(
    "text", ["20260630", "2026-W27-2", "2026-01-01T10", "2026-6-30", "0001-01-01", "9999-12-31"]
)
def test_dates_are_strictly_iso(text: str):
    """Only YYYY-MM-DD within 1000..8999 is a date, as the docs and schema say."""
    with pytest.raises(FactsError, match="YYYY-MM-DD"):
        read_inventory(GOOD.replace("2026-06-30", text))
    with pytest.raises(FactsError):
        read_inventory(GOOD.replace("}]}", f', "last_assessment": "{text}"}}]}}'))


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_calendar_edges_are_refused_not_overflowed(engine: Engine, day: dt.date):
    """as_of 0001-01-01 or 9999-12-31 is a FactError, not an OverflowError from a rule."""
    with pytest.raises(FactError, match="as_of"):
        engine.evaluate([workplace()], as_of=day)


BOMB = """\
ruleset: bomb
version: "1"
sources:
  doc: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
params:
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
rules: []
"""


def test_alias_bomb_is_refused_at_the_alias(tmp_path: Path):
    """Nine levels of anchors ("billion laughs") are refused at the alias that crosses the
    expansion limit, with its line, by load, check, test and fmt."""
    root = write_ruleset(tmp_path / "rs", BOMB)
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "OSS003"
    assert f"more than {MAX_ALIAS_NODES} nodes" in diagnostic.message
    assert diagnostic.line == 9
    for args in (["check", str(root)], ["fmt", "--check", str(root)], ["test", str(root)]):
        code, output = run(*args)
        assert code in (1, 2), (args, output)
        assert "more than" in output


def test_a_few_aliases_still_load(tmp_path: Path):
    """Anchors and aliases used sparingly are still YAML."""
    text = BOMB.split("  c:")[0].replace("params:\n", "params:\n  unused: 1\n") + "rules: []\n"
    root = write_ruleset(tmp_path / "rs", text)
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    assert all("more than" not in d.message for d in caught.value.diagnostics)


@pytest.mark.parametrize("name", ["ruleset.yaml", "tests/classify.yaml"])
def test_a_nul_character_in_yaml_is_located(tmp_path: Path, name: str):
    """A NUL byte (found by the fuzz suite: ruamel's ReaderError escaped every reader) is an
    invalid-YAML diagnostic at its line, from load, test and fmt alike."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    target = root / name
    target.write_bytes(target.read_bytes().replace(b"\n", b"\n\x00", 3).replace(b"\x00", b"", 2))
    line = (
        target.read_bytes()
        .split(b"\n")
        .index(next(x for x in target.read_bytes().split(b"\n") if b"\x00" in x))
    )
    command = ["test", str(root)] if "tests" in name else ["fmt", "--check", str(target)]
    code, output = run(*command)
    assert code == 2, output
    assert f"{target}:{line + 1}:1:" in output
    assert "0x0 is not allowed" in output


def test_a_lone_surrogate_in_a_fact_built_in_python_is_refused():
    """A fact built in Python with a lone surrogate in a text field is a FactError, so no
    output format crashes on it later."""
    from oss_rules.domains.bpjstk.facts import Worker

    with pytest.raises(FactError, match="lone surrogate"):
        Worker(id="w", employer="e", basic_wage=1, name="a\ud800")
