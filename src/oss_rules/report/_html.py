"""Small HTML builders for the audit report: every text goes through :func:`esc`.

The report is built as strings rather than with a template engine, so that it needs
no dependency and its bytes depend only on its input. A builder takes *markup* (text
already escaped, or other builders' output) for bodies, and plain text for attribute
values, which it escapes itself.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from ..model._fields import Integer, Kind, Number, Optional
from ..model.registry import FactRegistry


def esc(text: object) -> str:
    """``text`` as HTML text, with ``&``, ``<``, ``>`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def tag(name: str, body: str = "", **attributes: str | None) -> str:
    """``<name attr="value">body</name>``; ``body`` is markup, attribute values are text.

    A trailing underscore is dropped from an attribute name (``class_``), an inner one
    becomes a hyphen (``data_level``), and ``None`` values are left out.
    """
    if not attributes:
        return f"<{name}>{body}</{name}>"
    attrs_text = "".join(
        f' {_attribute_name(key)}="{html.escape(value, quote=True)}"'
        for key, value in attributes.items()
        if value is not None
    )
    return f"<{name}{attrs_text}>{body}</{name}>"


@functools.cache
def _attribute_name(key: str) -> str:
    return key.rstrip("_").replace("_", "-")


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
    # Each cell names its column (data-label), which a narrow screen shows beside it.
    body = [
        tag(
            "tr",
            "".join(
                tag(
                    "td",
                    cell,
                    class_="num" if i in numeric else None,
                    data_label=headers[i] if i < len(headers) else None,
                )
                for i, cell in enumerate(row)
            ),
        )
        for row in rows
    ]
    if not body:
        return tag("p", esc(empty), class_="empty")
    head = tag("tr", "".join(tag("th", esc(h), scope="col") for h in headers))
    inner = tag("table", tag("thead", head) + tag("tbody", "".join(body)), class_=class_)
    return tag("div", inner, class_="table-wrap")


def fact_cells(fact: Any, registry: FactRegistry) -> dict[str, str]:
    """The fields of ``fact`` (computed ones too), in declaration order, as table text:
    each value shown by its field's kind in plain style (``1,250,000``, ``yes``)."""
    info = registry.type_of(fact)
    return {f.name: f.kind.show(getattr(fact, f.name), quoted=False) for f in info.fields}


PERCENT_FIELDS = frozenset({"percent", "rate"})
"""Fields whose numbers are percentages (``rate`` 0.24 is 0.24 %): their column header
says so."""


def header(name: str) -> str:
    """A field's column header: its name in words, with ``(%)`` for a percentage."""
    words = name.replace("_", " ")
    return f"{words} (%)" if name in PERCENT_FIELDS else words


def fact_table(
    facts: Sequence[Any],
    registry: FactRegistry,
    *,
    class_: str = "facts",
    extra: tuple[str, Sequence[str]] | None = None,
) -> str:
    """Facts of one type as a table with one column per field; numbers right-aligned.

    ``extra`` is a last column: its header and one markup cell per fact.
    """
    if not facts:
        return table((), (), class_=class_)
    fields = registry.type_of(facts[0]).fields
    numeric = {i for i, f in enumerate(fields) if _is_number(f.kind)}
    rows = [[esc(text) for text in fact_cells(f, registry).values()] for f in facts]
    headers = [header(f.name) for f in fields]
    if extra is not None:
        headers.append(extra[0])
        rows = [[*row, cell] for row, cell in zip(rows, extra[1], strict=True)]
    return table(headers, rows, class_=class_, numeric=numeric)


def _is_number(kind: Kind) -> bool:
    return isinstance(kind.inner if isinstance(kind, Optional) else kind, Integer | Number)


def by_type(facts: Iterable[Any]) -> dict[str, list[Any]]:
    """Facts grouped by type name, the names sorted, each group in the given order."""
    groups: dict[str, list[Any]] = {}
    for fact in facts:
        groups.setdefault(type(fact).__name__, []).append(fact)
    return dict(sorted(groups.items()))
