"""BPJS Ketenagakerjaan: workers, payroll months, contributions, and the payroll export
(:mod:`.payroll`). Builds on the OSS domain's employers; ships the ``id-bpjstk`` ruleset
in ``ruleset/``."""

from pathlib import Path

from ...model.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="bpjstk",
    types="oss_rules.domains.bpjstk.facts:TYPES",
    requires=("oss",),
    rulesets={"id-bpjstk": Path(__file__).parent / "ruleset"},
)
"""The BPJS Ketenagakerjaan domain, as rulesets name it in ``domains: [bpjstk]``."""
