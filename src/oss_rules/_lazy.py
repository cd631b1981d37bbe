"""Public names of a package imported from their modules on first use (PEP 562).

A package's ``__init__`` names each public name's module instead of importing it, so
``import oss_rules`` costs a few milliseconds and an app pays only for what it touches:
loading a ruleset does not import the engine, and the durable backend does not import
the compiled one. The same names are imported under ``TYPE_CHECKING`` for type checkers
and IDEs; ``tests/test_lazy_imports.py`` holds the two lists equal.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str, modules: Mapping[str, Iterable[str]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` (its ``namespace``, the
    ``globals()`` of its ``__init__``) whose public names live in ``modules``: module path
    relative to the package -> the names it defines.

    A name is imported on first use and then stored in the namespace, so the module's
    ``__getattr__`` is not called for it again; an unknown name is an AttributeError.
    """
    home = {name: f"{package}.{module}" for module, names in modules.items() for name in names}

    def lookup(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home[name]), name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *home})

    return lookup, names
