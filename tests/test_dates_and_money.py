"""Calendar months, moments and exact decimals in rule expressions and fact fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import workplace, write_ruleset
from hypothesis import given
from hypothesis import strategies as st

import oss_rules
from oss_rules import Engine, FactsError
from oss_rules.authoring.check import check
from oss_rules.domains.oss.facts import Incident
from oss_rules.language import syntax as s
from oss_rules.language._evaluate import FUNCTIONS, ExpressionError, evaluate
from oss_rules.language._parser import parse_expr
from oss_rules.language._unparse import literal
from oss_rules.model.convert import fact_from_json, fact_to_json
from oss_rules.model.domain import shipped_registry


def value_of(text: str, **names: object) -> object:
    """The value of one expression of the rule language."""
    return evaluate(parse_expr(text, lambda line, col: s.Span("<test>", line, col)), names)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-08-31", 6, "2026-02-28"),  # the example: clamped to February's end
        ("2024-02-29", 12, "2025-02-28"),  # leap day, a year later
        ("2023-02-28", 12, "2024-02-28"),  # not moved to the leap day
        ("2024-01-31", 1, "2024-02-29"),  # into a leap February
        ("2025-11-30", 3, "2026-02-28"),  # across the year end
        ("2026-03-31", -1, "2026-02-28"),  # backwards
        ("2026-01-15", 0, "2026-01-15"),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start: str, months: int, expected: str) -> None:
    assert value_of(f'add_months(date("{start}"), {months})') == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-15", "2026-02-14", 0),
        ("2026-01-15", "2026-02-15", 1),
        ("2025-08-31", "2026-02-28", 6),  # what add_months gives counts as whole months
        ("2026-01-31", "2026-02-28", 1),  # 31 January + 1 month is 28 February
        ("2026-01-31", "2026-02-27", 0),
        ("2024-01-31", "2024-02-29", 1),  # and 29 February in a leap year
        ("2024-01-31", "2024-02-28", 0),
        ("2024-02-29", "2025-02-28", 12),  # a leap day's year ends on 28 February
        ("2024-02-29", "2028-02-29", 48),
        ("2026-02-28", "2026-03-31", 1),  # the same day of the month, not the month's end
        ("2026-03-15", "2026-01-15", -2),
        ("2026-03-15", "2026-01-20", -2),  # rounded down, like the steps of add_months
        ("2026-03-15", "2026-03-14", -1),  # the day before is a month back
        ("2026-03-31", "2026-02-28", -1),
        ("2026-03-15", "2026-03-15", 0),
    ],
)
def test_months_between_counts_whole_months(start: str, end: str, expected: int) -> None:
    """The largest n with add_months(start, n) <= end."""
    assert value_of(f'months_between(date("{start}"), date("{end}"))') == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-03-01", "2026-06-30", 486),
        ("2024-02-28", "2024-03-01", 2),  # across a leap day
        ("2026-06-30", "2026-06-29", -1),
        ("2026-06-30", "2026-06-30", 0),
    ],
)
def test_days_between_counts_whole_days(start: str, end: str, expected: int) -> None:
    """The number of days from start to end: negative when end is earlier."""
    assert value_of(f'days_between(date("{start}"), date("{end}"))') == expected


@pytest.mark.parametrize(
    ("start", "end", "days", "months"),
    [
        ("2026-01-31T10:00", "2026-02-28T10:00", 28, 1),
        ("2026-01-31T10:00", "2026-02-28T09:59", 27, 0),  # a minute short of both
        ("2026-03-01T00:00", "2026-02-28T23:00", -1, -1),  # an hour back
        ("2026-03-01T08:00", "2026-03-02T07:59:59", 0, 0),
    ],
)
def test_days_and_months_between_moments_count_whole_24_hour_days(
    start: str, end: str, days: int, months: int
) -> None:
    """Between two moments a day is 24 hours and a month keeps the time of day."""
    names = {"a": dt.datetime.fromisoformat(start), "b": dt.datetime.fromisoformat(end)}
    assert value_of("days_between(a, b)", **names) == days
    assert value_of("months_between(a, b)", **names) == months


def test_add_months_keeps_a_moments_time() -> None:
    """add_months on a moment clamps the day and keeps the time."""
    start = dt.datetime(2026, 1, 31, 10, 30)
    assert value_of("add_months(a, 1)", a=start) == dt.datetime(2026, 2, 28, 10, 30)


@pytest.mark.parametrize(
    "text",
    [
        'days_between(date("2026-01-01"), start_of_day(date("2026-01-02")))',
        'months_between(start_of_day(date("2026-01-01")), date("2026-01-02"))',
        'days_between(date("2026-01-01"), "2026-01-02")',
        'months_between(date("2026-01-01"), null)',
    ],
)
def test_differences_of_a_date_and_something_else_are_errors(text: str) -> None:
    """A date and a moment (or text, or null) are not on one scale."""
    with pytest.raises(ExpressionError, match=r"takes two dates or two moments|takes a date"):
        value_of(text)


_DAYS = st.dates(dt.date(1000, 3, 1), dt.date(8999, 10, 31))


@given(_DAYS, _DAYS)
def test_months_between_is_the_largest_step_of_add_months_not_past_the_end(
    start: dt.date, end: dt.date
) -> None:
    """add_months(a, months_between(a, b)) <= b < add_months(a, months_between(a, b) + 1),
    and the same for days_between and + days(n), whatever the order of a and b."""
    names = {"a": start, "b": end}
    months = value_of("months_between(a, b)", **names)
    assert isinstance(months, int)
    assert value_of(f"add_months(a, {months})", **names) <= end
    assert value_of(f"add_months(a, {months} + 1)", **names) > end
    days = value_of("days_between(a, b)", **names)
    assert isinstance(days, int)
    assert start + dt.timedelta(days=days) <= end < start + dt.timedelta(days=days + 1)
    assert (months >= 12) == (value_of("add_months(a, 12)", **names) <= end)


def test_decimal_literals_are_exact_and_never_floats() -> None:
    assert value_of("0.1 + 0.2") == Decimal("0.3")
    assert value_of("11086300 * 0.24 / 100") == Decimal("26607.12")
    assert isinstance(value_of("7 / 2"), Decimal)
    assert value_of("7 / 2") == Decimal("3.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("round(2.5)", 3), ("round(-2.5)", -3), ("round(2.4999)", 2), ("round(26607.12)", 26607)],
)
def test_round_is_half_away_from_zero(text: str, expected: int) -> None:
    result = value_of(text)
    assert result == expected
    assert type(result) is int


def test_ceil_and_floor_give_ints() -> None:
    assert value_of("ceil(151 / 150)") == 2
    assert value_of("floor(151 / 150)") == 1
    assert value_of("ceil(150 / 150)") == 1


def test_division_by_zero_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="ZeroDivisionError: division by zero"):
        value_of("1.5 / 0")


def test_moments_add_hours_and_subtract_to_durations() -> None:
    at = dt.datetime(2026, 3, 1, 10, 0)
    assert value_of("t + hours(24)", t=at) == dt.datetime(2026, 3, 2, 10, 0)
    assert value_of("day(t)", t=at) == dt.date(2026, 3, 1)
    assert value_of('start_of_day(date("2026-03-02"))') == dt.datetime(2026, 3, 2)
    assert value_of('month(date("2026-03-17"))') == dt.date(2026, 3, 1)
    assert value_of("str(t2 - t)", t=at, t2=at + dt.timedelta(hours=25, seconds=1)) == "25:00:01"


@pytest.mark.parametrize(
    "at",
    [dt.datetime(2026, 3, 1, 8, 0), dt.datetime(2024, 2, 29, 23, 59, 59), dt.datetime(1, 1, 1)],
)
def test_a_moment_is_written_as_moment_and_reads_back(at: dt.datetime) -> None:
    """Proofs write a moment as `moment("...")`, which the language reads as that moment
    (they wrote `date("2026-03-01T08:00:00")`, which is no date and does not load)."""
    text = literal(at)
    assert text == f'moment("{at.isoformat()}")'
    assert value_of(text) == at


@pytest.mark.parametrize(
    "text", ['moment("2026-03-01")', 'moment("2026-03-01T08:00+07:00")', "moment(1)"]
)
def test_moment_takes_a_local_date_and_time(text: str) -> None:
    """A date without a time, a time with a UTC offset or no text is no moment."""
    with pytest.raises(
        ExpressionError, match="moment\\(\\) takes a 'YYYY-MM-DDTHH:MM\\[:SS\\]' string"
    ):
        value_of(text)


def test_every_function_is_documented() -> None:
    reference = (Path(__file__).parent.parent / "docs" / "rule-language.md").read_text("utf-8")
    for name in FUNCTIONS:
        assert f"`{name}(" in reference, name


def test_number_fields_read_json_as_exact_decimals() -> None:
    registry = shipped_registry()
    noise = {"type": "Workplace", "id": "w1", "sector": "x", "setting": "office", "headcount": 1}
    assert fact_from_json(noise, registry).headcount == 1
    from oss_rules.model._fields import Number

    kind = Number()
    assert kind.from_json(0.24) == Decimal("0.24")
    assert kind.from_json("0.24") == Decimal("0.24")
    assert kind.to_json(Decimal("0.240")) == "0.24"
    assert kind.to_json(Decimal("26607.00")) == 26607
    assert not kind.check(Decimal("NaN"))
    assert not kind.check(float("inf"))
    assert not kind.check(True)


def test_a_moment_with_a_utc_offset_is_refused_with_a_hint() -> None:
    record = {
        "type": "Incident",
        "id": "i1",
        "workplace": "w1",
        "kind": "injury",
        "occurred_at": "2026-03-01T10:00+07:00",
    }
    with pytest.raises(FactsError, match="drop the offset"):
        fact_from_json(record, shipped_registry())
    record["occurred_at"] = "2026-03-01T10:00"
    incident = fact_from_json(record, shipped_registry())
    assert incident.occurred_at == dt.datetime(2026, 3, 1, 10, 0)
    assert fact_to_json(incident, shipped_registry())["occurred_at"] == "2026-03-01T10:00:00"


HEADER = """\
ruleset: dated
version: "1"
sources:
  law: A regulation.
params:
  hours_allowed: 24
rules:
  - id: late-care
    cite: law
    when:
      - i: Incident(medical_care_at > occurred_at + hours(hours_allowed))
    then:
      - 'Finding(workplace: i.workplace, code: "late_care", subject: i.id)'
"""


def test_a_field_may_be_compared_with_another_field_of_the_same_fact(tmp_path: Path) -> None:
    engine = Engine(oss_rules.load(write_ruleset(tmp_path / "rs", HEADER)))
    occurred = dt.datetime(2026, 3, 1, 10, 0)
    incidents = [
        Incident(
            id=f"i{n}",
            workplace="w1",
            kind="injury",
            occurred_at=occurred,
            medical_care_at=occurred + dt.timedelta(hours=24, seconds=n),
        )
        for n in (0, 1)
    ]
    result = engine.evaluate([workplace(), *incidents], as_of=dt.date(2026, 6, 30))
    # Exactly 24 h is in time; one second more is late.
    assert [f.subject for f in result.findings] == ["i1"]


def test_a_moment_compared_with_a_date_is_a_type_error(tmp_path: Path) -> None:
    broken = HEADER.replace("occurred_at + hours(hours_allowed)", "as_of")
    problems = check(write_ruleset(tmp_path / "rs", broken))
    mismatch = [p for p in problems if p.code == "OSS101"]
    assert [(p.line, p.col) for p in mismatch] == [(11, 21)], problems
    assert "a moment" in mismatch[0].message and "a date" in mismatch[0].message


SMALL = """\
ruleset: small
version: "1"
sources:
  doc: A test.
rules:
  - id: positive
    cite: doc
    when:
      - r: Reading(value > 0)
    then:
      - 'Finding(workplace: r.workplace, code: "positive", subject: r.id)'
"""


@pytest.mark.parametrize("text", ["0.00009", "1E+14", "12345678901234.5", "-0.5", "3"])
def test_every_decimal_reaches_the_engine(tmp_path: Path, text: str) -> None:
    # durable's JSON parser silently dropped a fact holding 9e-05 (exponent, no point).
    import attrs

    from oss_rules.model._fields import Number, Text, field

    registry = shipped_registry()

    @registry.register
    @attrs.frozen
    class Reading:
        id: str = field(Text(ident=True))
        workplace: str = field(Text(ident=True))
        value: Decimal = field(Number())

    engine = Engine(oss_rules.load(write_ruleset(tmp_path / "rs", SMALL), registry=registry))
    reading = Reading(id="r1", workplace="w1", value=Decimal(text))
    result = engine.evaluate([reading], as_of=dt.date(2026, 1, 1))
    assert bool(result.findings) is (Decimal(text) > 0)
