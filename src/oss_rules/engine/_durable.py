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
        """Assert each batch in order into a fresh session ``sid``, then fire to fixpoint.

        The last batch must make a rule fire (the engine's context fact does). The
        session is deleted however the run ends, also on ``KeyboardInterrupt``: durable
        crashes when it deletes a session in which no action started, so a run stopped
        before its first firing starts one, abandons it, then deletes (see
        :meth:`_release`). Runs on one network must not overlap (the engine's lock).
        """
        handle = self.handle
        offset = 0
        fired = False
        try:
            for batch in batches:
                if batch:
                    offset = self._assert(_engine.assert_facts, batch)
            # Set before the call: once it has returned, the session may be deleted.
            fired = True
            result = _engine.start_action_for_state(handle, offset)
            frames = json.loads(result[1]) if result else None
            while frames:
                for rule_name, frame in frames.items():
                    try:
                        messages = action(rule_name, frame)
                        if len(messages) == 1:
                            self._assert(_engine.assert_fact, messages[0])
                        elif messages:
                            self._assert(_engine.assert_facts, messages)
                    except BaseException:
                        _engine.abandon_action(handle, offset)
                        raise
                next_frames = _engine.complete_and_start_action(handle, offset)
                frames = json.loads(next_frames) if next_frames else None
        finally:
            if fired:
                _engine.delete_state(handle, sid)
            else:
                self._release(sid)

    def _release(self, sid: str) -> None:
        """Delete session ``sid`` of a run stopped before any action started.

        Its offset may be lost (an interrupt arrives when ``assert_facts`` returns, before
        the assignment), but runs do not overlap, so the session with a pending action is
        this one; no pending action means nothing was asserted, and no session exists.
        """
        try:
            started = _engine.start_action(self.handle)
        except _engine.error:
            return
        if started:
            _engine.abandon_action(self.handle, started[2])
            _engine.delete_state(self.handle, sid)

    def _assert(self, call: Callable[[int, str], Any], payload: Any) -> int:
        code, offset = call(self.handle, json.dumps(payload))
        if code == _NOT_HANDLED:
            raise DurableError(f"durable-rules did not accept {payload!r}")
        if code == _OBSERVED:
            raise DurableError(f"durable-rules saw {payload!r} twice")
        return int(offset)
