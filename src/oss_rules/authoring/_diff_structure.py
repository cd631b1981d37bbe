"""What changed in the text of a ruleset: header, params, sources, rules, tables and rows.

Two loaded versions are compared part by part, by name (a param by its name, a rule by
its id, a table row by its number). Source positions take no part (the syntax tree
ignores them in equality), so moving a rule to another file is no change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..language import syntax as s
from ..language._unparse import literal

__all__ = ["PARTS", "Edit", "edits"]

PARTS = ("header", "param", "source", "rule", "table", "row")
"""The parts of a ruleset an :class:`Edit` can be about, in the order they are listed."""
_CHANGES = ("added", "removed", "changed")
_WIDTH = 60


@attrs.frozen
class Edit:
    """One structural change: a part added, removed or changed, with a short before/after.

    ``old`` is empty for an addition, ``new`` for a removal. For a changed rule or table
    they name the parts that differ (``when, then``), not the whole text.
    """

    part: str = attrs.field(validator=attrs.validators.in_(PARTS))
    name: str
    change: str = attrs.field(validator=attrs.validators.in_(_CHANGES))
    old: str = ""
    new: str = ""

    def __str__(self) -> str:
        head = f"{self.change} {self.part} {self.name}"
        if self.change == "added":
            return f"{head}: {self.new}" if self.new else head
        if self.change == "removed":
            return f"{head}: {self.old}" if self.old else head
        if self.part in ("rule", "table"):
            return f"{head} ({self.new})"
        return f"{head}: {self.old} -> {self.new}"

    def to_data(self) -> dict[str, str]:
        """The edit as JSON-ready data."""
        return {
            "part": self.part,
            "name": self.name,
            "change": self.change,
            "old": self.old,
            "new": self.new,
        }


def edits(old: s.Ruleset, new: s.Ruleset) -> tuple[Edit, ...]:
    """Every structural change from ``old`` to ``new``, by part, then by name."""
    found = [
        *_header(old, new),
        *_named("param", old.params, new.params, _show),
        *_named("source", old.sources, new.sources, _plain),
        *_rules(old, new),
        *_tables(old, new),
    ]
    return tuple(found)


def _header(old: s.Ruleset, new: s.Ruleset) -> Iterator[Edit]:
    for name in ("id", "version", "title", "domains"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield Edit("header", name, "changed", _show(before), _show(after))


def _named(
    part: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    show: Any,
) -> Iterator[Edit]:
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            yield Edit(part, name, "removed", show(old[name]), "")
        elif name not in old:
            yield Edit(part, name, "added", "", show(new[name]))
        elif old[name] != new[name]:
            yield Edit(part, name, "changed", show(old[name]), show(new[name]))


def _own_rules(ruleset: s.Ruleset) -> dict[str, s.Rule]:
    """The rules written as rules: those compiled from table rows are compared as rows."""
    prefixes = tuple(table.id + "#" for table in ruleset.tables)
    return {rule.id: rule for rule in ruleset.rules if not rule.id.startswith(prefixes)}


_RULE_PARTS = ("title", "cite", "when", "then", "effective")
_TABLE_PARTS = ("title", "cite", "hit", "when", "inputs", "outputs", "then")


def _differing(old: Any, new: Any, names: tuple[str, ...]) -> str:
    return ", ".join(name for name in names if getattr(old, name) != getattr(new, name))


def _rules(old: s.Ruleset, new: s.Ruleset) -> Iterator[Edit]:
    before, after = _own_rules(old), _own_rules(new)
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield Edit("rule", name, "removed", _plain(before[name].title), "")
        elif name not in before:
            yield Edit("rule", name, "added", "", _plain(after[name].title))
        elif before[name] != after[name]:
            parts = _differing(before[name], after[name], _RULE_PARTS)
            yield Edit("rule", name, "changed", parts, parts)


def _tables(old: s.Ruleset, new: s.Ruleset) -> Iterator[Edit]:
    before = {table.id: table for table in old.tables}
    after = {table.id: table for table in new.tables}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield Edit("table", name, "removed", _plain(before[name].title), "")
            continue
        if name not in before:
            yield Edit("table", name, "added", "", _plain(after[name].title))
            continue
        parts = _differing(before[name], after[name], _TABLE_PARTS)
        if parts:
            yield Edit("table", name, "changed", parts, parts)
        yield from _rows(before[name], after[name])


def _rows(old: s.Table, new: s.Table) -> Iterator[Edit]:
    # Rows are matched by their rule id: a row with an id keeps it when rows are inserted
    # above it, a row without one is known by its number.
    before = {old.row_id(row): row for row in old.rows}
    after = {new.row_id(row): row for row in new.rows}
    for name in dict.fromkeys([*before, *after]):
        if name not in after:
            yield Edit("row", name, "removed", _row_text(before[name]), "")
        elif name not in before:
            yield Edit("row", name, "added", "", _row_text(after[name]))
        elif (before[name].cells, before[name].values) != (after[name].cells, after[name].values):
            yield Edit("row", name, "changed", _row_text(before[name]), _row_text(after[name]))


def _row_text(row: s.Row) -> str:
    """The row as the table writes it: ``[>= high_from, high]``."""
    cells = [cell.text or "-" for cell in row.cells]
    values = [v if isinstance(v, str) else _show(v) for v in row.values]
    return _cut(f"[{', '.join([*cells, *values])}]")


def _plain(text: str) -> str:
    return _cut(" ".join(text.split()))


def _show(value: Any) -> str:
    """A value short enough for one line: rule-text literals, mappings as ``{k: v}``."""
    if isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, str | int | float | bool | list | tuple) or value is None:
        text = literal(value)
    else:
        text = str(value)
    return _cut(" ".join(text.split()))


def _cut(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 3] + "..."
