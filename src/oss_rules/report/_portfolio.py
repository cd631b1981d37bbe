"""The report's subjects: each workplace and employer of the inputs, with the facts and
conclusions of every ruleset that concern it.

The report is organised by what an auditor looks at, not by how the rules ran: a
conclusion goes to the workplace its ``workplace`` field names, else to the employer its
``employer`` field names, else to the input as a whole. Types are known by their names
(``Workplace``, ``Employer``), so a domain that adds a type needs no change here. Helper
facts of a ruleset's internal kinds are left out: they are steps of proofs, not
conclusions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..engine.result import Result

SUBJECT_KINDS = ("Workplace", "Employer")
"""The fact types a report has a section for, by name."""


@attrs.define
class Share:
    """What one ruleset's result holds about one subject."""

    result: Result
    given: list[Any] = attrs.field(factory=list)
    conclusions: list[Any] = attrs.field(factory=list)

    def of(self, *kinds: str) -> list[Any]:
        """The conclusions of these type names, in the result's order."""
        return [c for c in self.conclusions if type(c).__name__ in kinds]

    def given_of(self, kind: str) -> list[Any]:
        """The given facts of this type name."""
        return [f for f in self.given if type(f).__name__ == kind]


@attrs.define
class Subject:
    """A workplace, an employer, or an input as a whole (``fact`` is ``None``): one
    section of the report."""

    kind: str
    id: str
    source: str
    as_of: str
    anchor: str
    fact: Any = None
    shares: list[Share] = attrs.field(factory=list)

    def share(self, result: Result) -> Share:
        """This subject's share of ``result``, made on first use."""
        for share in self.shares:
            if share.result is result:
                return share
        share = Share(result)
        self.shares.append(share)
        return share

    def conclusions(self, *kinds: str) -> list[tuple[Result, Any]]:
        """(result, conclusion) of these type names across every ruleset."""
        return [(s.result, c) for s in self.shares for c in s.of(*kinds)]

    def given(self, kind: str) -> list[Any]:
        """The given facts of this type name, each once (every ruleset was given them)."""
        seen: dict[Any, None] = {}
        for share in self.shares:
            seen.update(dict.fromkeys(share.given_of(kind)))
        return list(seen)

    @property
    def label(self) -> str:
        """``Workplace ws-1``, ``Employer baja`` or ``Input x.json``."""
        return f"{self.kind} {self.id}"


def subjects(
    inputs: Sequence[tuple[str, Sequence[Result]]],
    internal: Callable[[Result], frozenset[str]],
) -> list[Subject]:
    """One subject per workplace and employer of each input (in input order, workplaces
    first), then one per input that has facts or conclusions of no subject; each with
    its share of every result. ``internal`` gives a result's helper kinds."""
    out: list[Subject] = []
    for index, (source, results) in enumerate(inputs, 1):
        as_of = ", ".join(sorted({r.as_of.isoformat() for r in results}))
        found: dict[tuple[str, str], Subject] = {}
        for kind in SUBJECT_KINDS:
            for result in results:
                for fact in result.given:
                    key = (kind, str(getattr(fact, "id", "")))
                    if type(fact).__name__ == kind and key not in found:
                        anchor = f"s{len(out) + len(found) + 1}"
                        found[key] = Subject(kind, key[1], source, as_of, anchor, fact)
        rest = Subject("Input", source or str(index), source, as_of, f"i{index}")
        for result in results:
            hidden = internal(result)
            for fact in result.given:
                if type(fact).__name__ not in SUBJECT_KINDS:
                    _owner(fact, found, rest).share(result).given.append(fact)
                elif key_of(fact) in found:
                    found[key_of(fact)].share(result).given.append(fact)
            for fact in result.conclusions:
                if type(fact).__name__ not in hidden:
                    _owner(fact, found, rest).share(result).conclusions.append(fact)
        out += found.values()
        if any(s.conclusions for s in rest.shares):
            out.append(rest)
    return out


def key_of(fact: Any) -> tuple[str, str]:
    """(type name, id) of a workplace or employer fact."""
    return (type(fact).__name__, str(getattr(fact, "id", "")))


def _owner(fact: Any, found: dict[tuple[str, str], Subject], rest: Subject) -> Subject:
    workplace = getattr(fact, "workplace", None)
    if workplace is not None and ("Workplace", str(workplace)) in found:
        return found[("Workplace", str(workplace))]
    employer = getattr(fact, "employer", None)
    if employer is not None and ("Employer", str(employer)) in found:
        return found[("Employer", str(employer))]
    return rest
