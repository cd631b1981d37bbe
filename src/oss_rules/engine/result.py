"""The result of an evaluation: conclusions by kind, the trace, proofs, and JSON.

Everything is sorted canonically, so the same facts give the same ``to_json()`` bytes
whatever their order and whichever thread evaluated them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..model._fields import KIND_KEY, Month, Optional, canonical_number
from ..model.convert import fact_from_json, fact_to_json, sort_key
from ..model.registry import FactRegistry, shipped_registry

__all__ = ["GROUPS", "Inference", "Proof", "Result", "RulesetInfo"]

GROUPS: Mapping[str, str] = {
    "Classification": "classifications",
    "Obligation": "obligations",
    "Action": "actions",
    "Finding": "findings",
    "Deadline": "deadlines",
}
"""Derived types that a Result lists under their own key; others go to ``derived``."""


@attrs.frozen
class RulesetInfo:
    """Which rules decided: id, version, the sha256 of the ruleset's files, and the
    params the engine overrode (name to value, as JSON), so an audit sees both."""

    id: str
    version: str
    digest: str
    overrides: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Inference:
    """One application of a rule: these premises (and these absences) gave this fact."""

    fact: Any
    rule: str
    premises: tuple[Any, ...]
    absent: tuple[str, ...] = ()


@attrs.frozen
class Proof:
    """Why a fact holds: the rule that derived it and the proofs of its premises.

    ``rule`` is ``None`` for a fact that was given as input.
    """

    fact: Any
    rule: str | None
    title: str
    citations: tuple[str, ...]
    premises: tuple[Proof, ...]
    absent: tuple[str, ...]

    def render(self, indent: str = "") -> str:
        """The proof as an indented text tree."""
        head = show_fact(self.fact)
        if self.rule is None:
            return f"{indent}{head}  [given]"
        lines = [f"{indent}{head}", f"{indent}  by rule {self.rule}: {self.title}"]
        lines += [f"{indent}  cites {c}" for c in self.citations]
        lines += [f"{indent}  because {a}" for a in self.absent]
        lines += [p.render(indent + "    ") for p in self.premises]
        return "\n".join(lines)


def show_fact(fact: Any) -> str:
    """``Type(field=value, ...)`` without the fields that are unknown or empty."""
    fields = ", ".join(
        f"{a.name}={_value(getattr(fact, a.name), a.metadata.get(KIND_KEY))}"
        for a in attrs.fields(type(fact))
        if getattr(fact, a.name) not in (None, "", ())
    )
    return f"{type(fact).__name__}({fields})"


def _value(value: Any, kind: Any = None) -> str:
    if isinstance(kind, Optional):
        kind = kind.inner
    if isinstance(kind, Month):
        return str(kind.to_json(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(canonical_number(value))
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value)


def show_value(value: Any) -> str:
    """One value as facts print it: ``'medium'``, ``2026-06-30``, ``0.24``, ``['OSS-I']``."""
    return _value(value)


@attrs.frozen
class RuleInfo:
    """Title and citations of a rule, as a Result carries them."""

    title: str
    cite: tuple[str, ...]


@attrs.frozen
class Result:
    """What a ruleset concluded about some facts as of a date, and why."""

    ruleset: RulesetInfo
    as_of: dt.date
    given: tuple[Any, ...]
    classifications: tuple[Any, ...]
    obligations: tuple[Any, ...]
    actions: tuple[Any, ...]
    findings: tuple[Any, ...]
    deadlines: tuple[Any, ...]
    derived: tuple[Any, ...]
    trace: tuple[Inference, ...]
    rules: Mapping[str, RuleInfo]
    sources: Mapping[str, str]
    registry: FactRegistry = attrs.field(eq=False, repr=False)

    @property
    def conclusions(self) -> tuple[Any, ...]:
        """Every derived fact, in canonical order."""
        return (
            self.classifications
            + self.obligations
            + self.actions
            + self.findings
            + self.deadlines
            + self.derived
        )

    def explain(self, conclusion: Any) -> Proof:
        """The proof tree of ``conclusion`` (a derived or given fact of this result).

        Among several derivations the shallowest is shown, so a proof never loops.
        """
        by_fact: dict[Any, list[Inference]] = defaultdict(list)
        for inference in self.trace:
            by_fact[inference.fact].append(inference)
        if conclusion not in by_fact and conclusion not in set(self.given):
            raise KeyError(f"{show_fact(conclusion)} is not a fact of this result")
        depth = _depths(self.given, self.trace)
        return self._proof(conclusion, by_fact, depth, root=True)

    def _proof(
        self,
        fact: Any,
        by_fact: Mapping[Any, list[Inference]],
        depth: Mapping[Any, int],
        root: bool = False,
    ) -> Proof:
        options = by_fact.get(fact)
        # A given fact is a leaf, except at the root: a conclusion that was also given
        # is explained by the rule that derived it.
        if not options or (depth.get(fact) == 0 and not root):
            return Proof(fact, None, "given", (), (), ())
        best = min(options, key=lambda i: max((depth[p] for p in i.premises), default=0))
        info = self.rules.get(best.rule, RuleInfo(best.rule, ()))
        citations = tuple(f"{c}: {self.sources.get(c, '?')}" for c in info.cite)
        premises = tuple(self._proof(p, by_fact, depth) for p in best.premises)
        return Proof(fact, best.rule, info.title, citations, premises, best.absent)

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-ready data (see :meth:`to_json`)."""
        reg = self.registry
        data: dict[str, Any] = {
            "ruleset": {**attrs.asdict(self.ruleset), "overrides": dict(self.ruleset.overrides)},
            "as_of": self.as_of.isoformat(),
        }
        for type_name, key in GROUPS.items():
            data[key] = [fact_to_json(f, reg, typed=False) for f in getattr(self, key)]
            del type_name
        data["derived"] = [fact_to_json(f, reg) for f in self.derived]
        data["given"] = [fact_to_json(f, reg) for f in self.given]
        data["trace"] = [
            {
                "fact": fact_to_json(i.fact, reg),
                "rule": i.rule,
                "premises": [fact_to_json(p, reg) for p in i.premises],
                "absent": list(i.absent),
            }
            for i in self.trace
        ]
        data["rules"] = {
            k: {"title": v.title, "cite": list(v.cite)} for k, v in sorted(self.rules.items())
        }
        data["sources"] = dict(sorted(self.sources.items()))
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: same result, same bytes."""
        return json.dumps(self.to_data(), indent=indent, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, registry: FactRegistry | None = None) -> Result:
        """Read back what :meth:`to_json` wrote."""
        reg = registry if registry is not None else shipped_registry()
        data = json.loads(text)

        def typed(item: Mapping[str, Any]) -> Any:
            return fact_from_json(item, reg)

        groups = {
            key: tuple(fact_from_json({"type": name, **item}, reg) for item in data[key])
            for name, key in GROUPS.items()
        }
        return cls(
            ruleset=RulesetInfo(**data["ruleset"]),
            as_of=dt.date.fromisoformat(data["as_of"]),
            given=tuple(typed(f) for f in data["given"]),
            derived=tuple(typed(f) for f in data["derived"]),
            trace=tuple(
                Inference(
                    typed(t["fact"]),
                    t["rule"],
                    tuple(typed(p) for p in t["premises"]),
                    tuple(t["absent"]),
                )
                for t in data["trace"]
            ),
            rules={k: RuleInfo(v["title"], tuple(v["cite"])) for k, v in data["rules"].items()},
            sources=dict(data["sources"]),
            registry=reg,
            **groups,
        )


def _depths(given: tuple[Any, ...], trace: tuple[Inference, ...]) -> dict[Any, int]:
    """Length of the shortest derivation of each fact (given facts: 0)."""
    depth: dict[Any, int] = dict.fromkeys(given, 0)
    changed = True
    while changed:
        changed = False
        for inference in trace:
            if not all(p in depth for p in inference.premises):
                continue
            d = 1 + max((depth[p] for p in inference.premises), default=0)
            if d < depth.get(inference.fact, d + 1):
                depth[inference.fact] = d
                changed = True
    return depth


def build(
    *,
    ruleset: RulesetInfo,
    as_of: dt.date,
    given: list[Any],
    derived: list[Any],
    trace: list[Inference],
    rules: Mapping[str, RuleInfo],
    sources: Mapping[str, str],
    registry: FactRegistry,
) -> Result:
    """Assemble a Result with every collection in canonical order."""

    # A fact is sorted with the others of its group and again as a premise in the trace:
    # its key is computed once (by identity: every fact here is alive until we return).
    keys: dict[int, Any] = {}

    def key(fact: Any) -> Any:
        found = keys.get(id(fact))
        if found is None:
            found = keys[id(fact)] = sort_key(fact, registry)
        return found

    groups: dict[str, list[Any]] = {k: [] for k in GROUPS.values()}
    others: list[Any] = []
    for fact in derived:
        group = GROUPS.get(type(fact).__name__)
        (groups[group] if group else others).append(fact)
    ordered_trace = sorted(
        trace, key=lambda i: (key(i.fact), i.rule, [key(p) for p in i.premises], i.absent)
    )
    cited = {c for info in rules.values() for c in info.cite}
    return Result(
        ruleset=ruleset,
        as_of=as_of,
        given=tuple(sorted(given, key=key)),
        derived=tuple(sorted(others, key=key)),
        trace=tuple(ordered_trace),
        rules=dict(rules),
        sources={k: v for k, v in sources.items() if k in cited},
        registry=registry,
        **{k: tuple(sorted(v, key=key)) for k, v in groups.items()},
    )
