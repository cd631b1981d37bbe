"""The rule language: load YAML rulesets into checked syntax trees.

>>> ruleset = load_default()
>>> ruleset.id
'oss'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs

from ..errors import ArgumentError, Diagnostic, DomainError, RulesetError, suggest
from ..model.domain import SHIPPED, covered_by, registry_for
from ..model.domain import shipped_rulesets as _shipped
from ..model.registry import FactRegistry
from . import syntax
from ._cache import load_cached
from ._files import digest, missing
from .syntax import Ruleset

__all__ = ["Ruleset", "load", "load_default", "shipped_rulesets", "syntax"]

DEFAULT_RULESET = "oss"


def load(path: str | os.PathLike[str], *, registry: FactRegistry | None = None) -> Ruleset[Any]:
    """Load and check the ruleset at ``path`` (a directory with ruleset.yaml, or one file).

    The fact types it may name are those of the domains its header declares
    (``domains: [oss]``; every shipped domain when it declares none), or exactly those of
    ``registry`` when one is given.

    Raises :class:`~oss_rules.errors.RulesetError` listing every problem with
    file:line:col and a hint (OSS002 for a path that does not exist). A ruleset whose
    files are unchanged since it was last loaded comes from an on-disk cache (see
    ``docs/architecture.md``).
    """
    if not isinstance(path, str | os.PathLike):
        expected = "a path (str or os.PathLike) of a ruleset directory or file"
        raise ArgumentError("load", "path", path, expected)
    root = Path(path)
    if not root.exists():
        raise RulesetError([missing(root, shipped_rulesets())])
    return load_cached(root, registry, lambda: _load_files(root, registry))


def _load_files(root: Path, registry: FactRegistry | None) -> Ruleset[Any]:
    # Imported here: ruamel.yaml and lark are slow to import, and a cached load needs neither.
    from ._check import check
    from ._labels import check_labels, titles_of
    from ._loader import read
    from ._positions import _Collector
    from ._table_reader import read_tables

    out = _Collector()
    raw, files = read(root, out)
    # A ruleset that declares no domain sees every shipped one, unless the app gives the
    # registry: then it sees exactly the app's types, and uses the domains they cover.
    if raw.domains is not None:
        declared = raw.domains
    else:
        declared = SHIPPED if registry is None else covered_by(registry)
    if registry is None:
        try:
            registry = registry_for(declared)
        except DomainError as error:
            out.add(raw.domains_span, "OSS018", str(error), "declare a domain that is installed")
            registry = FactRegistry()
    read_tables(raw, registry, out)
    check_labels(raw.labels, registry, [*raw.rules, *raw.tables], out)
    strata = check(raw, registry, out) if not out.diagnostics else []
    order = {str(f): i for i, f in enumerate(files)}
    if out.diagnostics:
        # The alternatives of a rule with `or` share patterns: a mistake in one is
        # found once per alternative and reported once.
        unique = dict.fromkeys(out.diagnostics)
        located = sorted(unique, key=lambda d: (order.get(d.file, -1), d.line, d.col))
        raise RulesetError([_with_source_line(d) for d in located])

    # Rules in the order they are written, the rows of a table where the table stands.
    # A stable sort by the same key keeps each stratum in the order of ``rules``.
    def place(rule: syntax.Rule) -> tuple[int, int]:
        return order.get(rule.span.file, -1), rule.span.line

    rules = sorted(raw.rules, key=place)
    params: dict[str, Any] = dict(raw.params)
    ruleset = Ruleset(
        id=raw.id,
        version=raw.version,
        title=raw.title,
        domains=tuple(declared),
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
        internal=frozenset(raw.labels.internal),
        titles=titles_of(raw.labels),
        strata=tuple(tuple(sorted(stratum, key=place)) for stratum in strata),
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


def shipped_rulesets() -> dict[str, Path]:
    """The rulesets shipped with the package, each beside its domain: id -> directory."""
    return _shipped()


def load_default(
    name: str = DEFAULT_RULESET, *, registry: FactRegistry | None = None
) -> Ruleset[Any]:
    """Load a ruleset shipped with the package (``oss`` by default), from any directory."""
    shipped = shipped_rulesets()
    if name not in shipped:
        message = f"no shipped ruleset {name!r}{suggest(name, shipped)}"
        hint = f"shipped rulesets: {', '.join(shipped)}; or load a directory with load()"
        raise RulesetError([Diagnostic(name, 1, 1, "OSS002", message, hint)])
    return load(shipped[name], registry=registry)
