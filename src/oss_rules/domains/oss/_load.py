"""``oss_rules.load_default``: a shipped ruleset, typed as giving :class:`OssResult`.

Apart from :mod:`.views` so that loading a ruleset does not import the engine's
:class:`~oss_rules.Result` (which ``OssResult`` extends): the engine finds a ruleset's
Result class by its domains when it is built, and the type checker needs the class only
in the signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...language import Ruleset
from ...language import load_default as _load_default
from ...model.registry import FactRegistry

if TYPE_CHECKING:
    from .views import OssResult

__all__ = ["load_default"]


def load_default(name: str = "oss", *, registry: FactRegistry | None = None) -> Ruleset[OssResult]:
    """Load a shipped ruleset (``oss`` by default): every shipped ruleset builds on the OSS
    domain, so its results are :class:`OssResult` with typed views."""
    ruleset: Ruleset[OssResult] = _load_default(name, registry=registry)
    return ruleset
