"""The fact types of the OSS domain: workplaces, hazards and what rules conclude of them.

>>> Hazard(id="h1", workplace="w1", category="fall", likelihood=4, severity=5).score
20
"""

from __future__ import annotations

import datetime as dt

import attrs

from ...model._fields import Choice, Day, Integer, Many, Optional, Text, computed, field
from ._employer import Employer
from ._lifecycle import (
    Benefit,
    Due,
    Incident,
    ModuleReason,
    Registration,
    ResponseDue,
    Separation,
    TopHazard,
)
from ._vocabulary import CATEGORIES, DEADLINE_STATUSES, LEVELS, MODULES, REPORTERS, SETTINGS

__all__ = [
    "CATEGORIES",
    "DEADLINE_STATUSES",
    "LEVELS",
    "MODULES",
    "REPORTERS",
    "SETTINGS",
    "TYPES",
    "Action",
    "Benefit",
    "Classification",
    "Deadline",
    "DeclaredModule",
    "Due",
    "Employer",
    "ExpectedHazard",
    "ExpectedInventory",
    "Finding",
    "Hazard",
    "Incident",
    "ModuleReason",
    "Obligation",
    "Registration",
    "ResponseDue",
    "Separation",
    "TopHazard",
    "Workplace",
]

_ID = Text(ident=True)


@attrs.frozen
class Workplace:
    """A workplace: the unit that OSS modules are declared for and obliged to."""

    id: str = field(_ID)
    sector: str = field(Text())
    setting: str = field(Choice(SETTINGS))
    headcount: int = field(Integer(0))
    declared_modules: tuple[str, ...] = field(Many(Choice(MODULES)), default=())
    last_assessment: dt.date | None = field(Optional(Day()), default=None)
    last_audit: dt.date | None = field(Optional(Day()), default=None)
    """The last (internal) OSS audit; the next is due at least every 6 months."""
    last_review: dt.date | None = field(Optional(Day()), default=None)
    """The last compliance review; the next is due every 3 months."""
    employer: str | None = field(Optional(_ID), default=None, references="Employer")


@attrs.frozen
class Hazard:
    """One entry of a workplace's hazard inventory; ``score`` = likelihood x severity."""

    id: str = field(_ID)
    workplace: str = field(_ID, references="Workplace")
    category: str = field(Choice(CATEGORIES))
    likelihood: int = field(Integer(1, 5))
    severity: int = field(Integer(1, 5))
    identified_on: dt.date | None = field(Optional(Day()), default=None)
    reported_by: str | None = field(Optional(Choice(REPORTERS)), default=None)
    score: int = computed(Integer(1, 25), lambda self: self.likelihood * self.severity)


@attrs.frozen
class Classification:
    """The risk level a ruleset gave one hazard."""

    workplace: str = field(_ID)
    hazard: str = field(_ID)
    category: str = field(Choice(CATEGORIES))
    score: int = field(Integer(1, 25))
    level: str = field(Choice(LEVELS))


@attrs.frozen
class DeclaredModule:
    """A module that a workplace says it runs (one fact per declared module)."""

    workplace: str = field(_ID)
    module: str = field(Choice(MODULES))


@attrs.frozen
class Obligation:
    """A module the workplace must run."""

    workplace: str = field(_ID)
    module: str = field(Choice(MODULES))


@attrs.frozen
class Action:
    """A preventive action for one hazard: what control to apply, and by when."""

    workplace: str = field(_ID)
    hazard: str = field(_ID)
    code: str = field(Text())
    control: str = field(Text())
    due: dt.date = field(Day())


@attrs.frozen
class ExpectedInventory:
    """What a workplace's hazard inventory is expected to hold, given its sector and
    setting: the ``categories`` (possibly none) and the ``reason``, the example of the
    source's step 1 (or the decision table's row) that sets the expectation."""

    workplace: str = field(_ID)
    categories: tuple[str, ...] = field(Many(Choice(CATEGORIES)), default=())
    reason: str = field(Text(), default="no example of the source applies")


@attrs.frozen
class ExpectedHazard:
    """A hazard category a workplace's inventory is expected to hold, given its sector and
    setting; ``reason`` is the example that sets the expectation (the source's step 1)."""

    workplace: str = field(_ID)
    category: str = field(Choice(CATEGORIES))
    reason: str = field(Text())


@attrs.frozen
class Finding:
    """A compliance problem: ``code`` says which, ``subject`` what it is about."""

    workplace: str = field(_ID)
    code: str = field(Text(ident=True))
    subject: str = field(Text())
    message: str = field(Text(empty=True), default="")


@attrs.frozen
class Deadline:
    """A date by which something must be done at a workplace, and how urgent it is.

    ``status`` is ``overdue`` (past), ``due_soon`` (within the ruleset's alert window) or
    ``ok``; it is null when the rule that derived the deadline does not judge it.
    """

    workplace: str = field(_ID)
    kind: str = field(Text(ident=True))
    due: dt.date = field(Day())
    status: str | None = field(Optional(Choice(DEADLINE_STATUSES)), default=None)


TYPES: tuple[type, ...] = (
    Employer,
    Workplace,
    Hazard,
    Classification,
    DeclaredModule,
    Obligation,
    Action,
    Finding,
    Deadline,
    Incident,
    Separation,
    Registration,
    Benefit,
    Due,
    ResponseDue,
    TopHazard,
    ModuleReason,
    ExpectedInventory,
    ExpectedHazard,
)
"""The OSS domain's fact types, in registration order."""
