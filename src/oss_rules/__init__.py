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

from typing import TYPE_CHECKING, Any

from . import _lazy, _legacy

if TYPE_CHECKING:
    from .domains.bpjstk.facts import Payroll, Worker
    from .domains.k3.facts import NoiseMeasurement
    from .domains.oss._load import load_default
    from .domains.oss.facts import (
        Action,
        Classification,
        Deadline,
        Employer,
        Finding,
        Hazard,
        Incident,
        Obligation,
        Registration,
        Workplace,
    )
    from .engine import Engine, Proof, Result
    from .errors import (
        EvaluationError,
        FactError,
        FactsError,
        InputError,
        OssRulesError,
        RulesetError,
    )
    from .language import Ruleset, load
    from .model import FactRegistry, Inventory, fact_from_json, facts_from_json, read_inventory

__all__ = [
    "Action",
    "Classification",
    "Deadline",
    "Employer",
    "Engine",
    "EvaluationError",
    "FactError",
    "FactRegistry",
    "FactsError",
    "Finding",
    "Hazard",
    "Incident",
    "InputError",
    "Inventory",
    "NoiseMeasurement",
    "Obligation",
    "OssRulesError",
    "Payroll",
    "Proof",
    "Registration",
    "Result",
    "Ruleset",
    "RulesetError",
    "Worker",
    "Workplace",
    "fact_from_json",
    "facts_from_json",
    "load",
    "load_default",
    "read_inventory",
]

_MODULES: dict[str, tuple[str, ...]] = {
    "domains.bpjstk.facts": ("Payroll", "Worker"),
    "domains.k3.facts": ("NoiseMeasurement",),
    "domains.oss.facts": (
        "Action",
        "Classification",
        "Deadline",
        "Employer",
        "Finding",
        "Hazard",
        "Incident",
        "Obligation",
        "Registration",
        "Workplace",
    ),
    "domains.oss._load": ("load_default",),
    "engine": ("Engine", "Proof", "Result"),
    "errors": (
        "EvaluationError",
        "FactError",
        "FactsError",
        "InputError",
        "OssRulesError",
        "RulesetError",
    ),
    "language": ("Ruleset", "load"),
    "model": ("FactRegistry", "Inventory", "fact_from_json", "facts_from_json", "read_inventory"),
}
"""The module of each public name, imported when the name is first used: an app that only
loads a ruleset does not pay for the engine (see docs/architecture.md)."""
_public, __dir__ = _lazy.attach(__name__, _MODULES, globals())

_MOVED = {
    "Benefit": "oss_rules.domains.oss.facts",
    "Contribution": "oss_rules.domains.bpjstk.facts",
    "DeclaredModule": "oss_rules.domains.oss.facts",
    "Diagnostic": "oss_rules.errors",
    "Inference": "oss_rules.engine",
    "K3Requirement": "oss_rules.domains.k3.facts",
    "ParamError": "oss_rules.errors",
    "Problem": "oss_rules.errors",
    "RulesetInfo": "oss_rules.engine",
    "SubmissionError": "oss_rules.errors",
    "fact_to_json": "oss_rules.model",
}
"""Names this package exported before it had sub-packages, and where they live now."""


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use; ``__version__``, read on
    first use (importlib.metadata is slow to import); names that moved to a sub-package
    stay reachable here, with a warning."""
    if name in __all__:
        return _public(name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("oss_rules")
        except PackageNotFoundError:  # a source tree that was never installed
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    return _legacy.moved_name(__name__, name, _MOVED)


_legacy.install()
