"""The fact model: field kinds, attrs fields that validate themselves, the fact registry,
and facts to and from JSON.

Nothing here knows a domain: the OSS, K3 and BPJS types live in :mod:`oss_rules.domains`.
The names below are imported on first use: declaring fact types needs the registry, not
the JSON converter (cattrs).
"""

from typing import TYPE_CHECKING

from .. import _lazy

if TYPE_CHECKING:
    from .convert import Inventory, fact_from_json, fact_to_json, facts_from_json, read_inventory
    from .registry import MAX_FIELDS, FactRegistry, FactType, FieldInfo

__all__ = [
    "MAX_FIELDS",
    "FactRegistry",
    "FactType",
    "FieldInfo",
    "Inventory",
    "fact_from_json",
    "fact_to_json",
    "facts_from_json",
    "read_inventory",
]

__getattr__, __dir__ = _lazy.attach(
    __name__,
    {
        "convert": (
            "Inventory",
            "fact_from_json",
            "fact_to_json",
            "facts_from_json",
            "read_inventory",
        ),
        "registry": ("MAX_FIELDS", "FactRegistry", "FactType", "FieldInfo"),
    },
    globals(),
)
