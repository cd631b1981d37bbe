"""``oss-rules submission``: one workplace's validated registration payload, or its problems."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..domains.oss.facts import Workplace
from ..domains.oss.registration import Submission, build_submission
from ..engine.result import Result
from ..errors import SubmissionError, suggest
from ._common import AS_OF, PARAM, RULESET, UsageError, build_engine, evaluate_file, json_flag

__all__ = ["render_submission", "submission_command"]


@click.command("submission")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--workplace",
    "workplace_id",
    metavar="ID",
    help="The workplace to register (needed when FILE holds several).",
)
@json_flag("the payload (or problems)")
@RULESET
@AS_OF
@PARAM
def submission_command(
    file: str,
    workplace_id: str | None,
    as_json: bool,
    ruleset_path: str | None,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """Evaluate FILE and print the registration submission of a workplace's required modules.

    The submission is dated as of the evaluation. When it has problems (missing or
    malformed employer identifiers, a module without assessment data, dates after the
    evaluation date), each is printed to stderr as `path: message (hint)` and the
    exit status is 1; with --json they are also printed as {"problems": [...]}.
    """
    engine = build_engine(ruleset_path, params)
    result = evaluate_file(engine, file, as_of.date() if as_of else None)
    site = _workplace_id(result, file, workplace_id)
    try:
        submission = build_submission(result, site)
    except SubmissionError as error:
        if as_json:
            problems = [
                {"path": p.path, "message": p.message, "hint": p.hint} for p in error.problems
            ]
            click.echo(json.dumps({"problems": problems}, indent=2, sort_keys=True))
        click.echo(f"{file}: workplace {site}: {error}", err=True)
        click.get_current_context().exit(1)
    click.echo(submission.to_json() if as_json else render_submission(submission))


def _workplace_id(result: Result, file: str, wanted: str | None) -> str:
    ids = sorted(f.id for f in result.given if isinstance(f, Workplace))
    if wanted is not None:
        if wanted not in ids:
            raise UsageError(
                f"{file}: no workplace {wanted!r}{suggest(wanted, ids)}; "
                f"the workplaces are: {', '.join(ids) or 'none'}"
            )
        return wanted
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise UsageError(f"{file}: no Workplace fact, so there is nothing to submit")
    raise UsageError(
        f"{file} holds {len(ids)} workplaces; choose one with --workplace ID: {', '.join(ids)}"
    )


def render_submission(submission: Submission) -> str:
    """The submission as a text summary for people; ``to_json()`` is what is sent."""
    boss, site, risk = submission.employer, submission.workplace, submission.risk_assessment
    lines = [
        f"Registration of workplace {site.id} ({site.sector}, {site.setting}, "
        f"{site.headcount} workers), submitted {submission.submitted_on}",
        f"  Employer  {boss.name} ({boss.id}, {boss.scale})",
        f"            NIB {boss.nib}  NPWP {boss.npwp}  BPJS TK {boss.bpjstk_number}",
        f"            {boss.address}",
        f"  Modules   {', '.join(submission.modules)}",
        f"  Risk assessment of {risk.assessed_on}: {risk.hazards} "
        + ("hazard" if risk.hazards == 1 else "hazards"),
        "    by level     " + ", ".join(f"{k} {n}" for k, n in risk.by_level),
        "    by category  " + (", ".join(f"{k} {n}" for k, n in risk.by_category) or "none"),
        f"  Preventive actions ({len(submission.actions)})",
    ]
    lines += [
        f"    due {a.due}  {a.hazard:<6} {a.code:<18} {a.control}" for a in submission.actions
    ]
    lines.append(f"  Contributions ({len(submission.payments)}), due on the 15th of the next month")
    lines += [f"    {p.month.isoformat()[:7]}  due {p.due}" for p in submission.payments]
    lines.append(f"  Responsibilities ({len(submission.responsibilities)})")
    lines += [
        f"    {r.module:<8} {r.text}\n             [{r.source}]"
        for r in submission.responsibilities
    ]
    return "\n".join(lines)
