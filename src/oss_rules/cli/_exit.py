"""Exit statuses of every ``oss-rules`` command, decided in one place.

0 all went well; 1 the command found what it was asked to look for (a failing test, a
changed file with ``--check``, a result that meets ``evaluate --fail-on``); 2 a user
error (bad input, bad option, a ruleset that does not load); 3 an internal error, that
is a bug in oss_rules (the message asks to report it; the traceback is printed only with
``--debug``); 130 interrupted (Ctrl-C);
141 the reader of standard output went away (``| head``), as a shell reports SIGPIPE.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from collections.abc import Iterator
from typing import IO, Any, NoReturn, TextIO

import click

from .._untrusted import escape_control
from ..errors import OssRulesError

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_USAGE", "GuardedGroup"]

EXIT_USAGE = 2
"""Status of an error the user can fix: bad input, a bad option, a ruleset that does not load."""
EXIT_INTERNAL = 3
"""Status of a bug in oss_rules: an exception that no command turned into a clear message."""
EXIT_INTERRUPTED = 130
"""Status after Ctrl-C, as shells give it (128 + SIGINT)."""
EXIT_BROKEN_PIPE = 141
"""Status when the reader of standard output closed it early, as shells give it (128 + SIGPIPE)."""

DEBUG_ENV = "OSS_RULES_DEBUG"
"""Set to 1 in the environment to get ``--debug`` on every call."""

_REPORT = (
    "this is a bug in oss_rules, please report it with the command line and the input "
    "that caused it; rerun with --debug (before the command) for the traceback"
)


class GuardedGroup(click.Group):
    """A command group whose commands all exit with the documented statuses.

    An :class:`~oss_rules.errors.OssRulesError` that a command lets through becomes a
    usage error (2) with its message; an unexpected exception becomes status 3 with a
    request to report it; Ctrl-C becomes 130 without a traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, mapping what escapes it to an exit status.

        While it runs, standard output and error escape control characters (see
        :func:`~oss_rules._untrusted.escape_control`): whatever an input file holds,
        what is printed cannot command the terminal.
        """
        with _escaped_terminal():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            # `oss-rules ... | head`: the reader has what it wanted. Point stdout at
            # /dev/null so the flush at exit does not fail again, and stop quietly.
            with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except OssRulesError as error:
            click.echo(f"Error: {error}", err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except OSError as error:
            if error.filename is None:
                _internal(ctx, error)
            click.echo(f"Error: {error.filename}: {error.strerror}", err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except Exception as error:
            _internal(ctx, error)


class _EscapingWriter(io.TextIOBase):
    """A text stream that writes to ``target`` with control characters escaped."""

    def __init__(self, target: TextIO) -> None:
        self._target = target

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._target, "errors", None) or "strict"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            # click probes for a binary stream with write(b""); this one is not.
            raise TypeError("write() argument must be str")
        self._target.write(escape_control(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return self._target.isatty()

    @property
    def target(self) -> TextIO:
        """The stream written to: for control sequences of our own (the progress line)."""
        return self._target

    def fileno(self) -> int:
        return self._target.fileno()


@contextlib.contextmanager
def _escaped_terminal() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout = _EscapingWriter(saved[0])
    sys.stderr = _EscapingWriter(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def unescaped(stream: IO[str]) -> IO[str]:
    """The stream under ``stream``'s escaping of control characters, if it has one, for
    text that escapes what it took from input and puts control sequences of its own."""
    return stream.target if isinstance(stream, _EscapingWriter) else stream


def debugging(ctx: click.Context) -> bool:
    """Whether tracebacks are wanted: ``--debug`` on the group or ``OSS_RULES_DEBUG=1``."""
    root = ctx.find_root()
    return bool(root.params.get("debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _internal(ctx: click.Context, error: BaseException) -> NoReturn:
    if debugging(ctx):
        traceback.print_exception(error, file=sys.stderr)
    click.echo(f"Internal error: {type(error).__name__}: {error}\n{_REPORT}", err=True)
    raise click.exceptions.Exit(EXIT_INTERNAL) from None
