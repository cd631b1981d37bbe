"""The module paths of oss_rules before its packages, kept importable for existing code.

``from oss_rules.strategies import inventories`` keeps working and warns once with the
new path (``oss_rules.verify.strategies``). No file stands at an old path: an import
hook builds the old module from the new ones, lazily, so ``import oss_rules`` stays as
cheap as before and no old name shows in ``help(oss_rules)``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import importlib.abc

__all__ = ["MOVED", "install", "moved_name"]

MOVED: dict[str, tuple[str, ...]] = {
    "oss_rules.facts": (
        "oss_rules.model.registry",
        "oss_rules.domains.oss.facts",
        "oss_rules.domains.k3.facts",
        "oss_rules.domains.bpjstk.facts",
    ),
    "oss_rules.convert": ("oss_rules.model.convert",),
    "oss_rules.schema": ("oss_rules.model.schema",),
    "oss_rules.result": ("oss_rules.engine.result",),
    "oss_rules.check": ("oss_rules.authoring.check",),
    "oss_rules.testing": ("oss_rules.authoring.testing",),
    "oss_rules.strategies": ("oss_rules.verify.strategies",),
    "oss_rules.properties": ("oss_rules.verify.properties",),
    "oss_rules.oracle": ("oss_rules.verify.oracle",),
    "oss_rules.registration": ("oss_rules.domains.oss.registration",),
    "oss_rules.payroll": ("oss_rules.domains.bpjstk.payroll",),
}
"""Old module path -> the modules that now hold its names, first match wins."""


# Loader and finder by protocol, not by subclassing importlib.abc: importing that module
# imports importlib.resources and tempfile, a tenth of `import oss_rules`.
class _Moved:
    def __init__(self, targets: Sequence[str]) -> None:
        self._targets = targets

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        warnings.warn(
            f"{module.__name__} moved to {', '.join(self._targets)}; import from there",
            DeprecationWarning,
            stacklevel=2,
        )
        names: dict[str, object] = {}
        for target in reversed(self._targets):
            new = importlib.import_module(target)
            public = getattr(new, "__all__", None) or [n for n in vars(new) if n[0] != "_"]
            names.update({n: getattr(new, n) for n in public})
        module.__dict__.update(names)
        module.__all__ = sorted(names)  # type: ignore[attr-defined]
        module.__doc__ = f"Moved: see {', '.join(self._targets)}."


class _Finder:
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        targets = MOVED.get(fullname)
        if targets is None:
            return None
        return importlib.machinery.ModuleSpec(
            fullname, cast("importlib.abc.Loader", _Moved(targets))
        )


def install() -> None:
    """Put the hook on ``sys.meta_path`` once (importing oss_rules does it)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())


def moved_name(module: str, name: str, moved: dict[str, str]) -> object:
    """``module.name`` for a name that moved to ``moved[name]``, with a warning once."""
    if name not in moved:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(
        f"{module}.{name} moved to {moved[name]}.{name}; import it from there",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(moved[name]), name)
