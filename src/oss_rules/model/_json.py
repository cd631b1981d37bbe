"""Strict JSON reading for input documents: what ``json.loads`` lets through, refused.

``json.loads`` accepts ``NaN`` and ``Infinity``, takes the last of two equal keys,
turns a 5,000-digit integer into a ``ValueError``, nests until ``RecursionError`` and
keeps ``"\\ud800"`` as a lone surrogate that no output can encode. Here each of those is
an :class:`~oss_rules.errors.InputError` naming the place, and numbers with a fraction
are exact decimals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from ..errors import InputError

__all__ = ["MAX_DEPTH", "loads"]

MAX_DEPTH = 32
"""Arrays and objects nest at most this deep (an input document needs 4)."""

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_CONSTANT = re.compile(r"-?\b(?:NaN|Infinity)\b")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONG_INT = 20


class _RefusedError(Exception):
    def __init__(self, message: str, at: int | None = None) -> None:
        self.message = message
        self.at = at
        super().__init__(message)


class _Object(dict[str, Any]):
    """An object whose text repeated a key; the first repeated key is kept for the error."""

    repeated: str = ""


def loads(text: str, name: str = "<json>") -> Any:
    """The JSON value of ``text``; ``name`` is the source shown in errors.

    Numbers with a fraction or an exponent are :class:`~decimal.Decimal`; an integer
    of more than 20 digits is a Decimal too (the fact's kind then refuses it as out of
    range, without converting thousands of digits). Raises :class:`InputError` for
    text that is not JSON, ``NaN``/``Infinity``, a repeated key (with its JSON path),
    nesting deeper than :data:`MAX_DEPTH`, and a lone surrogate (``"\\ud800"``).
    """
    _check_depth(text, name)
    repeated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = _Object()
        for key, value in items:
            if key in out and not out.repeated:
                out.repeated = key
                repeated.append(True)
            out[key] = value
        return out

    try:
        data = _decode(text, pairs)
    except _RefusedError as error:
        raise InputError(name, *_line_col(text, error.at), error.message) from None
    except RecursionError:
        raise InputError(name, 1, 1, f"nested deeper than {MAX_DEPTH} levels") from None
    if repeated:
        path, key = next(_repeated(data, "$"))
        where = text.find(f'"{key}"')
        raise InputError(
            name,
            *_line_col(text, where if where >= 0 else None),
            f"key {key!r} appears twice in the object at {path}; keep one",
        )
    if _SURROGATE.search(text) or _ESCAPED_SURROGATE.search(text):
        _check_surrogates(data, text, name)
    return data


def _decode(text: str, pairs: Any) -> Any:
    def constant(word: str) -> Any:
        match = _CONSTANT.search(_STRING.sub(lambda m: " " * len(m.group()), text))
        raise _RefusedError(
            f"{word} is not a JSON number; give a finite number", match.start() if match else None
        )

    def integer(digits: str) -> int | Decimal:
        return int(digits) if len(digits) <= _LONG_INT else Decimal(digits)

    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=integer,
            parse_constant=constant,
            object_pairs_hook=pairs,
        )
    except json.JSONDecodeError as error:
        raise _RefusedError(error.msg, error.pos) from None


def _check_depth(text: str, name: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    blanked = _STRING.sub(lambda m: " " * len(m.group()), text)
    depth = 0
    for match in _BRACKET.finditer(blanked):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line, col = _line_col(text, match.start())
            raise InputError(
                name, line, col, f"nested deeper than {MAX_DEPTH} levels of arrays and objects"
            )


def _repeated(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, _Object):
        if value.repeated:
            yield path, value.repeated
        for key, item in value.items():
            yield from _repeated(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _repeated(item, f"{path}[{i}]")


def _check_surrogates(value: Any, text: str, name: str, path: str = "$") -> None:
    texts = [value] if isinstance(value, str) else []
    if isinstance(value, dict):
        texts = list(value)
        for key, item in value.items():
            _check_surrogates(item, text, name, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_surrogates(item, text, name, f"{path}[{i}]")
    for item in texts:
        if _SURROGATE.search(item):
            found = _ESCAPED_SURROGATE.search(text) or _SURROGATE.search(text)
            raise InputError(
                name,
                *_line_col(text, found.start() if found else None),
                f"a lone surrogate (half of a UTF-16 pair) in a string at {path}; "
                "it is not a character: remove it or give the whole pair",
            )


def _line_col(text: str, at: int | None) -> tuple[int, int]:
    if at is None:
        return 1, 1
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def dump(data: Any, write: Callable[[str], object], *, indent: int | None = 2) -> None:
    """Write ``data`` as canonical JSON (sorted keys, UTF-8 text) through ``write``.

    The same text as ``json.dumps(data, indent=indent, sort_keys=True,
    ensure_ascii=False)``, written a few kB at a time: ``json.dumps`` with an indent (and
    ``io.StringIO``) keep a list of every small piece of the text, ~6x the text itself.
    """
    encoder = json.JSONEncoder(indent=indent, sort_keys=True, ensure_ascii=False)
    pending: list[str] = []
    for chunk in encoder.iterencode(data):
        pending.append(chunk)
        if len(pending) == _BATCH:
            write("".join(pending))
            pending.clear()
    write("".join(pending))


_BATCH = 4096
"""Pieces of JSON text joined before they are written (see :func:`dump`)."""
