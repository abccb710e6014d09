"""Progress lines for long work, on stderr so stdout stays clean for data."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints ``[stage] done/total detail``: every step on a terminal (overwriting one
    line), about every 10% otherwise, so CI logs stay short."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.interactive = self.stream.isatty()
        self._last = 0.0

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream, flush=True)

    def step(self, stage: str, done: int, total: int, detail: str = "") -> None:
        if self.quiet or total <= 0:
            return
        line = f"[{stage}] {done}/{total} {detail}".rstrip()
        if self.interactive:
            now = time.monotonic()
            if done == total or now - self._last > 0.1:
                self._last = now
                print("\r\x1b[2K" + line[:150], end="" if done < total else "\n", file=self.stream, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(line, file=self.stream, flush=True)


SILENT = Progress(quiet=True)
