"""Every expression is type-checked when a ruleset loads: one located diagnostic per mistake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import AS_OF, hazard, workplace, write_ruleset

import oss_rules
from oss_rules.errors import RulesetError

HEADER = """\
ruleset: typed
version: "1"
sources:
  s: "A source."
params:
  counselling_days: 14
  rate: 0.24
  due_days: {high: 7, low: 30}
  physical: [fall, noise]
rules:
"""


def problems(tmp_path: Path, rules: str) -> list[tuple[int, int, str, str, str]]:
    """(line, col, code, message, hint) of each diagnostic of the ruleset HEADER + rules."""
    root = write_ruleset(tmp_path / "rs", HEADER + rules)
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    return [(d.line, d.col, d.code, d.message, d.hint) for d in info.value.diagnostics]


def rule(then: str, when: str = "h: Hazard()") -> str:
    return f"  - id: r\n    cite: s\n    when:\n      - {when}\n    then:\n      - '{then}'\n"


ACTION = 'Action(workplace: h.workplace, hazard: h.id, code: "c", control: "x", due: {})'
FINDING = 'Finding(workplace: h.workplace, code: "c", subject: h.id, message: {})'


def test_a_date_plus_a_number_does_not_load(tmp_path: Path):
    """The issue's example fails at load with the sub-expression's place, text and a hint,
    instead of a Python TypeError at evaluation."""
    found = problems(
        tmp_path, rule(ACTION.format("coalesce(h.identified_on, as_of) + counselling_days"))
    )
    assert found == [
        (
            16,
            85,
            "OSS102",
            "`coalesce(h.identified_on, as_of) + counselling_days`: cannot add a date and an int",
            "a date plus a number of days is written `d + days(n)`; calendar months: "
            "`add_months(d, n)`",
        )
    ]


def test_the_same_rule_written_with_days_loads_and_evaluates(tmp_path: Path):
    """With `days(n)` the rule loads and gives the date the author meant."""
    root = write_ruleset(
        tmp_path / "rs",
        HEADER.replace(
            "  rate: 0.24\n  due_days: {high: 7, low: 30}\n  physical: [fall, noise]\n", ""
        )
        + rule(ACTION.format("coalesce(h.identified_on, as_of) + days(counselling_days)")),
    )
    result = oss_rules.Engine(oss_rules.load(root)).evaluate([workplace(), hazard()], as_of=AS_OF)
    assert [a.due for a in result.actions] == [AS_OF + dt.timedelta(days=14)]


@pytest.mark.parametrize(
    ("then", "when", "code", "at", "message", "hint"),
    [
        (
            ACTION.format("as_of - 3"),
            "h: Hazard()",
            "OSS102",
            "as_of - 3",
            "`as_of - 3`: cannot subtract a date and an int",
            "`d - days(n)`",
        ),
        (
            FINDING.format('"score " + h.score'),
            "h: Hazard()",
            "OSS102",
            '"score " + h.score',
            '`"score " + h.score`: cannot add text and an int',
            "`str(x)`",
        ),
        (
            "Classification(workplace: h.workplace, hazard: h.id, category: h.category, "
            'score: h.score * rate, level: "low")',
            "h: Hazard()",
            "OSS103",
            "h.score * rate",
            "Classification.score holds an int in 1..25; `h.score * rate` is a decimal",
            "`round(x)`",
        ),
        (
            'Finding(workplace: h.workplace, code: "c", subject: h.severity)',
            "h: Hazard()",
            "OSS103",
            "h.severity)",
            "Finding.subject holds a non-empty string; `h.severity` is an int",
            "`str(x)`",
        ),
        (
            "Classification(workplace: h.workplace, hazard: h.id, category: h.category, "
            'score: h.category, level: "low")',
            "h: Hazard()",
            "OSS103",
            "h.category, level",
            "Classification.score holds an int in 1..25; `h.category` is text",
            "give a value",
        ),
        (
            ACTION.format("as_of + days(due_days[h.severity])"),
            "h: Hazard()",
            "OSS102",
            "h.severity]",
            "`due_days[h.severity]`: a mapping is looked up by text, not by an int",
            "one of its keys",
        ),
        (
            ACTION.format("as_of + days(counselling_days[0])"),
            "h: Hazard()",
            "OSS102",
            "counselling_days[0]",
            "`counselling_days[0]`: counselling_days is an int, not a list or a mapping",
            "`due_days[c.level]`",
        ),
        (
            ACTION.format("as_of + days(rate)"),
            "h: Hazard()",
            "OSS102",
            "rate)",
            "`days(rate)`: days() takes a whole number of days, not a decimal",
            "`days(round(x))`",
        ),
        (
            ACTION.format("add_months(as_of)"),
            "h: Hazard()",
            "OSS102",
            "add_months(as_of)",
            "`add_months(as_of)`: add_months() takes a date or a moment and a whole number "
            "of months, not 1 argument",
            "fitting types",
        ),
        (
            FINDING.format("h.category.name"),
            "h: Hazard()",
            "OSS102",
            "h.category.name",
            "`h.category.name`: h.category is text, which has no fields",
            "only a binding",
        ),
        (
            "Obligation(workplace: h.workplace, module: m) for m in h.severity",
            "h: Hazard()",
            "OSS102",
            "h.severity'",
            "`for m in h.severity`: h.severity is an int, not a list",
            "one fact per item",
        ),
        (
            FINDING.format('"late"'),
            "h: Hazard(identified_on < as_of + counselling_days)",
            "OSS102",
            "as_of + counselling_days",
            "`as_of + counselling_days`: cannot add a date and an int",
            "`d + days(n)`",
        ),
        (
            FINDING.format('"late"'),
            "h: Hazard(identified_on < h2.score)",
            "OSS034",
            "h2.score",
            "unknown name `h2`",
            "a name is",
        ),
        (
            'Finding(workplace: i.workplace, code: "c", subject: i.id)',
            "i: Incident(medical_care_at > occurred_at + 24)",
            "OSS102",
            "occurred_at + 24",
            "`occurred_at + 24`: cannot add a moment and an int",
            "`m + hours(n)`",
        ),
        (
            'Finding(workplace: i.workplace, code: "c", subject: i.id)',
            "i: Incident(medical_care_at > as_of)",
            "OSS101",
            "medical_care_at > as_of",
            "`medical_care_at > as_of` compares medical_care_at (a moment) with a date, "
            "so it never holds",
            "`start_of_day(d)`",
        ),
    ],
    ids=[
        "date-minus-number",
        "text-plus-number",
        "decimal-into-int",
        "int-into-text",
        "text-into-int",
        "mapping-key",
        "index-a-number",
        "days-of-a-decimal",
        "arity",
        "field-of-text",
        "for-over-a-number",
        "condition-arithmetic",
        "later-binding",
        "own-field-arithmetic",
        "moment-with-date",
    ],
)
def test_each_type_mistake_is_one_located_diagnostic_with_a_hint(
    tmp_path: Path, then: str, when: str, code: str, at: str, message: str, hint: str
):
    """A type mistake anywhere in a rule is reported once, at its sub-expression."""
    found = problems(tmp_path, rule(then, when))
    assert len(found) == 1, found
    ((line, col, got_code, got_message, got_hint),) = found
    assert (got_code, got_message) == (code, message)
    assert hint in got_hint
    text = (tmp_path / "rs" / "ruleset.yaml").read_text("utf-8").splitlines()[line - 1]
    assert text[col - 1 :].startswith(at), (text, col)


@pytest.mark.parametrize(
    ("then", "when", "code", "message"),
    [
        (
            FINDING.format('"x"'),
            'h: Hazard(categroy == "fall")',
            "OSS034",
            "unknown name `categroy` (did you mean `category`?)",
        ),
        (FINDING.format("h.categroy + 1"), "h: Hazard()", "OSS035", "Hazard has no field"),
        (ACTION.format("dais(3) + as_of"), "h: Hazard()", "OSS036", "unknown function `dais`"),
        (ACTION.format("as_of + days(counseling_days)"), "h: Hazard()", "OSS034", "counseling"),
        (
            'Finding(workplace: x.workplace, code: "c", subject: x.id + 1)',
            "x: Hazrd()",
            "OSS030",
            "unknown fact type `Hazrd`",
        ),
        (
            'Obligation(workplace: h.workplace, modul: "OSS-I")',
            "h: Hazard()",
            "OSS040",
            "Obligation.modul does not exist (did you mean `module`?)",
        ),
    ],
    ids=[
        "misspelt-field",
        "misspelt-attribute",
        "unknown-function",
        "misspelt-param",
        "type",
        "misspelt-derived-field",
    ],
)
def test_an_unknown_name_gives_one_diagnostic_and_no_type_errors(
    tmp_path: Path, then: str, when: str, code: str, message: str
):
    """What a mistake leaves of unknown type causes no further diagnostic."""
    found = problems(tmp_path, rule(then, when))
    assert [(c, message in m) for _, _, c, m, _ in found] == [(code, True)], found


def test_a_table_reports_a_mistake_in_its_then_once(tmp_path: Path):
    """A `then` shared by every row is reported once, at its place, not once per row."""
    table = """\
tables:
  - id: t
    cite: s
    when:
      - h: Hazard()
    inputs: [severity]
    outputs: [within]
    then:
      - 'Action(workplace: h.workplace, hazard: h.id, code: "c", control: "x", due: as_of + within)'
    rows:
      - [1..2, 30]
      - [3..4, 7]
      - [5,    1]
"""
    root = write_ruleset(tmp_path / "t", HEADER.replace("rules:\n", "") + table)
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    assert [(d.code, d.line, d.col) for d in info.value.diagnostics] == [("OSS102", 18, 85)]
    assert "cannot add a date and an int" in info.value.diagnostics[0].message


def test_an_effective_window_needs_a_date(tmp_path: Path):
    """`effective_on` that is not a date would make the rule silently never fire."""
    rules = (
        rule(FINDING.format('"x"')) + "    effective_from: 2026-01-01\n    effective_on: h.score\n"
    )
    found = problems(tmp_path, rules)
    assert [(c, m) for _, _, c, m, _ in found] == [
        ("OSS072", "`effective_on: h.score` is an int, not a date")
    ]


def test_well_typed_expressions_load(tmp_path: Path):
    """Dates with durations and months, moments with hours, decimals rounded into ints,
    text joined to text, lookups by the right key: no diagnostic."""
    rules = rule(
        'Deadline(workplace: h.workplace, kind: "k:" + h.id + str(h.score * rate), '
        "due: add_months(coalesce(h.identified_on, as_of), 1) + days(due_days[h.category]) "
        "- days(round(h.score * rate)))"
    ) + rule(
        'ResponseDue(workplace: i.workplace, incident: i.id, kind: "care", '
        "by: i.occurred_at + hours(24))",
        "i: Incident(medical_care_at > start_of_day(as_of))",
    ).replace("id: r", "id: r2")
    root = write_ruleset(tmp_path / "rs", HEADER + rules)
    assert [r.id for r in oss_rules.load(root).rules] == ["r", "r2"]


def test_an_empty_mapping_param_holds_values_of_any_type(tmp_path: Path):
    """A lookup in an empty mapping (or list) param is of unknown type, not null: an
    override may fill it."""
    header = HEADER.replace(
        "  physical: [fall, noise]\n", "  physical: [fall, noise]\n  extra: {}\n"
    )
    rules = rule(ACTION.format("as_of + days(extra[h.category])"))
    rules += rule(FINDING.format('"x"'), "h: Hazard(category in [])").replace("id: r", "id: r2")
    root = write_ruleset(tmp_path / "rs", header + rules)
    assert [r.id for r in oss_rules.load(root).rules] == ["r", "r2"]


# Nulls: a field that may be null, used where null fails, is OSS104 unless guarded.

UNGUARDED = ACTION.format("h.identified_on + days(7)")


def test_a_field_that_may_be_null_in_arithmetic_does_not_load(tmp_path: Path):
    """`h.identified_on + days(7)` used to load and fail on any hazard without a date; it
    is now one error at the expression, naming the field, with the guard to write."""
    found = problems(tmp_path, rule(UNGUARDED))
    assert found == [
        (
            16,
            85,
            "OSS104",
            "`h.identified_on + days(7)` fails when h.identified_on is null "
            "(Hazard.identified_on may be null)",
            "guard it in the pattern: `h: Hazard(identified_on != null)`",
        )
    ]
    text = (tmp_path / "rs" / "ruleset.yaml").read_text("utf-8").splitlines()[15]
    assert text[84:].startswith("h.identified_on + days(7)")


def test_the_guarded_rule_loads_and_skips_hazards_without_a_date(tmp_path: Path):
    """With the guard the rule loads, and a hazard without a date is simply not matched."""
    root = write_ruleset(
        tmp_path / "rs", HEADER + rule(UNGUARDED, "h: Hazard(identified_on != null)")
    )
    engine = oss_rules.Engine(oss_rules.load(root))
    dated = hazard("h1", identified_on=dt.date(2026, 6, 1))
    result = engine.evaluate([workplace(), dated, hazard("h2", identified_on=None)], as_of=AS_OF)
    assert [(a.hazard, a.due) for a in result.actions] == [("h1", dt.date(2026, 6, 8))]


@pytest.mark.parametrize(
    "when",
    [
        "h: Hazard(identified_on != null)",
        "h: Hazard(null != identified_on)",
        "h: Hazard(identified_on < as_of)",
        "h: Hazard(as_of >= identified_on)",
        'h: Hazard(identified_on > date("2020-01-01"))',
        'h: Hazard(identified_on == date("2026-06-01"))',
        "h: Hazard(identified_on in [as_of, as_of - days(1)])",
        'h: Hazard(severity >= 3, identified_on != null, category == "fall")',
    ],
    ids=["not-null", "null-on-the-left", "ordering", "flipped", "constant", "equal", "in", "among"],
)
def test_each_condition_false_for_null_guards_the_field(tmp_path: Path, when: str):
    """A condition that never holds for null proves the field set in `then`."""
    root = write_ruleset(tmp_path / "rs", HEADER + rule(UNGUARDED, when))
    assert [r.id for r in oss_rules.load(root).rules] == ["r"]


@pytest.mark.parametrize(
    "when",
    [
        "h: Hazard(identified_on != as_of)",
        "h: Hazard(identified_on not in [as_of])",
        "h: Hazard(identified_on == null)",
        "h: Hazard(identified_on in [as_of, null])",
        "h: Hazard(identified_on != null or severity > 3)",
    ],
    ids=["not-equal", "not-in", "equal-null", "in-with-null", "or"],
)
def test_a_condition_that_holds_for_null_guards_nothing(tmp_path: Path, when: str):
    """`!=` a value, `not in`, `== null`, a list with null, and one side of an `or` all
    hold for a hazard without a date."""
    assert [c for _, _, c, _, _ in problems(tmp_path, rule(UNGUARDED, when))] == ["OSS104"]


def test_a_join_guards_both_sides(tmp_path: Path):
    """An ordering, or `==` with another fact's field, is false when either side is null:
    both facts' fields are set afterwards."""
    then = (
        "Deadline(workplace: h.workplace, kind: k.id, "
        "due: add_months(h.identified_on, 1) + (k.identified_on - h.identified_on))"
    )
    for i, join in enumerate(
        [
            "k: Hazard(identified_on > h.identified_on)",
            "k: Hazard(identified_on == h.identified_on)",
        ]
    ):
        rules = (
            "  - id: r\n    cite: s\n    when:\n      - h: Hazard()\n"
            f"      - {join}\n    then:\n      - '{then}'\n"
        )
        root = write_ruleset(tmp_path / f"rs{i}", HEADER + rules)
        assert [r.id for r in oss_rules.load(root).rules] == ["r"]


def test_a_guard_covers_only_what_comes_after_it(tmp_path: Path):
    """In a pattern, a guard after the use is too late; one before it is in time."""
    late = "i: Incident(reported_at > medical_care_at + hours(24), medical_care_at != null)"
    found = problems(
        tmp_path, rule('Finding(workplace: i.workplace, code: "c", subject: i.id)', late)
    )
    assert [(c, m, h) for _, _, c, m, h in found] == [
        (
            "OSS104",
            "`medical_care_at + hours(24)` fails when medical_care_at is null "
            "(Incident.medical_care_at may be null)",
            "guard it in the pattern, before this condition: "
            "`i: Incident(medical_care_at != null, ...)`",
        )
    ]
    early = "i: Incident(medical_care_at != null, reported_at > medical_care_at + hours(24))"
    root = write_ruleset(
        tmp_path / "ok",
        HEADER + rule('Finding(workplace: i.workplace, code: "c", subject: i.id)', early),
    )
    assert [r.id for r in oss_rules.load(root).rules] == ["r"]


def test_what_a_negated_pattern_tests_guards_nothing(tmp_path: Path):
    """`not: Hazard(identified_on > h.identified_on)` also holds when h has no date."""
    rules = (
        "  - id: r\n    cite: s\n    when:\n      - h: Hazard()\n"
        "      - not: Hazard(workplace == h.workplace, identified_on > h.identified_on)\n"
        f"    then:\n      - '{UNGUARDED}'\n"
    )
    assert [c for _, _, c, _, _ in problems(tmp_path, rules)] == ["OSS104"]


def test_a_condition_on_an_aggregate_guards_nothing(tmp_path: Path):
    """A condition that uses an aggregate's value is checked after the aggregates, so
    it proves nothing to what is checked before it."""
    rules = (
        "  - id: r\n    cite: s\n    when:\n      - n: count(Hazard())\n"
        "      - h: Hazard(identified_on < as_of - days(n))\n"
        f"    then:\n      - '{UNGUARDED}'\n"
    )
    assert [c for _, _, c, _, _ in problems(tmp_path, rules)] == ["OSS104"]


def test_one_field_used_twice_is_one_guard(tmp_path: Path):
    """`days_between(h.identified_on, h.identified_on)` names the field once."""
    then = FINDING.format("str(days_between(h.identified_on, h.identified_on))")
    assert [(m, h) for _, _, _, m, h in problems(tmp_path, rule(then))] == [
        (
            "`days_between(h.identified_on, h.identified_on)` fails when h.identified_on is "
            "null (Hazard.identified_on may be null)",
            "guard it in the pattern: `h: Hazard(identified_on != null)`",
        )
    ]


def test_two_fields_that_may_be_null_are_one_mistake(tmp_path: Path):
    """One diagnostic names both fields and both guards."""
    then = FINDING.format("str(days_between(w.last_assessment, h.identified_on) + 1)")
    rules = (
        "  - id: r\n    cite: s\n    when:\n      - w: Workplace()\n"
        f"      - h: Hazard(workplace == w.id)\n    then:\n      - '{then}'\n"
    )
    assert [(c, m, h) for _, _, c, m, h in problems(tmp_path, rules)] == [
        (
            "OSS104",
            "`days_between(w.last_assessment, h.identified_on)` fails when "
            "w.last_assessment or h.identified_on is null "
            "(Workplace.last_assessment, Hazard.identified_on may be null)",
            "guard them in the patterns: `w: Workplace(last_assessment != null)`, "
            "`h: Hazard(identified_on != null)`",
        )
    ]


@pytest.mark.parametrize(
    "then",
    [
        FINDING.format("str(h.identified_on)"),
        ACTION.format("coalesce(h.identified_on, as_of) + days(7)"),
        'Benefit(workplace: i.workplace, incident: i.id, kind: "k", basis: "b", '
        "amount: i.monthly_wage)",
    ],
    ids=["str", "coalesce", "optional-into-optional"],
)
def test_what_tolerates_null_loads(tmp_path: Path, then: str):
    """`str`, `coalesce` and a field that may be null given to one that may be: no error."""
    when = "i: Incident()" if then.startswith("Benefit") else "h: Hazard()"
    root = write_ruleset(tmp_path / "rs", HEADER + rule(then, when))
    assert [r.id for r in oss_rules.load(root).rules] == ["r"]


def test_a_field_that_may_be_null_given_to_one_that_is_never_null(tmp_path: Path):
    """Deadline.due is never null: the derivation fails for a workplace without an
    assessment, so it does not load."""
    then = 'Deadline(workplace: w.id, kind: "x", due: w.last_assessment)'
    found = problems(tmp_path, rule(then, "w: Workplace()"))
    assert [(c, m, h) for _, _, c, m, h in found] == [
        (
            "OSS104",
            "Deadline.due is never null, but `w.last_assessment` may be "
            "(Workplace.last_assessment may be null)",
            "guard it in the pattern: `w: Workplace(last_assessment != null)`",
        )
    ]


def test_an_effective_window_is_computed_before_any_guard(tmp_path: Path):
    """`effective_on` runs before the conditions Python checks: only a default helps."""
    rules = rule(FINDING.format('"x"'), "h: Hazard(identified_on != null)")
    rules += "    effective_from: 2026-01-01\n    effective_on: add_months(h.identified_on, 1)\n"
    assert [(c, h) for _, _, c, _, h in problems(tmp_path, rules)] == [
        ("OSS104", "give a default: `coalesce(h.identified_on, default)`")
    ]


def test_a_table_reports_a_use_of_null_once(tmp_path: Path):
    """Rows that do not guard the field share one diagnostic at the table's `then`."""
    table = """\
tables:
  - id: t
    cite: s
    when:
      - h: Hazard()
    inputs: [severity]
    outputs: [within]
    then:
      - 'Action(workplace: h.workplace, hazard: h.id, code: "c", control: "x",
        due: h.identified_on + days(within))'
    rows:
      - [1..2, 30]
      - [3..5, 7]
"""
    root = write_ruleset(tmp_path / "t", HEADER.replace("rules:\n", "") + table)
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    assert [(d.code, d.line, d.col) for d in info.value.diagnostics] == [("OSS104", 19, 14)]
