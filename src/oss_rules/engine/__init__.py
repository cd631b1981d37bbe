"""The engine: a checked ruleset compiled to durable-rules networks (or to Python),
evaluated over facts.

Stages: ``_compile`` (syntax tree to durable definitions and Python checks),
``_durable`` (a thread-free driver of durable's C core), ``_engine`` (strata run to
fixpoint), ``result`` (conclusions, trace and proofs). The compiled backend
(``backend="compiled"``): ``_compiled`` (components, semi-naive fixpoint), ``_plans``,
``_derivations`` and ``_expressions`` (rules as generated Python), ``_store`` (facts and
indexes of one evaluation), ``_exact`` (durable's checks, rerun when generated code raises).

The names below are imported on first use, so ``import oss_rules.engine.result`` (the
typed views of a domain) does not compile anything; the compiled backend is imported
only by an engine that asks for it.
"""

from typing import TYPE_CHECKING

from .. import _lazy

if TYPE_CHECKING:
    from ._engine import Engine
    from .result import Inference, Proof, Result, RulesetInfo

__all__ = ["Engine", "Inference", "Proof", "Result", "RulesetInfo"]

__getattr__, __dir__ = _lazy.attach(
    __name__,
    {"_engine": ("Engine",), "result": ("Inference", "Proof", "Result", "RulesetInfo")},
    globals(),
)
