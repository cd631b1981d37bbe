"""The ``oss-rules`` command line: evaluate input files and explain conclusions."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from ._render import render_result
from .convert import Inventory, fact_to_json, read_inventory
from .engine import Engine, ParamError
from .errors import FactsError, InputError, OssRulesError, RulesetError
from .language import load, load_default
from .language import syntax as s
from .language._evaluate import ExpressionError, holds
from .language._parser import ParseError, parse_pattern
from .result import Proof, Result


class _UsageError(click.ClickException):
    """An error a user can fix; printed without a traceback, exit status 2."""

    exit_code = 2


def _engine(ruleset_path: str | None, params: Sequence[str]) -> Engine:
    try:
        ruleset = load(ruleset_path) if ruleset_path else load_default()
        return Engine(ruleset, params=dict(_param(p) for p in params))
    except (RulesetError, ParamError) as error:
        raise _UsageError(str(error)) from None
    except FileNotFoundError as error:
        raise _UsageError(str(error)) from None


def _param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise _UsageError(f"--param {text!r}: write NAME=VALUE, e.g. --param high_from=16")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def _inventory(path: str, as_of: dt.date | None) -> Inventory:
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as error:
        raise _UsageError(f"{path}: cannot read: {error.strerror}") from None
    try:
        inventory = read_inventory(text)
    except InputError as error:
        raise _UsageError(
            f"{path}:{error.line}:{error.col}: invalid JSON: "
            f"{str(error).split('invalid JSON: ', 1)[1]}"
        ) from None
    except FactsError as error:
        if as_of is None or any(e.path != "$.as_of" for e in error.errors):
            raise _UsageError(f"{path}: {error}") from None
        inventory = read_inventory({**json.loads(text), "as_of": as_of.isoformat()})
    return attrs.evolve(inventory, as_of=as_of) if as_of else inventory


def _evaluate(engine: Engine, path: str, as_of: dt.date | None) -> Result:
    inventory = _inventory(path, as_of)
    try:
        return engine.evaluate(inventory.facts, as_of=inventory.as_of)
    except OssRulesError as error:
        raise _UsageError(f"{path}: {error}") from None


_RULESET = click.option(
    "--ruleset",
    "ruleset_path",
    metavar="PATH",
    help="Ruleset directory or file (default: the shipped `oss` ruleset).",
)
_AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate as of this date (YYYY-MM-DD) instead of the file's as_of.",
)
_PARAM = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a ruleset param (VALUE is JSON, else a string). Repeatable.",
)


@click.group()
@click.version_option(package_name="oss_rules")
def main() -> None:
    """Turn hazard inventories into OSS obligations, actions and findings, with reasons."""


@main.command("evaluate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_RULESET
@_AS_OF
@_PARAM
def evaluate_command(
    files: tuple[str, ...],
    as_json: bool,
    ruleset_path: str | None,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """Evaluate each input FILE ({"as_of": ..., "facts": [...]}) and print the result."""
    engine = _engine(ruleset_path, params)
    day = as_of.date() if as_of else None
    results = [(path, _evaluate(engine, path, day)) for path in files]
    if as_json:
        data: Any = [r.to_data() for _, r in results]
        text = json.dumps(
            data[0] if len(data) == 1 else data, indent=2, sort_keys=True, ensure_ascii=False
        )
        click.echo(text)
        return
    click.echo("\n\n".join(render_result(r, path) for path, r in results))


@main.command("explain")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--conclusion",
    required=True,
    metavar="PATTERN",
    help="Which conclusions to explain, e.g. 'Obligation(module == \"OSS-II\")'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the proof trees as JSON.")
@_RULESET
@_AS_OF
@_PARAM
def explain_command(
    file: str,
    conclusion: str,
    as_json: bool,
    ruleset_path: str | None,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """Print why each conclusion matching PATTERN holds: rules, citations, facts."""
    engine = _engine(ruleset_path, params)
    result = _evaluate(engine, file, as_of.date() if as_of else None)
    pattern = _conclusion_pattern(conclusion)
    matches = [f for f in result.conclusions if _matches(pattern, f)]
    if not matches:
        same_type = [f for f in result.conclusions if type(f).__name__ == pattern.fact_type]
        hint = (
            f"; {pattern.fact_type} conclusions are: " + "; ".join(map(repr, same_type[:10]))
            if same_type
            else f"; there is no {pattern.fact_type} conclusion"
        )
        raise _UsageError(f"no conclusion matches {conclusion}{hint}")
    proofs = [result.explain(f) for f in matches]
    if as_json:
        click.echo(
            json.dumps(
                [_proof_data(p, result) for p in proofs],
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
        )
        return
    click.echo("\n\n".join(p.render() for p in proofs))


def _conclusion_pattern(text: str) -> s.Pattern:
    try:
        return parse_pattern(text, lambda line, col: s.Span("--conclusion", line, col))
    except ParseError as error:
        raise _UsageError(str(error.diagnostic)) from None


def _matches(pattern: s.Pattern, fact: Any) -> bool:
    if type(fact).__name__ != pattern.fact_type:
        return False
    for condition in pattern.conditions:
        if not isinstance(condition.left, s.Name) or not hasattr(fact, condition.left.id):
            raise _UsageError(
                f"--conclusion: {condition.span}: the left side must be a field of "
                f"{pattern.fact_type}"
            )
    fields = {name: getattr(fact, name) for name in attrs.fields_dict(type(fact))}
    try:
        return all(holds(condition, fields) for condition in pattern.conditions)
    except ExpressionError as error:
        raise _UsageError(f"--conclusion: {error}") from None


def _proof_data(proof: Proof, result: Result) -> dict[str, Any]:
    return {
        "fact": fact_to_json(proof.fact, result.registry),
        "rule": proof.rule,
        "title": proof.title,
        "citations": list(proof.citations),
        "absent": list(proof.absent),
        "premises": [_proof_data(p, result) for p in proof.premises],
    }


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
