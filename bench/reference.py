"""The default `oss` ruleset written out by hand in plain Python: the baseline and the oracle.

Every rule of ``src/oss_rules/domains/oss/ruleset/`` (``ruleset.yaml``, ``calendar.yaml``,
``incidents.yaml``, ``benefits.yaml``, ``inventory.yaml``, ``registration.yaml``)
appears below once, under
its rule id. Numbers, category lists, texts and the control catalogue come from ``params``
(pass ``engine.params``), never from this file, so the reference follows param overrides
exactly as the engine does. The one exception is the decision table ``expected-hazards``,
whose rows are not params: ``_EXPECTED`` copies them.

>>> import datetime as dt
>>> import oss_rules
>>> params = oss_rules.Engine(oss_rules.load_default()).params
>>> facts = [oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)]
>>> found = conclusions(facts, dt.date(2026, 6, 30), params)
>>> codes = sorted(f.code for f in found if isinstance(f, oss_rules.Finding))
>>> codes  # doctest: +NORMALIZE_WHITESPACE
['inventory_gap', 'missing_module', 'no_frontline_input', 'overdue_audit',
 'overdue_reassessment', 'overdue_review', 'unregistered_module']

The result is a set of the library's own fact objects, so it compares directly with
``set(engine.evaluate(facts, as_of=...).conclusions)``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from oss_rules import Action, Classification, Deadline, Finding, Hazard, Obligation, Workplace
from oss_rules.domains.oss.facts import (
    Benefit,
    DeclaredModule,
    Due,
    ExpectedHazard,
    ExpectedInventory,
    Incident,
    ModuleReason,
    Registration,
    ResponseDue,
    Separation,
    TopHazard,
)

__all__ = ["add_months", "conclusions", "level_of"]

_BASIS = "PP 44/2015 as amended by PP 82/2019: "
_PP_82_2019_FROM = dt.date(2019, 1, 1)
_PP_6_2025_FROM = dt.date(2025, 2, 7)
_NO_WAGE = "no monthly_wage on the incident: the amount is not computed"
_SCHOLARSHIP = "scholarship for 2 children, up to a total"


# The rows of table expected-hazards (inventory.yaml): (sector or None for any, setting
# or None for any) -> (categories, reason); the first row that matches applies.
_EXPECTED: tuple[tuple[str | None, str | None, tuple[str, ...], str], ...] = (
    ("construction", "field", ("fall",), "falls on construction sites"),
    (None, "office", ("ergonomic",), "repetitive strain in offices"),
    (None, "plant", ("chemical",), "hazardous substances in industrial plants"),
    (None, None, (), "no example of the source applies"),
)


def level_of(score: int, params: Mapping[str, Any]) -> str:
    """The matrix level of a score: rules risk-level#low, #medium and #high."""
    if score < params["medium_from"]:
        return "low"
    if score < params["high_from"]:
        return "medium"
    return "high"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the end of the month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _in_force(param: Any, day: dt.date) -> Any:
    """The version of an effective-dated param in force on ``day``; an override (one plain
    value for every date) as it is."""
    return param.at(day) if hasattr(param, "at") else param


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def conclusions(facts: Iterable[Any], as_of: dt.date, params: Mapping[str, Any]) -> set[Any]:
    """Every fact the default ruleset derives from ``facts`` as of ``as_of``."""
    facts = list(facts)
    workplaces = [f for f in facts if isinstance(f, Workplace)]
    hazards = [f for f in facts if isinstance(f, Hazard)]
    incidents = [f for f in facts if isinstance(f, Incident)]
    registrations = [f for f in facts if isinstance(f, Registration)]
    out: set[Any] = set()

    # risk-level
    classified = []
    for h in hazards:
        level = level_of(h.score, params)
        out.add(Classification(h.workplace, h.id, h.category, h.score, level))
        classified.append((h, level))

    # OSS modules: each rule derives the Obligation and its ModuleReason
    reasons: set[ModuleReason] = set()

    def oblige(workplace: str, module: str, rank: int, text: str) -> None:
        reasons.add(ModuleReason(workplace, module, rank, text))

    for w in workplaces:
        oblige(w.id, "OSS-I", 0, "every workplace")  # oss1-every-workplace
        if w.setting in params["benefit_settings"]:
            oblige(w.id, "OSS-III", 0, f"{w.setting} setting")  # oss3-setting
    for h, level in classified:
        text = f"{h.category}:{level} ({h.id})"
        if level == "high" and h.category in params["physical"]:
            oblige(h.workplace, "OSS-II", h.score, text)  # oss2-high-physical
        if h.category in params["chemical_biological"] and level in ("medium", "high"):
            oblige(h.workplace, "OSS-II", h.score, text)  # oss2-chemical-biological
        if level == "high":
            oblige(h.workplace, "OSS-III", h.score, text)  # oss3-high-hazard
    since = _start(add_months(as_of, -params["incident_months"]))
    for i in incidents:  # oss2-recent-incident
        if i.kind in params["oss2_incident_kinds"] and since <= i.occurred_at < _start(as_of):
            text = f"{i.kind} on {i.occurred_at.date().isoformat()} ({i.id})"
            oblige(i.workplace, "OSS-II", 0, text)
    derived_obligations = {Obligation(r.workplace, r.module) for r in reasons}
    out |= derived_obligations | reasons
    # An Obligation given as input (an app decided it elsewhere) counts like a derived one.
    obligations = derived_obligations | {f for f in facts if isinstance(f, Obligation)}

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

    # missing-module: the reason of highest rank, the smallest text among equals;
    # missing-module-unexplained: an Obligation given as input, which no rule explains.
    declared_pairs = {(d.workplace, d.module) for d in declared}
    decisive: dict[tuple[str, str], ModuleReason] = {}
    for r in sorted(reasons, key=lambda r: (-r.rank, r.text)):
        decisive.setdefault((r.workplace, r.module), r)
    for o in obligations:
        if (o.workplace, o.module) not in declared_pairs:
            r = decisive.get((o.workplace, o.module))
            message = f"{o.module} is required but not declared"
            if r is not None:
                message += f": {r.text}"
            out.add(Finding(o.workplace, "missing_module", o.module, message))

    # top-hazard
    top: dict[str, TopHazard] = {}
    for h, level in sorted(classified, key=lambda pair: (-pair[0].score, pair[0].id)):
        if h.workplace not in top:
            top[h.workplace] = TopHazard(h.workplace, h.id, h.category, h.score, level)
    out |= set(top.values())

    # unneeded-module / unneeded-module-no-hazards
    obliged_pairs = {(o.workplace, o.module) for o in obligations}
    with_hazards = {h.workplace for h in hazards}
    for d in declared:
        if (d.workplace, d.module) in obliged_pairs:
            continue
        because = f"{d.module} declared but {params['unneeded_because'][d.module]}: "
        if d.workplace in top:
            t = top[d.workplace]
            message = because + f"highest is {t.category}:{t.level} ({t.hazard})"
            out.add(Finding(d.workplace, "unneeded_module", d.module, message))
        if d.workplace not in with_hazards:
            message = because + "no hazard on record"
            out.add(Finding(d.workplace, "unneeded_module", d.module, message))

    # unregistered-module / registration-overdue
    accepted = {(r.workplace, r.module) for r in registrations if r.status == "accepted"}
    by_id = {w.id: w for w in workplaces}
    cutoff = as_of - dt.timedelta(days=params["registration_days"])
    for o in obligations:
        if (o.workplace, o.module) in accepted:
            continue
        message = f"{o.module} is required but has no accepted registration"
        out.add(Finding(o.workplace, "unregistered_module", o.module, message))
        last = by_id[o.workplace].last_assessment
        if last is not None and last < cutoff:
            message = (
                f"{o.module} is still unregistered more than {params['registration_days']} "
                f"days after the assessment of {last.isoformat()}"
            )
            out.add(Finding(o.workplace, "registration_overdue", o.module, message))
        if last is not None:  # registration-due, judged by deadline-status
            due = last + dt.timedelta(days=params["registration_days"])
            out.add(Due(o.workplace, "registration", due, last))
            out.add(Deadline(o.workplace, "registration", due, _status(due, as_of, params)))

    out |= _inventory(workplaces, hazards, params)
    out |= _calendar(workplaces, hazards, as_of, params)
    out |= _incidents(incidents, as_of, params)
    for i in incidents:
        if i.occurred_at.date() >= _PP_82_2019_FROM:
            out |= _jkk_benefits(i, params)
    out |= _separation_benefits([f for f in facts if isinstance(f, Separation)], params)
    return out


def _inventory(
    workplaces: list[Workplace], hazards: list[Hazard], params: Mapping[str, Any]
) -> set[Any]:
    """inventory.yaml: frontline input and expected hazard categories."""
    out: set[Any] = set()
    frontline = {h.workplace for h in hazards if h.reported_by in params["frontline_reporters"]}
    listed = {(h.workplace, h.category) for h in hazards}
    for w in workplaces:
        if w.id not in frontline:  # no-frontline-input
            message = (
                "no hazard in the inventory was reported by a "
                + " or a ".join(params["frontline_reporters"])
                + "; frontline input reveals hidden dangers often missed in top-down assessments"
            )
            out.add(Finding(w.id, "no_frontline_input", "hazard_inventory", message))
        categories, reason = next(  # expected-hazards
            (c, r)
            for sector, setting, c, r in _EXPECTED
            if sector in (None, w.sector) and setting in (None, w.setting)
        )
        out.add(ExpectedInventory(w.id, categories, reason))
        for category in categories:  # expected-hazard
            out.add(ExpectedHazard(w.id, category, reason))
            if (w.id, category) not in listed:  # inventory-gap
                message = (
                    f"assess {category}: the inventory has no {category} hazard, "
                    f"which step 1 of the source expects ({reason})"
                )
                out.add(Finding(w.id, "inventory_gap", category, message))
    return out


def _status(due: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> str:
    """deadline-status#overdue, #due-soon and #ok for a due date counted from a date on record."""
    if due < as_of:
        return "overdue"
    return "due_soon" if due <= as_of + dt.timedelta(days=params["alert_days"]) else "ok"


def _calendar(
    workplaces: list[Workplace], hazards: list[Hazard], as_of: dt.date, params: Mapping[str, Any]
) -> set[Any]:
    """calendar.yaml: the Due facts, their Deadlines and the findings about them."""
    out: set[Any] = set()
    for w in workplaces:
        for kind, last, months in (
            ("reassessment", w.last_assessment, params["reassess_every_months"]),
            ("audit", w.last_audit, params["audit_every_months"]),
            ("review", w.last_review, params["review_every_months"]),
        ):
            # reassessment-due / never-assessed, audit-due / never-audited, ...
            due = as_of if last is None else add_months(last, months)
            out.add(Due(w.id, kind, due, last))
            status = "overdue" if last is None else _status(due, as_of, params)
            out.add(Deadline(w.id, kind, due, status))
            if status != "overdue":
                continue
            if last is None:  # duty-never-done
                message = f"no previous {kind} on record"
            else:  # overdue-duty
                message = f"{kind} was due {due.isoformat()}, counted from the last on {last}"
            out.add(Finding(w.id, f"overdue_{kind}", kind, message))
    by_id = {w.id: w for w in workplaces}
    for h in hazards:  # assessment-predates-hazard
        last = by_id[h.workplace].last_assessment
        if last is not None and h.identified_on is not None and h.identified_on > last:
            message = (
                f"{h.category} hazard {h.id} was identified on {h.identified_on.isoformat()}, "
                f"after the last assessment on {last.isoformat()}"
            )
            out.add(Finding(h.workplace, "assessment_predates_hazard", h.id, message))
    return out


def _incidents(incidents: list[Incident], as_of: dt.date, params: Mapping[str, Any]) -> set[Any]:
    """incidents.yaml: time limits, late care and reports."""
    out: set[Any] = set()
    start = _start(as_of)
    care_hours = params["care_within_hours"]
    for i in incidents:
        care_by = i.occurred_at + dt.timedelta(hours=care_hours)
        out.add(ResponseDue(i.workplace, i.id, "medical_care", care_by))  # medical-care-due
        occurred = i.occurred_at.isoformat()
        if i.medical_care_at is not None and i.medical_care_at > care_by:  # late-medical-care
            message = (
                f"medical care began {i.medical_care_at.isoformat()}, more than "
                f"{care_hours} h after the incident at {occurred}"
            )
            out.add(Finding(i.workplace, "late_medical_care", i.id, message))
        if i.medical_care_at is None and i.kind != "death" and care_by < start:
            message = f"no medical care on record; it was due by {care_by.isoformat()}"
            out.add(Finding(i.workplace, "late_medical_care", i.id, message))  # no-medical-care
        out |= _report(i, start, params)
    return out


def _report(i: Incident, start: dt.datetime, params: Mapping[str, Any]) -> set[Any]:
    """accident-report-due / illness-report-due, late-accident-report, unreported-accident;
    for a diagnosed illness disease-report-due, late-disease-report, unreported-disease,
    whose time limit runs from the diagnosis."""
    since, kind, what, after = i.occurred_at, "accident_report", "incident", ""
    if i.kind == "illness" and i.diagnosed_at is not None:
        since, kind, what = i.diagnosed_at, "disease_report", "diagnosis"
        after = ", 2 x 24 h after the diagnosis"
    hours = params["report_within_hours"]
    by = since + dt.timedelta(hours=hours)
    out: set[Any] = {ResponseDue(i.workplace, i.id, kind, by)}
    consequence = _in_force(params["late_report_consequence"], since.date())
    if i.reported_at is not None and i.reported_at > by:
        message = (
            f"reported {i.reported_at.isoformat()}, more than {hours} h after the "
            f"{what} at {since.isoformat()}; {consequence}"
        )
        out.add(Finding(i.workplace, "late_accident_report", i.id, message))
    if i.reported_at is None and by < start:
        message = f"not reported; the report was due by {by.isoformat()}{after}; {consequence}"
        out.add(Finding(i.workplace, "late_accident_report", i.id, message))
    return out


def _jkk_benefits(i: Incident, params: Mapping[str, Any]) -> set[Any]:
    """benefits.yaml, JKK: death, disability and STMB, for an incident from 2019 on."""
    out: set[Any] = set()
    wage = i.monthly_wage

    def benefit(kind: str, basis: str, **fields: Any) -> None:
        out.add(Benefit(i.workplace, i.id, kind, _BASIS + basis, **fields))

    scholarship = {"up_to": params["scholarship_cap"], "note": params["scholarship_note"]}
    total = (
        f"total permanent disability {params['total_disability_wage_multiple']} x monthly "
        "wage (70% x 80 x wage)"
    )
    formula = params["partial_disability_formula"]
    if i.kind == "death":  # death-benefits, death-lump-sum, death-lump-sum-no-wage
        benefit("funeral", "funeral costs, as in JKM", amount=params["funeral_benefit"])
        benefit("periodic", "periodic benefit, as in JKM", amount=params["periodic_benefit"])
        benefit("scholarship", _SCHOLARSHIP, **scholarship)
        basis = (
            f"{params['death_wage_multiple']} x monthly wage (60% x 80 x wage), "
            "at least the JKM death benefit"
        )
        if wage is None:
            note = f"{_NO_WAGE}; it is at least {params['jkm_lump_sum']}"
            benefit("death_lump_sum", basis, note=note)
        else:
            amount = max(wage * params["death_wage_multiple"], params["jkm_lump_sum"])
            benefit("death_lump_sum", basis, amount=amount)
    elif i.kind == "disability" and i.disability_extent == "total_permanent":
        # total-disability-lump-sum, total-disability-no-wage, total-disability-scholarship
        if wage is None:
            benefit("disability", total, note=_NO_WAGE)
        else:
            amount = wage * params["total_disability_wage_multiple"]
            benefit("disability", total, amount=amount)
        benefit("scholarship", _SCHOLARSHIP, **scholarship)
    elif i.kind == "disability" and i.disability_extent is not None:  # partial-disability
        note = "the percentage table of PP 82/2019 is not encoded: the amount is not computed"
        benefit("disability", formula[i.disability_extent], note=note)
    elif i.kind == "disability":  # disability-extent-unknown
        note = "no disability_extent on the incident: the amount is not computed"
        benefit("disability", f"{total}; {formula['partial_anatomical']}", note=note)
        only_if = "only if the disability is total and permanent; "
        note = only_if + params["scholarship_note"]
        benefit("scholarship", _SCHOLARSHIP, up_to=params["scholarship_cap"], note=note)
    if i.kind in params["stmb_incident_kinds"]:  # stmb, stmb-no-wage
        months = params["stmb_full_months"]
        full = "STMB, while temporarily unable to work, 100% of the wage for the first"
        full = f"{full} {months} months"
        reduced = f"STMB after the first {months} months, 50% of the wage until recovery, "
        reduced += "disability or death"
        if wage is None:
            benefit("stmb", full, payment="monthly", months=months, note=_NO_WAGE)
            benefit("stmb_reduced", reduced, payment="monthly", note=_NO_WAGE)
        else:
            benefit("stmb", full, amount=wage, payment="monthly", months=months)
            amount = wage * params["stmb_reduced_share"]
            benefit("stmb_reduced", reduced, amount=amount, payment="monthly")
    return out


def _separation_benefits(separations: list[Separation], params: Mapping[str, Any]) -> set[Any]:
    """benefits.yaml: JKM for a death not caused by work, JKP for a job loss."""
    out: set[Any] = set()
    for s in separations:
        if s.kind == "death" and s.ended_on >= _PP_82_2019_FROM:  # jkm-death
            for kind, text, amount in (
                ("death_lump_sum", "JKM death benefit", params["jkm_lump_sum"]),
                ("funeral", "JKM funeral costs", params["funeral_benefit"]),
                ("periodic", "JKM periodic benefit", params["periodic_benefit"]),
            ):
                out.add(Benefit(s.workplace, s.id, kind, _BASIS + text, "JKM", amount))
            note = (
                "only after at least 3 years of contributions, which the facts do not "
                "record; the amount is not encoded"
            )
            basis = _BASIS + "JKM scholarship"
            out.add(Benefit(s.workplace, s.id, "scholarship", basis, "JKM", note=note))
        if s.kind != "job_loss":
            continue
        monthly: dict[str, Any] = {"programme": "JKP", "payment": "monthly"}
        if s.ended_on < _PP_6_2025_FROM:  # jkp-before-pp-6-2025
            basis = "PP 37/2021, before its amendment by PP 6/2025"
            note = "PP 6/2025 was not yet in force; the benefit under PP 37/2021 is not encoded"
            out.add(Benefit(s.workplace, s.id, "jkp", basis, note=note, **monthly))
            continue
        monthly |= {"months": params["jkp_months"], "basis": params["jkp_basis"]}
        if s.monthly_wage is None:  # jkp-no-wage
            note = "no monthly_wage on the separation: the amount is not computed; "
            out.add(Benefit(s.workplace, s.id, "jkp", note=note + params["jkp_note"], **monthly))
        else:  # jkp
            amount = min(s.monthly_wage, params["jkp_wage_cap"]) * params["jkp_share"]
            out.add(
                Benefit(s.workplace, s.id, "jkp", amount=amount, note=params["jkp_note"], **monthly)
            )
    return out
