"""Values as people read them, and the one text of a number.

:func:`show_value` is the renderer that every field kind's :meth:`Kind.show
<oss_rules.model._kinds.Kind.show>` starts from: proofs, why-not answers, test reports,
terminal text and the HTML report all show values through it. It goes by a value's
Python type alone, so it lives apart from the kinds, which refine it per field (a
month shows as ``2026-03``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["canonical_number", "show_value"]


def show_value(value: Any, *, quoted: bool = True) -> str:
    """Any value as people read it, by its Python type (a field's kind refines it: a
    :class:`Month` shows as ``2026-03``).

    ``quoted`` (proofs, why-not answers, test reports, messages) writes text in quotes so
    that ``'12'`` and ``12`` differ: ``'medium'``, ``4``, ``0.24``, ``2026-06-30``,
    ``2026-03-02T08:00:00``, ``True``, ``['OSS-I', 'OSS-II']``, ``null``. Plain style
    (tables and terminal text): ``medium``, ``1,250,000``, ``2026-06-30``,
    ``2026-03-02 08:00``, ``yes``, ``OSS-I, OSS-II``, and nothing for null.
    """
    if value is None:
        return "null" if quoted else ""
    if isinstance(value, bool):
        return repr(value) if quoted else ("yes" if value else "no")
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        number = canonical_number(value)
        return str(number) if quoted else f"{number:,}"
    if isinstance(value, dt.datetime):
        seconds = "seconds" if value.second else "minutes"
        return value.isoformat() if quoted else value.isoformat(sep=" ", timespec=seconds)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value) if quoted else value
    if isinstance(value, tuple | list):
        items = ", ".join(show_value(v, quoted=quoted) for v in value)
        return f"[{items}]" if quoted else items
    if isinstance(value, Mapping):
        pairs = ", ".join(
            f"{show_value(k, quoted=False)}: {show_value(v, quoted=quoted)}"
            for k, v in value.items()
        )
        return "{" + pairs + "}" if quoted else pairs
    return repr(value) if quoted else str(value)


def canonical_number(value: Any) -> Any:
    """An int stays an int; a Decimal or float becomes an int when whole, else the Decimal
    without trailing zeros, so that equal numbers have one text."""
    if isinstance(value, int):
        return value
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if number == number.to_integral_value():
        return int(number)
    return number.normalize()
