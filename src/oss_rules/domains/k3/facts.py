"""Fact types of the K3 ruleset (``rulesets/id-k3``): noise measurements and K3 duties.

K3 (keselamatan dan kesehatan kerja) is Indonesia's occupational safety and health law.
The ruleset reads the shared ``Employer``, ``Workplace`` and ``Incident`` facts plus the
:class:`NoiseMeasurement` given here, and derives what the law requires
(:class:`K3Requirement`) and the permitted noise exposure for each measurement
(:class:`NoiseLimit`). The deadline of each accident report is the shared
``ResponseDue`` (kind ``k3_report``), and findings are the shared ``Finding`` with codes
that start with ``k3_``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from ...model._fields import Choice, Day, Integer, Number, Optional, Text, computed, field

K3_REQUIREMENTS = ("smk3", "p2k3", "first_aid_officers", "first_aid_kit")
"""What a K3 requirement is about: the SMK3 management system (PP 50/2012), the P2K3
committee (Permenaker 13/2025), first-aid officers and the first-aid kit
(Permenakertrans PER.15/MEN/VIII/2008)."""

FIRST_AID_KITS = ("A", "B", "C")
"""First-aid kit types of PER.15/MEN/VIII/2008 Lampiran II, smallest first."""

SMK3_LEVELS = ("awal", "transisi", "lanjutan")
"""SMK3 audit levels (PP 50/2012 Lampiran II/III): initial, transition, advanced."""

SMK3_GRADES = ("kurang", "baik", "memuaskan", "not_implemented")
"""How an SMK3 audit is graded: the three bands, or not implemented (a critical or major
finding, when the bands are not applied)."""

_ID = Text(ident=True)


def _seconds(hours: Any) -> Any:
    # Exact for int and Decimal input (JSON numbers are read as Decimal), so a
    # measurement exactly at a table row's time is not over it by a rounding error.
    return hours * 3600


@attrs.frozen
class NoiseMeasurement:
    """A measured noise level in one area of a workplace and the daily exposure there.

    ``level_dba`` is the A-weighted level in dBA; ``exposure_hours`` how long a worker is
    exposed to it per working day. ``exposure_seconds`` is computed, because the noise
    table of Permenaker 5/2018 gives its permitted times down to hundredths of a second.
    """

    id: str = field(_ID)
    workplace: str = field(_ID, references="Workplace")
    area: str = field(Text())
    """Where it was measured, e.g. the machine hall or a work station."""
    level_dba: Decimal | int = field(Number())
    exposure_hours: Decimal | int = field(Number())
    measured_on: dt.date | None = field(Optional(Day()), default=None)
    exposure_seconds: Decimal | int = computed(Number(), lambda self: _seconds(self.exposure_hours))


@attrs.frozen
class K3Requirement:
    """A K3 duty that enacted law puts on an employer or on one of its workplaces.

    A duty of the company (SMK3) names the ``employer`` and no ``workplace``; a duty of
    a workplace (first aid) names the ``workplace`` and its employer when known.
    ``quantity`` is how many are required where the law sets a number (first-aid
    officers), else null; ``kit`` is the first-aid kit type. ``basis`` cites the
    regulation and article; ``note`` says what the law adds that no rule checks.
    """

    code: str = field(Choice(K3_REQUIREMENTS))
    basis: str = field(Text())
    employer: str | None = field(Optional(_ID), default=None)
    workplace: str | None = field(Optional(_ID), default=None)
    quantity: int | None = field(Optional(Integer(1)), default=None)
    kit: str | None = field(Optional(Choice(FIRST_AID_KITS)), default=None)
    note: str = field(Text(empty=True), default="")


@attrs.frozen
class NoiseLimit:
    """The daily exposure Permenaker 5/2018 permits at one measurement's noise level.

    ``permitted_seconds`` is the time of the table row that applies (a level between
    two rows takes the louder, stricter row); ``permitted`` is the same time as the
    regulation writes it (``"4 h"``, ``"7.5 min"``, ``"28.12 s"``).
    """

    workplace: str = field(_ID)
    measurement: str = field(_ID)
    row_dba: int = field(Integer(85))
    """The level of the row that applies, in dBA."""
    permitted_seconds: Decimal | int = field(Number())
    permitted: str = field(Text())


@attrs.frozen
class Smk3Audit:
    """The result of an SMK3 audit of a workplace: the level audited, how many of its
    criteria were met, and the open critical (kritikal) and major (mayor) findings."""

    id: str = field(_ID)
    workplace: str = field(_ID, references="Workplace")
    level: str = field(Choice(SMK3_LEVELS))
    criteria_met: int = field(Integer(0, 166))
    critical_findings: int = field(Integer(0), default=0)
    major_findings: int = field(Integer(0), default=0)
    audited_on: dt.date | None = field(Optional(Day()), default=None)


@attrs.frozen
class Smk3Score:
    """An audit's share of its level's criteria met, in percent (exact)."""

    audit: str = field(_ID)
    workplace: str = field(_ID)
    level: str = field(Choice(SMK3_LEVELS))
    criteria: int = field(Integer(1))
    criteria_met: int = field(Integer(0))
    percent: Decimal | int = field(Number())
    critical_findings: int = field(Integer(0))
    major_findings: int = field(Integer(0))


@attrs.frozen
class Smk3Grade:
    """The grade of an SMK3 audit, and the basis it was given on."""

    audit: str = field(_ID)
    workplace: str = field(_ID)
    grade: str = field(Choice(SMK3_GRADES))
    basis: str = field(Text())


TYPES: tuple[type, ...] = (
    NoiseMeasurement,
    NoiseLimit,
    K3Requirement,
    Smk3Audit,
    Smk3Score,
    Smk3Grade,
)
"""The K3 domain's fact types, in registration order."""
