"""Domains: the fact types, views and shipped rulesets of one subject each.

``oss`` is the source article's OSS policy; ``k3`` and ``bpjstk`` are enacted Indonesian
law and build on the OSS types (employers, workplaces, incidents).
"""

from __future__ import annotations

from ..model.registry import FactRegistry
from .bpjstk.facts import TYPES as _BPJSTK
from .k3.facts import TYPES as _K3
from .oss.facts import TYPES as _OSS

__all__ = ["DOMAINS", "registry"]

DOMAINS: dict[str, tuple[type, ...]] = {"oss": _OSS, "bpjstk": _BPJSTK, "k3": _K3}


def registry(*names: str) -> FactRegistry:
    """A registry of the named domains' types (every shipped domain when none is named)."""
    chosen = names or tuple(DOMAINS)
    return FactRegistry(t for name in DOMAINS if name in chosen for t in DOMAINS[name])
