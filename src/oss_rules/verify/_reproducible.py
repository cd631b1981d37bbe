"""Hypothesis runs that the seed alone decides, whatever the process has imported.

``oss-rules verify`` and ``oss-rules diff --generate`` promise the same examples for the
same seed, from the command line, under pytest and in an application alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["no_local_constants"]


@contextlib.contextmanager
def no_local_constants() -> Iterator[None]:
    """Draw without the constants hypothesis reads from the source of imported modules.

    Since 6.131 hypothesis sometimes draws a number or a text found in the source of a
    "local" module (any module outside site-packages and the standard library that the
    process has imported), and caches those pools for the process. The same seed then
    gives other inventories under pytest, in an application, or after another run: a
    sample would not be reproducible, and neither would ``oss-rules verify``'s outcome
    (its ``reproduce:`` line). A version without that feature is left as it is.
    """
    from hypothesis.internal.conjecture import providers as module

    providers: Any = module  # internals, read with care: absent in other versions
    getter = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    local = getattr(providers, "_local_constants", None)
    if getter is None or cache is None or local is None:
        yield
        return
    empty = type(local)(
        integers=type(local.integers)(),
        floats=type(local.floats)(key=providers.float_to_int),
        bytes=type(local.bytes)(),
        strings=type(local.strings)(),
    )
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE = {}
    try:
        yield
    finally:
        providers._get_local_constants = getter
        providers.CONSTANTS_CACHE = cache
