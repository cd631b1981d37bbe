"""The input schema states the reader's limits: for values generated at and around each
limit, `jsonschema` accepts a document exactly when `read_inventory` does.

Each test puts one generated value into an otherwise valid document and asks both. The
one limit JSON Schema cannot state, the significant digits of a JSON *number*, is pinned
by its own test below, so that a change on either side shows.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from oss_rules import Engine, FactsError, read_inventory
from oss_rules.model import schema
from oss_rules.model._limits import FIRST_DAY, LAST_DAY, MAX_DIGITS, MAX_MAGNITUDE
from oss_rules.model.schema import input_schema

WORKPLACE = {"type": "Workplace", "id": "w1", "sector": "metal", "setting": "plant",
             "headcount": 3}  # fmt: skip
INCIDENT = {"type": "Incident", "id": "i1", "workplace": "w1", "kind": "injury",
            "occurred_at": "2026-06-01T10:00"}  # fmt: skip
BENEFIT = {"type": "Benefit", "workplace": "w1", "incident": "i1", "kind": "stmb",
           "basis": "PP 82/2019"}  # fmt: skip


@cache
def validator(formats: bool) -> Draft202012Validator:
    """The input schema's validator, with or without format assertions."""
    checker = FormatChecker() if formats else None
    return Draft202012Validator(input_schema(), format_checker=checker)


def reader_accepts(text: str) -> bool:
    """Whether the library reads the JSON document ``text`` without an error."""
    try:
        read_inventory(text)
    except FactsError:
        return False
    return True


def agree(document: dict[str, Any], raw: dict[str, str] | None = None) -> None:
    """The schema (with and without format checks) and the reader agree on ``document``.

    ``raw`` maps placeholders in the JSON text to number literals written as they are, so
    that a number reaches both sides with every digit (never through a float).
    """
    text = json.dumps(document)
    for placeholder, literal in (raw or {}).items():
        text = text.replace(json.dumps(placeholder), literal)
    parsed = json.loads(text, parse_float=Decimal)
    accepted = reader_accepts(text)
    for formats in (False, True):
        assert validator(formats).is_valid(parsed) == accepted, (text, accepted)


def document(*facts: dict[str, Any], as_of: str = "2026-06-30") -> dict[str, Any]:
    """An input document of ``facts`` (with the workplace w1) as of ``as_of``."""
    return {"as_of": as_of, "facts": [WORKPLACE, *facts]}


# --- Numbers ---------------------------------------------------------------------------
EDGES = [MAX_MAGNITUDE - 1, MAX_MAGNITUDE, MAX_MAGNITUDE + 1, 0, 1, -1]
INTEGERS = st.integers(-(10**17), 10**17) | st.sampled_from(EDGES + [-e for e in EDGES])


@settings(max_examples=150, deadline=None)
@given(value=INTEGERS, field=st.sampled_from(["headcount", "likelihood", "monthly_wage"]))
def test_integer_fields_agree_at_their_bounds(value: int, field: str):
    """An int field with its own bounds (1..5, >= 0, >= 1) or only the reader's
    -10^15 < x < 10^15: schema and reader accept the same ints."""
    if field == "headcount":
        agree(document() | {"facts": [WORKPLACE | {"headcount": value}]})
    elif field == "likelihood":
        hazard = {"type": "Hazard", "id": "h1", "workplace": "w1", "category": "fall",
                  "likelihood": value, "severity": 1}  # fmt: skip
        agree(document(hazard))
    else:
        agree(document(INCIDENT | {"monthly_wage": value}))


@st.composite
def decimal_texts(draw: st.DrawFn) -> str:
    """Decimal text near the limits: up to 17 digits before the point and up to 30
    significant digits, leading and trailing zeros included."""
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.sampled_from(["0", "", "00"])) + draw(st.text("0123456789", max_size=17))
    whole = whole or "0"
    fraction = draw(st.text("0123456789", max_size=30))
    if draw(st.booleans()):
        whole = draw(st.sampled_from(["9" * 15, "1" + "0" * 15, "9" * 14, "1" + "0" * 14]))
    return sign + whole + (f".{fraction}" if fraction else "")


@settings(max_examples=300, deadline=None)
@given(text=decimal_texts())
@example(text="999999999999999.9999999999999")  # 28 significant digits: accepted
@example(text="999999999999999.99999999999999")  # 29: refused
@example(text="0.0000000000000000000000000000001234567890123456789012345678")  # 28
@example(text="1" + "0" * 27 + "1")  # > 10^15
def test_numbers_written_as_text_agree(text: str):
    """A number given as text ("0.24") is within -10^15 < x < 10^15 and has at most 28
    significant digits for the schema exactly when it does for the reader."""
    agree(document(BENEFIT | {"amount": text}))


@st.composite
def json_numbers(draw: st.DrawFn) -> str:
    """JSON number literals around -10^15 and 10^15, with at most 28 significant digits."""
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.integers(0, 10**17) | st.sampled_from(EDGES[:3]))
    fraction = draw(st.text("0123456789", max_size=13))
    literal = sign + str(whole) + (f".{fraction}" if fraction else "")
    assume(len(literal.lstrip("-").replace(".", "").strip("0")) <= MAX_DIGITS)
    return literal


@settings(max_examples=300, deadline=None)
@given(literal=json_numbers())
def test_json_numbers_within_28_digits_agree(literal: str):
    """A JSON number (not text) is within -10^15 < x < 10^15 for the schema exactly when
    it is for the reader."""
    agree(document(BENEFIT | {"amount": "@amount"}), {"@amount": literal})


def test_the_digits_of_a_json_number_are_beyond_json_schema():
    """JSON Schema has no keyword for the digits of a JSON number: 29 significant digits
    pass the schema, and the reader refuses them; the schema's module says so."""
    literal = "0.12345678901234567890123456789"
    text = json.dumps(document(BENEFIT | {"amount": "@"})).replace('"@"', literal)
    assert validator(True).is_valid(json.loads(text, parse_float=Decimal))
    assert not reader_accepts(text)
    assert "the number of digits of a JSON number" in " ".join((schema.__doc__ or "").split())


# --- Dates -----------------------------------------------------------------------------
YEARS = st.integers(0, 9999) | st.sampled_from(
    [FIRST_DAY.year - 1, FIRST_DAY.year, LAST_DAY.year, LAST_DAY.year + 1, 1200, 1900, 2000]
)


@st.composite
def day_texts(draw: st.DrawFn) -> str:
    """``YYYY-MM-DD`` texts, real days and not: years around the limits and centuries,
    months 0-13, days 0-32 (so 29 February of leap and common years)."""
    year, month, day = draw(YEARS), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    return f"{year:04d}-{month:02d}-{day:02d}"


@settings(max_examples=300, deadline=None)
@given(text=day_texts())
@example(text="1000-01-01")
@example(text="0999-12-31")
@example(text="8999-12-31")
@example(text="9000-01-01")
@example(text="2000-02-29")
@example(text="1900-02-29")
@example(text="2024-02-29")
@example(text="2026-04-31")
def test_dates_agree(text: str):
    """``as_of`` and a date field are real days from 1000-01-01 to 8999-12-31 for the
    schema, with or without format checks, exactly when they are for the reader."""
    agree(document(as_of=text))
    agree(document() | {"facts": [WORKPLACE | {"last_audit": text}]})


@settings(max_examples=200, deadline=None)
@given(
    day=day_texts(),
    time=st.tuples(st.integers(0, 25), st.integers(0, 61), st.none() | st.integers(0, 61)),
)
@example(day="8999-12-31", time=(23, 59, 59))
@example(day="2026-06-01", time=(24, 0, None))
def test_moments_agree(day: str, time: tuple[int, int, int | None]):
    """A local date-time is a real day within the limits and a real time of day (seconds
    optional) for the schema exactly when it is for the reader."""
    hour, minute, second = time
    text = f"{day}T{hour:02d}:{minute:02d}" + ("" if second is None else f":{second:02d}")
    agree(document(INCIDENT | {"occurred_at": text}))


@settings(max_examples=100, deadline=None)
@given(year=YEARS, month=st.integers(0, 13))
def test_months_agree(year: int, month: int):
    """A ``YYYY-MM`` month is within the years 1000-8999 for both, months 01-12."""
    employer = {"type": "Employer", "id": "e1", "name": "PT A", "scale": "small"}
    payroll = {"type": "Payroll", "employer": "e1", "month": f"{year:04d}-{month:02d}"}
    agree({"as_of": "2026-06-30", "facts": [employer, payroll]})


# --- Text and the number of facts ------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(sector=st.text(max_size=5) | st.sampled_from(["", " ", "\t\n", "\u2003", "a b"]))
def test_text_agrees(sector: str):
    """A non-empty text field must hold a non-blank string for both."""
    agree(document() | {"facts": [WORKPLACE | {"sector": sector}]})


def test_the_fact_count_limit_is_the_engines_default():
    """The schema's ``maxItems`` on facts is the default ``max_facts`` of an Engine, over
    which evaluation refuses an input."""
    default = inspect.signature(Engine).parameters["max_facts"].default
    assert input_schema()["properties"]["facts"]["maxItems"] == default
    small = dict(input_schema())
    small["properties"] = {**small["properties"], "facts": {"type": "array", "maxItems": 2}}
    assert not Draft202012Validator(small).is_valid({"as_of": "2026-06-30", "facts": [1, 2, 3]})


def test_a_document_at_the_limits_is_valid_for_both():
    """A document at every limit at once is accepted by the schema and by the reader."""
    largest = str(MAX_MAGNITUDE - 1)
    facts = [
        WORKPLACE | {"headcount": MAX_MAGNITUDE - 1, "last_audit": LAST_DAY.isoformat()},
        INCIDENT | {"occurred_at": f"{FIRST_DAY.isoformat()}T00:00", "monthly_wage": 1},
        BENEFIT | {"amount": f"-{largest}.9999999999999"},
    ]
    agree({"as_of": dt.date(8999, 12, 31).isoformat(), "facts": facts})
    assert reader_accepts(json.dumps({"as_of": "8999-12-31", "facts": facts}))
