"""Finding a submission's workplace and employer among the facts an evaluation was given."""

from __future__ import annotations

from typing import TypeVar

from ...engine.result import Result
from ...errors import Problem, suggest
from ._employer import Employer
from .facts import Workplace

__all__ = ["find_employer", "find_workplace", "given"]

_T = TypeVar("_T")


def given(result: Result, kind: type[_T]) -> list[_T]:
    """The facts of type ``kind`` that the evaluation was given, in canonical order."""
    return [f for f in result.given if isinstance(f, kind)]


def find_workplace(
    result: Result, wanted: Workplace | str, problems: list[Problem]
) -> Workplace | None:
    """The workplace ``wanted`` among the given facts, or None after adding a problem."""
    known = given(result, Workplace)
    if isinstance(wanted, Workplace):
        if wanted in known:
            return wanted
        problems.append(
            Problem(
                "workplace",
                f"workplace {wanted.id!r} is not one the evaluation was given",
                "pass the Workplace that was evaluated, or its id",
            )
        )
        return None
    found = next((w for w in known if w.id == wanted), None)
    if found is None:
        problems.append(
            Problem(
                "workplace",
                f"no workplace {wanted!r} in the evaluated facts"
                f"{suggest(wanted, [w.id for w in known])}",
                "workplaces: " + (", ".join(w.id for w in known) or "none"),
            )
        )
    return found


def find_employer(
    result: Result,
    site: Workplace | None,
    wanted: Employer | str | None,
    problems: list[Problem],
) -> Employer | None:
    """The employer ``wanted`` (default: the one ``site`` names), or None after adding a
    problem. Without a site (it was not found) only a given employer is checked."""
    if site is None and wanted is None:
        return None
    owner = site.employer if site is not None else None
    known = given(result, Employer)
    ids = ", ".join(e.id for e in known) or "none"
    if wanted is None and site is not None and owner is None:
        problems.append(
            Problem(
                "workplace.employer",
                f"workplace {site.id!r} names no employer",
                f"pass the employer, or give the Workplace an employer id (employers: {ids})",
            )
        )
        return None
    key = wanted if wanted is not None else owner
    found = (
        wanted if isinstance(wanted, Employer) else next((e for e in known if e.id == key), None)
    )
    if found is None:
        problems.append(
            Problem(
                "employer",
                f"no employer {key!r} in the evaluated facts"
                f"{suggest(str(key), [e.id for e in known])}",
                f"employers: {ids}",
            )
        )
        return None
    if site is not None and owner is not None and found.id != owner:
        problems.append(
            Problem(
                "employer.id",
                f"employer {found.id!r} is not the employer of workplace {site.id!r} ({owner!r})",
                "submit for the workplace's own employer, or correct Workplace.employer",
            )
        )
    return found
