"""Shared pieces of the ``oss-rules`` commands: options, loading, usage errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from .convert import Inventory, read_inventory
from .engine import Engine, ParamError
from .errors import FactsError, InputError, OssRulesError, RulesetError
from .language import load, load_default
from .result import Result


class UsageError(click.ClickException):
    """An error a user can fix; printed without a traceback, exit status 2."""

    exit_code = 2


def build_engine(ruleset_path: str | None, params: Sequence[str]) -> Engine:
    try:
        ruleset = load(ruleset_path) if ruleset_path else load_default()
        return Engine(ruleset, params=dict(parse_param(p) for p in params))
    except (RulesetError, ParamError) as error:
        raise UsageError(str(error)) from None
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None


def parse_param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--param {text!r}: write NAME=VALUE, e.g. --param high_from=16")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def read_input(path: str, as_of: dt.date | None) -> Inventory:
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
    inventory = read_input(path, as_of)
    try:
        return engine.evaluate(inventory.facts, as_of=inventory.as_of)
    except OssRulesError as error:
        raise UsageError(f"{path}: {error}") from None


RULESET = click.option(
    "--ruleset",
    "ruleset_path",
    metavar="PATH",
    help="Ruleset directory or file (default: the shipped `oss` ruleset).",
)
AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this date (YYYY-MM-DD) instead of the file's as_of.",
)
PARAM = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a ruleset param (VALUE is JSON, else a string). Repeatable.",
)
