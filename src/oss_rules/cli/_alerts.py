"""``oss-rules alerts``: what is overdue or due soon across workplaces, and a calendar of it."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import click

from ..domains.oss.alerts import Alert, alerts_of, calendar_of, pending
from ._common import AS_OF, PARAM, RULESETS, UsageError, build_engines, evaluate_all, json_flag

__all__ = ["alerts_command", "write_atomically"]


@click.command("alerts")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    metavar="DAYS",
    help="Also list what falls due within DAYS days after the evaluation date.",
)
@json_flag("the alerts")
@click.option(
    "--ics",
    "ics_path",
    metavar="PATH",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write every deadline and action as iCalendar events to PATH.",
)
@RULESETS
@AS_OF
@PARAM
def alerts_command(
    files: tuple[str, ...],
    within_days: int,
    as_json: bool,
    ics_path: str | None,
    ruleset_specs: tuple[str, ...],
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """List everything overdue or due within DAYS across the workplaces of every FILE.

    One line per deadline or preventive action, sorted by date: the registration,
    reassessment, audit and review deadlines and each action's due date. With --ics,
    every deadline and action (not only the listed ones) becomes an all-day calendar
    event whose UID survives a change of date, so importing again updates the events.
    """
    engines = build_engines(ruleset_specs, False, params)
    day = as_of.date() if as_of else None
    everything: list[Alert] = []
    for path in files:
        for result in evaluate_all(engines, path, day):
            everything += alerts_of(result, path)
    listed = pending(everything, within_days)
    if ics_path is not None:
        try:
            write_atomically(Path(ics_path), calendar_of(everything))
        except OSError as error:
            raise UsageError(f"{ics_path}: cannot write: {error.strerror}") from None
    if as_json:
        data = [alert.to_data() for alert in listed]
        click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
        return
    if not listed:
        click.echo(f"nothing overdue or due within {within_days} days")
        return
    for alert in listed:
        click.echo(str(alert))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a
    part: into a temporary file beside it, then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file readable by its owner only; give it the mode a plain
        # open() would, so that replacing a calendar does not hide it from others.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
