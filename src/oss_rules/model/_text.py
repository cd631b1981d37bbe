"""Reading text files for oss_rules: UTF-8 only, every failure a located :class:`FileError`.

Input documents, ruleset files and test files are all read here, so that a wrong path,
a directory, bytes that are not UTF-8 or a lone surrogate give the same clear error.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import FileError

__all__ = ["decode", "read_text"]


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of the UTF-8 file at ``path``.

    Raises :class:`~oss_rules.errors.FileError` naming the file when it does not exist,
    is a directory, cannot be read, or holds bytes that are not UTF-8 (with their offset).
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise FileError(name, "is a directory, not a file") from None
    except FileNotFoundError:
        raise FileError(name, "cannot read: no such file") from None
    except OSError as error:
        raise FileError(name, f"cannot read: {error.strerror or error}") from None
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """``data`` decoded as UTF-8 (a leading byte-order mark dropped); bad bytes raise
    :class:`~oss_rules.errors.FileError` with their offset, line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileError(
            name,
            f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start} "
            f"(line {line}, column {col}) ({error.reason}); save the file as UTF-8",
            offset=error.start,
        ) from None
    return text.removeprefix("\ufeff")
