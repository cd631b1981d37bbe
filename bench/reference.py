"""The default `oss` ruleset written out by hand in plain Python: the baseline and the oracle.

Every rule of ``src/oss_rules/rulesets/oss/ruleset.yaml`` appears below once, in the
same order, under its rule id. Numbers, category lists and the control catalogue come
from ``params`` (pass ``engine.params``), never from this file, so the reference follows
param overrides exactly as the engine does.

>>> import datetime as dt
>>> import oss_rules
>>> params = oss_rules.Engine(oss_rules.load_default()).params
>>> facts = [oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)]
>>> sorted(type(f).__name__ for f in conclusions(facts, dt.date(2026, 6, 30), params))
['Deadline', 'Finding', 'Finding', 'Obligation']

The result is a set of the library's own fact objects, so it compares directly with
``set(engine.evaluate(facts, as_of=...).conclusions)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from oss_rules import (
    Action,
    Classification,
    Deadline,
    DeclaredModule,
    Finding,
    Hazard,
    Obligation,
    Workplace,
)

__all__ = ["conclusions", "level_of"]


def level_of(score: int, params: Mapping[str, Any]) -> str:
    """The matrix level of a score: rules level-low, level-medium and level-high."""
    if score < params["medium_from"]:
        return "low"
    if score < params["high_from"]:
        return "medium"
    return "high"


def conclusions(facts: Iterable[Any], as_of: dt.date, params: Mapping[str, Any]) -> set[Any]:
    """Every fact the default ruleset derives from ``facts`` as of ``as_of``."""
    facts = list(facts)
    workplaces = [f for f in facts if isinstance(f, Workplace)]
    hazards = [f for f in facts if isinstance(f, Hazard)]
    out: set[Any] = set()

    # level-low / level-medium / level-high
    classified = []
    for h in hazards:
        level = level_of(h.score, params)
        out.add(Classification(h.workplace, h.id, h.category, h.score, level))
        classified.append((h, level))

    # OSS modules
    obligations: set[Obligation] = set()
    for w in workplaces:
        obligations.add(Obligation(w.id, "OSS-I"))  # oss1-every-workplace
        if w.setting in params["benefit_settings"]:
            obligations.add(Obligation(w.id, "OSS-III"))  # oss3-setting
    for h, level in classified:
        if level == "high" and h.category in params["physical"]:
            obligations.add(Obligation(h.workplace, "OSS-II"))  # oss2-high-physical
        if h.category in params["chemical_biological"] and level in ("medium", "high"):
            obligations.add(Obligation(h.workplace, "OSS-II"))  # oss2-chemical-biological
        if level == "high":
            obligations.add(Obligation(h.workplace, "OSS-III"))  # oss3-high-hazard
    out |= obligations

    # preventive-action and overdue-action
    for h, level in classified:
        if level not in ("medium", "high"):
            continue
        start = h.identified_on if h.identified_on is not None else as_of
        due = start + dt.timedelta(days=params["due_days"][level])
        code = f"{h.category}:{level}"
        out.add(Action(h.workplace, h.id, code, params["controls"][h.category], due))
        if due < as_of:
            message = f"{code} action was due {due.isoformat()}"
            out.add(Finding(h.workplace, "overdue_action", h.id, message))

    # declared-modules
    declared = {DeclaredModule(w.id, m) for w in workplaces for m in w.declared_modules}
    out |= declared

    # missing-module
    declared_pairs = {(d.workplace, d.module) for d in declared}
    for o in obligations:
        if (o.workplace, o.module) not in declared_pairs:
            message = f"{o.module} is required but not declared"
            out.add(Finding(o.workplace, "missing_module", o.module, message))

    # unneeded-module
    obliged_pairs = {(o.workplace, o.module) for o in obligations}
    for d in declared:
        if (d.workplace, d.module) not in obliged_pairs:
            message = f"{d.module} is declared but no hazard or setting requires it"
            out.add(Finding(d.workplace, "unneeded_module", d.module, message))

    # reassessment-due / never-assessed / stale-assessment
    period = params["reassess_after_days"]
    for w in workplaces:
        if w.last_assessment is None:
            out.add(Deadline(w.id, "reassessment", as_of))
            message = "no risk assessment on record"
            out.add(Finding(w.id, "stale_assessment", "risk_assessment", message))
            continue
        out.add(Deadline(w.id, "reassessment", w.last_assessment + dt.timedelta(days=period)))
        if w.last_assessment < as_of - dt.timedelta(days=period):
            message = (
                f"last assessed {w.last_assessment.isoformat()}, "
                f"more than {period} days before as_of"
            )
            out.add(Finding(w.id, "stale_assessment", "risk_assessment", message))

    return out
