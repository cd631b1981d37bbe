"""The OSS domain of the source article: workplaces, hazards, modules, actions, findings,
the compliance calendar and registration submissions.

Its fact types are in :mod:`.facts`, the typed views of a result in :mod:`.views`, the
registration payload in :mod:`.registration`, and the shipped ``oss`` ruleset in
``ruleset/``.
"""

from pathlib import Path

from ...model.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="oss",
    types="oss_rules.domains.oss.facts:TYPES",
    views="oss_rules.domains.oss.views:OssResult",
    rulesets={"oss": Path(__file__).parent / "ruleset"},
)
"""The OSS domain, as rulesets name it in ``domains: [oss]``."""
