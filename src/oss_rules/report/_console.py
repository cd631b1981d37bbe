"""Terminal text for people, drawn with rich: headings, tables wrapped to a width, colour.

Every text command output is built as rich renderables and turned into a string here,
at a fixed width and with or without colour (:class:`Look`), so the same result gives
the same bytes whatever terminal or pipe it goes to. Text that comes from input files
or rulesets enters as :class:`rich.text.Text` (never as markup) with its control
characters escaped, so an id like ``[bold]`` or an ESC in a message prints as written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .._untrusted import escape_control
from ..model._fields import show_value
from ..model._kinds import Integer, Kind, Number, Optional
from ..model.registry import FactRegistry

__all__ = [
    "DEFAULT_WIDTH",
    "PLAIN",
    "Look",
    "Row",
    "heading",
    "indented",
    "kind_table",
    "plain",
    "render",
    "table",
    "when",
]

DEFAULT_WIDTH = 100
"""Columns of text written to a file or a pipe when ``COLUMNS`` does not say."""


@attrs.frozen
class Look:
    """How text output looks: wrapped to ``width`` columns, with ANSI colour or without.

    A value, so that it can travel to the worker processes that render batch results.
    """

    width: int = attrs.field(default=DEFAULT_WIDTH, validator=attrs.validators.ge(20))
    color: bool = False


PLAIN = Look()
"""The look of text for a file or a pipe: 100 columns, no colour."""

Row = Sequence["str | Text"]
"""One table row: plain strings (from input or rulesets; escaped) or styled Text."""

# 2026-03-05T09:00:00 or 2026-03-05T09:00 (what a ruleset's str() of a date-time gives).
_ISO_MOMENT = re.compile(r"\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\b")


def plain(value: str) -> str:
    """``value`` as terminal text: control characters escaped, and each ISO date-time in
    it written as the rest of the text output writes one (``2026-03-05 09:00``)."""

    def moment(match: re.Match[str]) -> str:
        seconds = match.group(3) or ""
        return f"{match.group(1)} {match.group(2)}" + ("" if seconds in ("", ":00") else seconds)

    return _ISO_MOMENT.sub(moment, escape_control(value))


def when(value: Any) -> str:
    """A date ``2026-03-05``, a date-time ``2026-03-05 09:00`` (seconds only when not
    zero), ``none`` for null: the one format of dates in text output."""
    return "none" if value is None else show_value(value, quoted=False)


def cell(value: str | Text, style: str = "") -> Text:
    """A table cell: ``value`` as literal text (escaped), never read as markup."""
    if isinstance(value, Text):
        return value
    return Text(plain(value), style=style)


def heading(title: str, count: int | None = None, *, indent: int = 2) -> Text:
    """A section heading, ``Findings (3)``, in bold."""
    text = Text(" " * indent)
    text.append(plain(title), style="bold")
    if count is not None:
        text.append(f" ({count:,})")
    return text


def table(
    headers: Sequence[str],
    rows: Iterable[Row],
    *,
    numeric: Iterable[int] = (),
    indent: int = 4,
    gap: int = 2,
) -> RenderableType:
    """Rows as a borderless table under dim headers, indented by ``indent``, ``gap``
    spaces between columns; columns in ``numeric`` are right-aligned.

    A table wider than the line wraps its widest columns first (long messages), at
    spaces, so a number or an id is cut only when one word alone is wider than the line.
    """
    numbers = set(numeric)
    grid = Table(
        box=None,
        padding=(0, gap, 0, 0),
        pad_edge=False,
        show_edge=False,
        header_style="dim",
        collapse_padding=True,
    )
    for i, header in enumerate(headers):
        grid.add_column(
            header,
            justify="right" if i in numbers else "left",
            overflow="fold",
        )
    for row in rows:
        grid.add_row(*(cell(value) for value in row))
    return indented(grid, indent)


def indented(renderable: RenderableType, indent: int) -> RenderableType:
    """``renderable`` indented by ``indent`` columns (its wrapped lines too)."""
    return Padding(renderable, (0, 0, 0, indent), expand=False)


def kind_table(facts: Sequence[Any], registry: FactRegistry, *, indent: int = 4) -> RenderableType:
    """Facts of one kind as a table, one column per field (each value in plain style, by
    its field's kind), for a kind no section of its own shows."""
    fields = registry.type_of(facts[0]).fields
    numeric = [i for i, f in enumerate(fields) if _is_number(f.kind)]
    rows = [[f.kind.show(getattr(fact, f.name), quoted=False) for f in fields] for fact in facts]
    return table(
        [f.name.replace("_", " ") for f in fields],
        rows,
        numeric=numeric,
        indent=indent,
    )


def _is_number(kind: Kind) -> bool:
    inner = kind.inner if isinstance(kind, Optional) else kind
    return isinstance(inner, Integer | Number)


def render(parts: Iterable[RenderableType], look: Look) -> str:
    """``parts`` one under the other as text at ``look``'s width, with ANSI colour codes
    when ``look.color``; without colour, no line ends in spaces."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=look.width,
        force_terminal=look.color,
        color_system="standard" if look.color else None,
        no_color=not look.color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        _environ={},  # the look decides, not this process's TERM, COLUMNS or NO_COLOR
    )
    console.print(Group(*parts))
    text = out.getvalue().removesuffix("\n")
    if look.color:
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))
