"""Facts of the compliance lifecycle: incidents, module registrations, benefit entitlements."""

from __future__ import annotations

import datetime as dt

import attrs

from ._fields import Choice, Day, Moment, Optional, Text, field

INCIDENT_KINDS = ("injury", "illness", "disability", "death")
"""What an incident did to the worker."""

REGISTRATION_STATUSES = ("submitted", "accepted", "rejected")
"""Where a module registration stands."""

_ID = Text(ident=True)
_MODULES = ("OSS-I", "OSS-II", "OSS-III")


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


@attrs.frozen
class Registration:
    """A workplace's registration of one OSS module with the authority."""

    workplace: str = field(_ID, references="Workplace")
    module: str = field(Choice(_MODULES))
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
