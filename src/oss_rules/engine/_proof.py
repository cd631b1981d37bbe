"""Why a fact holds: the trace's inferences, and the proof tree built from them.

A result keeps the trace (every :class:`Inference`); :meth:`Result.explain
<oss_rules.engine.result.Result.explain>` turns it into a :class:`Proof` through
:func:`proof_index` and :func:`prove`, which choose the shallowest derivation of each
fact so that a proof never loops and explaining every conclusion stays linear.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import attrs

from ..model import _fields

__all__ = ["Inference", "Proof", "ProofIndex", "RuleInfo", "depths", "proof_index", "prove"]


@attrs.frozen
class Inference:
    """One application of a rule: these premises (and these absences) gave this fact.

    ``alternative`` is the number of the alternative that held, for a rule with ``or``.
    """

    fact: Any
    rule: str
    premises: tuple[Any, ...]
    absent: tuple[str, ...] = ()
    alternative: int | None = None


@attrs.frozen
class RuleInfo:
    """Title and citations of a rule, as a Result carries them, and how many
    alternatives it has (1 for a rule without ``or``)."""

    title: str
    cite: tuple[str, ...]
    alternatives: int = 1


@attrs.frozen
class Proof:
    """Why a fact holds: the rule that derived it and the proofs of its premises.

    ``rule`` is ``None`` for a fact that was given as input; ``alternative`` says which
    alternative of a rule with ``or`` held (``"alternative 2 of 3"``), else it is empty.
    """

    fact: Any
    rule: str | None
    title: str
    citations: tuple[str, ...]
    premises: tuple[Proof, ...]
    absent: tuple[str, ...]
    alternative: str = ""

    def render(self, indent: str = "") -> str:
        """The proof as an indented text tree."""
        head = _fields.show_fact(self.fact)
        if self.rule is None:
            return f"{indent}{head}  [given]"
        rule = f"{self.rule} ({self.alternative})" if self.alternative else self.rule
        lines = [f"{indent}{head}", f"{indent}  by rule {rule}: {self.title}"]
        lines += [f"{indent}  cites {c}" for c in self.citations]
        lines += [f"{indent}  because {a}" for a in self.absent]
        lines += [p.render(indent + "    ") for p in self.premises]
        return "\n".join(lines)


ProofIndex = tuple[Mapping[Any, list[Inference]], Mapping[Any, int], frozenset[Any]]
"""The inferences of each fact, each fact's depth, and the given facts."""


def proof_index(given: tuple[Any, ...], trace: tuple[Inference, ...]) -> ProofIndex:
    """What :func:`prove` reads, computed once per result."""
    by_fact: dict[Any, list[Inference]] = defaultdict(list)
    for inference in trace:
        by_fact[inference.fact].append(inference)
    return dict(by_fact), depths(given, trace), frozenset(given)


def prove(
    conclusion: Any,
    index: ProofIndex,
    rules: Mapping[str, RuleInfo],
    sources: Mapping[str, str],
) -> Proof:
    """The proof tree of ``conclusion``, a derived or given fact of the indexed result."""
    by_fact, depth, given = index
    if conclusion not in by_fact and conclusion not in given:
        raise KeyError(f"{_fields.show_fact(conclusion)} is not a fact of this result")
    return _proof(conclusion, by_fact, depth, rules, sources, root=True)


def _proof(
    fact: Any,
    by_fact: Mapping[Any, list[Inference]],
    depth: Mapping[Any, int],
    rules: Mapping[str, RuleInfo],
    sources: Mapping[str, str],
    root: bool = False,
) -> Proof:
    options = by_fact.get(fact)
    # A given fact is a leaf, except at the root: a conclusion that was also given
    # is explained by the rule that derived it.
    if not options or (depth.get(fact) == 0 and not root):
        return Proof(fact, None, "given", (), (), ())
    # Among equally shallow derivations the first in the (canonical) trace, so that
    # two alternatives that both held give the same proof on every backend.
    best = min(options, key=lambda i: max((depth[p] for p in i.premises), default=0))
    info = rules.get(best.rule, RuleInfo(best.rule, ()))
    citations = tuple(f"{c}: {sources.get(c, '?')}" for c in info.cite)
    premises = tuple(_proof(p, by_fact, depth, rules, sources) for p in best.premises)
    alternative = (
        f"alternative {best.alternative} of {info.alternatives}" if best.alternative else ""
    )
    return Proof(fact, best.rule, info.title, citations, premises, best.absent, alternative)


def depths(given: tuple[Any, ...], trace: tuple[Inference, ...]) -> dict[Any, int]:
    """Length of the shortest derivation of each fact (given facts: 0).

    Knuth's generalisation of Dijkstra's algorithm to derivations: facts are settled in
    order of depth, and an inference becomes usable when its last premise is settled, at
    one more than that premise's depth (the deepest of its premises). Each inference is
    looked at once per distinct premise, so the cost is linear in the trace (plus the
    heap), where relaxing every inference until nothing changes was quadratic.
    """
    waiting: dict[Any, list[int]] = defaultdict(list)
    pending: list[int] = []
    queue: list[tuple[int, int, Any]] = []
    tie = itertools.count()
    for fact in given:
        heapq.heappush(queue, (0, next(tie), fact))
    for number, inference in enumerate(trace):
        premises = set(inference.premises)
        pending.append(len(premises))
        for premise in premises:
            waiting[premise].append(number)
        if not premises:
            heapq.heappush(queue, (1, next(tie), inference.fact))
    depth: dict[Any, int] = {}
    while queue:
        d, _, fact = heapq.heappop(queue)
        if fact in depth:
            continue
        depth[fact] = d
        for number in waiting.get(fact, ()):
            pending[number] -= 1
            if pending[number] == 0:
                heapq.heappush(queue, (d + 1, next(tie), trace[number].fact))
    return depth
