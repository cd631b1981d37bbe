"""JSON Schemas (draft 2020-12) of input documents and results, from the registered fact types.

Each field kind maps to a schema: a :class:`~oss_rules.model._fields.Choice` to an ``enum``,
an ``Integer`` to ``minimum``/``maximum``, a ``Day`` to a ``date`` string, an
``Optional`` kind to its schema or ``null``, a ``Many`` kind to an array of distinct
items. The reader's limits are part of it (:mod:`._limit_schemas`): numbers strictly
between -10^15 and 10^15, dates that exist from 1000-01-01 to 8999-12-31, at most
200,000 facts. An integrator can validate payloads with any JSON Schema validator before
sending them; the engine still checks everything itself (references between facts and
unique ids are beyond JSON Schema, and so is the number of digits of a JSON number).

>>> schema = input_schema()
>>> schema["$defs"]["Hazard"]["properties"]["likelihood"]
{'type': 'integer', 'minimum': 1, 'maximum': 5}
>>> schema["$defs"]["Workplace"]["properties"]["headcount"]
{'type': 'integer', 'minimum': 0, 'maximum': 999999999999999}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._fields import (
    _IDENT,
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Moment,
    Month,
    Number,
    Optional,
    Text,
)
from ._limit_schemas import (
    DAY_PATTERN,
    DECIMAL_TEXT_PATTERN,
    INTEGER_BOUNDS,
    MAX_FACTS,
    MOMENT_PATTERN,
    MONTH_PATTERN,
    NUMBER_BOUNDS,
)
from .domain import SHIPPED, result_class, shipped_registry
from .registry import FactRegistry, FactType

__all__ = ["DRAFT", "fact_schema", "input_schema", "kind_schema", "result_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every schema this module writes."""

_DATE = {"type": "string", "format": "date", "pattern": DAY_PATTERN}


def kind_schema(kind: Kind) -> dict[str, Any]:
    """The schema of a JSON value of a field of ``kind`` (``{}`` for a kind it does not know)."""
    if isinstance(kind, Optional):
        inner = kind_schema(kind.inner)
        if "enum" in inner:
            return {**inner, "enum": [*inner["enum"], None]}
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if isinstance(kind, Many):
        return {"type": "array", "items": kind_schema(kind.inner), "uniqueItems": True}
    if isinstance(kind, Choice):
        return {"enum": list(kind.values)}
    if isinstance(kind, Integer):
        low, high = INTEGER_BOUNDS["minimum"], INTEGER_BOUNDS["maximum"]
        if kind.minimum is not None:
            low = max(low, kind.minimum)
        if kind.maximum is not None:
            high = min(high, kind.maximum)
        return {"type": "integer", "minimum": low, "maximum": high}
    if isinstance(kind, Text):
        if kind.ident:
            return {"type": "string", "pattern": _IDENT.pattern}
        return {"type": "string"} if kind.empty else {"type": "string", "pattern": r"\S"}
    simple: dict[type, dict[str, Any]] = {
        Number: {
            "anyOf": [
                {"type": "number", **NUMBER_BOUNDS},
                {"type": "string", "pattern": DECIMAL_TEXT_PATTERN},
            ]
        },
        Moment: {"type": "string", "pattern": MOMENT_PATTERN},
        Month: {"type": "string", "pattern": MONTH_PATTERN},
        Boolean: {"type": "boolean"},
        Day: dict(_DATE),
    }
    return dict(simple.get(type(kind), {}))


def fact_schema(fact_type: FactType, *, typed: bool = True) -> dict[str, Any]:
    """The schema of one fact's JSON object (with its ``"type"`` unless ``typed=False``).

    Computed fields (``Hazard.score``) are allowed, marked ``readOnly``: an input may
    give them, and then they must equal the computed value.
    """
    defaults = {a.name: a.default for a in attrs.fields(fact_type.cls)}
    properties: dict[str, Any] = {"type": {"const": fact_type.name}} if typed else {}
    required = ["type"] if typed else []
    for info in fact_type.fields:
        schema = kind_schema(info.kind)
        if not info.init:
            schema["readOnly"] = True
        properties[info.name] = schema
        if info.init and defaults[info.name] is attrs.NOTHING:
            required.append(info.name)
    doc = (fact_type.cls.__doc__ or "").strip().split("\n")[0]
    return {
        "title": fact_type.name,
        **({"description": doc} if doc else {}),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _facts(registry: FactRegistry) -> dict[str, Any]:
    return {"oneOf": [{"$ref": f"#/$defs/{name}"} for name in registry.names()]}


def input_schema(registry: FactRegistry | None = None) -> dict[str, Any]:
    """The schema of an input document ``{"as_of": "YYYY-MM-DD", "facts": [...]}``."""
    registry = registry if registry is not None else shipped_registry()
    return {
        "$schema": DRAFT,
        "title": "oss_rules input document",
        "description": "The facts to evaluate and the date to evaluate them on.",
        "type": "object",
        "properties": {
            "as_of": {**_DATE, "description": "The evaluation date."},
            "facts": {
                "type": "array",
                "items": _facts(registry),
                "maxItems": MAX_FACTS,
                "description": "At most the engine's max_facts; this is its default.",
            },
        },
        "required": ["as_of", "facts"],
        "additionalProperties": False,
        "$defs": {t.name: fact_schema(t) for t in registry},
    }


def result_schema(
    registry: FactRegistry | None = None, groups: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The schema of a result as ``oss-rules evaluate --json`` and ``Result.to_json`` write it.

    ``groups`` maps the derived types listed under their own key to that key (a domain
    Result's ``GROUPS``); by default, those of the shipped domains.
    """
    registry = registry if registry is not None else shipped_registry()
    if groups is None:
        groups = getattr(result_class(SHIPPED), "GROUPS", {})
    facts = {"type": "array", "items": _facts(registry)}
    texts = {"type": "array", "items": {"type": "string"}}
    listed = {
        key: {"type": "array", "items": {"$ref": f"#/$defs/{name}.fields"}}
        for name, key in groups.items()
        if name in registry
    }
    properties: dict[str, Any] = {
        "ruleset": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "version": {"type": "string"},
                "digest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                "overrides": {"type": "object"},
                "domains": {"type": "array", "items": {"type": "string"}},
                "internal": {"type": "array", "items": {"type": "string"}},
                "titles": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                    },
                },
            },
            "required": ["id", "version", "digest", "overrides", "domains"],
            "additionalProperties": False,
        },
        "as_of": dict(_DATE),
        **listed,
        "derived": facts,
        "given": facts,
        "trace": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "fact": _facts(registry),
                    "rule": {"type": "string"},
                    "premises": facts,
                    "absent": texts,
                    "alternative": {"type": "integer", "minimum": 1},
                },
                "required": ["fact", "rule", "premises", "absent"],
                "additionalProperties": False,
            },
        },
        "rules": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "cite": texts,
                    "alternatives": {"type": "integer", "minimum": 2},
                },
                "required": ["title", "cite"],
                "additionalProperties": False,
            },
        },
        "sources": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    definitions = {t.name: fact_schema(t) for t in registry}
    definitions |= {
        f"{name}.fields": fact_schema(registry[name], typed=False)
        for name in groups
        if name in registry
    }
    return {
        "$schema": DRAFT,
        "title": "oss_rules result",
        "description": "What a ruleset concluded about some facts as of a date, and why.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": definitions,
    }
