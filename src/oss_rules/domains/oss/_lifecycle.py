"""Facts of the compliance lifecycle: incidents, module registrations, benefit entitlements,
and the intermediate facts the default ruleset derives on the way to deadlines and findings."""

from __future__ import annotations

import datetime as dt

import attrs

from ...model._fields import Choice, Day, Integer, Moment, Optional, Text, field
from ._vocabulary import CATEGORIES, LEVELS, MODULES

INCIDENT_KINDS = ("injury", "illness", "disability", "death")
"""What an incident did to the worker."""

REGISTRATION_STATUSES = ("submitted", "accepted", "rejected")
"""Where a module registration stands."""

_ID = Text(ident=True)


@attrs.frozen
class Incident:
    """A work accident or occupational illness; times are the workplace's local time."""

    id: str = field(_ID)
    workplace: str = field(_ID, references="Workplace")
    kind: str = field(Choice(INCIDENT_KINDS))
    occurred_at: dt.datetime = field(Moment())
    hazard: str | None = field(Optional(_ID), default=None, references="Hazard")
    worker: str | None = field(Optional(Text()), default=None)
    medical_care_at: dt.datetime | None = field(Optional(Moment()), default=None)
    """When medical care began; null while it has not."""
    reported_at: dt.datetime | None = field(Optional(Moment()), default=None)
    """When the first (Tahap I) accident report was filed; null while it has not been."""
    diagnosed_at: dt.datetime | None = field(Optional(Moment()), default=None)
    """For an occupational illness (PAK): when it was diagnosed. The 2 x 24 h report limit
    runs from the diagnosis (Permenaker 5/2021 Pasal 8); null when unknown."""


@attrs.frozen
class Registration:
    """A workplace's registration of one OSS module with the authority."""

    workplace: str = field(_ID, references="Workplace")
    module: str = field(Choice(MODULES))
    submitted_on: dt.date = field(Day())
    status: str = field(Choice(REGISTRATION_STATUSES))
    reference: str | None = field(Optional(Text()), default=None)


@attrs.frozen
class Benefit:
    """A benefit the worker or the family is entitled to because of an incident."""

    workplace: str = field(_ID)
    incident: str = field(_ID)
    kind: str = field(Text(ident=True))
    basis: str = field(Text())
    """The legal basis, e.g. the regulation and article."""


@attrs.frozen
class Due:
    """When a recurring duty (a reassessment, an audit, a review) next falls due.

    The default ruleset derives it from the date of the last one (``last``; null when none
    is on record, and then ``due`` is ``as_of``) and judges it into a ``Deadline``.
    """

    workplace: str = field(_ID)
    kind: str = field(Text(ident=True))
    due: dt.date = field(Day())
    last: dt.date | None = field(Optional(Day()), default=None)


@attrs.frozen
class ResponseDue:
    """The moment by which something must be done about an incident (medical care, the
    accident report); a local time, like the incident's own."""

    workplace: str = field(_ID)
    incident: str = field(_ID)
    kind: str = field(Text(ident=True))
    by: dt.datetime = field(Moment())


@attrs.frozen
class TopHazard:
    """The highest-scoring classified hazard of a workplace (ties: the smallest hazard id),
    named in the findings about modules that nothing requires."""

    workplace: str = field(_ID)
    hazard: str = field(_ID)
    category: str = field(Choice(CATEGORIES))
    score: int = field(Integer(1, 25))
    level: str = field(Choice(LEVELS))


@attrs.frozen
class ModuleReason:
    """One reason why a workplace must run a module, for the finding that it is missing.

    Every rule that derives an ``Obligation`` also derives its reason: a hazard
    (``text`` ``"fall:high (h1)"``, ``rank`` its score), or the setting or an incident
    (``rank`` 0, so that a hazard, when one decides, is named first). The finding names the
    reason with the highest rank, the smallest text among equals: one reason, chosen
    without counting, whatever the order of the facts.
    """

    workplace: str = field(_ID)
    module: str = field(Choice(MODULES))
    rank: int = field(Integer(0))
    text: str = field(Text())
