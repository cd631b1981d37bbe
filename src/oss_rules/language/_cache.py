"""A cache of checked rulesets on disk, so that loading an unchanged ruleset is cheap.

Reading YAML with positions, parsing with lark and checking a ruleset takes far longer
than the rest of a program's start-up. A checked :class:`~oss_rules.language.syntax.Ruleset`
is pickled under a key made of the sha256 digest of its files, its location, the fact
types it was checked against, and the oss_rules code that read it. Any change to one of
them is a miss, and a miss loads and checks the files as usual.

The cache lives in ``$XDG_CACHE_HOME/oss_rules`` (``~/.cache/oss_rules`` by default);
``OSS_RULES_CACHE_DIR`` names another directory, and ``OSS_RULES_NO_CACHE=1`` turns it
off. An entry that cannot be read (truncated, corrupt, written by another version) is
ignored and rewritten; a cache that cannot be written is skipped. Like ``__pycache__``,
the cache holds pickles: only the user who owns the directory should be able to write it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from ..model.domain import registry_for
from ..model.registry import FactRegistry
from . import syntax as s
from ._files import digest, ruleset_files

__all__ = ["CACHE_DIR_ENV", "NO_CACHE_ENV", "cache_dir", "load_cached"]

NO_CACHE_ENV = "OSS_RULES_NO_CACHE"
"""Set to a non-empty value other than ``0`` to load every ruleset from its files."""

CACHE_DIR_ENV = "OSS_RULES_CACHE_DIR"
"""The directory of the cache, instead of ``$XDG_CACHE_HOME/oss_rules``."""

_FORMAT = b"oss_rules ruleset cache 1\n"
# Fields that the caller's call decides, not the files: never stored.
_PER_CALL = ("registry", "path", "properties")


def cache_dir() -> Path | None:
    """Where checked rulesets are cached, or None when caching is turned off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "oss_rules"


def load_cached(
    root: Path, registry: FactRegistry | None, load: Callable[[], s.Ruleset[Any]]
) -> s.Ruleset[Any]:
    """The checked ruleset at ``root``: from the cache when its files are unchanged,
    else from ``load()`` (which raises for a bad ruleset; nothing is cached then).

    ``registry`` is the caller's, or ``None`` when the ruleset's declared domains give it.
    """
    directory = cache_dir()
    if directory is None:
        return load()
    files = ruleset_files(root)
    try:
        files_digest = digest(files, root if root.is_dir() else root.parent)
    except OSError:
        return load()
    key = _key(root, files_digest, registry)
    entry = directory / f"{key}.pickle"
    found = _read(entry, key, files_digest)
    if found is not None:
        return _revive(found, root, registry)
    ruleset = load()
    if ruleset.digest == files_digest:  # else the files changed while we read them
        _write(directory, entry, key, ruleset)
    return ruleset


def _key(root: Path, files_digest: str, registry: FactRegistry | None) -> str:
    # Positions name the files as the caller named them (a relative path stays relative),
    # so the key holds the path as given and, for a relative one, where it starts.
    where = str(root) if root.is_absolute() else f"{os.getcwd()}\0{root}"
    h = hashlib.sha256(_FORMAT)
    for part in (files_digest, where, _registry_print(registry), _code_print()):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def _registry_print(registry: FactRegistry | None) -> str:
    """The fact types a ruleset is checked against: names, classes and field kinds (those of
    the domains its files declare, when the caller gives no registry)."""
    if registry is None:
        return "declared domains"
    return repr([(t.name, t.cls.__module__, t.cls.__qualname__, t.fields) for t in registry])


@cache
def _code_print() -> str:
    """The code that reads rulesets: every source file of oss_rules, by size and mtime,
    and the Python version (pickles of one version may not suit another)."""
    package = Path(__file__).resolve().parent.parent
    parts = [sys.version]
    for directory, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".lark")):
                stat = os.stat(os.path.join(directory, name))
                parts.append(f"{directory}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _read(entry: Path, key: str, files_digest: str) -> dict[str, Any] | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    if not data.startswith(_FORMAT):
        return None
    try:
        stored_key, fields = pickle.loads(data[len(_FORMAT) :])
    except Exception:  # any damage to the entry is a miss, never an error
        return None
    if stored_key != key or not isinstance(fields, dict) or fields.get("digest") != files_digest:
        return None
    return fields


def _write(directory: Path, entry: Path, key: str, ruleset: s.Ruleset) -> None:
    fields = {
        a.name: getattr(ruleset, a.name) for a in attrs.fields(s.Ruleset) if a.name not in _PER_CALL
    }
    properties = ruleset.properties
    fields["properties_span"] = properties.span if properties is not None else None
    try:
        payload = _FORMAT + pickle.dumps((key, fields), protocol=pickle.HIGHEST_PROTOCOL)
        directory.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half an entry.
        import tempfile  # only on a miss

        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:  # an unwritable cache or an unpicklable value: just do not cache
        return


def _revive(fields: dict[str, Any], root: Path, registry: FactRegistry | None) -> s.Ruleset[Any]:
    fields = dict(fields)
    span = fields.pop("properties_span")
    return s.Ruleset(
        **fields,
        path=str(root),
        registry=registry if registry is not None else registry_for(fields["domains"]),
        properties=_DeferredProperties(span) if span is not None else None,
    )


class _DeferredProperties(s.Properties):
    """The ``properties:`` section, read from its file when first used.

    The section is kept as a ruamel node (for positions), and unpickling one would import
    ruamel.yaml, the slowest part of a cached load; only ``oss-rules verify`` reads it.
    """

    __slots__ = ("_node",)
    _node: Any

    def __init__(self, span: s.Span) -> None:  # not attrs' __init__: `data` is read-only here
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "_node", None)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process (worker pools, Dask) as the section itself: the receiver
        # may not see the file, and attrs' slotted pickling cannot set a property.
        return (_properties, (self.data, self.span))

    @property
    def data(self) -> Any:
        if self._node is None:
            from ._loader import read_node

            object.__setattr__(self, "_node", read_node(Path(self.span.file), "properties"))
        return self._node


def _properties(data: Any, span: s.Span) -> s.Properties:
    return s.Properties(data, span=span)
