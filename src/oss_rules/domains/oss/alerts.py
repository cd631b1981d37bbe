"""Alerts: the dated duties of OSS results (deadlines, preventive actions) as one sorted
list, and as iCalendar events with stable UIDs.

>>> import datetime as dt
>>> import oss_rules
>>> site = oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3,
...                            last_assessment=dt.date(2026, 6, 20))
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> result = engine.evaluate([site], as_of=dt.date(2026, 6, 30))
>>> alerts = pending(alerts_of(result, "site.json"), within_days=30)
>>> [str(a) for a in alerts]  # doctest: +NORMALIZE_WHITESPACE
['2026-06-30  overdue       w1  no previous audit on record  [site.json]',
 '2026-06-30  overdue       w1  no previous review on record  [site.json]',
 '2026-07-20  due in 20 d   w1  registration: register OSS-I  [site.json]']
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import icalendar

from ...engine.result import Result
from .facts import Action, Deadline, Finding

__all__ = ["Alert", "alerts_of", "calendar_of", "pending"]

_PRODID = "-//oss_rules//alerts//EN"


@attrs.frozen(order=True)
class Alert:
    """One dated duty of a workplace: a deadline (``kind`` its kind) or a preventive action
    (``kind`` ``action``, ``subject`` the hazard). Alerts sort by date, then workplace,
    kind, subject and source, so a list of them reads as a calendar."""

    due: dt.date
    workplace: str
    kind: str
    subject: str
    source: str
    as_of: dt.date
    overdue: bool
    text: str

    @property
    def uid(self) -> str:
        """A UID that stays the same when the due date moves, so that importing the
        calendar again updates the event instead of adding another."""
        key = "\x1f".join(("oss_rules", self.workplace, self.kind, self.subject))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@oss-rules"

    @property
    def status(self) -> str:
        """``overdue``, ``due today`` or ``due in N d`` as of the evaluation date."""
        if self.overdue:
            return "overdue"
        days = (self.due - self.as_of).days
        return "due today" if days == 0 else f"due in {days} d"

    def to_data(self) -> dict[str, Any]:
        """The alert as JSON-ready data."""
        return {
            "due": self.due.isoformat(),
            "status": "overdue" if self.overdue else "due",
            "days_left": (self.due - self.as_of).days,
            "workplace": self.workplace,
            "kind": self.kind,
            "subject": self.subject,
            "text": self.text,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "uid": self.uid,
        }

    def __str__(self) -> str:
        return f"{self.due}  {self.status:<12}  {self.workplace}  {self.text}  [{self.source}]"


def alerts_of(result: Result, source: str) -> tuple[Alert, ...]:
    """Every deadline and preventive action of ``result``, sorted; ``source`` names the
    input it came from (a file name)."""
    as_of = result.as_of
    unregistered: dict[str, list[str]] = {}
    overdue_why: dict[tuple[str, str], str] = {}
    for f in result.of_type(Finding):
        if f.code == "unregistered_module":
            unregistered.setdefault(f.workplace, []).append(f.subject)
        elif f.code.startswith("overdue_"):
            overdue_why[f.workplace, f.code.removeprefix("overdue_")] = f.message
    found = [
        Alert(
            d.due,
            d.workplace,
            d.kind,
            d.kind,
            source,
            as_of,
            _deadline_overdue(d, as_of),
            _deadline_text(d, sorted(unregistered.get(d.workplace, ())), overdue_why),
        )
        for d in result.of_type(Deadline)
    ]
    found += [
        Alert(
            a.due,
            a.workplace,
            "action",
            a.hazard,
            source,
            as_of,
            _action_overdue(a, as_of),
            f"action {a.code} for hazard {a.hazard}",
        )
        for a in result.of_type(Action)
    ]
    return tuple(sorted(found))


def overdue_counts(result: Result) -> tuple[int, int]:
    """How many deadlines and how many preventive actions of ``result`` are overdue: the
    alerts of :func:`alerts_of` that say so, counted without writing them (a batch
    summary counts them for every record)."""
    as_of = result.as_of
    deadlines = sum(_deadline_overdue(d, as_of) for d in result.of_type(Deadline))
    actions = sum(_action_overdue(a, as_of) for a in result.of_type(Action))
    return deadlines, actions


def _deadline_overdue(deadline: Deadline, as_of: dt.date) -> bool:
    return deadline.status == "overdue" or deadline.due < as_of


def _action_overdue(action: Action, as_of: dt.date) -> bool:
    return action.due < as_of


def _deadline_text(
    deadline: Deadline, modules: Sequence[str], overdue_why: dict[tuple[str, str], str]
) -> str:
    """The kind, and what the findings say about it: the modules still to register, or
    why the duty is overdue."""
    if deadline.kind == "registration" and modules:
        return "registration: register " + ", ".join(modules)
    # The overdue finding's message already names the kind ("audit was due ...", "no
    # previous audit on record").
    return overdue_why.get((deadline.workplace, deadline.kind), deadline.kind)


def pending(alerts: Iterable[Alert], within_days: int) -> tuple[Alert, ...]:
    """The alerts that are overdue, or due within ``within_days`` days after their
    evaluation date (both ends included), sorted by date."""
    if within_days < 0:
        raise ValueError(f"Expected within_days >= 0 but got within_days={within_days}")
    return tuple(
        sorted(a for a in alerts if a.overdue or a.due <= a.as_of + dt.timedelta(days=within_days))
    )


def calendar_of(alerts: Iterable[Alert]) -> bytes:
    """An iCalendar (RFC 5545) document with one all-day event per alert.

    Each event's UID depends only on the workplace, the kind and the subject, and its
    DTSTAMP is the evaluation date, so the same results give the same bytes and a later
    evaluation updates the events a calendar imported before.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    for alert in sorted(alerts):
        event = icalendar.Event()
        event.add("uid", alert.uid)
        event.add("dtstamp", dt.datetime.combine(alert.as_of, dt.time(), tzinfo=dt.UTC))
        event.add("dtstart", alert.due)
        event.add("dtend", alert.due + dt.timedelta(days=1))
        event.add("summary", f"{alert.workplace}: {alert.text}")
        event.add(
            "description",
            f"{alert.status} as of {alert.as_of.isoformat()} (from {alert.source})",
        )
        event.add("categories", [alert.kind])
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
