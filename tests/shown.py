"""How the docs show a command's output, and the check that they show it truly.

A console block in docs/*.md or README.md shows commands after ``$ `` and, under each,
what it prints (stdout and stderr together). The lines shown are the whole output, as
the command prints it, in order; blank lines and runs of spaces do not count. Where a
doc leaves lines out it says so with a line of its own::

    [...]

which stands for one or more lines of output (at the start, between shown lines, or at
the end). Within a line, ``[...]`` stands for some text of that line, for what differs
from run to run (a duration) or is too long to show::

    3 records: 2 evaluated, 1 failed ([...] records/s)

Nothing else is an elision: a line ending in ``...`` or ``…`` must be printed so, and a
shown line may not be cut short. A ``# exit N`` line sets the exit status
expected of the next command (default 0); other lines starting with ``#`` are comments.
"""

from __future__ import annotations

import re

import attrs

ELISION = "[...]"
"""The line that stands for lines of output a doc leaves out."""
EXIT = re.compile(r"^#\s*exit\s+(\d+)\s*$")


@attrs.frozen
class Command:
    """A ``$ `` command of a console block: its line in the doc, its text (continuation
    lines joined), the exit status expected, and the output lines shown under it."""

    line: int
    argv: str
    status: int
    shown: list[str]


def commands(text: str, first_line: int) -> list[Command]:
    """The commands of a console block whose text starts on line ``first_line``."""
    found: list[Command] = []
    status = 0
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        exit_mark = EXIT.match(line.strip())
        if exit_mark:
            status = int(exit_mark.group(1))
        elif line.startswith("$ "):
            start = i
            command = line[2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            found.append(Command(first_line + start, command, status, []))
            status = 0
        elif found and not line.startswith("#"):
            found[-1].shown.append(line)
        i += 1
    return found


def normal(line: str) -> str:
    """``line`` with runs of whitespace made one space and no space at either end."""
    return " ".join(line.split())


def assert_shown(shown: list[str], output: str, where: str) -> None:
    """``shown`` is ``output``, but for the lines that each ``[...]`` stands for (at
    least one each). Blank lines are ignored on both sides; nothing shown, nothing checked.
    """
    __tracebackhide__ = True
    actual = [normal(line) for line in output.splitlines() if line.strip()]
    parts = [normal(line) for line in shown if line.strip()]
    if not parts:
        return
    # The shown lines between elisions: [[...], ELISION, [...], ...], kept in order.
    segments: list[list[str]] = [[]]
    for part in parts:
        if part == ELISION:
            if segments[-1] or len(segments) == 1:
                segments.append([])
        else:
            segments[-1].append(part)
    leading = not segments[0]
    trailing = not segments[-1]
    chunks = [s for s in segments if s]
    position = 0
    for n, chunk in enumerate(chunks):
        first = n == 0 and not leading
        last = n == len(chunks) - 1 and not trailing
        low = position if first else position + 1  # an elision stands for a line at least
        if first:
            starts: range | list[int] = [0]
        elif last:
            starts = [len(actual) - len(chunk)]
        else:
            starts = range(low, len(actual) - len(chunk) + 1)
        for start in starts:
            end = start + len(chunk)
            fits = all(_fits(e, a) for e, a in zip(chunk, actual[start:end], strict=False))
            if start >= low and end <= len(actual) and fits and (not last or end == len(actual)):
                position = end
                break
        else:
            raise AssertionError(_mismatch(chunk, first, last, output, where))
    if trailing and position >= len(actual):
        raise AssertionError(f"{where}: a trailing {ELISION} stands for no line\n{output}")


def _fits(shown: str, actual: str) -> bool:
    """Whether ``actual`` is the ``shown`` line, each ``[...]`` in it standing for some text."""
    if ELISION not in shown:
        return shown == actual
    pattern = ".+".join(re.escape(part) for part in shown.split(ELISION))
    return re.fullmatch(pattern, actual) is not None


def _mismatch(chunk: list[str], first: bool, last: bool, output: str, where: str) -> str:
    place = "the start of" if first else "the end of" if last else "somewhere in"
    if first and last:
        place = "all of"
    return (
        f"{where}: these lines are not {place} the output (mark lines left out with a "
        f"line {ELISION}):\n" + "\n".join(chunk) + "\n--- output ---\n" + output
    )
