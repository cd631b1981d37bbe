"""Shared pieces of the ``oss-rules`` commands: options, loading, usage errors.

A ruleset is named on the command line by a shipped id (``oss``, ``id-k3``, ...) or by
a path. Several ``--ruleset`` options (or ``--all-rulesets``) evaluate the same facts
with each ruleset apart: one engine and one result per ruleset.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from ..engine._engine import BACKENDS, DEFAULT_MAX_FACTS, Engine
from ..engine.result import Result
from ..errors import (
    FactsError,
    FileError,
    InputError,
    OssRulesError,
    ParamError,
    RulesetError,
    suggest,
)
from ..language import Ruleset, load, load_default, shipped_rulesets
from ..model._json import loads
from ..model._text import read_text
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
    if spec is not None and not spec.strip():
        raise UsageError(
            f"--ruleset {spec!r}: empty; give a shipped id ({', '.join(shipped_ruleset_ids())}) "
            "or a path, or leave the option out for the default"
        )
    try:
        return load(ruleset_location(spec)) if spec is not None else load_default()
    except RulesetError as error:
        raise UsageError(str(error)) from None


def build_engine(
    ruleset_path: str | None, params: Sequence[str], backend: str = "durable"
) -> Engine:
    """The engine of one ruleset (a shipped id or a path; default ``oss``) with the
    ``--param NAME=VALUE`` overrides, on ``backend``."""
    return build_engines(
        [ruleset_path] if ruleset_path is not None else [], False, params, backend
    )[0]


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
            Engine(ruleset, params=chosen, max_facts=max_facts(), backend=backend)
            for ruleset, chosen in zip(rulesets, overrides, strict=True)
        ]
    except ParamError as error:
        raise UsageError(str(error)) from None


def max_facts() -> int:
    """The ``--max-facts`` given before the command (``oss-rules --max-facts N ...``), or
    the engine's default."""
    context = click.get_current_context(silent=True)
    chosen = context.find_root().params.get("max_facts") if context else None
    return int(chosen) if chosen else DEFAULT_MAX_FACTS


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Input files larger than this are refused before they are read: at about 30 KB of
memory per fact, one evaluation of such a file would need tens of gigabytes."""


def parse_param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` as a name and a value (JSON when it parses, else the string)."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--param {text!r}: write NAME=VALUE, e.g. --param high_from=16")
    try:
        # Strict JSON: NaN and Infinity are not numbers, so they stay strings here and
        # the engine refuses them as the wrong type for a number param.
        return name, loads(raw, f"--param {name}")
    except InputError:
        return name, raw


def read_input(path: str, as_of: dt.date | None) -> Inventory:
    """The inventory in the input file at ``path``; ``as_of`` replaces the file's date."""
    try:
        size = Path(path).stat().st_size if Path(path).is_file() else 0
        if size > MAX_INPUT_BYTES:
            raise UsageError(
                f"{path}: {size} bytes, more than {MAX_INPUT_BYTES} for one evaluation; "
                "split it into smaller inputs (one per workplace) and evaluate each"
            )
        data = loads(read_text(path), path)
        try:
            inventory = read_inventory(data)
        except FactsError as error:
            if as_of is None or any(e.path != "$.as_of" for e in error.errors):
                raise
            # The same data (exact decimals), with the date of --as-of.
            inventory = read_inventory({**data, "as_of": as_of.isoformat()})
    except InputError as error:
        raise UsageError(str(error)) from None
    except FileError as error:
        raise UsageError(f"{error.path}: {error.message}") from None
    except FactsError as error:
        raise UsageError(f"{path}: {error}") from None
    return attrs.evolve(inventory, as_of=as_of) if as_of else inventory


def write_output(target: str, text: str, inputs: Sequence[str] = ()) -> None:
    """Write ``text`` to the file ``target`` atomically, refusing to overwrite an input.

    The text goes to a temporary file in the same directory, which then replaces
    ``target`` in one step (``os.replace``): an interrupted or failing command leaves
    the old file whole, never a truncated one. ``target`` may not be one of ``inputs``
    (compared as resolved paths and by identity, so links are caught too).
    """
    path = Path(target)
    for source in inputs:
        if _same_file(path, Path(source)):
            raise UsageError(
                f"{target}: this is also an input file ({source}); write the output elsewhere"
            )
    if path.is_symlink():
        # Replace the file the link points at, not the link.
        path = path.resolve()
    if path.is_dir():
        raise UsageError(f"{target}: is a directory; give the name of a file to write")
    if not path.parent.is_dir():
        raise UsageError(f"{target}: cannot write: directory {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise UsageError(f"{target}: cannot write: {error.strerror}") from None
    try:
        # newline="" keeps "\n" line ends on every platform: the same bytes everywhere.
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UsageError(f"{target}: cannot write: {error.strerror}") from None
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def evaluate_file(engine: Engine, path: str, as_of: dt.date | None) -> Result:
    """Evaluate the input file at ``path`` with ``engine``; errors become usage errors."""
    return evaluate_all([engine], path, as_of)[0]


def evaluate_all(engines: Sequence[Engine], path: str, as_of: dt.date | None) -> list[Result]:
    """Evaluate the input file at ``path`` once with each engine, reading it once.

    With several rulesets, each is given the facts of the types its domains hold (a file
    may carry K3 measurements beside payroll months); a fact no ruleset uses is an error,
    never dropped.
    """
    inventory = read_input(path, as_of)
    facts: list[tuple[Any, ...]] = [inventory.facts for _ in engines]
    if len(engines) > 1:
        registries = [engine.ruleset.registry for engine in engines]
        facts = [tuple(f for f in inventory.facts if r.holds(type(f))) for r in registries]
        for i, fact in enumerate(inventory.facts):
            if not any(r.holds(type(fact)) for r in registries):
                ids = ", ".join(engine.ruleset.id for engine in engines)
                raise UsageError(
                    f"{path}: $.facts[{i}]: no ruleset evaluated ({ids}) uses "
                    f"{type(fact).__name__} facts; add a ruleset of its domain"
                )
    try:
        return [
            engine.evaluate(given, as_of=inventory.as_of)
            for engine, given in zip(engines, facts, strict=True)
        ]
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


def json_flag(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--json`` flag (parameter ``as_json``) of a command that prints ``what``."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as JSON.")


PARAM = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a ruleset param (VALUE is JSON, else a string). Repeatable. With several "
    "rulesets, ID:NAME=VALUE gives it to one.",
)
