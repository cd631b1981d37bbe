"""Small HTML builders for the audit report: every text goes through :func:`esc`.

The report is built as strings rather than with a template engine, so that it needs
no dependency and its bytes depend only on its input. A builder takes *markup* (text
already escaped, or other builders' output) for bodies, and plain text for attribute
values, which it escapes itself.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model.convert import fact_to_json
from ..model.registry import FactRegistry


def esc(text: object) -> str:
    """``text`` as HTML text, with ``&``, ``<``, ``>`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def tag(name: str, body: str = "", **attributes: str | None) -> str:
    """``<name attr="value">body</name>``; ``body`` is markup, attribute values are text.

    A trailing underscore is dropped from an attribute name (``class_``), an inner one
    becomes a hyphen (``data_level``), and ``None`` values are left out.
    """
    attrs_text = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(value)}"'
        for key, value in attributes.items()
        if value is not None
    )
    return f"<{name}{attrs_text}>{body}</{name}>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    class_: str | None = None,
    empty: str = "none",
    numeric: Collection[int] = (),
) -> str:
    """A table with a header row of plain-text ``headers`` and rows of markup cells.

    The columns at the indices in ``numeric`` are right-aligned. With no row, a
    paragraph saying ``empty`` instead.
    """
    body = [
        tag(
            "tr",
            "".join(
                tag("td", cell, class_="num" if i in numeric else None)
                for i, cell in enumerate(row)
            ),
        )
        for row in rows
    ]
    if not body:
        return tag("p", esc(empty), class_="empty")
    head = tag("tr", "".join(tag("th", esc(h), scope="col") for h in headers))
    return tag("table", tag("thead", head) + tag("tbody", "".join(body)), class_=class_)


def show(value: Any) -> str:
    """A JSON value (as :func:`~oss_rules.model.convert.fact_to_json` gives it) as plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def amount(value: int | Decimal) -> str:
    """A number with thousands separators (``10,547,400``; ``0.0024`` stays as it is)."""
    return f"{value:,}"


def fact_fields(fact: Any, registry: FactRegistry) -> dict[str, Any]:
    """The fields of ``fact`` as JSON values, in declaration order (computed ones too)."""
    return fact_to_json(fact, registry, typed=False)


def fact_table(facts: Sequence[Any], registry: FactRegistry, *, class_: str = "facts") -> str:
    """Facts of one type as a table with one column per field."""
    if not facts:
        return table((), (), class_=class_)
    headers = list(fact_fields(facts[0], registry))
    values = [list(fact_fields(f, registry).values()) for f in facts]
    numeric = {i for i in range(len(headers)) if all(_is_number(v[i]) for v in values)}
    rows = [[esc(cell(v)) for v in row] for row in values]
    return table(headers, rows, class_=class_, numeric=numeric)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def cell(value: Any) -> str:
    """A JSON value as table text: numbers with thousands separators, else :func:`show`."""
    return amount(value) if _is_number(value) else show(value)


def by_type(facts: Iterable[Any]) -> dict[str, list[Any]]:
    """Facts grouped by type name, the names sorted, each group in the given order."""
    groups: dict[str, list[Any]] = {}
    for fact in facts:
        groups.setdefault(type(fact).__name__, []).append(fact)
    return dict(sorted(groups.items()))
