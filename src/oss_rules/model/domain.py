"""Domains: named sets of fact types that a ruleset declares it uses.

A ruleset says ``domains: [oss]`` in its ``ruleset.yaml``; loading it registers the types
of those domains (and of the domains they build on), and nothing else. A domain may also
name the :class:`~oss_rules.Result` subclass that gives its conclusions typed views
(``result.findings``), and ship rulesets.

The model knows domains only by name: the shipped ones are found as modules
(``oss_rules.domains.<name>``) and others through the ``oss_rules.domains`` entry point
group, each holding a ``DOMAIN``, so no stage below the domains imports them.

>>> [t.__name__ for t in find_domain("k3").types]
['NoiseMeasurement', 'NoiseLimit', 'K3Requirement']
>>> find_domain("k3").requires
('oss',)
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import DomainError, suggest
from .registry import FactRegistry

__all__ = [
    "SHIPPED",
    "Domain",
    "covered_by",
    "find_domain",
    "registry_for",
    "result_class",
    "shipped_registry",
    "shipped_rulesets",
]

SHIPPED = ("oss", "bpjstk", "k3")
"""The domains shipped with oss_rules, in the order their types are registered."""

_ENTRY_POINTS = "oss_rules.domains"


@attrs.frozen
class Domain:
    """What one subject brings: its fact types, the domains it builds on, the Result class
    with its typed views, and the rulesets it ships."""

    name: str
    _types: tuple[type, ...] | str = attrs.field(alias="types")
    """The fact types, or ``"module:attribute"`` of a tuple of them: imported when first
    needed, so that finding a domain's rulesets does not create its classes."""
    requires: tuple[str, ...] = ()
    views: str | None = None
    """``"module:Class"`` of the Result subclass with this domain's views, or ``None``."""
    rulesets: Mapping[str, Path] = attrs.field(factory=dict)
    """Shipped ruleset id -> its directory."""

    @property
    def types(self) -> tuple[type, ...]:
        """The domain's fact types, in the order they are registered."""
        if isinstance(self._types, str):
            return tuple(_named(self._types))
        return self._types


def _named(reference: str) -> Any:
    """What ``"module:attribute"`` names, importing the module if need be."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


@functools.cache
def _installed() -> Mapping[str, str]:
    """Entry points of installed third-party domains: name -> ``module:attribute``."""
    from importlib.metadata import entry_points  # slow to import; only for other domains

    return {ep.name: ep.value for ep in entry_points(group=_ENTRY_POINTS)}


@functools.cache
def find_domain(name: str) -> Domain:
    """The domain called ``name``; :class:`DomainError` (with the known names) if none."""
    if name in SHIPPED:
        domain = importlib.import_module(f"oss_rules.domains.{name}").DOMAIN
    elif name in _installed():
        module, _, attribute = _installed()[name].partition(":")
        domain = getattr(importlib.import_module(module), attribute or "DOMAIN")
    else:
        known = (*SHIPPED, *_installed())
        raise DomainError(
            f"unknown domain {name!r}{suggest(name, known)} (domains: {', '.join(known)})"
        )
    if not isinstance(domain, Domain):
        raise DomainError(f"{name!r} does not name an oss_rules Domain (got {domain!r})")
    return domain


def _closure(names: Iterable[str]) -> list[Domain]:
    """The named domains and those they build on, each before the domains that need it."""
    seen: dict[str, Domain] = {}

    def visit(name: str) -> None:
        if name in seen:
            return
        domain = find_domain(name)
        for required in domain.requires:
            visit(required)
        seen[name] = domain

    # Shipped domains first, in their fixed order, so a registry's order does not depend
    # on how a ruleset happens to list them.
    wanted = list(names)
    for name in sorted(
        wanted, key=lambda n: (SHIPPED.index(n) if n in SHIPPED else len(SHIPPED), n)
    ):
        visit(name)
    return list(seen.values())


def registry_for(names: Iterable[str]) -> FactRegistry:
    """A registry of the named domains' types and of the domains they build on."""
    return FactRegistry(t for domain in _closure(names) for t in domain.types)


def covered_by(registry: FactRegistry) -> tuple[str, ...]:
    """The shipped domains every type of which ``registry`` holds (the very classes)."""
    return tuple(n for n in SHIPPED if all(registry.holds(t) for t in find_domain(n).types))


@functools.cache
def result_class(names: tuple[str, ...]) -> type[Any] | None:
    """The Result subclass with the views of the named domains, or ``None`` for none.

    Several domains with views give a class that inherits from each.
    """
    classes: list[type[Any]] = []
    for domain in _closure(names):
        if domain.views is not None:
            cls = _named(domain.views)
            if cls not in classes:
                classes.append(cls)
    if not classes:
        return None
    if len(classes) == 1:
        return classes[0]
    return type("Result", tuple(reversed(classes)), {})


def shipped_rulesets() -> dict[str, Path]:
    """Every ruleset shipped with oss_rules: id -> directory, sorted by id."""
    found = {rid: path for name in SHIPPED for rid, path in find_domain(name).rulesets.items()}
    return dict(sorted(found.items()))


def shipped_registry() -> FactRegistry:
    """The types of every domain shipped with oss_rules: the registry used where none is
    given (a new registry each call, so an app may add its own types to it)."""
    return registry_for(SHIPPED)
