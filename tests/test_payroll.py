"""The payroll export (domains.bpjstk.payroll, `oss-rules payroll`) and the id-bpjstk data.

The worked example of examples/payroll/march-2026.json is checked against amounts worked
out by hand in the comments, so a change of rate, rounding or summing shows up here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT

import oss_rules
from oss_rules.cli import main
from oss_rules.domains.bpjstk.facts import (
    Contribution,
    JkpAllocation,
    LatePayment,
    Payroll,
    Surcharge,
    Worker,
)
from oss_rules.domains.bpjstk.payroll import COLUMNS, payroll_report, report_from_facts
from oss_rules.errors import PayrollError

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
EXAMPLE = ROOT / "examples" / "payroll" / "march-2026.json"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def line(
    worker: str, programme: str, payer: str, amount: int, *, base: int = 5_000_000, **kw: Any
) -> Contribution:
    """A hand-made contribution line for March 2026 (rate 1 %: the report never reads it)."""
    return Contribution(
        worker=worker,
        employer=kw.get("employer", "e1"),
        month=kw.get("month", MARCH),
        programme=programme,
        payer=payer,
        base=base,
        rate=Decimal("1"),
        amount=amount,
    )


# --- the report from hand-made facts ----------------------------------------------------


def test_rows_sum_each_side_in_whole_rupiah() -> None:
    """Employer contributions, deductions, the remitted total and the employer cost add up
    the lines; a programme the worker has no line for is 0."""
    facts = [
        line("w1", "JKK", "employer", 12_000),
        line("w1", "JKM", "employer", 15_000),
        line("w1", "JHT", "employer", 185_000),
        line("w1", "JHT", "worker", 100_000),
        line("w1", "JP", "employer", 100_000, base=4_000_000),
        line("w1", "JP", "worker", 50_000, base=4_000_000),
        JkpAllocation("w1", "e1", MARCH, 5_000_000, Decimal("0.14"), 7_000),
        Surcharge("w1", "e1", MARCH, "JKM", "employer", 15_000, Decimal(2), 1, 300),
    ]
    report = report_from_facts(facts, month=MARCH, as_of=APRIL)
    (row,) = report.rows
    assert row.amounts == {
        "jkk": 12_000,
        "jkm": 15_000,
        "jht_employer": 185_000,
        "jp_employer": 100_000,
        "jkp": 0,
        "jht_worker": 100_000,
        "jp_worker": 50_000,
    }
    assert (row.wage_base, row.jp_base) == (5_000_000, 4_000_000)
    assert row.employer_contributions == 12_000 + 15_000 + 185_000 + 100_000
    assert row.worker_deductions == 150_000
    assert row.contributions_total == 312_000 + 150_000
    # The JKP allocation is inside JKK: reported, never added.
    assert row.jkk_to_jkp == 7_000
    assert row.late_surcharge == 300
    assert row.employer_cost == 312_000 + 300


def test_rows_are_per_worker_sorted_and_only_of_the_month() -> None:
    """One row per employer and worker, sorted; lines of another month are left out;
    names and workplaces come from the Worker facts."""
    facts = [
        line("w2", "JKM", "employer", 2, employer="e2"),
        line("w9", "JKM", "employer", 9),
        line("w1", "JKM", "employer", 1),
        line("w1", "JKM", "employer", 1_000, month=APRIL),
        Worker(id="w1", employer="e1", basic_wage=5_000_000, name="Andi", workplace="site-a"),
    ]
    report = report_from_facts(facts, month=dt.date(2026, 3, 17), as_of=APRIL)
    assert report.month == MARCH
    assert [(r.employer, r.worker) for r in report.rows] == [
        ("e1", "w1"),
        ("e1", "w9"),
        ("e2", "w2"),
    ]
    assert (report.rows[0].name, report.rows[0].workplace) == ("Andi", "site-a")
    assert report.totals()["jkm"] == 12
    assert report.totals("e1")["jkm"] == 10
    assert report.employers == ("e1", "e2")


def test_a_line_counted_twice_is_an_error() -> None:
    """Two JKK lines for one worker and month would be paid twice: refused, naming both."""
    facts = [line("w1", "JKK", "employer", 12_000), line("w1", "JKK", "employer", 12_001)]
    with pytest.raises(PayrollError, match="two JKK lines paid by the employer for worker 'w1'"):
        report_from_facts(facts, month=MARCH, as_of=APRIL)


def test_a_line_without_a_column_is_an_error() -> None:
    """A payer the export has no column for (JKP paid by the worker) is refused."""
    with pytest.raises(PayrollError, match="no payroll column for JKP paid by the worker"):
        report_from_facts([line("w1", "JKP", "worker", 1)], month=MARCH, as_of=APRIL)


def test_payments_say_when_each_employer_paid() -> None:
    """The payment of each employer with a Payroll fact for the month: due date, payment,
    months late."""
    facts = [
        line("w1", "JKM", "employer", 1),
        Payroll(employer="e1", month=MARCH),
        LatePayment(employer="e1", month=MARCH, due=dt.date(2026, 4, 15), months_late=2),
        Payroll(employer="e2", month=APRIL, paid_on=dt.date(2026, 5, 1)),
        Payroll(employer="e3", month=MARCH, paid_on=dt.date(2026, 4, 20)),
        Payroll(employer="e3", month=MARCH, paid_on=dt.date(2026, 4, 2)),
        Payroll(employer="e3", month=MARCH),
    ]
    first, third = report_from_facts(facts, month=MARCH, as_of=APRIL).payments
    assert (first.employer, first.paid_on, first.months_late) == ("e1", None, 2)
    # Several Payroll facts for a month: the latest payment counts, as in the ruleset.
    assert (third.employer, third.paid_on) == ("e3", dt.date(2026, 4, 20))


# --- the worked example -----------------------------------------------------------------


@pytest.fixture(scope="module")
def march() -> oss_rules.Result:
    inventory = oss_rules.read_inventory(EXAMPLE)
    engine = oss_rules.Engine(oss_rules.load_default("id-bpjstk"))
    return engine.evaluate(inventory.facts, as_of=inventory.as_of)


def test_worked_example_by_hand(march: oss_rules.Result) -> None:
    """Budi earns 14,000,000 + 1,000,000 = 15,000,000, above the March 2026 JP cap of
    11,086,300, at a group V employer (1.74 %), and is a JKP participant:
    JKK 15,000,000 x 1.74 % = 261,000 (of it 0.14 % = 21,000 allocated to JKP);
    JKM 0.30 % = 45,000; JHT 3.7 % = 555,000 and 2 % = 300,000;
    JP 2 % x 11,086,300 = 221,726 and 1 % = 110,863.
    Employer 261,000 + 45,000 + 555,000 + 221,726 = 1,082,726; deducted 410,863."""
    report = payroll_report(march, MARCH)
    budi = next(r for r in report.rows if r.worker == "budi").to_data()
    assert budi == {
        "employer": "pt-bangun",
        "worker": "budi",
        "name": "Budi",
        "workplace": None,
        "wage_base": 15_000_000,
        "jp_base": 11_086_300,
        "jkk": 261_000,
        "jkm": 45_000,
        "jht_employer": 555_000,
        "jp_employer": 221_726,
        "jkp": 0,
        "jht_worker": 300_000,
        "jp_worker": 110_863,
        "jkk_to_jkp": 21_000,
        "employer_contributions": 1_082_726,
        "worker_deductions": 410_863,
        "contributions_total": 1_493_589,
        "late_surcharge": 0,
        "employer_cost": 1_082_726,
    }


def test_worked_example_late_employer(march: oss_rules.Result) -> None:
    """CV Rapi (small: no JP) has not paid March by 2026-04-30: one month late. Dewi's
    piece-rate average 3,215,700: JKK group I 0.24 % = 7,717.68 -> 7,718; JKM 0.30 % =
    9,647.1 -> 9,647; JHT 3.7 % = 118,980.9 -> 118,981 and 2 % = 64,314. Surcharge 2 % of
    each line: 154.36 -> 154, 192.94 -> 193, 2,379.62 -> 2,380, 1,286.28 -> 1,286 = 4,013."""
    report = payroll_report(march, MARCH)
    dewi = next(r for r in report.rows if r.worker == "dewi")
    assert dict(dewi.amounts) == {
        "jkk": 7_718,
        "jkm": 9_647,
        "jht_employer": 118_981,
        "jp_employer": 0,
        "jkp": 0,
        "jht_worker": 64_314,
        "jp_worker": 0,
    }
    assert dewi.late_surcharge == 4_013
    payment = next(p for p in report.payments if p.employer == "cv-rapi")
    assert (payment.due, payment.paid_on, payment.months_late) == (dt.date(2026, 4, 15), None, 1)
    assert any("JKK group I suggested from sector tailoring" in f for f in payment.findings)


def test_totals_are_the_sums_of_the_rows(march: oss_rules.Result) -> None:
    """Each total is the sum of its column, per employer and overall."""
    report = payroll_report(march, MARCH)
    data = report.to_data()
    for column in ("jkk", "jht_worker", "employer_cost", "late_surcharge"):
        assert data["totals"][column] == sum(row[column] for row in data["rows"])
        for employer, totals in data["employers"].items():
            assert totals[column] == sum(
                row[column] for row in data["rows"] if row["employer"] == employer
            )


def test_json_has_no_float_and_does_not_depend_on_fact_order() -> None:
    """Amounts are JSON integers (a float would fail to parse here), and the facts in any
    order give the same bytes."""
    inventory = oss_rules.read_inventory(EXAMPLE)
    engine = oss_rules.Engine(oss_rules.load_default("id-bpjstk"))
    outputs = set()
    for seed in range(3):
        facts = list(inventory.facts)
        random.Random(seed).shuffle(facts)
        result = engine.evaluate(facts, as_of=inventory.as_of)
        outputs.add(payroll_report(result, MARCH).to_json())
    (text,) = outputs

    def no_float(value: str) -> Any:
        raise AssertionError(f"a float in the payroll JSON: {value}")

    data = json.loads(text, parse_float=no_float)
    assert data["month"] == "2026-03"
    assert all(
        isinstance(v, int) for row in data["rows"] for k, v in row.items() if k in ("jkk", "jkm")
    )


def test_csv_has_the_columns_a_row_per_worker_and_the_totals(march: oss_rules.Result) -> None:
    """The CSV reads back: the header is COLUMNS, then the rows, then TOTAL."""
    report = payroll_report(march, MARCH)
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert tuple(rows[0]) == COLUMNS
    assert [r[1] for r in rows[1:-1]] == ["dewi", "eko", "andi", "budi", "citra"]
    total = dict(zip(COLUMNS, rows[-1], strict=True))
    assert total["employer"] == "TOTAL"
    assert int(total["employer_cost"]) == report.totals()["employer_cost"]
    assert total["wage_base"] == ""


# --- the command ------------------------------------------------------------------------


def test_command_prints_a_table_per_employer() -> None:
    """The text form: each employer's payment, notes, rows and totals, amounts grouped."""
    code, output = run("payroll", str(EXAMPLE), "--month", "2026-03")
    assert code == 0, output
    assert "Employer cv-rapi: due 2026-04-15, unpaid, 1 month late" in output
    assert "Employer pt-bangun: due 2026-04-15, paid 2026-04-14" in output
    assert "\n  budi   15,000,000 261,000 45,000   555,000 " in output


def test_command_writes_csv_and_prints_json(tmp_path: Path) -> None:
    """--csv PATH writes the CSV, --json prints the report with the ruleset's digest."""
    out = tmp_path / "march.csv"
    code, output = run("payroll", str(EXAMPLE), "--month", "2026-03", "--csv", str(out), "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["ruleset"]["id"] == "id-bpjstk"
    assert data["ruleset"]["digest"].startswith("sha256:")
    assert out.read_text("utf-8").splitlines()[-1].startswith("TOTAL,")
    code, output = run("payroll", str(EXAMPLE), "--month", "2026-03", "--csv", "-")
    assert code == 0
    assert output == out.read_text("utf-8")


def test_an_employer_without_a_payroll_fact_has_not_paid(tmp_path: Path) -> None:
    """The command adds an unpaid Payroll fact for the month: past the 15th it is late."""
    facts = [f for f in json.loads(EXAMPLE.read_text("utf-8"))["facts"] if f["type"] != "Payroll"]
    file = tmp_path / "no-payments.json"
    file.write_text(json.dumps({"as_of": "2026-05-16", "facts": facts}), "utf-8")
    code, output = run("payroll", str(file), "--month", "2026-03")
    assert code == 0, output
    assert "Employer pt-bangun: due 2026-04-15, unpaid, 2 months late" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-3-01"], "'2026-3-01' does not match the format '%Y-%m'"),
        (["--month", "2026-03", "--ruleset", "no-such"], "no such ruleset"),
        (["--month", "2026-03", "--json", "--csv", "-"], "give either --json or --csv -"),
        (["--month", "2026-03", "--ruleset", "oss"], "a fact type that ruleset oss uses"),
    ],
)
def test_command_errors_exit_2(args: list[str], message: str) -> None:
    """A bad month, an unknown ruleset, clashing outputs, a ruleset that derives no
    contribution: status 2 and why."""
    result = CliRunner().invoke(main, ["payroll", str(EXAMPLE), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


# --- the ruleset's data -----------------------------------------------------------------


def test_each_sector_suggests_one_group() -> None:
    """The sector lists of jkk_sectors do not overlap (the table takes the first match,
    so a sector in two lists would silently get the lower group)."""
    sectors = oss_rules.load_default("id-bpjstk").params["jkk_sectors"]
    seen: dict[str, str] = {}
    for group, names in sectors.items():
        for name in names:
            assert name not in seen, f"{name} is in groups {seen[name]} and {group}"
            seen[name] = group
    assert set(sectors) == {"I", "II", "III", "IV", "V"}


def test_rates_are_exact_decimals() -> None:
    """Rates read from YAML are Decimals, never floats, so 0.445 % stays exact."""
    params = oss_rules.load_default("id-bpjstk").params
    assert params["jkk_discounted_rates"]["III"] == Decimal("0.445")
    assert all(isinstance(v, Decimal) for v in params["jkk_rates"].values())
