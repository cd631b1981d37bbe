"""The engine: a checked ruleset compiled to durable-rules networks (or to Python),
evaluated over facts.

Stages: ``_compile`` (syntax tree to durable definitions and Python checks),
``_durable`` (a thread-free driver of durable's C core), ``_engine`` (strata run to
fixpoint), ``result`` (conclusions, trace and proofs). The compiled backend
(``backend="compiled"``): ``_compiled`` (components, semi-naive fixpoint), ``_plans``,
``_derivations`` and ``_expressions`` (rules as generated Python), ``_store`` (facts and
indexes of one evaluation), ``_exact`` (durable's checks, rerun when generated code raises).
"""

from ._engine import Engine
from .result import Inference, Proof, Result, RulesetInfo

__all__ = ["Engine", "Inference", "Proof", "Result", "RulesetInfo"]
