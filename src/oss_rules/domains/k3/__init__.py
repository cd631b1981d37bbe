"""Indonesian K3 law: noise measurements and the K3 duties they and the workplace give
rise to. Builds on the OSS domain's employers, workplaces and incidents; ships the
``id-k3`` ruleset in ``ruleset/``."""

from pathlib import Path

from ...model.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="k3",
    types="oss_rules.domains.k3.facts:TYPES",
    requires=("oss",),
    rulesets={"id-k3": Path(__file__).parent / "ruleset"},
)
"""The K3 domain, as rulesets name it in ``domains: [k3]``."""
