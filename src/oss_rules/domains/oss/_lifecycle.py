"""Facts of the compliance lifecycle: incidents, separations, module registrations, benefit
entitlements, and the intermediate facts the default ruleset derives on the way to deadlines
and findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ...model._fields import Choice, Day, Integer, Moment, Number, Optional, Text, field
from ._vocabulary import CATEGORIES, LEVELS, MODULES

INCIDENT_KINDS = ("injury", "illness", "disability", "death")
"""What an incident did to the worker."""

DISABILITY_EXTENTS = ("total_permanent", "partial_anatomical", "partial_functional")
"""How far a disability goes (PP 44/2015 as amended by PP 82/2019): total and permanent,
or partial, by the loss of a body part (anatomical) or of a function (functional)."""

SEPARATION_KINDS = ("death", "job_loss")
"""How a worker's employment ended other than by a work accident: a death not caused by
work (JKM) or the loss of the job (JKP)."""

PROGRAMMES = ("JKK", "JKM", "JKP")
"""The BPJS Ketenagakerjaan programmes that pay a :class:`Benefit`: work injury, death,
job loss."""

PAYMENTS = ("once", "monthly")
"""How a benefit is paid: a lump sum, or an amount each month."""

REGISTRATION_STATUSES = ("submitted", "accepted", "rejected")
"""Where a module registration stands."""

_ID = Text(ident=True)
_WAGE = Integer(1)
_RUPIAH = Number()


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
    monthly_wage: int | None = field(Optional(_WAGE), default=None)
    """The worker's monthly wage (upah sebulan: basic wage plus fixed allowances), whole
    rupiah, at least Rp1. The JKK benefits that are multiples of the wage are computed
    from it; null when not given, and then their amount is null too."""
    disability_extent: str | None = field(Optional(Choice(DISABILITY_EXTENTS)), default=None)
    """For a disability: total and permanent, or partial; null when not known. Read only
    for incidents of kind ``disability``."""


@attrs.frozen
class Separation:
    """A worker's employment ended other than by a work accident: a death not caused by
    work (JKM pays the family) or the loss of the job (JKP pays the worker).

    A death from a work accident is an :class:`Incident` of kind ``death`` instead.
    """

    id: str = field(_ID)
    workplace: str = field(_ID, references="Workplace")
    kind: str = field(Choice(SEPARATION_KINDS))
    ended_on: dt.date = field(Day())
    """The day of the death, or the last day of employment."""
    worker: str | None = field(Optional(Text()), default=None)
    monthly_wage: int | None = field(Optional(_WAGE), default=None)
    """The last monthly wage reported to BPJS Ketenagakerjaan, whole rupiah, at least Rp1;
    the JKP benefit is a share of it. Null when not given, and then that amount is null."""


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
    """A benefit the worker or the family is entitled to because of an incident or a
    separation, and how much it is, in exact rupiah.

    ``amount`` is per payment: the lump sum (``payment`` ``once``) or the amount of each
    month (``monthly``, for at most ``months`` months; null months: until the condition
    ends). It is null when the facts do not give it (no wage on record) or the ruleset
    does not hold the rule that sets it (the percentage tables of partial disability);
    ``note`` then says which. ``up_to`` is a ceiling where the law gives one instead of
    an amount (the scholarship).
    """

    workplace: str = field(_ID, references="Workplace")
    """The workplace of the incident or separation. A reference, so that a ruleset that
    reads given benefits (the conclusions of another) can join them to their workplace
    and still be split by workplace (OSS150)."""
    incident: str = field(_ID)
    """The id of the :class:`Incident` or :class:`Separation` the benefit arises from."""
    kind: str = field(Text(ident=True))
    basis: str = field(Text())
    """The legal basis, e.g. the regulation and article."""
    programme: str = field(Choice(PROGRAMMES), default="JKK")
    amount: Decimal | None = field(Optional(_RUPIAH), default=None)
    payment: str = field(Choice(PAYMENTS), default="once")
    months: int | None = field(Optional(Integer(1)), default=None)
    up_to: Decimal | None = field(Optional(_RUPIAH), default=None)
    note: str = field(Text(empty=True), default="")
    """Why ``amount`` is null, or what it leaves out; empty when nothing."""


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
