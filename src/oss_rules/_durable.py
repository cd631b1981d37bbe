"""A thin, thread-free driver of durable-rules' rete engine (its C core).

durable's Python ``Host`` starts timer threads, keeps a global registry and stores
exceptions raised in actions instead of raising them. We only need its rete network,
so we call the C extension directly: assert facts into a session, then run the
activations one by one in this thread. An exception in an action abandons the
action, deletes the session and propagates to the caller unchanged.
"""

from __future__ import annotations

import itertools
import json
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import durable_rules_engine as _engine

_NOT_HANDLED = 1
_OBSERVED = 2
_names = itertools.count()

Action = Callable[[str, Mapping[str, Any]], Sequence[Mapping[str, Any]]]
"""Called with (rule name, {alias: message}); returns new messages to assert."""


class DurableError(RuntimeError):
    """durable-rules rejected a message or a definition (a bug in oss_rules if raised)."""


class Network:
    """One compiled durable ruleset; freed when garbage-collected."""

    def __init__(self, definition: Mapping[str, Any]) -> None:
        name = f"oss_rules_{next(_names)}"
        self.handle: int = _engine.create_ruleset(name, json.dumps(definition))
        weakref.finalize(self, _engine.delete_ruleset, self.handle)

    def run(self, sid: str, batches: Sequence[Sequence[Mapping[str, Any]]], action: Action) -> None:
        """Assert each batch in order into a fresh session ``sid``, then fire to fixpoint."""
        handle = self.handle
        offset: int | None = None
        try:
            for batch in batches:
                if batch:
                    offset = self._assert(_engine.assert_facts, json.dumps(batch), batch, offset)
            if offset is None:
                return
            result = _engine.start_action_for_state(handle, offset)
            frames = json.loads(result[1]) if result else None
            while frames:
                for rule_name, frame in frames.items():
                    try:
                        new = action(rule_name, frame)
                        for message in new:
                            self._assert(_engine.assert_fact, json.dumps(message), message, offset)
                    except BaseException:
                        _engine.abandon_action(handle, offset)
                        raise
                next_frames = _engine.complete_and_start_action(handle, offset)
                frames = json.loads(next_frames) if next_frames else None
        finally:
            if offset is not None:
                _engine.delete_state(handle, sid)

    def _assert(
        self, call: Callable[[int, str], Any], payload: str, original: Any, offset: int | None
    ) -> int:
        code, new_offset = call(self.handle, payload)
        if code in (_NOT_HANDLED, _OBSERVED) and offset is None:
            # The facts before the rejected one are stored: the session exists, delete it.
            _engine.delete_state(
                self.handle,
                str(original[0]["sid"] if isinstance(original, list) else original["sid"]),
            )
        if code == _NOT_HANDLED:
            raise DurableError(f"durable-rules did not accept {original!r}")
        if code == _OBSERVED:
            raise DurableError(f"durable-rules saw {original!r} twice")
        return int(new_offset)
