"""Validation of a registration submission: every problem, each with its field path and a fix.

The identifier formats, and where they come from (checked November 2026):

* NIB, Nomor Induk Berusaha: 13 digits. PP 24/2018 (OSS) gives it as "13 (tiga belas)
  digit angka acak" with a security feature and an electronic signature; OSS still
  issues 13-digit NIBs under the risk-based OSS of PP 5/2021 and PP 28/2025 (secondary
  sources: idxchannel.com, bfi.co.id, satoeasa.com, valprointertech.com).
* NPWP: 16 digits, digits only, since PMK 112/PMK.03/2022 (a company's number is its
  15-digit one with a leading 0; a resident person's is the NIK), in use from
  1 July 2024 (PER-6/PJ/2024, which also drops the "." and "-" of the old form). Other
  parties could still take the 15-digit form until 31 December 2024, so a submission
  dated before 2025 accepts 15 digits too (ortax.org, pajak.go.id, alexdanrekan.com).
* The BPJS Ketenagakerjaan employer number: its format was not verified, so only its
  presence is checked.

A hint may say what to write (the digits without separators); the number itself is
never rewritten, because the submission must state what the employer gave.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ...engine.result import Result
from ...errors import Problem
from ._employer import Employer
from .facts import Classification, Hazard, Obligation, Workplace

__all__ = ["NPWP_15_UNTIL", "assessment_problems", "date_problems", "employer_problems"]

NPWP_15_UNTIL = dt.date(2024, 12, 31)
"""The last day a 15-digit NPWP was accepted by parties other than the tax office
(PER-6/PJ/2024)."""

_NIB_SOURCE = "PP 24/2018"
_NPWP_SOURCE = "PMK 112/PMK.03/2022, PER-6/PJ/2024"
_SEPARATORS = re.compile(r"[\s.\-]")


def employer_problems(employer: Employer, submitted_on: dt.date) -> list[Problem]:
    """Missing and malformed identifiers of ``employer``, in field order."""
    problems: list[Problem] = []
    problems += _nib(employer.nib)
    problems += _npwp(employer.npwp, submitted_on)
    if employer.bpjstk_number is None:
        problems.append(
            Problem(
                "employer.bpjstk_number",
                "the BPJS Ketenagakerjaan employer number is missing",
                "give the number BPJS Ketenagakerjaan issued when the company registered",
            )
        )
    if employer.address is None:
        problems.append(
            Problem(
                "employer.address",
                "the employer's address is missing",
                "give the address registered with OSS",
            )
        )
    return problems


def _nib(value: str | None) -> list[Problem]:
    path = "employer.nib"
    if value is None:
        return [
            Problem(
                path,
                "the NIB is missing",
                f"give the 13-digit Nomor Induk Berusaha issued through OSS, {_NIB_SOURCE}",
            )
        ]
    if _digits(value) and len(value) == 13:
        return []
    bare = _SEPARATORS.sub("", value)
    hint = (
        f"write the digits only: {bare!r}"
        if _digits(bare) and len(bare) == 13
        else f"copy the NIB from the document OSS issued; {_NIB_SOURCE} makes it 13 digits"
    )
    return [Problem(path, f"{value!r} is not a NIB: a NIB is 13 digits, {_count(value)}", hint)]


def _npwp(value: str | None, submitted_on: dt.date) -> list[Problem]:
    path = "employer.npwp"
    lengths = (15, 16) if submitted_on <= NPWP_15_UNTIL else (16,)
    if value is None:
        return [
            Problem(
                path,
                "the NPWP is missing",
                f"give the employer's 16-digit tax number, {_NPWP_SOURCE}",
            )
        ]
    if _digits(value) and len(value) in lengths:
        return []
    bare = _SEPARATORS.sub("", value)
    if _digits(bare) and len(bare) == 15 and 15 not in lengths:
        return [
            Problem(
                path,
                f"{value!r} is a 15-digit NPWP, replaced by the 16-digit form after "
                f"{NPWP_15_UNTIL.isoformat()}",
                f"a company's 16-digit NPWP is the old one with a leading 0, '0{bare}'; "
                f"a person's is the NIK; {_NPWP_SOURCE}",
            )
        ]
    wanted = " or ".join(str(n) for n in lengths)
    hint = (
        f"write the digits only: {bare!r}"
        if _digits(bare) and len(bare) in lengths
        else f"copy the NPWP from the employer's tax registration; {_NPWP_SOURCE}"
    )
    return [
        Problem(
            path, f"{value!r} is not an NPWP: an NPWP is {wanted} digits, {_count(value)}", hint
        )
    ]


def _digits(value: str) -> bool:
    """ASCII digits only: ``str.isdigit`` alone also accepts other scripts' digits."""
    return value.isascii() and value.isdigit()


def _count(value: str) -> str:
    digits = sum(c.isascii() and c.isdigit() for c in value)
    if digits == len(value):
        return f"this has {digits}"
    return f"this has {len(value)} characters, {digits} of them digits"


def assessment_problems(result: Result, site: Workplace, modules: Sequence[str]) -> list[Problem]:
    """Required modules that the risk assessment does not back."""
    problems: list[Problem] = []
    if not modules:
        problems.append(
            Problem(
                "modules",
                f"no module is required of workplace {site.id!r}",
                "evaluate the workplace with a ruleset that assigns OSS modules",
            )
        )
    if site.last_assessment is None and modules:
        problems.append(
            Problem(
                "workplace.last_assessment",
                f"no risk assessment on record, which every required module needs "
                f"({', '.join(modules)})",
                "assess the workplace's hazards and give the date as last_assessment",
            )
        )
    if "OSS-II" in modules and not _backed(result, Obligation(site.id, "OSS-II")):
        problems.append(
            Problem(
                "modules[OSS-II].assessment",
                "OSS-II is required, but no classified hazard of the risk assessment calls for it",
                "the medical programme rests on a high physical, or a medium or high chemical "
                "or biological, hazard: assess the hazard behind the requirement (an "
                "incident's, say) and add it to the inventory",
            )
        )
    return problems


def _backed(result: Result, obligation: Obligation) -> bool:
    """Some derivation of ``obligation`` rests on a Classification."""
    return any(
        inference.fact == obligation
        and any(isinstance(p, Classification) for p in inference.premises)
        for inference in result.trace
    )


def date_problems(
    as_of: dt.date, site: Workplace, hazards: Iterable[Hazard], submitted_on: dt.date
) -> list[Problem]:
    """Dates after the evaluation date: a submission reports what has happened."""
    dated: list[tuple[str, Any]] = [("workplace.last_assessment", site.last_assessment)]
    dated += [(f"hazards[{h.id}].identified_on", h.identified_on) for h in hazards]
    dated.append(("submitted_on", submitted_on))
    return [
        Problem(
            path,
            f"{day.isoformat()} is after the evaluation date {as_of.isoformat()}",
            "correct the date, or evaluate as of a later date",
        )
        for path, day in dated
        if day is not None and day > as_of
    ]
