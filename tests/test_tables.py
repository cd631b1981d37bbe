"""Decision tables: rows compile to rules, hit policies hold, mistakes are located at cells."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, hazard, workplace, write_ruleset
from hypothesis import given, settings
from hypothesis import strategies as st

import oss_rules
from oss_rules import Engine, RulesetError
from oss_rules.authoring.check import check
from oss_rules.domains.oss._vocabulary import CATEGORIES, SETTINGS
from oss_rules.language._unparse import unparse

HEADER = """\
ruleset: t
version: "1"
sources:
  s: a source
params:
  severe_from: 4
tables:
"""

TRIAGE = """\
  - id: triage
    title: Triage of hazards
    cite: s
    hit: first
    when:
      - h: Hazard()
      - w: Workplace(id == h.workplace)
    inputs: [category, severity, w.setting]
    outputs: [code]
    then:
      - 'Finding(workplace: h.workplace, code: code, subject: h.id)'
    rows:
      - [[fall, electrical], '>= severe_from', -,      urgent]
      - [-,                  '>= severe_from', office, office_severe]
      - [-,                  -,                -,      routine]
"""


def load(tmp_path: Path, tables: str) -> oss_rules.Ruleset:
    return oss_rules.load(write_ruleset(tmp_path / "rs", HEADER + tables))


def conditions(ruleset: oss_rules.Ruleset) -> dict[str, list[list[str]]]:
    return {
        rule.id: [[unparse(c) for c in p.conditions] for p in rule.when] for rule in ruleset.rules
    }


def codes(engine: Engine, facts: list[object]) -> dict[str, str]:
    result = engine.evaluate(facts, as_of=AS_OF)
    return {f.subject: f.code for f in result.findings}


def test_the_shipped_matrix_compiles_to_the_three_band_rules():
    """risk-level has one rule per band, with the conditions of the former level-* rules."""
    ruleset = oss_rules.load_default()
    rows = {r.id: r for r in ruleset.rules if r.id.startswith("risk-level#")}
    assert [[unparse(c) for c in r.when[0].conditions] for r in rows.values()] == [
        ["score < medium_from"],
        ["score >= medium_from", "score < high_from"],
        ["score >= high_from"],
    ]
    (table,) = [t for t in ruleset.tables if t.id == "risk-level"]
    assert [r.span.line for r in rows.values()] == [row.span.line for row in table.rows]
    assert {(r.title, r.cite) for r in rows.values()} == {(table.title, table.cite)}


def test_the_shipped_matrix_follows_param_overrides(engine: Engine):
    """Cells that name params move with an override, like the rules they replaced."""
    facts = [workplace(), hazard("h1", likelihood=3, severity=5), hazard("h2", severity=4)]
    levels = {c.hazard: c.level for c in engine.evaluate(facts, as_of=AS_OF).classifications}
    assert levels == {"h1": "high", "h2": "low"}
    moved = Engine(engine.ruleset, params={"high_from": 16, "medium_from": 4})
    levels = {c.hazard: c.level for c in moved.evaluate(facts, as_of=AS_OF).classifications}
    assert levels == {"h1": "medium", "h2": "medium"}


def test_a_conclusion_is_explained_by_its_row(engine: Engine):
    """The proof names the row's rule id and the table's title and citations."""
    result = engine.evaluate([workplace(), hazard(likelihood=5, severity=5)], as_of=AS_OF)
    proof = result.explain(result.classifications[0]).render()
    assert "by rule risk-level#high: The 5x5 matrix gives each hazard a risk level" in proof
    assert "cites seed-step2-matrix:" in proof


def test_first_rows_exclude_the_rows_above_them(tmp_path: Path):
    """Each later row of a `first` table becomes rules with the earlier rows' complements."""
    ruleset = load(tmp_path, TRIAGE)
    assert conditions(ruleset) == {
        "triage#1": [['category in ["fall", "electrical"]', "severity >= severe_from"],
                     ["id == h.workplace"]],
        "triage#2": [['category not in ["fall", "electrical"]', "severity >= severe_from"],
                     ["id == h.workplace", 'setting == "office"']],
        "triage#3.1": [['category not in ["fall", "electrical"]', "severity < severe_from"],
                       ["id == h.workplace"]],
        "triage#3.2": [['category not in ["fall", "electrical"]', "severity >= severe_from"],
                       ["id == h.workplace", 'setting != "office"']],
        "triage#3.3": [['category in ["fall", "electrical"]', "severity < severe_from"],
                       ["id == h.workplace"]],
    }  # fmt: skip


def first_match(category: str, severity: int, setting: str, severe_from: int) -> str:
    if category in ("fall", "electrical") and severity >= severe_from:
        return "urgent"
    if severity >= severe_from and setting == "office":
        return "office_severe"
    return "routine"


@pytest.mark.parametrize("severe_from", [4, 2])
def test_first_gives_the_first_matching_row_for_every_input(tmp_path: Path, severe_from: int):
    """Over every category, severity and setting, exactly the first matching row fires."""
    engine = Engine(load(tmp_path, TRIAGE), params={"severe_from": severe_from})
    for setting in SETTINGS:
        site = workplace(id="w1", setting=setting)
        cases = list(itertools.product(CATEGORIES, range(1, 6)))
        facts = [hazard(f"h{i}", category=c, severity=v) for i, (c, v) in enumerate(cases)]
        got = codes(engine, [site, *facts])
        assert got == {
            f"h{i}": first_match(c, v, setting, severe_from) for i, (c, v) in enumerate(cases)
        }


def test_first_complements_admit_null(tmp_path: Path):
    """An ordering is false for null, so a later row of a `first` table gets the nulls."""
    table = """\
  - id: age
    cite: s
    hit: first
    when: [h: Hazard()]
    inputs: [identified_on]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id)']
    rows:
      - ['< date("2026-01-01")', old]
      - [-, recent_or_unknown]
"""
    ruleset = load(tmp_path, table)
    assert conditions(ruleset)["age#2.2"] == [["identified_on == null"]]
    facts = [
        workplace(),
        hazard("h1", identified_on=dt.date(2025, 5, 1)),
        hazard("h2", identified_on=dt.date(2026, 5, 1)),
        hazard("h3"),
    ]
    assert codes(Engine(ruleset), facts) == {
        "h1": "old",
        "h2": "recent_or_unknown",
        "h3": "recent_or_unknown",
    }


def test_collect_fires_every_matching_row(tmp_path: Path):
    """With `collect`, one hazard may get a finding from each row it matches."""
    table = """\
  - id: tags
    cite: s
    hit: collect
    when: [h: Hazard()]
    inputs: [category, severity]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id + ":" + code)']
    rows:
      - [[fall, noise], -,        physical]
      - [-,             4..5,     severe]
      - [-,             -,        listed]
"""
    engine = Engine(load(tmp_path, table))
    result = engine.evaluate([workplace(), hazard(category="fall", severity=5)], as_of=AS_OF)
    assert sorted(f.code for f in result.findings) == ["listed", "physical", "severe"]


def test_cells_accept_ranges_sets_comparisons_and_values(tmp_path: Path):
    """Every cell form compiles to the conditions it stands for."""
    table = """\
  - id: forms
    cite: s
    hit: collect
    when: [h: Hazard()]
    inputs: [score]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id)']
    rows:
      - [-, any]
      - [12, equal]
      - [5..12, closed]
      - [severe_from..<15, half_open]
      - [[1, 2, 3], listed]
      - ['!= 4', other]
      - ['in [4, 8]', member]
      - ['not in [4, 8]', nonmember]
      - [-1 + 2..2 * 2, computed]
"""
    found = conditions(load(tmp_path, table))
    assert [c[0] for c in found.values()] == [
        [],
        ["score == 12"],
        ["score >= 5", "score <= 12"],
        ["score >= severe_from", "score < 15"],
        ["score in [1, 2, 3]"],
        ["score != 4"],
        ["score in [4, 8]"],
        ["score not in [4, 8]"],
        ["score >= -1 + 2", "score <= 2 * 2"],
    ]


def test_a_mistake_in_then_is_reported_once_not_per_row(tmp_path: Path):
    """The table is checked once as a whole: one diagnostic for a typo in `then`."""
    bad = TRIAGE.replace("subject: h.id", "subject: h.idd")
    with pytest.raises(RulesetError) as info:
        load(tmp_path, bad)
    assert [d.code for d in info.value.diagnostics] == ["OSS035"]


def locate(tmp_path: Path, tables: str) -> list[tuple[int, int, str]]:
    with pytest.raises(RulesetError) as info:
        load(tmp_path, tables)
    return [(d.line, d.col, d.code) for d in info.value.diagnostics]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[-,                  -,                -,      routine]", "[-, routine]", (22, 9)),
        ("'>= severe_from', -,      urgent]", "'>= severe_from', {a: 1}, urgent]", (20, 48)),
        ("[-,                  '>= severe_from', office, office_severe]", "severe", (21, 9)),
    ],
    ids=["too-few-cells", "mapping-cell", "not-a-list"],
)
def test_row_mistakes_are_located(tmp_path: Path, old: str, new: str, expected: tuple[int, int]):
    """A row of the wrong width, or a cell that is no test, is reported at its place."""
    found = locate(tmp_path, TRIAGE.replace(old, new))
    assert [(line, col) for line, col, _ in found] == [expected]
    assert found[0][2] in ("OSS063", "OSS064")


@pytest.mark.parametrize(
    ("cell", "position"),
    [("'>= severe_frm'", (20, 34, "OSS034")), ("'>= (1'", (20, 35, "OSS001")),
     ("'5..'", (20, 34, "OSS064"))],
    ids=["unknown-name", "parse-error", "open-range"],
)  # fmt: skip
def test_cell_expressions_are_located_inside_the_cell(
    tmp_path: Path, cell: str, position: tuple[int, int, str]
):
    """An error inside a cell's expression points at the character, not just the row."""
    bad = TRIAGE.replace("'>= severe_from', -,      urgent]", f"{cell}, -, urgent]")
    assert locate(tmp_path, bad) == [position]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tables: {}\n", "OSS008"),
        ("tables: [x]\n", "OSS009"),
        ("tables:\n  - cite: s\n", "OSS013"),
        ("tables:\n  - id: a#1\n", "OSS013"),
        ("tables:\n  - id: t\n    colums: []\n", "OSS012"),
    ],
)
def test_table_shape_mistakes(tmp_path: Path, text: str, code: str):
    """A `tables` value that is no list of tables with ids is reported."""
    root = write_ruleset(tmp_path / "rs", HEADER.replace("tables:\n", text))
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    assert code in {d.code for d in info.value.diagnostics}


def test_a_first_row_that_needs_too_many_rules_is_an_error(tmp_path: Path):
    """The complement of many multi-column rows would need more than MAX_PARTS rules."""
    rows = "".join(
        f"      - ['{lo}..{lo + 1}', '{lo}..{lo + 1}', '{lo}..{lo + 1}', r{lo}]\n"
        for lo in range(1, 5)
    )
    table = f"""\
  - id: wide
    cite: s
    hit: first
    when: [h: Hazard()]
    inputs: [likelihood, severity, score]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id)']
    rows:
{rows}      - ['>= 1', '>= 1', '>= 1', rest]
"""
    codes_found = [c for _, _, c in locate(tmp_path, table)]
    assert codes_found == ["OSS065"]


def test_rows_go_where_the_table_stands(tmp_path: Path):
    """Rules keep the order of the files: a table's rows come where the table is written."""
    rule = """\
rules:
  - id: before
    cite: s
    when: [w: Workplace()]
    then: ['Obligation(workplace: w.id, module: "OSS-I")']
"""
    root = write_ruleset(
        tmp_path / "rs", HEADER.replace("tables:\n", "") + rule + "tables:\n" + TRIAGE
    )
    ids = [r.id for r in oss_rules.load(root).rules]
    assert ids == ["before", "triage#1", "triage#2", "triage#3.1", "triage#3.2", "triage#3.3"]


def test_the_docs_show_the_shipped_table_as_it_is():
    """The table printed in docs/rule-language.md is the one in the shipped ruleset."""
    docs = (ROOT / "docs" / "rule-language.md").read_text("utf-8")
    shown = docs.split("## Decision tables", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    shipped = (ROOT / "rulesets" / "oss" / "ruleset.yaml").read_text("utf-8")
    lines = [line for line in shipped.splitlines() if not line.lstrip().startswith("#")]
    start = lines.index("tables:")
    assert shown.splitlines() == lines[start : start + len(shown.splitlines())]


def _cell_values(cell: object) -> set[int]:
    """The values 1..5 a generated cell matches (the reference semantics of cells)."""
    every = set(range(1, 6))
    if cell == "-":
        return every
    if isinstance(cell, int):
        return {cell}
    if isinstance(cell, list):
        return set(cell)
    assert isinstance(cell, str)
    if "..<" in cell:
        low, high = map(int, cell.split("..<"))
        return set(range(low, high))
    if ".." in cell:
        low, high = map(int, cell.split(".."))
        return set(range(low, high + 1))
    op, value = cell.split()
    tests = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__,
             "!=": int.__ne__}  # fmt: skip
    return {v for v in every if tests[op](v, int(value))}


CELLS = st.one_of(
    st.just("-"),
    st.integers(1, 5),
    st.lists(st.integers(1, 5), min_size=1, max_size=3, unique=True),
    st.tuples(st.integers(1, 5), st.integers(1, 5)).map(lambda b: f"{min(b)}..{max(b)}"),
    st.tuples(st.integers(1, 5), st.integers(2, 6)).map(lambda b: f"{b[0]}..<{b[1]}"),
    st.tuples(st.sampled_from(["<", "<=", ">", ">=", "!="]), st.integers(1, 5)).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.tuples(CELLS, CELLS), min_size=1, max_size=4))
def test_first_tables_agree_with_first_match_on_every_input(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[object, object]]
):
    """Random `first` tables over likelihood x severity: each input gets its first row."""
    lines = "".join(
        f"      - [{json.dumps(a)}, {json.dumps(b)}, r{n}]\n" for n, (a, b) in enumerate(rows, 1)
    )
    table = f"""\
  - id: t
    cite: s
    hit: first
    when: [h: Hazard()]
    inputs: [likelihood, severity]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id)']
    rows:
{lines}"""
    ruleset = oss_rules.load(write_ruleset(tmp_path_factory.mktemp("rs"), HEADER + table))
    grid = list(itertools.product(range(1, 6), range(1, 6)))
    facts = [hazard(f"h{li}{se}", likelihood=li, severity=se) for li, se in grid]
    expected = {}
    for li, se in grid:
        for n, (a, b) in enumerate(rows, 1):
            if li in _cell_values(a) and se in _cell_values(b):
                expected[f"h{li}{se}"] = f"r{n}"
                break
    result = Engine(ruleset).evaluate([workplace(), *facts], as_of=AS_OF)
    assert sorted((f.subject, f.code) for f in result.findings) == sorted(expected.items())


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(st.tuples(CELLS, CELLS), min_size=1, max_size=4),
    hit=st.sampled_from(["unique", "first", "collect"]),
)
def test_check_finds_exactly_the_gaps_overlaps_and_dead_rows(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[object, object]], hit: str
):
    """Over likelihood x severity (2..5, as `when` says), check finds what trying each finds."""
    lines = "".join(
        f"      - [{json.dumps(a)}, {json.dumps(b)}, r{n}]\n" for n, (a, b) in enumerate(rows, 1)
    )
    table = f"""\
  - id: t
    cite: s
    hit: {hit}
    when: [h: Hazard(severity >= severe_from - 2)]
    inputs: [likelihood, severity]
    outputs: [code]
    then: ['Finding(workplace: h.workplace, code: code, subject: h.id)']
    rows:
{lines}"""
    root = write_ruleset(tmp_path_factory.mktemp("rs"), HEADER + table)
    found = {p.code for p in check(root)}
    matches = [
        [n for n, (a, b) in enumerate(rows) if li in _cell_values(a) and se in _cell_values(b)]
        for li, se in itertools.product(range(1, 6), range(2, 6))
    ]
    reached = {m[0] for m in matches if m} if hit == "first" else {n for m in matches for n in m}
    assert ("OSS131" in found) == any(not m for m in matches)
    assert ("OSS130" in found) == (hit == "unique" and any(len(m) > 1 for m in matches))
    assert ("OSS132" in found) == (len(reached) < len(rows))
