"""Shared pieces of the ``oss-rules`` commands: options, loading, usage errors.

A ruleset is named on the command line by a shipped id (``oss``, ``id-k3``, ...) or by
a path. Several ``--ruleset`` options (or ``--all-rulesets``) evaluate the same facts
with each ruleset apart: one engine and one result per ruleset.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from ..engine._engine import BACKENDS, Engine, ParamError
from ..engine.result import Result
from ..errors import FactsError, InputError, OssRulesError, RulesetError, suggest
from ..language import Ruleset, load, load_default, shipped_rulesets
from ..model.convert import Inventory, read_inventory


class UsageError(click.ClickException):
    """An error a user can fix; printed without a traceback, exit status 2."""

    exit_code = 2


def shipped_ruleset_ids() -> tuple[str, ...]:
    """The ids of the rulesets shipped with the package (each beside its domain), sorted."""
    return tuple(shipped_rulesets())


def ruleset_location(spec: str) -> Path:
    """Where the ruleset named ``spec`` on the command line is.

    A name without ``/`` that is a shipped id means the shipped ruleset (write ``./oss``
    for a local directory of that name); anything else is a path, which must exist.
    """
    shipped = shipped_ruleset_ids()
    if "/" not in spec and spec in shipped:
        return shipped_rulesets()[spec]
    path = Path(spec)
    if path.exists():
        return path
    raise UsageError(
        f"--ruleset {spec!r}: no such ruleset: neither a path nor a shipped id"
        f"{suggest(spec, shipped)}; the shipped rulesets are: {', '.join(shipped)}"
    )


def _load(spec: str | None) -> Ruleset:
    try:
        return load(ruleset_location(spec)) if spec else load_default()
    except RulesetError as error:
        raise UsageError(str(error)) from None
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None


def build_engine(
    ruleset_path: str | None, params: Sequence[str], backend: str = "durable"
) -> Engine:
    """The engine of one ruleset (a shipped id or a path; default ``oss``) with the
    ``--param NAME=VALUE`` overrides, on ``backend``."""
    return build_engines([ruleset_path] if ruleset_path else [], False, params, backend)[0]


def build_engines(
    specs: Sequence[str], all_rulesets: bool, params: Sequence[str], backend: str = "durable"
) -> list[Engine]:
    """One engine per ruleset, in the order given (every shipped one, sorted by id, with
    ``all_rulesets``; the ``oss`` ruleset when neither is given), on ``backend``.

    ``--param NAME=VALUE`` goes to every ruleset that declares ``NAME``, and
    ``--param ID:NAME=VALUE`` to ruleset ``ID`` only. With several rulesets, a param
    that none declares is an error; with one, the engine names the unknown param.
    """
    if all_rulesets and specs:
        raise UsageError("give either --ruleset (repeatable) or --all-rulesets, not both")
    names: list[str | None] = list(shipped_ruleset_ids() if all_rulesets else specs) or [None]
    rulesets = [_load(name) for name in names]
    ids = [r.id for r in rulesets]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise UsageError(f"ruleset {', '.join(twice)} is given more than once")
    overrides: list[dict[str, Any]] = [{} for _ in rulesets]
    for text in params:
        name, value = parse_param(text)
        target, colon, short = name.partition(":")
        if colon:
            if target not in ids:
                raise UsageError(
                    f"--param {text!r}: no ruleset {target!r} in this evaluation "
                    f"(rulesets: {', '.join(ids)}){suggest(target, ids)}"
                )
            overrides[ids.index(target)][short] = value
            continue
        chosen = [i for i, ruleset in enumerate(rulesets) if name in ruleset.params]
        if not chosen and len(rulesets) > 1:
            raise UsageError(
                f"--param {text!r}: no ruleset of this evaluation ({', '.join(ids)}) has a "
                f"param {name!r}; write ID:NAME=VALUE to give it to one ruleset"
            )
        for i in chosen or [0]:
            overrides[i][name] = value
    try:
        return [
            Engine(ruleset, params=chosen, backend=backend)
            for ruleset, chosen in zip(rulesets, overrides, strict=True)
        ]
    except ParamError as error:
        raise UsageError(str(error)) from None


def parse_param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` as a name and a value (JSON when it parses, else the string)."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--param {text!r}: write NAME=VALUE, e.g. --param high_from=16")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def read_input(path: str, as_of: dt.date | None) -> Inventory:
    """The inventory in the input file at ``path``; ``as_of`` replaces the file's date."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from None
    try:
        inventory = read_inventory(text)
    except InputError as error:
        raise UsageError(
            f"{path}:{error.line}:{error.col}: invalid JSON: "
            f"{str(error).split('invalid JSON: ', 1)[1]}"
        ) from None
    except FactsError as error:
        if as_of is None or any(e.path != "$.as_of" for e in error.errors):
            raise UsageError(f"{path}: {error}") from None
        inventory = read_inventory({**json.loads(text), "as_of": as_of.isoformat()})
    return attrs.evolve(inventory, as_of=as_of) if as_of else inventory


def evaluate_file(engine: Engine, path: str, as_of: dt.date | None) -> Result:
    """Evaluate the input file at ``path`` with ``engine``; errors become usage errors."""
    return evaluate_all([engine], path, as_of)[0]


def evaluate_all(engines: Sequence[Engine], path: str, as_of: dt.date | None) -> list[Result]:
    """Evaluate the input file at ``path`` once with each engine, reading it once."""
    inventory = read_input(path, as_of)
    try:
        return [engine.evaluate(inventory.facts, as_of=inventory.as_of) for engine in engines]
    except OssRulesError as error:
        raise UsageError(f"{path}: {error}") from None


RULESET = click.option(
    "--ruleset",
    "ruleset_path",
    metavar="ID|PATH",
    help="Shipped ruleset id or ruleset directory or file (default: the shipped `oss`).",
)
RULESETS = click.option(
    "--ruleset",
    "ruleset_specs",
    multiple=True,
    metavar="ID|PATH",
    help="Shipped ruleset id or ruleset directory or file (default: `oss`). Repeatable: "
    "each ruleset evaluates the same facts on its own.",
)
ALL_RULESETS = click.option(
    "--all-rulesets",
    is_flag=True,
    help="Evaluate with every shipped ruleset, sorted by id.",
)
AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this date (YYYY-MM-DD) instead of the file's as_of.",
)
BACKEND = click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="durable",
    show_default=True,
    help="What runs the rules: durable-rules' rete, or the rules compiled to Python. "
    "Both give the same results.",
)
PARAM = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a ruleset param (VALUE is JSON, else a string). Repeatable. With several "
    "rulesets, ID:NAME=VALUE gives it to one.",
)
