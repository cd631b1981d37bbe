"""The ``oss-rules diff`` command: what a change to a ruleset does to its conclusions."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from ..authoring._revisions import checkout, split_revision
from ..authoring.diff import RulesetDiff, check_allow, diff
from ..errors import ParamError, RevisionError, RulesetError
from ..language import Ruleset, load, shipped_rulesets
from ..model.convert import Inventory
from ._common import BACKEND, UsageError, json_flag, read_input, ruleset_location

__all__ = ["diff_command"]

DEFAULT_GENERATE = 100
"""Inventories generated when no input file is given."""


def _version(spec: str, scratch: Path) -> Ruleset:
    """The ruleset named ``spec``: a shipped id or a path, optionally ``@REV`` (git)."""
    path, rev = split_revision(spec)
    # At a revision the path need not exist any more in the working tree.
    shipped = shipped_rulesets()
    if rev is None:
        location = ruleset_location(path)
    else:
        location = shipped[path] if "/" not in path and path in shipped else Path(path)
    try:
        if rev is not None:
            into = scratch / str(len(list(scratch.iterdir())))
            into.mkdir()
            location = checkout(str(location), rev, into)
        return load(location)
    except RevisionError as error:
        raise UsageError(str(error)) from None
    except RulesetError as error:
        raise UsageError(f"{spec}: {error}") from None


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--generate",
    type=click.IntRange(0),
    metavar="N",
    help=f"Add N inventories generated from both versions' strategies "
    f"(default {DEFAULT_GENERATE} without FILES, else 0).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of --generate; the same seed gives the same inventories.",
)
@click.option(
    "--allow",
    multiple=True,
    metavar="KIND[:RULE]",
    help="Acknowledge the changes of conclusions of this type (by this rule or table): "
    "they no longer make the exit status 1. Repeatable.",
)
@json_flag("the diff")
@BACKEND
def diff_command(
    old: str,
    new: str,
    files: tuple[str, ...],
    generate: int | None,
    seed: int,
    allow: tuple[str, ...],
    as_json: bool,
    backend: str,
) -> None:
    """Compare two versions of a ruleset: what changed in it, and in its conclusions.

    OLD and NEW are ruleset directories (or shipped ids), each optionally at a git
    revision: rulesets/oss@HEAD~1. The conclusions are compared on the input FILEs and
    on --generate N inventories; for each conclusion type and rule, the report says how
    many inputs gain or lose one, with a minimal example input. Exits 1 when a
    conclusion changes that no --allow names, 0 otherwise, 2 for bad input.
    """
    count = generate if generate is not None else (0 if files else DEFAULT_GENERATE)
    with tempfile.TemporaryDirectory(prefix="oss-rules-diff-") as scratch:
        before = _version(old, Path(scratch))
        after = _version(new, Path(scratch))
        try:
            check_allow(allow, after.registry)
        except ValueError as error:
            raise UsageError(str(error)) from None
        inputs: dict[str, Inventory] = {path: read_input(path, None) for path in files}
        report = _compare(before, after, inputs, count, seed, (old, new), backend)
    if as_json:
        click.echo(json.dumps(report.to_data(allow), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(report.render(allow))
    if report.unacknowledged(allow):
        raise SystemExit(1)


def _compare(
    before: Ruleset,
    after: Ruleset,
    inputs: dict[str, Inventory],
    count: int,
    seed: int,
    origins: tuple[str, str],
    backend: str,
) -> RulesetDiff:
    try:
        return diff(
            before, after, inputs, generate=count, seed=seed, origins=origins, backend=backend
        )
    except ParamError as error:
        raise UsageError(str(error)) from None
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("hypothesis"):
            raise
        raise UsageError(
            "--generate needs hypothesis: pip install 'oss_rules[testing]' "
            "(or give input FILES and --generate 0)"
        ) from None
