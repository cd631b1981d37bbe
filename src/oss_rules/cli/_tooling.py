"""The policy author's tooling commands: ``oss-rules check``, ``schema`` and ``fmt``."""

from __future__ import annotations

import difflib
import json

import click

from ..authoring.check import check_paths, rulesets_under
from ..authoring.fmt import format_text
from ..batch import CsvLayout
from ..errors import OssRulesError, RulesetError
from ..language._loader import ruleset_files
from ..model._text import read_text
from ..model.domain import shipped_registry
from ..model.schema import input_schema, result_schema
from ._common import UsageError, write_output

__all__ = ["check_command", "fmt_command", "schema_command"]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json is for editors and CI.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check_command(paths: tuple[str, ...], output_format: str, strict: bool) -> None:
    """Check the rulesets at PATH without facts (default: the shipped rulesets).

    PATH is a ruleset directory, a single-file ruleset, or a directory of rulesets.
    Prints each problem as file:line:col: CODE: message, with the line and a hint.
    Exits 1 when there is an error (or, with --strict, a warning).
    """
    report = check_paths(paths)
    if output_format == "json":
        click.echo(json.dumps(report.to_data(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.render())
    if report.errors or (strict and report.warnings):
        raise SystemExit(1)


@click.command("schema")
@click.option(
    "--result",
    "of_result",
    is_flag=True,
    help="The schema of the JSON result (`evaluate --json`) instead of the input.",
)
@click.option(
    "--csv",
    "of_csv",
    is_flag=True,
    help="The header row of a CSV hazard inventory (`evaluate FILE.csv`) instead.",
)
def schema_command(of_result: bool, of_csv: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of input documents, or of results.

    Generated from the registered fact types: each fact type is one branch of a
    oneOf, with its allowed values, ranges, dates and nullable fields. With --csv,
    print the columns of a CSV hazard inventory instead (see docs/batch.md).
    """
    if of_result and of_csv:
        raise UsageError("give --result or --csv, not both")
    if of_csv:
        click.echo(",".join(CsvLayout.of(shipped_registry()).header()))
        return
    schema = result_schema() if of_result else input_schema()
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; list the files that are not formatted and exit 1 if any.",
)
@click.option("--diff", "show_diff", is_flag=True, help="Print what would change; change nothing.")
def fmt_command(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Format the ruleset files at PATH in canonical form (default: the shipped rulesets).

    Keys in a fixed order (header: ruleset, version, title, description, sources,
    params, properties, rules, tables; rule: id, title, description, cite, when,
    then; table: id, title, description, cite, hit, when, inputs, outputs, then,
    rows), fixed indentation, long when/then items wrapped at 88 columns, table
    rows aligned. Comments are kept.
    """
    files = [f for path in rulesets_under(paths) for f in ruleset_files(path)]
    changed = []
    problems = []
    for file in files:
        if file.suffix not in (".yaml", ".yml"):
            problems.append(f"{file}: not a ruleset file (a .yaml file); fmt left it unchanged")
            continue
        try:
            before = read_text(file)
            after = format_text(before, str(file))
        except RulesetError as error:
            problems.append(str(error.diagnostics[0]))
            continue
        except OssRulesError as error:
            problems.append(str(error))
            continue
        if after == before:
            continue
        changed.append(file)
        if show_diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        before.splitlines(keepends=True),
                        after.splitlines(keepends=True),
                        f"{file} (now)",
                        f"{file} (formatted)",
                    )
                ),
                nl=False,
            )
        elif check_only:
            click.echo(f"would reformat {file}")
        else:
            write_output(str(file), after)
            click.echo(f"reformatted {file}")
    if problems:
        raise UsageError("\n".join(problems))
    if not changed:
        click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} already formatted")
    elif check_only:
        raise SystemExit(1)
