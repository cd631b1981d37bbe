"""Hazard inventories exported from a spreadsheet: one CSV row per hazard.

Each row repeats its workplace's columns (``workplace_id``, ``workplace_sector``, ...)
and adds one hazard's (``hazard_id``, ``hazard_category``, ...); consecutive rows with
the same ``workplace_id`` are one inventory, evaluated as of the ``as_of`` column. A
workplace without hazards is one row with the hazard columns empty. The columns come
from the fact types' fields, so they follow the registry:

>>> from oss_rules.model.domain import shipped_registry
>>> CsvLayout.of(shipped_registry()).header()[:3]
('as_of', 'workplace_id', 'workplace_sector')

Cells are text: an empty cell is a missing value, a list (``declared_modules``) is
separated by ``;``, numbers and ``true``/``false`` are read as such, dates are ISO.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from ..errors import CsvHeaderError, suggest
from ..model._kinds import Boolean, Integer, Kind, Many, Number, Optional
from ..model.registry import FactRegistry, FieldInfo
from ._outcomes import Place, Record

__all__ = ["CsvHeaderError", "CsvLayout", "csv_records"]

AS_OF = "as_of"
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@attrs.frozen
class CsvLayout:
    """The columns of a hazard-inventory CSV: ``as_of``, the container's, the item's."""

    container: str
    item: str
    container_fields: tuple[FieldInfo, ...]
    item_fields: tuple[FieldInfo, ...]
    link: str
    """The item's field that references the container (filled from the container's id)."""

    @classmethod
    def of(
        cls, registry: FactRegistry, container: str = "Workplace", item: str = "Hazard"
    ) -> CsvLayout:
        """The layout for ``item`` rows grouped by ``container`` in ``registry``.

        A field that references a type outside the layout (a workplace's employer) has
        no column: the CSV holds no such fact for it to point to.
        """
        outer, inner = registry[container], registry[item]
        links = [f.name for f in inner.fields if f.references == container]
        if not links or outer.field("id") is None:
            raise ValueError(f"{item} has no field referencing {container}; no CSV layout")
        kept = {container, item}
        return cls(
            container,
            item,
            tuple(f for f in outer.fields if f.init and f.references in (None, *kept)),
            tuple(
                f
                for f in inner.fields
                if f.init and f.name != links[0] and f.references in (None, *kept)
            ),
            links[0],
        )

    def _prefix(self, name: str) -> str:
        return name.lower() + "_"

    def header(self) -> tuple[str, ...]:
        """The column names, in order."""
        outer, inner = self._prefix(self.container), self._prefix(self.item)
        return (
            AS_OF,
            *(outer + f.name for f in self.container_fields),
            *(inner + f.name for f in self.item_fields),
        )

    def required(self) -> tuple[str, ...]:
        """The columns a file must have: ``as_of`` and the container's id."""
        return (AS_OF, self._prefix(self.container) + "id")

    def _has_item(self, row: dict[str, str]) -> bool:
        inner = self._prefix(self.item)
        return any(row.get(inner + f.name) for f in self.item_fields)

    def document(self, rows: list[dict[str, str]]) -> dict[str, Any]:
        """The input document of one container's rows (JSON values, checked later)."""
        outer, inner = self._prefix(self.container), self._prefix(self.item)
        first = rows[0]
        container = _fact(self.container, outer, self.container_fields, first)
        facts = [container]
        for row in rows:
            if self._has_item(row):
                fact = _fact(self.item, inner, self.item_fields, row)
                fact[self.link] = container.get("id")
                facts.append(fact)
        return {AS_OF: first.get(AS_OF) or None, "facts": facts}

    def places(self, rows: list[dict[str, str]], lines: list[int]) -> tuple[Place, ...]:
        """Where each fact of :meth:`document`'s result came from: its row's line and
        its columns' prefix, so that an error names the cell, not ``$.facts[3]``."""
        found = [(lines[0], self._prefix(self.container))]
        found += [
            (line, self._prefix(self.item))
            for row, line in zip(rows, lines, strict=True)
            if self._has_item(row)
        ]
        return tuple(found)


def _fact(
    name: str, prefix: str, fields: Iterable[FieldInfo], row: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": name}
    for field in fields:
        cell = (row.get(prefix + field.name) or "").strip()
        if cell or isinstance(field.kind, Many):
            value = _cell(field.kind, cell)
            if value is not None:
                out[field.name] = value
    return out


def _cell(kind: Kind, cell: str) -> Any:
    """A cell as the JSON value the kind reads; anything odd stays text, so that the
    kind's own check reports it with the value as written."""
    if isinstance(kind, Optional):
        return _cell(kind.inner, cell) if cell else None
    if isinstance(kind, Many):
        return [_cell(kind.inner, part.strip()) for part in cell.split(";") if part.strip()]
    if isinstance(kind, Integer) and _INTEGER.match(cell):
        return int(cell)
    if isinstance(kind, Number) and _DECIMAL.match(cell):
        return int(cell) if _INTEGER.match(cell) else Decimal(cell)
    if isinstance(kind, Boolean) and cell.lower() in ("true", "false"):
        return cell.lower() == "true"
    return cell


def csv_records(source: str, file: Iterable[str], layout: CsvLayout) -> Iterator[Record]:
    """The records of a CSV file: one per run of rows with the same container id."""
    reader = csv.DictReader(file)
    header = reader.fieldnames or []
    known = layout.header()
    for position, name in enumerate(header, 1):
        if name not in known:
            raise CsvHeaderError(
                source, 1, position, f"unknown column {name!r}{suggest(name, known)}"
            )
    for name in layout.required():
        if name not in header:
            raise CsvHeaderError(source, 1, 1, f"missing column {name!r}")
    key = layout.required()[1]
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            yield Record(source, line, row, f"more cells than the {len(header)} columns")
            continue
        if rows and row.get(key) != rows[0].get(key):
            yield _group(source, lines, rows, layout, seen, key)
            rows, lines = [], []
        rows.append(row)
        lines.append(line)
    if rows:
        yield _group(source, lines, rows, layout, seen, key)


def _group(
    source: str,
    lines: list[int],
    rows: list[dict[str, str]],
    layout: CsvLayout,
    seen: set[str],
    key: str,
) -> Record:
    line = lines[0]
    ident = rows[0].get(key) or ""
    # Rows of one workplace must be consecutive; a second run would be evaluated alone
    # and silently give a different answer, so it is an error.
    if ident in seen:
        return Record(source, line, rows, f"{key} {ident!r} appears again after other rows")
    seen.add(ident)
    dates = {r.get(AS_OF) for r in rows}
    if len(dates) > 1:
        return Record(source, line, rows, f"rows of {key} {ident!r} give different as_of dates")
    return Record(source, line, layout.document(rows), places=layout.places(rows, lines))
