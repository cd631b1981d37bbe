"""The rule language: load YAML rulesets into checked syntax trees.

>>> ruleset = load_default()
>>> ruleset.id
'oss'
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..errors import Diagnostic, RulesetError
from ..model.registry import FactRegistry, shipped_registry
from . import syntax
from ._check import check
from ._loader import digest, read
from ._positions import _Collector
from ._table_reader import read_tables
from .syntax import Ruleset

__all__ = ["Ruleset", "load", "load_default", "syntax"]

DEFAULT_RULESET = "oss"


def load(path: str | os.PathLike[str], *, registry: FactRegistry | None = None) -> Ruleset:
    """Load and check the ruleset at ``path`` (a directory with ruleset.yaml, or one file).

    Raises :class:`~oss_rules.errors.RulesetError` listing every problem with
    file:line:col and a hint.
    """
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no ruleset at {str(root)!r}")
    registry = registry if registry is not None else shipped_registry()
    out = _Collector()
    raw, files = read(root, out)
    read_tables(raw, registry, out)
    if not out.diagnostics:
        check(raw, registry, out)
    order = {str(f): i for i, f in enumerate(files)}
    if out.diagnostics:
        located = sorted(out.diagnostics, key=lambda d: (order.get(d.file, -1), d.line, d.col))
        raise RulesetError([_with_source_line(d) for d in located])
    # Rules in the order they are written, the rows of a table where the table stands.
    rules = sorted(raw.rules, key=lambda r: (order.get(r.span.file, -1), r.span.line))
    params: dict[str, Any] = dict(raw.params)
    ruleset = Ruleset(
        id=raw.id,
        version=raw.version,
        title=raw.title,
        sources=dict(raw.sources),
        params=params,
        rules=tuple(rules),
        digest=digest(files, root if root.is_dir() else root.parent),
        path=str(root),
        registry=registry,
        param_spans=dict(raw.param_spans),
        source_spans=dict(raw.source_spans),
        tables=tuple(raw.tables),
        properties=raw.properties,
    )
    return ruleset


def _with_source_line(diagnostic: Diagnostic) -> Diagnostic:
    """Show the offending line of the file when the diagnostic has no text of its own."""
    if diagnostic.text:
        return diagnostic
    try:
        lines = Path(diagnostic.file).read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return diagnostic
    if not 0 < diagnostic.line <= len(lines):
        return diagnostic
    return attrs.evolve(diagnostic, text=lines[diagnostic.line - 1].strip())


def shipped_rulesets() -> Path:
    """The directory of the rulesets shipped inside the package."""
    return Path(str(resources.files("oss_rules").joinpath("rulesets")))


def load_default(name: str = DEFAULT_RULESET, *, registry: FactRegistry | None = None) -> Ruleset:
    """Load a ruleset shipped with the package (``oss`` by default), from any directory."""
    return load(shipped_rulesets() / name, registry=registry)
