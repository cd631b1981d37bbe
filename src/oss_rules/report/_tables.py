"""Parts of the audit report for fact types it knows nothing about: every other
derived type as a plain table with proofs, ``Contribution`` facts with their totals,
and the input facts.

The report does not import the fact model of any particular ruleset: a type is found
by its name, and its fields are read from the registry. So a ruleset that derives new
types (``Contribution`` from id-bpjstk) is shown without a change here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..engine.result import Result
from ..model._fields import show_value
from ._context import Context
from ._html import by_type, esc, fact_cells, fact_table, table, tag
from ._portfolio import Subject
from .words import kind_words

CONTRIBUTION = "Contribution"
"""The derived type that gets totals of its ``amount`` field."""

_GROUP_FIELDS = ("month", "programme")
"""Fields of a Contribution that make the rows of the totals, when present."""


def other_conclusions(subject: Subject, ctx: Context, shown: frozenset[str]) -> str:
    """Every conclusion of a type that has no part of its own (not in ``shown``), one
    table per type and ruleset, each row with its proof."""
    parts = []
    for share in subject.shares:
        groups = by_type(c for c in share.conclusions if type(c).__name__ not in shown)
        for name, facts in groups.items():
            proofs = [ctx.why(share.result, f) for f in facts]
            body = fact_table(
                facts, share.result.registry, class_=f"facts type-{name}", extra=("proof", proofs)
            )
            title = (
                f"{kind_words(name)[:1].upper()}{kind_words(name)[1:]} ({share.result.ruleset.id})"
            )
            parts.append(tag("h4", esc(title)) + body)
    return "".join(parts)


def contributions(subject: Subject) -> str:
    """The subject's Contribution facts: totals, then each line behind a summary.

    Totals add ``amount`` (ints and Decimals, never floats) by month and programme, in
    one column per payer, with a total column and a grand-total row.
    """
    parts = []
    for share in subject.shares:
        facts = share.of(CONTRIBUTION)
        if not facts:
            continue
        result = share.result
        listing = fact_table(facts, result.registry, class_="facts type-Contribution")
        if not all(isinstance(getattr(f, "amount", None), int | Decimal) for f in facts):
            parts.append(listing)
            continue
        each = tag(
            "details",
            tag("summary", esc(f"each contribution ({len(facts)})")) + listing,
            class_="listing",
        )
        parts.append(_totals(facts, result) + each)
    return "".join(parts)


def _totals(facts: Sequence[Any], result: Result) -> str:
    first = fact_cells(facts[0], result.registry)
    keys = [k for k in _GROUP_FIELDS if k in first]
    has_payer = "payer" in first
    payers = sorted({str(f.payer) for f in facts}) if has_payer else []
    sums: dict[tuple[str, ...], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for fact in facts:
        cells = fact_cells(fact, result.registry)
        row = tuple(cells[k] for k in keys)
        payer = str(fact.payer) if has_payer else ""
        sums[row][payer] += fact.amount
    rows = []
    grand: dict[str, Decimal] = defaultdict(Decimal)
    for row_key in sorted(sums):
        by_payer = sums[row_key]
        for payer, value in by_payer.items():
            grand[payer] += value
        rows.append(_total_row(list(row_key), by_payer, payers))
    rows.append(
        [tag("strong", "total"), *([""] * (len(keys) - 1)), *_total_cells(grand, payers)]
        if keys
        else _total_cells(grand, payers)
    )
    headers = [*keys, *(f"paid by {p}" for p in payers), "total"]
    numeric = range(len(keys), len(headers))
    return table(headers, rows, class_="totals", numeric=numeric)


def _total_row(labels: list[str], sums: dict[str, Decimal], payers: list[str]) -> list[str]:
    return [esc(label) for label in labels] + _total_cells(sums, payers)


def _total_cells(sums: dict[str, Decimal], payers: list[str]) -> list[str]:
    cells = [esc(show_value(sums.get(p, Decimal(0)), quoted=False)) for p in payers]
    total = show_value(sum(sums.values(), Decimal(0)), quoted=False)
    return [*cells, tag("strong", esc(total))]


def input_facts(results: Sequence[Result]) -> str:
    """The given facts of an input (every ruleset's, each once), one table per type,
    as the evaluation read them."""
    seen: dict[Any, Result] = {}
    for result in results:
        for fact in result.given:
            seen.setdefault(fact, result)
    parts = [
        tag("h4", esc(f"{name} ({len(facts)})"))
        + fact_table(facts, seen[facts[0]].registry, class_=f"facts type-{name}")
        for name, facts in by_type(seen).items()
    ]
    return "".join(parts)
