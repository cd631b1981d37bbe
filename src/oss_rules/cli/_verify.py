"""The ``oss-rules verify`` command: search for counterexamples to a ruleset's properties."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ParamError, RulesetError
from ..language import Ruleset, load, shipped_rulesets
from ..language._loader import HEADER_FILE
from ._common import BACKEND, PARAM, UsageError, parse_param
from ._progress import Progress

PROGRESS_AFTER = 2.0
"""Seconds a property runs before its progress line appears (on a terminal only)."""

if TYPE_CHECKING:
    from ..verify._report import Layout, Outcome

__all__ = ["verify_command"]


def ruleset_paths(paths: Sequence[str]) -> list[Path]:
    """The rulesets at ``paths``: ruleset directories, single files, or directories of
    rulesets (default: every shipped ruleset)."""
    found: list[Path] = []
    for raw in paths or [str(p) for p in shipped_rulesets().values()]:
        path = Path(raw)
        if path.is_file() or (path / HEADER_FILE).exists():
            found.append(path)
            continue
        inner = (
            sorted(d for d in path.iterdir() if (d / HEADER_FILE).exists()) if path.is_dir() else []
        )
        if not inner:
            raise UsageError(
                f"{raw}: no ruleset here (a directory with {HEADER_FILE}, or a directory of them)"
            )
        found += inner
    return found


def property_ids(ruleset: Ruleset) -> set[str]:
    """The ids ``--property`` may name for ``ruleset``: its declared and the built-in ones."""
    from ..verify import _declared
    from ..verify._runner import BUILTIN

    return {p.id for p in _declared.read(ruleset)} | set(BUILTIN)


@click.command("verify")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--max-examples",
    type=click.IntRange(1),
    default=100,
    show_default=True,
    help="Examples hypothesis tries per property.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the search; the same seed gives the same examples.",
)
@click.option(
    "--property",
    "only",
    multiple=True,
    metavar="ID",
    help="Check only this property (repeatable).",
)
@PARAM
@BACKEND
def verify_command(
    paths: tuple[str, ...],
    max_examples: int,
    seed: int,
    only: tuple[str, ...],
    params: tuple[str, ...],
    backend: str,
) -> None:
    """Check the properties of each ruleset at PATH with generated inputs.

    PATH is a ruleset directory, a ruleset file, or a directory of rulesets (default:
    the shipped ones). Each property in the ruleset's `properties:` section, and the
    built-in ones, is checked on --max-examples generated inventories; its line is
    printed as soon as it finishes, and on a terminal a property that runs longer than
    two seconds shows the examples tried on stderr. A failure prints the minimal
    counterexample as a test case to paste into <ruleset>/tests/. Exits 1 when a
    property fails, 2 when a ruleset or its properties cannot be used.
    """
    try:
        from ..verify._report import tally
        from ..verify._runner import verify
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("hypothesis"):
            raise
        raise UsageError(
            "oss-rules verify needs hypothesis: pip install 'oss_rules[testing]'"
        ) from None
    overrides = dict(parse_param(p) for p in params)
    paths_found = ruleset_paths(paths)
    several = len(paths_found) > 1
    reports = []
    ticker = _Ticker(max_examples, terminal=sys.stderr.isatty())
    used_properties: set[str] = set()
    used_params: set[str] = set()
    for path in paths_found:
        try:
            ruleset = load(path)
            # With several rulesets, --property and --param go to those that have them.
            mine = [p for p in only if p in property_ids(ruleset)] if several else list(only)
            if only and not mine:
                continue
            chosen = {k: v for k, v in overrides.items() if k in ruleset.params or not several}
            used_properties.update(mine)
            used_params.update(chosen)
            report = verify(
                ruleset,
                max_examples=max_examples,
                seed=seed,
                params=chosen,
                only=mine,
                backend=backend,
                on_start=ticker.start,
                on_example=ticker.advance,
                on_outcome=ticker.finish,
            )
        except (RulesetError, ParamError) as error:
            raise UsageError(str(error)) from None
        except KeyError as error:
            raise UsageError(f"--property: {error.args[0]}") from None
        finally:
            ticker.clear()
        reports.append(report)
        click.echo(tally(report.outcomes))
    if several and set(only) - used_properties:
        missing = sorted(set(only) - used_properties)[0]
        raise UsageError(f"--property: no ruleset has a property {missing!r}")
    if several and set(overrides) - used_params:
        missing = sorted(set(overrides) - used_params)[0]
        raise UsageError(f"--param: no ruleset has a param {missing!r}")
    if not all(r.passed for r in reports):
        sys.exit(1)


class _Ticker:
    """Prints a ruleset's heading and each property's block as it finishes, and draws
    the progress line of a long property on stderr when that is a terminal."""

    def __init__(self, max_examples: int, *, terminal: bool) -> None:
        self._max = max_examples
        self._terminal = terminal
        self._layout: Layout | None = None
        self._progress: Progress | None = None
        self._of: tuple[str, bool] | None = None

    def start(self, layout: Layout) -> None:
        """A ruleset's run begins: print its heading."""
        self._layout = layout
        click.echo(layout.heading())

    def advance(self, prop_id: str, tried: int, shrinking: bool) -> None:
        """One more example of ``prop_id`` was tried; a failure starts the shrinking."""
        if self._of != (prop_id, shrinking):
            self.clear()
            self._of = (prop_id, shrinking)
            self._progress = Progress(
                sys.stderr,
                None if shrinking else self._max,
                terminal=True,
                shown=self._terminal,
                unit="shrink steps" if shrinking else "examples",
                label=f"{prop_id}: ",
                delay=PROGRESS_AFTER,
            )
        assert self._progress is not None
        self._progress.advance(False)

    def finish(self, outcome: Outcome) -> None:
        """A property finished: clear its progress line and print its block."""
        self.clear()
        assert self._layout is not None
        click.echo(self._layout.block(outcome))

    def clear(self) -> None:
        """Clear the progress line, if one was drawn."""
        if self._progress is not None:
            self._progress.close()
        self._progress = None
        self._of = None
