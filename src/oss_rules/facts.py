"""The fact types of the OSS domain and the registry that names them for rulesets.

Every fact, given or derived, is a frozen attrs instance whose fields validate
themselves: a bad value raises :class:`~oss_rules.errors.FactError` naming the fact,
field, value and what was expected. An embedding app adds its own types with
:meth:`FactRegistry.register`.

>>> Hazard(id="h1", workplace="w1", category="fall", likelihood=4, severity=5).score
20
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import attrs

from ._employer_facts import Employer
from ._fields import (
    KIND_KEY,
    REFERENCE_KEY,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Optional,
    Text,
    computed,
    field,
    kind_of,
)
from ._k3_facts import K3Requirement, NoiseLimit, NoiseMeasurement
from ._lifecycle_facts import (
    Benefit,
    Due,
    Incident,
    ModuleReason,
    Registration,
    ResponseDue,
    TopHazard,
)
from ._payroll_facts import (
    Contribution,
    EmployerFinding,
    JkkDiscount,
    JkkGroup,
    JkkRate,
    JkpAllocation,
    LatePayment,
    PaymentDue,
    Payroll,
    RequiredProgramme,
    SectorGroup,
    Surcharge,
    WageBase,
    Worker,
)
from ._vocabulary import (
    CATEGORIES,
    DEADLINE_STATUSES,
    LEVELS,
    MODULES,
    REPORTERS,
    SETTINGS,
)
from .errors import suggest

__all__ = [
    "CATEGORIES",
    "DEADLINE_STATUSES",
    "LEVELS",
    "MODULES",
    "REPORTERS",
    "SETTINGS",
    "Action",
    "Benefit",
    "Classification",
    "Contribution",
    "Deadline",
    "DeclaredModule",
    "Due",
    "Employer",
    "EmployerFinding",
    "FactRegistry",
    "FactType",
    "FieldInfo",
    "Finding",
    "Hazard",
    "Incident",
    "JkkDiscount",
    "JkkGroup",
    "JkkRate",
    "JkpAllocation",
    "K3Requirement",
    "LatePayment",
    "ModuleReason",
    "NoiseLimit",
    "NoiseMeasurement",
    "Obligation",
    "PaymentDue",
    "Payroll",
    "Registration",
    "RequiredProgramme",
    "ResponseDue",
    "SectorGroup",
    "Surcharge",
    "TopHazard",
    "WageBase",
    "Worker",
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


BUILTIN_TYPES: tuple[type, ...] = (
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
    Registration,
    Benefit,
    Due,
    ResponseDue,
    TopHazard,
    ModuleReason,
    Worker,
    Payroll,
    WageBase,
    SectorGroup,
    JkkGroup,
    RequiredProgramme,
    JkkDiscount,
    JkkRate,
    Contribution,
    JkpAllocation,
    PaymentDue,
    LatePayment,
    Surcharge,
    EmployerFinding,
    NoiseMeasurement,
    NoiseLimit,
    K3Requirement,
)

MAX_FIELDS = 251
"""The most fields a fact type may have: durable-rules silently matches nothing on a
fact of more (measured: 251 works, 252 does not; it stores at most 255 properties,
and sid, id and type are among them)."""

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]$|^[a-z]$")
_RESERVED = frozenset({"type", "sid", "as_of"})


@attrs.frozen
class FieldInfo:
    """One field of a fact type as rulesets see it."""

    name: str
    kind: Kind
    init: bool
    references: str | None
    validated: bool = False
    """Whether the class validates this field itself (fields made with oss_rules helpers)."""


@attrs.frozen
class FactType:
    """A registered fact type: its name in rulesets, its class and its fields."""

    name: str
    cls: type
    fields: tuple[FieldInfo, ...]

    def field(self, name: str) -> FieldInfo | None:
        """The field called ``name``, or ``None``."""
        for info in self.fields:
            if info.name == name:
                return info
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        """Names of all fields, in declaration order."""
        return tuple(f.name for f in self.fields)


T = TypeVar("T", bound=type)


class FactRegistry:
    """The fact types a ruleset may name, by class name.

    ``FactRegistry()`` holds the built-in OSS types; an app adds its own:

    >>> registry = FactRegistry()
    >>> @registry.register
    ... @attrs.frozen
    ... class Contractor:
    ...     id: str
    ...     workplace: str
    >>> "Contractor" in registry
    True
    """

    def __init__(self, types: Iterable[type] = BUILTIN_TYPES) -> None:
        self._types: dict[str, FactType] = {}
        for cls in types:
            self.register(cls)

    def register(self, cls: T) -> T:
        """Add a frozen attrs class as a fact type; returns it, so it works as a decorator."""
        if not attrs.has(cls):
            raise TypeError(f"{cls!r} is not an attrs class; decorate it with @attrs.frozen")
        if cls.__setattr__ is object.__setattr__:
            raise TypeError(f"{cls.__name__} must be frozen (@attrs.frozen) so facts are values")
        name = cls.__name__
        if name in self._types and self._types[name].cls is not cls:
            raise ValueError(f"a different fact type named {name!r} is already registered")
        attrs.resolve_types(cls)
        infos = []
        for attribute in attrs.fields(cls):
            if not _FIELD_NAME.match(attribute.name) or attribute.name in _RESERVED:
                raise ValueError(
                    f"{name}.{attribute.name}: field names must be lower_snake_case, must not "
                    f"end in '_' and must not be one of {sorted(_RESERVED)}"
                )
            infos.append(
                FieldInfo(
                    attribute.name,
                    kind_of(attribute),
                    attribute.init,
                    attribute.metadata.get(REFERENCE_KEY),
                    validated=KIND_KEY in attribute.metadata,
                )
            )
        if len(infos) > MAX_FIELDS:
            raise ValueError(
                f"{name} has {len(infos)} fields; durable-rules matches facts of at most "
                f"{MAX_FIELDS} fields; split the type"
            )
        self._types[name] = FactType(name, cls, tuple(infos))
        return cls  # type: ignore[return-value]

    def __getitem__(self, name: str) -> FactType:
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(f"unknown fact type {name!r}{suggest(name, self._types)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[FactType]:
        return iter(self._types.values())

    def names(self) -> tuple[str, ...]:
        """Registered type names, in registration order."""
        return tuple(self._types)

    def type_of(self, fact: Any) -> FactType:
        """The registered type of ``fact``; raises ``TypeError`` for anything else."""
        info = self._types.get(type(fact).__name__)
        if info is None or info.cls is not type(fact):
            raise TypeError(
                f"{fact!r} is not an instance of a registered fact type; "
                "register its class with FactRegistry.register"
            )
        return info
