"""oss_rules: occupational-safety obligations from a workplace's hazard inventory.

Load a ruleset, build an engine once, evaluate facts as of a date:

>>> import datetime as dt
>>> import oss_rules
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> result = engine.evaluate(
...     [
...         oss_rules.Workplace(id="w1", sector="construction", setting="field",
...                             headcount=40, declared_modules=("OSS-I",)),
...         oss_rules.Hazard(id="h1", workplace="w1", category="fall",
...                          likelihood=4, severity=5),
...     ],
...     as_of=dt.date(2026, 6, 30),
... )
>>> sorted(o.module for o in result.obligations)
['OSS-I', 'OSS-II', 'OSS-III']
>>> print(result.explain(result.obligations[1]).render())  # doctest: +ELLIPSIS
Obligation(workplace='w1', module='OSS-II')
  by rule oss2-high-physical: A high physical hazard needs the medical programme
...
"""

from . import _legacy
from .domains.bpjstk.facts import Contribution, Payroll, Worker
from .domains.k3.facts import K3Requirement, NoiseMeasurement
from .domains.oss.facts import (
    Action,
    Benefit,
    Classification,
    Deadline,
    DeclaredModule,
    Employer,
    Finding,
    Hazard,
    Incident,
    Obligation,
    Registration,
    Workplace,
)
from .engine._engine import Engine, ParamError
from .engine.result import Inference, Proof, Result, RulesetInfo
from .errors import (
    Diagnostic,
    EvaluationError,
    FactError,
    FactsError,
    InputError,
    OssRulesError,
    Problem,
    RulesetError,
    SubmissionError,
)
from .language import Ruleset, load, load_default
from .model.convert import Inventory, fact_from_json, fact_to_json, facts_from_json, read_inventory
from .model.registry import FactRegistry


def __getattr__(name: str) -> str:
    """``__version__``, read on first use: importlib.metadata is slow to import."""
    if name != "__version__":
        raise AttributeError(f"module 'oss_rules' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("oss_rules")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0+unknown"
    globals()["__version__"] = value
    return value


__all__ = [
    "Action",
    "Benefit",
    "Classification",
    "Contribution",
    "Deadline",
    "DeclaredModule",
    "Diagnostic",
    "Employer",
    "Engine",
    "EvaluationError",
    "FactError",
    "FactRegistry",
    "FactsError",
    "Finding",
    "Hazard",
    "Incident",
    "Inference",
    "InputError",
    "Inventory",
    "K3Requirement",
    "NoiseMeasurement",
    "Obligation",
    "OssRulesError",
    "ParamError",
    "Payroll",
    "Problem",
    "Proof",
    "Registration",
    "Result",
    "Ruleset",
    "RulesetError",
    "RulesetInfo",
    "SubmissionError",
    "Worker",
    "Workplace",
    "fact_from_json",
    "fact_to_json",
    "facts_from_json",
    "load",
    "load_default",
    "read_inventory",
]

_legacy.install()
