"""``oss-rules evaluate`` over many records: streaming in, streaming out, in input order.

Used when an input is ``.jsonl``, ``.csv`` or ``-`` (stdin), or when a batch option is
given (``--jsonl``, ``-o``, ``--reject``, ``--workers``, ``--progress``). Each record's
result is written as soon as it and those before it are done; nothing holds all the
results. Failed records go to ``--reject FILE`` (or stderr) with their line and reason,
a summary goes to stderr, and the exit status is 1 when any record failed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs
import click

from ..batch import (
    STDIN,
    CsvHeaderError,
    Evaluated,
    Failed,
    Record,
    SplitError,
    check_splittable,
    read_records,
)
from ..batch._many import outcomes
from ..batch._split import split_records
from ..engine._engine import Engine
from ..engine.result import Result
from ..language import DEFAULT_RULESET
from ..report._console import PLAIN, Look
from ..report.text import render_result
from ._common import UsageError
from ._fail_on import NO_CONDITION, FailOn, Tally, tally_of
from ._progress import Progress

__all__ = ["STREAMED", "evaluate_stream"]

STREAMED = (".jsonl", ".ndjson", ".csv")
"""Input suffixes read record by record (anything else is one JSON document)."""


@attrs.frozen
class Rendered:
    """What the main process needs of one record's results: output text, and the findings
    and overdue duties they hold (for the summary and ``--fail-on``)."""

    texts: tuple[str, ...]
    tally: Tally


@attrs.frozen
class Render:
    """Turn a record's results into output text where they were computed (a worker)."""

    as_json: bool
    others: bool
    look: Look = PLAIN

    def __call__(self, results: Sequence[Result]) -> Rendered:
        if self.as_json:
            texts = tuple(_compact(r.to_data()) for r in results)
        else:
            texts = tuple(render_result(r, look=self.look, others=self.others) for r in results)
        return Rendered(texts, tally_of(results))


def _exact(value: Any) -> Any:
    # A number read from JSON is a Decimal; written back as the same number when a float
    # says it exactly, else as its text (a reject file must not change the record).
    if isinstance(value, Decimal):
        number = float(value)
        return number if repr(number) == str(value) else str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _compact(data: Any) -> str:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_exact
    )


def _labelled(text: str, label: str) -> str:
    # render_result puts the source after the head line; it is added here because the
    # worker that rendered the text does not know where the record came from.
    head, newline, rest = text.partition("\n")
    return f"{head}  {label}{newline}{rest}"


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """stdout, or a file written atomically: a temporary file renamed when complete."""
    if path is None or path == STDIN:
        yield sys.stdout
        return
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            yield file
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _count(files: Sequence[str]) -> int | None:
    """How many records the inputs hold, when that is cheap to know (for the ETA)."""
    total = 0
    for path in files:
        suffix = Path(path).suffix.lower()
        if path == STDIN or suffix == ".csv":
            return None
        if suffix in (".jsonl", ".ndjson"):
            with open(path, "rb") as file:
                total += sum(1 for line in file if line.strip())
        else:
            total += 1
    return total


def _check_inputs(files: Sequence[str], engines: Sequence[Engine[Any]]) -> None:
    """Fail before any output on a file that cannot be read or a CSV header that does
    not fit: those are not one bad record but a wrong command."""
    for path in files:
        if path == STDIN:
            continue
        if not Path(path).is_file():
            raise UsageError(f"{path}: cannot read: no such file")
        if Path(path).suffix.lower() == ".csv":
            try:
                next(read_records(path, engines[0].ruleset.registry), None)
            except CsvHeaderError as error:
                raise UsageError(str(error)) from None


def evaluate_stream(
    engines: Sequence[Engine[Any]],
    files: Sequence[str],
    *,
    as_of: dt.date | None,
    as_jsonl: bool,
    output: str | None,
    reject: str | None,
    workers: int,
    progress: bool | None,
    split: bool = False,
    fail_on: FailOn = NO_CONDITION,
    look: Look = PLAIN,
) -> int:
    """Evaluate every record of ``files``; return the exit status: 1 if any failed or the
    results meet a ``fail_on`` condition.

    With ``split``, each record is first cut into its independent inventories. Text is
    rendered with ``look`` (without colour when it goes to a file).
    """
    if sum(path == STDIN for path in files) > 1:
        raise UsageError("standard input (-) can be given once")
    _check_inputs(files, engines)
    for option, target in (("-o", output), ("--reject", reject)):
        if target and target != STDIN and not Path(target).resolve().parent.is_dir():
            raise UsageError(f"{option} {target}: no such directory")
    registry = engines[0].ruleset.registry
    records: Iterable[Record] = itertools.chain.from_iterable(
        read_records(path, registry) for path in files
    )
    if split:
        try:
            for engine in engines:
                check_splittable(engine.ruleset)
        except SplitError as error:
            raise UsageError(f"--split: {error}") from None
        records = split_records(records, [e.ruleset for e in engines], as_of)
    several = len(engines) > 1
    plain_look = attrs.evolve(look, color=look.color and output in (None, STDIN))
    others = several or engines[0].ruleset.id != DEFAULT_RULESET
    render = Render(as_jsonl, others, plain_look)
    terminal = sys.stderr.isatty()
    visible = terminal if progress is None else progress
    shown = Progress(
        sys.stderr,
        _count(files) if visible and not split else None,
        terminal=terminal,
        shown=visible,
    )
    tally = Tally()
    start = time.monotonic()
    first = True
    with _output(output) as out, _output(reject) if reject else _nothing() as rejects:
        for outcome in outcomes(engines, records, render, as_of=as_of, workers=workers):
            if isinstance(outcome, Failed):
                _reject(outcome, rejects)
            else:
                tally += outcome.result.tally
                _write(outcome, out, as_jsonl, several, first)
                first = False
            shown.advance(isinstance(outcome, Failed))
        if not as_jsonl and not first:
            out.write("\n")
        out.flush()
    shown.close()
    _summary(shown.done, shown.failed, tally, fail_on, time.monotonic() - start)
    return 1 if shown.failed or fail_on.met(tally) else 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _write(
    outcome: Evaluated[Rendered], out: IO[str], as_jsonl: bool, several: bool, first: bool
) -> None:
    texts = outcome.result.texts
    if as_jsonl:
        body = f'"evaluations":[{",".join(texts)}]' if several else f'"result":{texts[0]}'
        where = f'"line":{outcome.line},'
        out.write(f'{{{body},{where}"source":{json.dumps(outcome.source, ensure_ascii=False)}}}\n')
        return
    whole = Path(outcome.source).suffix.lower() not in STREAMED and outcome.source != "<stdin>"
    label = outcome.source if whole else f"{outcome.source}:{outcome.line}"
    out.write(("" if first else "\n\n") + "\n\n".join(_labelled(t, label) for t in texts))


def _reject(failed: Failed, rejects: IO[str] | None) -> None:
    if rejects is None:
        click.echo(f"{failed.where()}: {failed.reason}", err=True)
        return
    entry = {
        "source": failed.source,
        "line": failed.line,
        "error": failed.error,
        "reason": failed.reason,
        "record": failed.record,
    }
    rejects.write(_compact(entry) + "\n")


def _summary(done: int, failed: int, tally: Tally, fail_on: FailOn, seconds: float) -> None:
    rate = done / seconds if seconds > 0 else 0.0
    lines = [
        f"{done:,} records: {done - failed:,} evaluated, {failed:,} failed "
        f"({seconds:,.1f} s, {rate:,.0f} records/s)",
        "findings: " + (", ".join(f"{code} {count:,}" for code, count in tally.findings) or "none"),
    ]
    if tally.overdue:
        lines.append(f"overdue: {tally.describe().partition(', ')[2]}")
    verdict = fail_on.verdict(tally)
    if verdict:
        lines.append(verdict)
    click.echo("\n".join(lines), err=True)
