"""The engine: a checked ruleset compiled to durable-rules networks, evaluated over facts.

Stages: ``_compile`` (syntax tree to durable definitions and Python checks),
``_durable`` (a thread-free driver of durable's C core), ``_engine`` (strata run to
fixpoint), ``result`` (conclusions, trace and proofs).
"""

from ._engine import Engine
from .result import Inference, Proof, Result, RulesetInfo

__all__ = ["Engine", "Inference", "Proof", "Result", "RulesetInfo"]
