"""Evaluate a ruleset over facts: stratified forward chaining on durable-rules.

>>> import datetime as dt
>>> from oss_rules import Engine, Workplace, load_default
>>> engine = Engine(load_default())
>>> result = engine.evaluate(
...     [Workplace(id="w1", sector="retail", setting="office", headcount=4)],
...     as_of=dt.date(2026, 6, 30),
... )
>>> [o.module for o in result.obligations]
['OSS-I']
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import TypeVar

from ..errors import (
    BackendError,
    FactError,
    LimitError,
    ParamError,
    require,
)
from ..language.syntax import Ruleset
from ..model._limits import DATE_HINT, DEFAULT_MAX_FACTS, day_in_range
from ..model.convert import CheckedFacts, check_fields, check_inventory
from ..model.domain import result_class
from ._compile import (
    CONTEXT,
    CompiledStratum,
    compile_ruleset,
)
from ._derivations import Consequence
from ._durable import Network
from ._durable_run import DurableRun
from ._given import fact_objects
from ._params import merge_params
from .outcomes import Evaluated, Failed
from .result import Inference, Result, RuleInfo, RulesetInfo, build

if TYPE_CHECKING:
    from ._compiled import CompiledProgram

__all__ = ["BACKENDS", "DEFAULT_MAX_FACTS", "Engine", "ParamError"]

R = TypeVar("R", bound=Result, default=Result)


BACKENDS = ("durable", "compiled")
"""The backends an Engine can evaluate on: durable-rules' rete (the default), or the
ruleset compiled to Python (``_compiled``). Both give byte-identical results."""


class Engine(Generic[R]):
    """A ruleset compiled once and evaluated many times.

    ``params`` overrides the ruleset's params for this engine. ``backend`` chooses
    what runs the rules: ``"durable"`` (durable-rules' rete, the default) or
    ``"compiled"`` (the rules compiled to Python); both give the same ``Result``, byte
    for byte, and the same errors. An engine holds no global state, starts no thread,
    and may be shared by threads: on durable, evaluations are serialised (durable's C
    core holds the GIL anyway). Its results are of the Result class of the ruleset's
    domains (``R``), which knows their typed views.
    """

    def __init__(
        self,
        ruleset: Ruleset[R],
        *,
        params: Mapping[str, Any] | None = None,
        max_facts: int = DEFAULT_MAX_FACTS,
        backend: str = "durable",
    ) -> None:
        expected = "a Ruleset from oss_rules.load() or load_default()"
        require("Engine", "ruleset", ruleset, Ruleset, expected)
        require("Engine", "params", params, (Mapping, type(None)), "a mapping of param names")
        require("Engine", "max_facts", max_facts, int, "an int")
        if backend not in BACKENDS:
            raise BackendError(backend, BACKENDS)
        self._backend = backend
        self._ruleset = ruleset
        self._registry = ruleset.registry
        self._params = merge_params(ruleset, params or {})
        if params:
            # Imported here: it brings the YAML reader and the parser, which an engine of a
            # cached ruleset without overrides never needs.
            from ..language._constants import check_overrides

            for name, problem in check_overrides(
                ruleset.rules, self._registry, self._params, params
            )[:1]:
                raise ParamError(
                    name,
                    params[name],
                    "a value the rules can match",
                    f": {problem.message}, at {problem.file}:{problem.line}:{problem.col}",
                )
        self._program: CompiledProgram | None = None
        self._strata: list[CompiledStratum] = []
        if backend == "compiled":
            # Imported here: an app on the default backend never loads the generated-code
            # machinery (a sixth of `import oss_rules` when it was imported eagerly).
            from ._compiled import CompiledProgram

            self._program = CompiledProgram(ruleset, self._params, max_facts)
        else:
            self._strata = compile_ruleset(ruleset, self._params)
        self._networks = [Network(stratum.definition) for stratum in self._strata]
        self._max_facts = max_facts
        self._overrides = dict(params or {})
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        self._consequences: dict[str, Consequence | None] = {}
        """Each durable rule's generated then and absences, by label, made on first firing."""
        overrides = json.loads(json.dumps(dict(params or {}), default=str, sort_keys=True))
        self._info = RulesetInfo(
            ruleset.id,
            ruleset.version,
            ruleset.digest,
            overrides,
            ruleset.domains,
            tuple(sorted(ruleset.internal)),
            ruleset.titles,
        )
        # The ruleset's static type says which Result class it gives; this is that class.
        self._result_type: type[R] = result_class(ruleset.domains) or Result  # type: ignore[assignment]
        self._rules = {
            r.id: RuleInfo(r.title, r.cite, r.alternative.of if r.alternative else 1)
            for r in ruleset.rules
        }

    @property
    def ruleset(self) -> Ruleset[R]:
        """The ruleset this engine evaluates."""
        return self._ruleset

    @property
    def backend(self) -> str:
        """The backend this engine evaluates on: ``"durable"`` or ``"compiled"``."""
        return self._backend

    @property
    def params(self) -> Mapping[str, Any]:
        """The params in force (the ruleset's, with this engine's overrides)."""
        return dict(self._params)

    @property
    def overrides(self) -> Mapping[str, Any]:
        """The param overrides this engine was built with (a worker process rebuilds it)."""
        return dict(self._overrides)

    @property
    def max_facts(self) -> int:
        """The most facts one evaluation may hold before it stops with an error."""
        return self._max_facts

    def evaluate_many(
        self,
        inventories: Iterable[Any],
        *,
        as_of: dt.date | None = None,
        workers: int = 1,
        window: int | None = None,
    ) -> Iterator[Evaluated[R] | Failed]:
        """Evaluate each inventory on its own; yield one outcome per inventory, in order.

        ``inventories`` is any iterable (a generator is fine) of
        :class:`~oss_rules.model.convert.Inventory`, input documents as mappings, or
        records from :func:`oss_rules.batch.read_records`. Each outcome is an
        :class:`~oss_rules.batch.Evaluated` with the :class:`Result` or a
        :class:`~oss_rules.batch.Failed` naming the inventory's index (and file and
        line) and the problem: a bad inventory never stops the others. ``as_of``
        replaces each inventory's date. ``workers`` > 1 evaluates in that many
        processes, each compiling the ruleset once; at most ``window`` inventories are
        read ahead, so memory does not grow with their number. See docs/batch.md.
        """
        # The batch package sits above the engine (it reads files, starts processes), so
        # it is found by name, not imported: the engine depends on nothing above it.
        batch = importlib.import_module("oss_rules.batch._many")
        outcomes: Iterator[Evaluated[R] | Failed] = batch.evaluate_many(
            self, inventories, as_of=as_of, workers=workers, window=window
        )
        return outcomes

    def evaluate(self, facts: Iterable[Any], *, as_of: dt.date) -> R:
        """Derive every conclusion of the ruleset from ``facts`` as of ``as_of``.

        Raises :class:`~oss_rules.errors.FactsError` for invalid input (an item that is
        not a fact object, duplicate ids, references to missing facts) and
        :class:`~oss_rules.errors.EvaluationError` when a rule fails on these facts.
        The ids and references of facts read by ``read_inventory`` or
        ``facts_from_json`` were checked there and are not checked again.
        """
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise FactError("evaluate", "as_of", as_of, "a datetime.date")
        if not day_in_range(as_of):
            raise FactError("evaluate", "as_of", as_of, "a date", hint=DATE_HINT)
        given = list(dict.fromkeys(fact_objects(facts, self._ruleset)))
        if len(given) > self._max_facts:
            raise LimitError(
                "facts",
                self._max_facts,
                f"the input has {len(given)} facts, more than max_facts={self._max_facts} "
                "for one evaluation; split it into smaller inputs (one per workplace, or per "
                "group of workplaces that refer to each other) and evaluate each, or raise "
                "max_facts (--max-facts) if the memory allows (about 30 KB per fact)",
            )
        check_fields(given, self._registry)
        if not isinstance(facts, CheckedFacts):
            check_inventory(given, self._registry)
        if self._program is not None:
            derived, trace = self._program.run(given, as_of)
            return self._result(as_of, given, derived, trace)
        with self._lock:
            run = DurableRun(
                self._params, self._registry, self._max_facts, self._consequences, as_of, given
            )
            for stratum, network in zip(self._strata, self._networks, strict=True):
                sid = str(next(self._sessions))
                run.sid = sid
                fields = stratum.fields
                initial = [
                    run.message(i, fields[name])
                    for i, f in enumerate(run.facts)
                    if (name := type(f).__name__) in fields
                ]
                # One batch: durable takes a batch's facts one after the other, so the
                # context fact (the gate of negations) still arrives after every input.
                initial.append(
                    {"sid": sid, "id": "ctx", "type": CONTEXT, "as_of": as_of.toordinal()}
                )
                network.run(sid, [initial], run.action(stratum))
        return self._result(as_of, given, [run.facts[i] for i in sorted(run.derived)], run.trace)

    def _result(
        self, as_of: dt.date, given: list[Any], derived: list[Any], trace: list[Inference]
    ) -> R:
        return build(
            ruleset=self._info,
            as_of=as_of,
            given=given,
            derived=derived,
            trace=trace,
            rules=self._rules,
            sources=self._ruleset.sources,
            registry=self._registry,
            result_type=self._result_type,
        )
