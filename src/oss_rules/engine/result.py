"""The result of an evaluation: conclusions by kind, the trace, proofs, and JSON.

The trace's records and the proofs made of them live in :mod:`oss_rules.engine._proof`
(re-exported here); this module holds what a result is and its JSON form.

Everything is sorted canonically, so the same facts give the same ``to_json()`` bytes
whatever their order and whichever thread evaluated them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, ClassVar, TextIO, TypeVar

import attrs

from ..model import _fields
from ..model._json import dump
from ..model.convert import fact_from_json, fact_to_json
from ..model.domain import SHIPPED, registry_for, result_class
from ..model.registry import FactRegistry
from ._canonical import canonical_order
from ._proof import Inference, Proof, proof_index, prove
from ._proof import RuleInfo as RuleInfo  # not in __all__, but engine and tests build them

__all__ = ["Inference", "Proof", "Result", "RulesetInfo"]

T = TypeVar("T")
R = TypeVar("R", bound="Result")


@attrs.frozen
class RulesetInfo:
    """Which rules decided: id, version, the sha256 of the ruleset's files, and the
    params the engine overrode (name to value, as JSON), so an audit sees both."""

    id: str
    version: str
    digest: str
    overrides: Mapping[str, Any] = attrs.field(factory=dict)
    domains: tuple[str, ...] = ()
    """The domains whose fact types the ruleset uses."""
    internal: tuple[str, ...] = ()
    """The derived types that are only steps of a proof (the ruleset's ``internal:``)."""
    titles: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    """Human titles of field values (the ruleset's ``titles:``): ``"Type.field"`` ->
    value -> title."""


def show_fact(fact: Any) -> str:
    """``Type(field=value, ...)``: see :func:`oss_rules.model._fields.show_fact`."""
    return _fields.show_fact(fact)


def show_value(value: Any) -> str:
    """One value as facts print it: ``'medium'``, ``2026-06-30``, ``0.24``, ``['OSS-I']``."""
    return _fields.show_value(value)


@attrs.frozen
class Result:
    """What a ruleset concluded about some facts as of a date, and why.

    The engine knows no domain: a Result holds every conclusion, and
    :meth:`of_type` picks those of one fact type. A domain's subclass (for the OSS
    rulesets, :class:`~oss_rules.domains.oss.views.OssResult`) adds typed views such as
    ``result.findings`` and lists those types under their own keys in JSON (``GROUPS``).
    """

    GROUPS: ClassVar[Mapping[str, str]] = {}
    """Type name -> JSON key of the derived types listed on their own, in this order."""

    ruleset: RulesetInfo
    as_of: dt.date
    given: tuple[Any, ...]
    conclusions: tuple[Any, ...]
    """Every derived fact: the ``GROUPS`` types first, in that order, then the others; each
    type in canonical order."""
    trace: tuple[Inference, ...]
    rules: Mapping[str, RuleInfo]
    sources: Mapping[str, str]
    registry: FactRegistry = attrs.field(eq=False, repr=False)
    _index: dict[str, Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    @property
    def derived(self) -> tuple[Any, ...]:
        """The conclusions of the types that ``GROUPS`` does not list."""
        return self._by_type_name().get(_OTHERS, ())

    @property
    def shown(self) -> tuple[Any, ...]:
        """The conclusions for people: all but those of the ruleset's internal types."""
        internal = self.ruleset.internal
        if not internal:
            return self.conclusions
        return tuple(f for f in self.conclusions if type(f).__name__ not in internal)

    def title(self, fact: Any, field: str) -> str:
        """The title the ruleset gives ``fact``'s ``field`` value; the value itself if none.

        >>> result.title(finding, "code")  # doctest: +SKIP
        'Risk assessment older than a hazard'
        """
        value = getattr(fact, field)
        titles = self.ruleset.titles.get(f"{type(fact).__name__}.{field}", {})
        return titles.get(str(value), str(value))

    def of_type(self, cls: type[T]) -> tuple[T, ...]:
        """The conclusions of fact type ``cls``, in canonical order."""
        found = self._by_type_name().get(cls.__name__, ())
        return tuple(f for f in found if type(f) is cls)

    def _by_type_name(self) -> Mapping[str, tuple[Any, ...]]:
        if "types" not in self._index:
            groups: dict[str, list[Any]] = defaultdict(list)
            for fact in self.conclusions:
                name = type(fact).__name__
                groups[name].append(fact)
                if name not in self.GROUPS:
                    groups[_OTHERS].append(fact)
            self._index["types"] = {k: tuple(v) for k, v in groups.items()}
        found: Mapping[str, tuple[Any, ...]] = self._index["types"]
        return found

    def explain(self, conclusion: Any) -> Proof:
        """The proof tree of ``conclusion`` (a derived or given fact of this result).

        Among several derivations the shallowest is shown, so a proof never loops. The
        index of the trace and every fact's depth are computed once per result, so
        explaining every conclusion takes time linear in the trace.
        """
        if "proofs" not in self._index:
            self._index["proofs"] = proof_index(self.given, self.trace)
        return prove(conclusion, self._index["proofs"], self.rules, self.sources)

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-ready data (see :meth:`to_json`).

        A fact that appears several times (given, derived, premise of inferences) is one
        shared dict: the trace names each fact many times, and a dict per mention made
        the data of a large result ~7x its JSON text. Copy it before mutating it.
        """
        reg = self.registry
        encoded: dict[tuple[int, bool], dict[str, Any]] = {}

        def js(fact: Any, typed: bool = True) -> dict[str, Any]:
            key = (id(fact), typed)
            found = encoded.get(key)
            if found is None:
                found = encoded[key] = fact_to_json(fact, reg, typed=typed)
            return found

        data: dict[str, Any] = {
            "ruleset": {
                **attrs.asdict(self.ruleset),
                "overrides": dict(self.ruleset.overrides),
                "domains": list(self.ruleset.domains),
                "internal": list(self.ruleset.internal),
                "titles": {k: dict(v) for k, v in self.ruleset.titles.items()},
            },
            "as_of": self.as_of.isoformat(),
        }
        by_type = self._by_type_name()
        for type_name, key in self.GROUPS.items():
            data[key] = [js(f, typed=False) for f in by_type.get(type_name, ())]
        data["derived"] = [js(f) for f in self.derived]
        data["given"] = [js(f) for f in self.given]
        data["trace"] = [
            {
                "fact": js(i.fact),
                "rule": i.rule,
                "premises": [js(p) for p in i.premises],
                "absent": list(i.absent),
                **({"alternative": i.alternative} if i.alternative is not None else {}),
            }
            for i in self.trace
        ]
        data["rules"] = {
            k: {
                "title": v.title,
                "cite": list(v.cite),
                **({"alternatives": v.alternatives} if v.alternatives > 1 else {}),
            }
            for k, v in sorted(self.rules.items())
        }
        data["sources"] = dict(sorted(self.sources.items()))
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: same result, same bytes."""
        if indent is None:  # the C encoder, one shot: compact output is small
            return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False)
        parts: list[str] = []
        dump(self.to_data(), parts.append, indent=indent)
        return "".join(parts)

    def write_json(self, stream: TextIO, *, indent: int | None = 2) -> None:
        """Write :meth:`to_json`'s text to ``stream``, a few kB at a time."""
        dump(self.to_data(), stream.write, indent=indent)

    @classmethod
    def from_json(cls, text: str, registry: FactRegistry | None = None) -> Result:
        """Read back what :meth:`to_json` wrote, as the Result class of its domains."""
        data = json.loads(text)
        domains = tuple(data["ruleset"].get("domains", ()))
        target: type[Result] = cls
        if cls is Result:
            target = result_class(domains) or Result
        reg = registry if registry is not None else registry_for(domains or SHIPPED)

        def typed(item: Mapping[str, Any]) -> Any:
            return fact_from_json(item, reg)

        grouped = [
            fact_from_json({"type": name, **item}, reg)
            for name, key in target.GROUPS.items()
            for item in data[key]
        ]
        info = data["ruleset"]
        return target(
            ruleset=RulesetInfo(
                id=info["id"],
                version=info["version"],
                digest=info["digest"],
                overrides=info.get("overrides", {}),
                domains=domains,
                internal=tuple(info.get("internal", ())),
                titles=info.get("titles", {}),
            ),
            as_of=dt.date.fromisoformat(data["as_of"]),
            given=tuple(typed(f) for f in data["given"]),
            conclusions=tuple(grouped) + tuple(typed(f) for f in data["derived"]),
            trace=tuple(
                Inference(
                    typed(t["fact"]),
                    t["rule"],
                    tuple(typed(p) for p in t["premises"]),
                    tuple(t["absent"]),
                    t.get("alternative"),
                )
                for t in data["trace"]
            ),
            rules={
                k: RuleInfo(v["title"], tuple(v["cite"]), v.get("alternatives", 1))
                for k, v in data["rules"].items()
            },
            sources=dict(data["sources"]),
            registry=reg,
        )


_OTHERS = "\0others"
"""The key of the conclusions outside ``GROUPS`` in a Result's type index."""


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
    result_type: type[R] = Result,  # type: ignore[assignment]
) -> R:
    """Assemble a ``result_type`` with every collection in canonical order."""

    ordered_given, conclusions, ordered_trace = canonical_order(
        given, derived, trace, result_type.GROUPS, registry
    )
    cited = {c for info in rules.values() for c in info.cite}
    return result_type(
        ruleset=ruleset,
        as_of=as_of,
        given=tuple(ordered_given),
        conclusions=tuple(conclusions),
        trace=tuple(ordered_trace),
        rules=dict(rules),
        sources={k: v for k, v in sources.items() if k in cited},
        registry=registry,
    )
