"""The 5x5 risk matrix of the audit report: where each hazard lies, and the level the
ruleset gave it.

A cell is coloured only from the ``Classification`` facts of the result, never from
score bands guessed here: another ruleset may band scores differently, and a ruleset
that classifies nothing must not seem to. The level is written in the cell too, so the
matrix reads the same in black and white.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..domains.oss._vocabulary import LEVELS
from ..domains.oss.facts import Classification
from ..engine.result import Result
from ._html import esc, table, tag

SCALE = (1, 2, 3, 4, 5)
"""Likelihood and severity values of the matrix."""


def hazards_of(result: Result) -> list[Any]:
    """The given hazards that have a place in the matrix, in canonical order."""
    return [
        f
        for f in result.given
        if type(f).__name__ == "Hazard"
        and getattr(f, "likelihood", None) in SCALE
        and getattr(f, "severity", None) in SCALE
    ]


def levels_of(result: Result) -> dict[tuple[str, str], list[str]]:
    """The levels the result's classifications gave each (workplace, hazard)."""
    levels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in result.of_type(Classification):
        levels[(c.workplace, c.hazard)].append(c.level)
    return {key: sorted(set(value), key=_rank, reverse=True) for key, value in levels.items()}


def _rank(level: str) -> int:
    """Higher for a worse level; a level the built-in model does not know ranks lowest."""
    return LEVELS.index(level) if level in LEVELS else -1


def _level_class(level: str | None) -> str:
    # Only the built-in levels have colours; any other level is shown as text only.
    return f"level-{level}" if level in LEVELS else "level-none"


def risk_matrices(result: Result) -> str:
    """One matrix per workplace with hazards, then a table of the hazards and levels.

    When the ruleset classified no hazard, a note says so instead.
    """
    hazards = hazards_of(result)
    if not hazards:
        return tag("p", "No hazard in the input.", class_="empty")
    if not result.of_type(Classification):
        return tag(
            "p",
            esc(
                f"Ruleset {result.ruleset.id} classifies no hazard, so it has no risk "
                f"matrix ({len(hazards)} hazards in the input)."
            ),
            class_="empty",
        )
    levels = levels_of(result)
    places: dict[str, list[Any]] = defaultdict(list)
    for hazard in hazards:
        places[hazard.workplace].append(hazard)
    parts = [
        _matrix(workplace, places[workplace], levels, result.ruleset.id)
        for workplace in sorted(places)
    ]
    return tag("div", "".join(parts), class_="matrices") + _legend()


def _matrix(
    workplace: str,
    hazards: list[Any],
    levels: dict[tuple[str, str], list[str]],
    ruleset: str,
) -> str:
    cells: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for hazard in hazards:
        cells[(hazard.likelihood, hazard.severity)].append(hazard)
    head = tag("th", esc("likelihood \\ severity"), scope="col") + "".join(
        tag("th", str(s), scope="col") for s in SCALE
    )
    rows = [tag("tr", head)]
    for likelihood in reversed(SCALE):
        row = tag("th", str(likelihood), scope="row")
        for severity in SCALE:
            row += _cell(workplace, likelihood, severity, cells[(likelihood, severity)], levels)
        rows.append(tag("tr", row))
    caption = tag(
        "caption",
        esc(f"Workplace {workplace}: likelihood (rows, 5 at the top) by severity (columns)"),
    )
    return tag(
        "table",
        caption + "".join(rows),
        class_="matrix",
        data_workplace=workplace,
        data_ruleset=ruleset,
    )


def _cell(
    workplace: str,
    likelihood: int,
    severity: int,
    hazards: list[Any],
    levels: dict[tuple[str, str], list[str]],
) -> str:
    items = []
    worst: str | None = None
    for hazard in sorted(hazards, key=lambda h: h.id):
        given = levels.get((workplace, hazard.id), [])
        label = ", ".join(given) or "not classified"
        if given and (worst is None or _rank(given[0]) > _rank(worst)):
            worst = given[0]
        items.append(
            tag(
                "li",
                tag("span", esc(hazard.id), class_="hazard")
                + " "
                + tag("span", esc(label), class_="tag"),
                data_hazard=hazard.id,
            )
        )
    score = tag("span", str(likelihood * severity), class_="score", title="score")
    body = score + (tag("ul", "".join(items)) if items else "")
    return tag(
        "td",
        body,
        class_=f"cell {_level_class(worst)}",
        data_likelihood=str(likelihood),
        data_severity=str(severity),
        data_level=worst or "none",
    )


def _legend() -> str:
    keys = "".join(tag("span", esc(level), class_=f"key {_level_class(level)}") for level in LEVELS)
    note = (
        "Cells are coloured by the level the ruleset gave the hazards in them (the worst "
        "one when several); cells without a classified hazard stay white. The number in a "
        "cell is its score, likelihood x severity."
    )
    return tag("p", keys + " " + esc(note), class_="legend")


def hazard_table(result: Result) -> str:
    """Every hazard with its place in the matrix and the level the ruleset gave it."""
    levels = levels_of(result)
    rows = [
        [
            esc(h.workplace),
            esc(h.id),
            esc(getattr(h, "category", "")),
            str(h.likelihood),
            str(h.severity),
            str(h.likelihood * h.severity),
            esc(", ".join(levels.get((h.workplace, h.id), [])) or "not classified"),
        ]
        for h in hazards_of(result)
    ]
    headers = ("workplace", "hazard", "category", "likelihood", "severity", "score", "level")
    return table(headers, rows, class_="hazards", empty="No hazard in the input.")
