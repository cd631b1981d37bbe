"""A progress line on stderr: items done (of how many), items/s and the ETA.

Batch evaluation counts records; ``oss-rules verify`` counts the examples tried on a
property that runs longer than a couple of seconds.

Written here rather than with click's progress bar or rich: click's bar prints only its
label when stderr is not a terminal (so ``--progress`` into a CI log would show
nothing), and needs a known length, which a stream from stdin or a CSV file does not
have; rich would be a new dependency for one line. On a terminal the line is redrawn
in place; otherwise (``--progress`` into a file) a line is printed every few seconds.
"""

from __future__ import annotations

import time
from typing import IO

from .._untrusted import escape_control
from ._exit import unescaped

__all__ = ["Progress"]

_REDRAW = 0.2
"""Seconds between redraws on a terminal."""

_LOG_EVERY = 5.0
"""Seconds between lines when stderr is not a terminal."""


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class Progress:
    """Counts items (``unit``) as they finish and, when ``shown``, draws the line after
    ``label``; ``total`` may be unknown (stdin, CSV), and then there is no ETA. Nothing
    is drawn in the first ``delay`` seconds, so that short runs stay quiet."""

    def __init__(
        self,
        stream: IO[str],
        total: int | None,
        *,
        terminal: bool,
        shown: bool,
        unit: str = "records",
        label: str = "",
        delay: float = 0.0,
    ) -> None:
        self._stream = stream
        self._total = total
        self._terminal = terminal
        self._enabled = shown
        self._unit = unit
        self._label = label
        self._start = self._shown = time.monotonic()
        self._quiet_until = self._start + delay
        self._drawn = False
        self.done = 0
        self.failed = 0

    def advance(self, failed: bool) -> None:
        """One more record finished (``failed`` when it could not be evaluated)."""
        self.done += 1
        self.failed += failed
        if not self._enabled:
            return
        now = time.monotonic()
        if now < self._quiet_until:
            return
        if now - self._shown >= (_REDRAW if self._terminal else _LOG_EVERY):
            self._shown = now
            self._show(now)

    def line(self, now: float | None = None) -> str:
        """The progress line: ``1,200/20,000 records (3 failed)  412 records/s  ETA 0:00:45``."""
        elapsed = max((now or time.monotonic()) - self._start, 1e-9)
        rate = self.done / elapsed
        count = f"{self.done:,}" + (f"/{self._total:,}" if self._total is not None else "")
        text = f"{self._label}{count} {self._unit}"
        if self.failed:
            text += f" ({self.failed:,} failed)"
        text += f"  {rate:,.0f} {self._unit}/s"
        if self._total is not None and rate > 0:
            text += f"  ETA {_clock(max(self._total - self.done, 0) / rate)}"
        return text

    def _show(self, now: float) -> None:
        self._drawn = True
        if self._terminal:
            # Redrawn in place: the escape sequences are ours, the line's text is escaped.
            raw = unescaped(self._stream)
            raw.write("\r\x1b[K" + escape_control(self.line(now)))
            raw.flush()
        else:
            self._stream.write(self.line(now) + "\n")
            self._stream.flush()

    def close(self) -> None:
        """Clear the redrawn line, so that the summary starts on a clean line."""
        if self._drawn and self._terminal:
            raw = unescaped(self._stream)
            raw.write("\r\x1b[K")
            raw.flush()
