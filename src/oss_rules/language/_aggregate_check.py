"""Load-time checks of an aggregate: the field its function combines, and its name.

Kept apart from :mod:`._aggregate`, which the engine imports: checking needs the YAML
positions, which a cached ruleset never loads.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import suggest
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._aggregate import field_problem
from ._positions import _Collector

__all__ = ["check_field", "shadows"]


def check_field(aggregate: s.Aggregate, fact_type: FactType, out: _Collector) -> None:
    """Report a field the aggregate's function cannot combine (or needs and lacks)."""
    function, field = aggregate.function, aggregate.field
    if function == "count":
        if field is not None:
            out.add(
                aggregate.span,
                "OSS055",
                "count() counts facts and takes no field",
                f"write count({fact_type.name}(...)), or sum({fact_type.name}(...).{field}) "
                "to add the field up",
            )
        return
    if field is None:
        out.add(
            aggregate.span,
            "OSS055",
            f"{function}() needs the field to combine",
            f"write {function}({fact_type.name}(...).field), e.g. with a field of: "
            + ", ".join(fact_type.field_names),
        )
        return
    info = fact_type.field(field)
    if info is None:
        out.add(
            aggregate.span,
            "OSS035",
            f"{fact_type.name} has no field `{field}`{suggest(field, fact_type.field_names)}",
            f"fields of {fact_type.name}: " + ", ".join(fact_type.field_names),
        )
        return
    problem = field_problem(function, info.kind)
    if problem is not None:
        out.add(
            aggregate.span,
            "OSS055",
            f"{problem}: `{fact_type.name}.{field}`",
            "sum an int or number field; min and max order numbers, text, dates and moments; "
            f"count({fact_type.name}(...)) counts the facts",
        )


def shadows(
    name: str, later: Iterable[s.Pattern], registry: FactRegistry, span: s.Span, out: _Collector
) -> bool:
    """Report an aggregate's name that is a field of a later pattern: there a bare name
    is the fact's own field, so the author could not tell which one a condition meant."""
    for pattern in later:
        if pattern.fact_type in registry and registry[pattern.fact_type].field(name):
            out.add(
                span,
                "OSS025",
                f"`{name}` is also a field of {pattern.fact_type}, which a later pattern tests",
                "name the aggregate's value after what it counts, such as `high_hazards`",
            )
            return True
    return False
