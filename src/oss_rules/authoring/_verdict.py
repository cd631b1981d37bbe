"""What ``explain --why-not`` finds of one rule: a verdict, its partial matches and the
candidates each one rejected.

:class:`~oss_rules.authoring._rematch.Match` finds them; :mod:`oss_rules.authoring._why_not`
words them for people and JSON. Apart from the search so that a reader of the answer
sees its shape without the machinery that makes it.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..language import syntax as s

__all__ = ["Attempt", "Failure", "Goal", "Verdict"]


@attrs.frozen
class Failure:
    """A candidate fact and the first condition it failed, with the values that made it fail.

    ``relevant`` is false for a fact set aside because it is about something else than
    the question (another workplace, another hazard).
    """

    fact: Any
    """The candidate; ``None`` for a ``then`` failure of a rule that bound no fact."""
    condition: str
    reason: str
    relevant: bool = True


@attrs.frozen
class Attempt:
    """A partial match: the facts bound so far, and how each candidate for the next step failed."""

    bindings: tuple[tuple[str, Any], ...]
    failures: tuple[Failure, ...]
    hidden: int = 0
    """Further failures not listed (beyond :data:`~oss_rules.authoring._rematch.MAX_FAILURES`)."""
    set_aside: int = 0
    """Candidates not listed because they are about something else than the question."""


@attrs.frozen
class Verdict:
    """Why one rule did not derive the conclusion.

    ``kind`` is ``cannot-derive`` (its ``then`` never gives such a fact), ``no-match``
    (a pattern found no fact), ``blocked`` (a ``not:`` pattern found a fact) or
    ``matches`` (every condition holds: the rule would derive it).
    """

    rule: s.Rule
    kind: str
    reason: str
    attempts: tuple[Attempt, ...] = ()
    missing: tuple[str, tuple[Goal, ...]] | None = None
    """For ``no-match``: the type and the conditions (field, operator, constant) of the
    pattern that found no fact, with the question's values carried to it; the next
    question to ask, one step down, when a rule derives that type."""


Goal = tuple[str, str, Any]
"""A condition of the question: field, operator, constant."""
