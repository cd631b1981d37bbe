"""Domains: the fact types, views and shipped rulesets of one subject each.

``oss`` is the source article's OSS policy; ``k3`` and ``bpjstk`` are enacted Indonesian
law and build on the OSS types (employers, workplaces, incidents). Each package holds a
``DOMAIN`` (:class:`~oss_rules.model.domain.Domain`), found by name.
"""

from __future__ import annotations

from ..model.domain import SHIPPED, find_domain
from ..model.registry import FactRegistry

__all__ = ["registry"]


def registry(*names: str) -> FactRegistry:
    """A registry of the named domains' types (every shipped domain when none is named),
    to start an app's own registry from: ``registry("oss")``."""
    chosen = names or SHIPPED
    return FactRegistry(t for name in SHIPPED if name in chosen for t in find_domain(name).types)
