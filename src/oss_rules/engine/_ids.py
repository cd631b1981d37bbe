"""Message ids for durable-rules that cannot collide in its 32-bit hash.

durable keys each message of a session by the FNV-1a (32-bit) hash of its ``id``. The
engine names a fact by its index, but the decimal texts of two indices may share a
hash ("40189" and "797186" do), and durable then takes the second fact for the first:
an evaluation reaching 797,187 facts failed. So ids are handed out here: the index in
decimal, unless its hash is taken by an earlier id, in which case ``INDEX~N`` with the
smallest ``N`` whose hash is free. The table is shared by every engine of the process
(the texts do not depend on the evaluation), grows in blocks as runs need more ids, and
covers the context fact's ``ctx`` id too.
"""

from __future__ import annotations

import threading

__all__ = ["fact_index", "fnv1a32", "message_id"]

_BLOCK = 4096
_lock = threading.Lock()
_ids: list[str] = []
_taken: set[int] = set()
_alternates: dict[str, int] = {}


def fnv1a32(text: str) -> int:
    """The 32-bit FNV-1a hash of ``text``'s UTF-8 bytes, as durable computes it."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


_taken.add(fnv1a32("ctx"))


def message_id(index: int) -> str:
    """The durable id of the fact with this index: distinct in hash from every other."""
    if index >= len(_ids):
        _extend(index)
    return _ids[index]


def fact_index(text: str) -> int:
    """The fact index of a durable id given by :func:`message_id`."""
    index = _alternates.get(text)
    return int(text) if index is None else index


def _extend(index: int) -> None:
    with _lock:
        start = len(_ids)
        for i in range(start, max(index + 1, start + _BLOCK)):
            text = str(i)
            value = fnv1a32(text)
            tries = 0
            while value in _taken:
                tries += 1
                text = f"{i}~{tries}"
                value = fnv1a32(text)
            _taken.add(value)
            if tries:
                _alternates[text] = i
            _ids.append(text)
