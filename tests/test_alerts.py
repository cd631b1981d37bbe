"""oss-rules alerts: overdue and upcoming duties across files, JSON, and iCalendar export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

import oss_rules
from oss_rules.cli import main
from oss_rules.cli._alerts import write_atomically
from oss_rules.domains.oss.alerts import alerts_of, calendar_of, overdue_counts, pending

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.json"))


def _write(tmp_path: Path, name: str, facts: list[dict[str, object]], as_of: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"as_of": as_of, "facts": facts}), "utf-8")
    return str(path)


def _site(last_assessment: str) -> dict[str, object]:
    return {
        "type": "Workplace",
        "id": "w1",
        "sector": "retail",
        "setting": "office",
        "headcount": 5,
        "declared_modules": ["OSS-I"],
        "last_assessment": last_assessment,
        "last_audit": "2026-06-01",
        "last_review": "2026-06-01",
    }


def test_lines_are_sorted_by_date_across_files() -> None:
    """Alerts from several files come out as one list, sorted by date."""
    output = CliRunner().invoke(main, ["alerts", *EXAMPLES]).output
    dates = [line.split()[0] for line in output.splitlines()]
    assert dates and dates == sorted(dates)
    sources = {Path(line.rsplit("[", 1)[1].rstrip("]")).name for line in output.splitlines()}
    assert sources == {"construction.json", "plant.json", "workshop.json", "office.json"}


def test_window_includes_its_last_day_and_not_the_next(tmp_path: Path) -> None:
    """--within N lists a duty due N days after as_of, and not one due N + 1 days after."""
    path = _write(tmp_path, "site.json", [_site("2026-06-20")], "2026-06-30")
    # The registration is due 30 days after the assessment: 2026-07-20, 20 days ahead.
    listed = CliRunner().invoke(main, ["alerts", path, "--within", "20"]).output
    assert "2026-07-20  due in 20 d   w1  registration: register OSS-I" in listed
    unlisted = CliRunner().invoke(main, ["alerts", path, "--within", "19"]).output
    assert "registration" not in unlisted


def test_overdue_is_listed_whatever_the_window(tmp_path: Path) -> None:
    """An overdue deadline is listed even with --within 0."""
    path = _write(tmp_path, "site.json", [_site("2026-05-01")], "2026-06-30")
    output = CliRunner().invoke(main, ["alerts", path, "--within", "0"]).output
    assert output.startswith("2026-05-31  overdue       w1  registration: register OSS-I")


def test_json_lists_the_same_alerts(tmp_path: Path) -> None:
    """--json gives one object per listed alert, with its date, status and UID."""
    path = _write(tmp_path, "site.json", [_site("2026-06-20")], "2026-06-30")
    data = json.loads(CliRunner().invoke(main, ["alerts", path, "--json"]).output)
    assert [(a["due"], a["kind"], a["status"], a["days_left"]) for a in data] == [
        ("2026-07-20", "registration", "due", 20)
    ]
    assert data[0]["uid"].endswith("@oss-rules")


def test_nothing_pending_says_so(tmp_path: Path) -> None:
    """Without anything overdue or due in the window, the command says so."""
    facts = [
        _site("2026-06-20"),
        {
            "type": "Registration",
            "workplace": "w1",
            "module": "OSS-I",
            "submitted_on": "2026-06-21",
            "status": "accepted",
        },
    ]
    path = _write(tmp_path, "site.json", facts, "2026-06-30")
    output = CliRunner().invoke(main, ["alerts", path, "--within", "10"]).output
    assert output == "nothing overdue or due within 10 days\n"


def test_ics_is_valid_and_its_uids_survive_a_new_due_date(tmp_path: Path) -> None:
    """The calendar parses back; an event keeps its UID when its due date moves, so a
    re-import updates it."""
    calendar_path = tmp_path / "duties.ics"
    before = _write(tmp_path, "before.json", [_site("2026-06-20")], "2026-06-30")
    CliRunner().invoke(main, ["alerts", before, "--ics", str(calendar_path)])
    first = icalendar.Calendar.from_ical(calendar_path.read_bytes())
    after = _write(tmp_path, "after.json", [_site("2026-06-25")], "2026-06-30")
    CliRunner().invoke(main, ["alerts", after, "--ics", str(calendar_path)])
    second = icalendar.Calendar.from_ical(calendar_path.read_bytes())

    def events(calendar: icalendar.Calendar) -> dict[str, tuple[str, dt.date]]:
        return {
            str(e["summary"]): (str(e["uid"]), e.decoded("dtstart"))
            for e in calendar.walk("VEVENT")
        }

    old, new = events(first), events(second)
    key = "w1: registration: register OSS-I"
    assert old[key][1] == dt.date(2026, 7, 20) and new[key][1] == dt.date(2026, 7, 25)
    assert old[key][0] == new[key][0]
    assert len({uid for uid, _ in new.values()}) == len(new)


def test_ics_bytes_do_not_depend_on_fact_order() -> None:
    """The same facts in another order give the same calendar bytes."""
    engine = oss_rules.Engine(oss_rules.load_default())
    inventory = oss_rules.read_inventory(Path(EXAMPLES[0]))
    forward = engine.evaluate(inventory.facts, as_of=inventory.as_of)
    backward = engine.evaluate(tuple(reversed(inventory.facts)), as_of=inventory.as_of)
    assert calendar_of(alerts_of(forward, "x")) == calendar_of(alerts_of(backward, "x"))


def test_pending_rejects_a_negative_window() -> None:
    """A negative window is an error naming the argument."""
    with pytest.raises(ValueError, match="within_days=-1"):
        pending((), within_days=-1)


def test_write_atomically_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """The new content replaces the old whole, and no temporary file stays behind."""
    target = tmp_path / "duties.ics"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["duties.ics"]


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    """If the data cannot be written, the old file is untouched and no temporary stays."""
    target = tmp_path / "duties.ics"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["duties.ics"]


@pytest.mark.parametrize("path", EXAMPLES)
def test_overdue_counts_are_those_of_the_alerts(path: str) -> None:
    """The batch summary's count (no alert written) agrees with the alerts themselves."""
    inventory = oss_rules.read_inventory(Path(path))
    engine = oss_rules.Engine(oss_rules.load_default())
    for as_of in (inventory.as_of, inventory.as_of + dt.timedelta(days=400)):
        result = engine.evaluate(inventory.facts, as_of=as_of)
        overdue = [a for a in alerts_of(result, path) if a.overdue]
        actions = sum(a.kind == "action" for a in overdue)
        assert overdue_counts(result) == (len(overdue) - actions, actions)
