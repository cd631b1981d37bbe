"""Effective dating: a param whose value changes on set dates.

Law changes on dates, and a contribution for February must use February's rates even
when it is computed in April. A versioned param holds every version with the period it
is in force; expressions see the version in force on ``as_of`` under the param's name,
and ``in_force(param, date)`` for any other date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

VERSION_KEYS = ("effective_from", "effective_until", "value")
"""The keys of one version of an effective-dated param."""

VERSIONS = "\u0000versions"
"""The key under which an environment keeps every versioned param, for ``in_force``."""


@attrs.frozen
class Version:
    """One value of a param and the days it is in force (``until`` inclusive, open if None)."""

    start: dt.date
    until: dt.date | None
    value: Any

    def covers(self, day: dt.date) -> bool:
        """Whether this version is in force on ``day``."""
        return self.start <= day and (self.until is None or day <= self.until)

    def __str__(self) -> str:
        end = self.until.isoformat() if self.until else "open-ended"
        return f"{self.start.isoformat()}..{end}"


@attrs.frozen
class Versioned:
    """An effective-dated param: its versions, earliest first."""

    name: str
    versions: tuple[Version, ...]

    def at(self, day: dt.date) -> Any:
        """The value in force on ``day``; ``LookupError`` naming the periods if none is."""
        if isinstance(day, dt.datetime):
            day = day.date()
        for version in self.versions:
            if version.covers(day):
                return version.value
        periods = ", ".join(str(v) for v in self.versions)
        raise LookupError(
            f"param `{self.name}` has no version in force on {day.isoformat()} "
            f"(versions: {periods}); add a version that covers it"
        )


@attrs.frozen
class NotInForce:
    """Stands in the environment for a versioned param with no version on ``as_of``;
    using it is an error, naming it is not (a rule may only use ``in_force``)."""

    param: Versioned
    day: dt.date


def environment(params: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The names an expression sees: params (versioned ones resolved on ``as_of``) and as_of."""
    env: dict[str, Any] = {}
    versioned: dict[str, Versioned] = {}
    for name, value in params.items():
        if isinstance(value, Versioned):
            versioned[name] = value
            try:
                env[name] = value.at(as_of)
            except LookupError:
                env[name] = NotInForce(value, as_of)
        else:
            env[name] = value
    env["as_of"] = as_of
    env[VERSIONS] = versioned
    return env
