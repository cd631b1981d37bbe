"""The 5x5 risk matrices of the audit report: a workplace's hazards in their cells, and
the portfolio heat map (how many hazards lie in each cell across all workplaces).

Every cell is coloured by its band, the level the ruleset itself gives a hazard there
(:mod:`._bands`), so the low, medium and high regions show whether a cell holds a hazard
or not. Without the bands (a report made from results alone) a cell is coloured only by
the level the ruleset gave the hazards in it. The band is written in the cell too, so
the matrix reads the same in black and white.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..domains.oss._vocabulary import LEVELS
from ._bands import SCALE, VARIES, Bands
from ._html import esc, tag


def hazards_of(facts: Iterable[Any]) -> list[Any]:
    """The hazards among ``facts`` that have a place in the matrix."""
    return [
        f
        for f in facts
        if type(f).__name__ == "Hazard"
        and getattr(f, "likelihood", None) in SCALE
        and getattr(f, "severity", None) in SCALE
    ]


def levels_of(classifications: Iterable[Any]) -> dict[tuple[str, str], list[str]]:
    """The levels ``classifications`` gave each (workplace, hazard), worst first."""
    levels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in classifications:
        levels[(c.workplace, c.hazard)].append(c.level)
    return {key: sorted(set(value), key=rank, reverse=True) for key, value in levels.items()}


def rank(level: str) -> int:
    """Higher for a worse level; a level the built-in model does not know ranks lowest."""
    return LEVELS.index(level) if level in LEVELS else -1


def _level_class(level: str | None) -> str:
    # Only the built-in levels have colours; any other level is shown as text only.
    return f"level-{level}" if level in LEVELS else "level-none"


def _grid(
    cell: Callable[[int, int], tuple[str, str | None]],
    bands: Bands | None,
    caption: str,
    extra_class: str = "",
    **attributes: str,
) -> str:
    """A 5x5 table, likelihood 5 at the top; ``cell`` gives a cell's markup and, when
    there are no bands, the level to colour it by."""
    head = tag("th", esc("L \\ S"), scope="col", class_="corner") + "".join(
        tag("th", str(s), scope="col") for s in SCALE
    )
    rows = [tag("tr", head)]
    for likelihood in reversed(SCALE):
        row = tag("th", str(likelihood), scope="row")
        for severity in SCALE:
            body, worst = cell(likelihood, severity)
            band = bands.get((likelihood, severity)) if bands is not None else None
            colour = band if bands is not None else worst
            mark = tag("span", esc(band), class_="band") if band else ""
            row += tag(
                "td",
                tag("span", str(likelihood * severity), class_="score", title="score")
                + mark
                + body,
                class_=f"cell {_level_class(colour)}",
                data_likelihood=str(likelihood),
                data_severity=str(severity),
                data_band=band or "none",
                data_level=worst or "none",
            )
        rows.append(tag("tr", row))
    grid = tag(
        "table",
        tag("caption", esc(caption)) + tag("tbody", "".join(rows)),
        class_=f"matrix {extra_class}".strip(),
        **attributes,
    )
    return tag("div", grid, class_="table-wrap")


def workplace_matrix(
    workplace: str,
    hazards: list[Any],
    levels: Mapping[tuple[str, str], list[str]],
    bands: Bands | None,
    ruleset: str,
) -> str:
    """The matrix of one workplace: each hazard in its cell, with its level."""
    cells: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for hazard in hazards:
        cells[(hazard.likelihood, hazard.severity)].append(hazard)

    def cell(likelihood: int, severity: int) -> tuple[str, str | None]:
        items = []
        worst: str | None = None
        for hazard in sorted(cells[(likelihood, severity)], key=lambda h: h.id):
            given = levels.get((workplace, hazard.id), [])
            if given and (worst is None or rank(given[0]) > rank(worst)):
                worst = given[0]
            label = ", ".join(given) or "not classified"
            items.append(
                tag(
                    "li",
                    tag("span", esc(hazard.id), class_="hazard")
                    + " "
                    + tag(
                        "span", esc(f"{getattr(hazard, 'category', '')} · {label}"), class_="tag"
                    ),
                    data_hazard=hazard.id,
                )
            )
        return (tag("ul", "".join(items)) if items else ""), worst

    caption = f"Likelihood (rows, 5 at the top) by severity (columns), bands of {ruleset}"
    return _grid(cell, bands, caption, data_workplace=workplace, data_ruleset=ruleset)


def heat_map(hazards: list[Any], bands: Bands | None, ruleset: str | None) -> str:
    """How many hazards of the portfolio lie in each cell."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for hazard in hazards:
        counts[(hazard.likelihood, hazard.severity)] += 1

    def cell(likelihood: int, severity: int) -> tuple[str, str | None]:
        n = counts.get((likelihood, severity), 0)
        body = tag("span", str(n), class_="count") if n else ""
        return body, None

    where = f", bands of {ruleset}" if ruleset else ""
    caption = f"Hazards per cell, all workplaces: likelihood (rows) by severity (columns){where}"
    return _grid(cell, bands, caption, "heat", data_ruleset=ruleset or "")


def legend(bands: Bands | None, *, heat: bool = False) -> str:
    """What the colours and numbers of a matrix (or of the heat map) mean."""
    keys = "".join(tag("span", esc(level), class_=f"key {_level_class(level)}") for level in LEVELS)
    if bands is None and heat:
        note = "No ruleset's bands are known here, so the cells are not coloured."
        return tag("p", esc(note), class_="legend")
    elif bands is None:
        note = (
            "The ruleset's bands are not known here, so a cell is coloured by the worst "
            "level the ruleset gave the hazards in it; empty cells stay white."
        )
    else:
        note = "Each cell is coloured by the level the ruleset gives a hazard there"
        if VARIES in bands.values():
            note += f" ('{VARIES}': it depends on the category or the setting)"
        note += "."
    note += " The small number in a corner is the cell's score, likelihood x severity."
    return tag("p", keys + " " + esc(note), class_="legend")
