"""What a change to a ruleset does: its structural edits and the conclusions that change.

:func:`diff` compares two loaded versions of a ruleset. The structure is compared part
by part (params, sources, rules, tables, rows: see :mod:`._diff_structure`); the
behaviour on a corpus of inputs, the caller's and/or ``generate`` inventories drawn
from the rulesets' own strategies (seeded: the same seed gives the same corpus). For
each conclusion type and rule it reports how many inputs gain or lose such a
conclusion, with one shrunk example input (see :mod:`._diff_semantic`).

>>> import oss_rules
>>> old = oss_rules.load_default()
>>> same = diff(old, old, generate=5)
>>> same.edits, same.changes
((), ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..engine._engine import Engine
from ..errors import suggest
from ..language import syntax as s
from ..model.convert import Inventory, fact_to_json
from ..model.registry import FactRegistry
from ..verify._judge import flow, input_json
from ._diff_semantic import ERROR, Sample, Shown, semantic_changes
from ._diff_structure import Edit, edits

__all__ = ["Change", "Edit", "RulesetDiff", "Version", "check_allow", "diff"]

DIRECTIONS = ("gained", "lost")


@attrs.frozen
class Version:
    """One side of a diff: which ruleset, and where it was read from."""

    id: str
    version: str
    digest: str
    origin: str
    """The path (or ``PATH@REV``) the ruleset was read from."""

    def __str__(self) -> str:
        return (
            f"{self.origin} ({self.id} {self.version}, {self.digest.removeprefix('sha256:')[:12]})"
        )

    def to_data(self) -> dict[str, str]:
        """The side as JSON-ready data."""
        return {
            "ruleset": self.id,
            "version": self.version,
            "digest": self.digest,
            "from": self.origin,
        }


@attrs.frozen
class Change:
    """Inputs gained (or lost) conclusions of one type by one rule; one shrunk example.

    ``kind`` is the conclusion's fact type (``error`` for an evaluation that fails in
    one version only, ``rule`` then being the error's class); ``facts`` are the
    conclusions gained or lost in ``example`` (for ``error``, the messages).
    """

    kind: str
    rule: str
    direction: str = attrs.field(validator=attrs.validators.in_(DIRECTIONS))
    inputs: int
    origin: str
    """Where the example came from: an input file, or ``generated #k``."""
    example: Inventory
    facts: tuple[Any, ...]

    @property
    def name(self) -> str:
        """``KIND:RULE``, as ``--allow`` names it."""
        return f"{self.kind}:{self.rule}"

    def allowed_by(self, allow: Sequence[str]) -> bool:
        """Whether one of ``allow`` (``KIND``, ``KIND:RULE`` or ``KIND:TABLE``) names it."""
        table = self.rule.split("#", 1)[0]
        return any(a in (self.kind, self.name, f"{self.kind}:{table}") for a in allow)


@attrs.frozen
class RulesetDiff:
    """The structural and the behavioural changes from one version of a ruleset to another."""

    old: Version
    new: Version
    edits: tuple[Edit, ...]
    changes: tuple[Change, ...]
    inputs: int
    """How many inputs the behaviour was compared on (files and generated)."""
    generated: int
    seed: int
    registry: FactRegistry = attrs.field(eq=False, repr=False)

    def unacknowledged(self, allow: Sequence[str] = ()) -> tuple[Change, ...]:
        """The changes that none of ``allow`` names."""
        return tuple(c for c in self.changes if not c.allowed_by(allow))

    def render(self, allow: Sequence[str] = ()) -> str:
        """The diff as text: the edits, a summary line per change, then each example."""
        lines = [f"old: {self.old}", f"new: {self.new}", ""]
        if self.edits:
            lines.append(f"structure: {_count(len(self.edits), 'change')}")
            lines += [f"  {edit}" for edit in self.edits]
        else:
            lines.append("structure: unchanged")
        corpus = f"{_count(self.inputs, 'input')}"
        if self.generated:
            corpus += f" ({self.generated} generated, seed {self.seed})"
        lines.append("")
        if not self.changes:
            lines.append(f"conclusions: unchanged on {corpus}")
            return "\n".join(lines)
        lines.append(f"conclusions on {corpus}:")
        width = max(len(c.name) for c in self.changes)
        for change in self.changes:
            mark = "  (allowed)" if change.allowed_by(allow) else ""
            lines.append(
                f"  {change.name:<{width}}  {change.direction} by {change.inputs} "
                f"input{'s' if change.inputs != 1 else ''}{mark}"
            )
        for change in self.changes:
            lines += ["", *self._example(change)]
        open_ = self.unacknowledged(allow)
        lines.append("")
        if open_:
            lines.append(
                f"{_count(len(open_), 'change')} of conclusions not acknowledged "
                f"(acknowledge with --allow KIND or --allow KIND:RULE)"
            )
        else:
            lines.append(f"every change is acknowledged ({_count(len(self.changes), 'change')})")
        return "\n".join(lines)

    def _example(self, change: Change) -> list[str]:
        facts = change.example.facts
        lines = [
            f"{change.name} {change.direction}, e.g. {change.origin} shrunk to "
            f"{_count(len(facts), 'fact')}, as of {change.example.as_of.isoformat()}:"
        ]
        lines += [f"    {flow(input_json(f, self.registry))}" for f in facts]
        sign = "+" if change.direction == "gained" else "-"
        lines += [f"  {sign} {_show(change.kind, f)}" for f in change.facts]
        return lines

    def to_data(self, allow: Sequence[str] = ()) -> dict[str, Any]:
        """The diff as JSON-ready data."""
        return {
            "old": self.old.to_data(),
            "new": self.new.to_data(),
            "structure": [edit.to_data() for edit in self.edits],
            "corpus": {"inputs": self.inputs, "generated": self.generated, "seed": self.seed},
            "changes": [
                {
                    "kind": c.kind,
                    "rule": c.rule,
                    "direction": c.direction,
                    "inputs": c.inputs,
                    "allowed": c.allowed_by(allow),
                    "example": {
                        "from": c.origin,
                        "as_of": c.example.as_of.isoformat(),
                        "given": [input_json(f, self.registry) for f in c.example.facts],
                        c.direction: [
                            f if c.kind == ERROR else fact_to_json(f, self.registry)
                            for f in c.facts
                        ],
                    },
                }
                for c in self.changes
            ],
            "unacknowledged": len(self.unacknowledged(allow)),
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _show(kind: str, fact: Any) -> str:
    from ..model._fields import show_fact

    return str(fact) if kind == ERROR else show_fact(fact)


def check_allow(allow: Sequence[str], registry: FactRegistry) -> None:
    """Raise ``ValueError`` for an ``--allow`` entry whose kind is no fact type."""
    kinds = [*registry.names(), ERROR]
    for entry in allow:
        kind = entry.split(":", 1)[0]
        if kind not in kinds:
            raise ValueError(
                f"--allow {entry}: {kind!r} is no conclusion type{suggest(kind, kinds)} "
                "(write KIND or KIND:RULE, e.g. Finding or Finding:missing-module)"
            )


def diff(
    old: s.Ruleset,
    new: s.Ruleset,
    inputs: Mapping[str, Inventory] | None = None,
    *,
    generate: int = 0,
    seed: int = 0,
    origins: tuple[str, str] | None = None,
    backend: str = "durable",
) -> RulesetDiff:
    """Compare ``old`` with ``new``: structure, and conclusions on a corpus.

    The corpus is ``inputs`` (label -> inventory, in order) followed by ``generate``
    inventories drawn from both versions' strategies with ``seed`` (this needs
    hypothesis, the ``testing`` extra). ``origins`` names where each version was read
    from (default: their paths).
    """
    old_engine = Engine(old, backend=backend)
    new_engine = Engine(new, backend=backend)
    corpus = [Sample(label, inventory) for label, inventory in (inputs or {}).items()]
    if generate:
        from ..verify._sample import sample

        drawn = sample([(old, old_engine.params), (new, new_engine.params)], generate, seed)
        corpus += [Sample(f"generated #{i}", inv) for i, inv in enumerate(drawn, 1)]
    shown = semantic_changes(old_engine, new_engine, corpus)
    old_origin, new_origin = origins or (old.path, new.path)
    return RulesetDiff(
        Version(old.id, old.version, old.digest, old_origin),
        Version(new.id, new.version, new.digest, new_origin),
        edits(old, new),
        tuple(_change(item) for item in shown),
        len(corpus),
        len(corpus) - len(inputs or {}),
        seed,
        old.registry,
    )


def _change(item: Shown) -> Change:
    kind, rule, direction = item.key
    return Change(kind, rule, direction, item.count, item.label, item.example, item.facts)
