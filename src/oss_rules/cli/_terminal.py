"""How text output looks where it goes: the width it wraps to and whether it has colour.

Colour is on for a terminal and off in a pipe or a file, off with ``NO_COLOR`` (any
non-empty value, https://no-color.org) and on with ``FORCE_COLOR``; ``--color always`` or
``never`` overrides all of these. Text wraps to ``COLUMNS`` when that is set, else to
the terminal's width, else (a pipe, a file) to 100 columns, so that piped output is
the same bytes on every machine.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO

import click

from ..report._console import DEFAULT_WIDTH, Look
from ._exit import unescaped

__all__ = ["COLOR", "echo_text", "look_for"]

COLOR = click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output: auto is on a terminal unless NO_COLOR is set "
    "(FORCE_COLOR turns it on elsewhere).",
)


def look_for(color: str, stream: TextIO | None = None) -> Look:
    """The look of text written to ``stream`` (stdout by default) under ``--color``."""
    out = stream or sys.stdout
    terminal = _isatty(out)
    if color == "auto":
        shown = (
            not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb"
            and (terminal or bool(os.environ.get("FORCE_COLOR")))
        )
    else:
        shown = color == "always"
    return Look(width=_width(terminal), color=shown)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def _width(terminal: bool) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    if terminal:
        return max(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, 20)
    return DEFAULT_WIDTH


def echo_text(text: str, look: Look) -> None:
    """Print text rendered with ``look`` to stdout, its colour codes kept when it has any.

    The renderer escaped every control character of input text already, so its own ANSI
    codes go past the escaping of standard output (see :mod:`._exit`) untouched.
    """
    if look.color:
        click.echo(text, file=unescaped(sys.stdout), color=True)
    else:
        click.echo(text)
