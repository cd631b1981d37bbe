"""Loading rulesets: every mistake is reported with file:line:col, a code and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_ruleset

import oss_rules
from oss_rules import RulesetError

HEADER = """\
ruleset: t
version: "1"
sources:
  src: a source
params:
  limit: 3
  cats: [fall, noise]
rules:
"""


def diagnostics(tmp_path: Path, rules: str, **files: str) -> list[tuple[int, int, str, str]]:
    root = write_ruleset(tmp_path / "rs", HEADER + rules, **files)
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    return [(d.line, d.col, d.code, d.message + " | " + d.hint) for d in info.value.diagnostics]


def test_valid_ruleset_loads_with_digest(tmp_path: Path):
    """A correct ruleset loads; its digest changes when a file changes."""
    rule = """\
  - id: r
    cite: src
    when:
      - h: Hazard(score >= limit, category in cats)
    then: ['Obligation(workplace: h.workplace, module: "OSS-II")']
"""
    root = write_ruleset(tmp_path / "rs", HEADER + rule)
    first = oss_rules.load(root)
    assert first.rule("r").title == "r"
    assert first.params["cats"] == ["fall", "noise"]
    (root / "ruleset.yaml").write_text(HEADER.replace("limit: 3", "limit: 4") + rule)
    assert oss_rules.load(root).digest != first.digest


def test_rules_can_live_in_several_files(tmp_path: Path):
    """Rule files beside ruleset.yaml are part of the ruleset."""
    extra = """\
rules:
  - id: other
    cite: src
    when: [w: Workplace()]
    then: ['Obligation(workplace: w.id, module: "OSS-I")']
"""
    root = write_ruleset(tmp_path / "rs", HEADER + "  []\n".replace("  []\n", ""), more=extra)
    (root / "ruleset.yaml").write_text(HEADER.replace("rules:\n", ""))
    assert [r.id for r in oss_rules.load(root).rules] == ["other"]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard(score >< 3)]\n    then: ['X()']\n",
            (11, 29, "OSS001", "unexpected `<`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazrd()]\n    then: ['X()']\n",
            (11, 15, "OSS030", "did you mean `Hazard`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard(severty > 3)]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (11, 22, "OSS034", "unknown name `severty` (did you mean `severity`?)"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard(limit > 3)]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (11, 22, "OSS031", "fields: id, workplace"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard(severity > limt)]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (11, 33, "OSS034", "did you mean `limit`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplce, module: \"OSS-I\")']\n",
            (12, 35, "OSS035", "did you mean `workplace`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace, modul: \"OSS-I\")']\n",
            (12, 48, "OSS040", "did you mean `module`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace)']\n",
            (12, 13, "OSS042", "misses required field(s) module"),
        ),
        (
            "  - id: r\n    cite: srcc\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (9, 5, "OSS023", "did you mean `src`"),
        ),
        (
            "  - id: r\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (9, 5, "OSS022", "cites no source"),
        ),
        (
            "  - id: r\n    cite: src\n    wen: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n",
            (11, 5, "OSS012", "did you mean `when`"),
        ),
        (
            "  - id: r\n    cite: src\n    when: [h: Hazard()]\n"
            "    then: ['Obligation(workplace: h.workplace, module: dais(3))']\n",
            (12, 56, "OSS036", "did you mean `days`"),
        ),
    ],
    ids=[
        "syntax",
        "type",
        "field",
        "no-field",
        "param",
        "attribute",
        "derived-field",
        "missing-field",
        "source",
        "no-cite",
        "rule-key",
        "function",
    ],
)
def test_mistakes_are_located_and_explained(tmp_path: Path, rules: str, expected: tuple):
    """Each kind of mistake gives its line, column, code and a helpful message or hint."""
    line, col, code, text = expected
    found = diagnostics(tmp_path, rules)
    matching = [d for d in found if d[2] == code]
    assert matching, found
    assert (matching[0][0], matching[0][1]) == (line, col), found
    assert text in matching[0][3]


def test_flow_list_comma_pitfall_gets_a_hint(tmp_path: Path):
    """A pattern split by a YAML flow list's comma says how to fix it."""
    rules = (
        "  - id: r\n    cite: src\n    when: [h: Hazard(score > 1, score < 9)]\n    then: ['X()']\n"
    )
    assert "quote the pattern" in diagnostics(tmp_path, rules)[0][3]


def test_all_problems_are_reported_at_once(tmp_path: Path):
    """Two broken rules give two diagnostics, not just the first."""
    rules = (
        "  - id: a\n    cite: src\n    when: [h: Hazrd()]\n    then: ['X()']\n"
        "  - id: a\n    cite: src\n    when: [w: Workplace()]\n"
        "    then: ['Obligation(workplace: w.id, module: \"OSS-I\")']\n"
    )
    codes = [code for _, _, code, _ in diagnostics(tmp_path, rules)]
    assert codes == ["OSS030", "OSS030", "OSS021"]  # Hazrd, X, then the duplicate id


def test_invalid_yaml_is_located(tmp_path: Path):
    """A YAML syntax error gives its file position."""
    found = diagnostics(tmp_path, "  - id: [unclosed\n")
    assert found[0][2] == "OSS003"
    assert found[0][0] in (9, 10)  # ruamel marks the end of the unclosed flow list


def test_unknown_header_key_suggests_the_right_one(tmp_path: Path):
    """A misspelt top-level key is reported with a suggestion."""
    root = write_ruleset(tmp_path / "rs", HEADER.replace("params:", "parms:"))
    with pytest.raises(RulesetError, match="did you mean `params`"):
        oss_rules.load(root)


def test_missing_ruleset_directory_is_a_clear_error(tmp_path: Path):
    """Loading a path that does not exist raises a RulesetError (OSS002) naming it."""
    with pytest.raises(RulesetError, match=r"OSS002: no ruleset at .*nowhere"):
        oss_rules.load(tmp_path / "nowhere")


def test_error_text_renders_file_line_col_code(tmp_path: Path):
    """The error message reads file:line:col: code: message, then text and hint."""
    root = write_ruleset(
        tmp_path / "rs",
        HEADER + "  - id: r\n    cite: src\n    when: [h: Hazrd()]\n    then: ['X()']\n",
    )
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    text = str(info.value)
    assert f"{root / 'ruleset.yaml'}:11:15: OSS030: unknown fact type `Hazrd`" in text
    assert "hint: known types:" in text


def test_default_ruleset_cites_a_source_in_every_rule():
    """Every shipped rule cites at least one declared source."""
    ruleset = oss_rules.load_default()
    assert ruleset.rules
    for rule in ruleset.rules:
        assert rule.cite and all(c in ruleset.sources for c in rule.cite), rule.id


@pytest.mark.parametrize(
    ("condition", "code", "text"),
    [
        ('severity == "2"', "OSS037", "can never match"),
        ('level == "hgh"', "OSS037", "did you mean `high`"),
        ("likelihood == 6", "OSS037", "an int in 1..5"),
        ("category in [fall]", "OSS034", "unknown name `fall`"),
        ('"al" in category', "OSS033", "not a list"),
        ("score == null", "OSS038", "never null"),
        ('identified_on < "2026-01-01"', "OSS037", "can never match"),
    ],
)
def test_conditions_that_can_never_match_are_load_errors(tmp_path, condition, code, text):
    """Comparing a field with a constant of the wrong kind or value is caught at load."""
    pattern = "Classification" if "level" in condition else "Hazard"
    rules = (
        f"  - id: r\n    cite: src\n    when:\n      - h: {pattern}({condition})\n"
        "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n"
    )
    found = diagnostics(tmp_path, rules)
    assert [d[2] for d in found] == [code], found
    assert text in found[0][3]


def test_ordering_against_numbers_of_another_kind_is_fine(tmp_path):
    """`score < 4.5` and `likelihood < 6` are valid: orderings check the kind, not the range."""
    rule = (
        "  - id: r\n    cite: src\n    when:\n      - h: Hazard(score < 4.5, likelihood < 6)\n"
        "    then: ['Obligation(workplace: h.workplace, module: \"OSS-I\")']\n"
    )
    assert oss_rules.load(write_ruleset(tmp_path / "rs", HEADER + rule)).rules


def test_impossible_date_in_a_ruleset_is_located(tmp_path: Path):
    """A YAML date that does not exist (2026-13-01) is a located OSS003, not a crash."""
    root = write_ruleset(tmp_path / "rs", HEADER.replace("limit: 3", "limit: 2026-13-01"))
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.line, diagnostic.code) == (6, "OSS003")
    assert "'2026-13-01' is not a real date" in diagnostic.message


@pytest.mark.parametrize(
    ("then", "line", "col"),
    [
        # Single-quoted, folded over three lines, with a doubled quote before the mistake.
        (
            '      - \'Finding(workplace: w.id, code: "x", subject: "it\'\'s",\n'
            '        message: "a"\n'
            "        + w.nope)'\n",
            3,
            11,
        ),
        # Double-quoted, the mistake on the first line.
        ('      - "Obligation(workplace: w.nope,\n        module: \\"OSS-I\\")"\n', 1, 32),
        # Double-quoted, the mistake on the second line after an escaped quote.
        ('      - "Obligation(workplace: w.id, module:\n        \\"OSS-\\" + w.nope)"\n', 2, 20),
    ],
)
def test_a_mistake_in_a_folded_then_is_located_on_its_own_line(
    tmp_path: Path, then: str, line: int, col: int
) -> None:
    rules = "  - id: r\n    cite: src\n    when:\n      - w: Workplace()\n    then:\n" + then
    found = diagnostics(tmp_path, rules)
    first_then = (HEADER + rules).splitlines().index("    then:") + 2
    located = [(at_line, at_col, code) for at_line, at_col, code, _ in found]
    assert located == [(first_then + line - 1, col, "OSS035")]
