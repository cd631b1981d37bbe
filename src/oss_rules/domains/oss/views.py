"""Typed views of what the OSS rulesets conclude: ``result.findings`` and the like.

Every ruleset that declares the ``oss`` domain (the shipped ``oss``, ``id-k3`` and
``id-bpjstk`` among them) gives an :class:`OssResult`, so a client's type checker knows
``result.findings`` is a ``tuple[Finding, ...]``:

>>> import datetime as dt
>>> from oss_rules import Engine, Workplace, load_default
>>> result = Engine(load_default()).evaluate(
...     [Workplace(id="w1", sector="retail", setting="office", headcount=4)],
...     as_of=dt.date(2026, 6, 30),
... )
>>> type(result).__name__, [o.module for o in result.obligations]
('OssResult', ['OSS-I'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from ...engine.result import Result
from .facts import Action, Classification, Deadline, Finding, Obligation

__all__ = ["OssResult"]


@attrs.frozen
class OssResult(Result):
    """A :class:`~oss_rules.Result` of an OSS ruleset, with its conclusions by kind."""

    GROUPS: ClassVar[Mapping[str, str]] = {
        "Classification": "classifications",
        "Obligation": "obligations",
        "Action": "actions",
        "Finding": "findings",
        "Deadline": "deadlines",
    }

    @property
    def classifications(self) -> tuple[Classification, ...]:
        """The risk level of each hazard."""
        return self.of_type(Classification)

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        """The modules each workplace must run."""
        return self.of_type(Obligation)

    @property
    def actions(self) -> tuple[Action, ...]:
        """The preventive actions, with their due dates."""
        return self.of_type(Action)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The compliance problems."""
        return self.of_type(Finding)

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        """The dates by which something must be done, with their urgency."""
        return self.of_type(Deadline)
