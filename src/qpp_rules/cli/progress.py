"""A progress indicator on standard error, shown only on a terminal and never with JSON.

>>> bar = Progress("work", 10, enabled=False)
>>> bar.update(5); bar.close()
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from .base import PROG

if TYPE_CHECKING:
    from qpp_rules.analysis import Population

__all__ = [
    "PROGRESS_BYTES",
    "PROGRESS_ROWS",
    "CountingLines",
    "Progress",
    "stages",
    "stderr_is_terminal",
    "terminal_progress",
]

PROGRESS_ROWS = 50_000
"""Populations of more rows than this show a progress indicator (on a terminal only)."""

PROGRESS_BYTES = 4_000_000
"""Population files of more bytes than this show a reading indicator (on a terminal only)."""


class Progress:
    """A one-line progress bar on standard error, redrawn in place; silent when disabled.
    It redraws only when the shown percentage or the note changes (no clock is read)."""

    WIDTH = 30

    def __init__(self, label: str, total: int, *, enabled: bool) -> None:
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        self.done = 0
        self._shown: tuple[int, str] | None = None
        self._length = 0
        self._stage = 0

    def update(self, done: int, note: str = "") -> None:
        """Show ``done`` of the total, with ``note``."""
        self.done = min(max(done, 0), self.total)
        if not self.enabled:
            return
        percent = self.done * 100 // self.total
        if (percent, note) == self._shown:
            return
        self._shown = (percent, note)
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{PROG}: {self.label} [{bar}] {percent:3d}% {note}".rstrip()
        padding = " " * max(self._length - len(line), 0)
        self._length = len(line)
        sys.stderr.write("\r" + line + padding)
        sys.stderr.flush()

    def stage(self, note: str) -> None:
        """Start the next stage, named ``note`` (the stages before it are done)."""
        self.update(self._stage, f"({self._stage + 1}/{self.total}) {note}")
        self._stage += 1

    def close(self) -> None:
        """Clear the line."""
        if self.enabled and self._length:
            sys.stderr.write("\r" + " " * self._length + "\r")
            sys.stderr.flush()
            self._length = 0


def stderr_is_terminal() -> bool:
    """Whether standard error is a terminal (False for a closed or odd stream)."""
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def terminal_progress(machine_output: bool) -> bool:
    """Whether to show progress: standard error is a terminal and the output is not JSON."""
    return not machine_output and stderr_is_terminal()


class CountingLines:
    """A text file's lines, reporting the characters read so far to a progress bar."""

    def __init__(self, handle: IO[str], progress: Progress) -> None:
        self.handle = handle
        self.progress = progress
        self.read = 0
        self.lines = 0

    def __iter__(self) -> CountingLines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.read += len(line)
        self.lines += 1
        if self.lines % 20_000 == 0:
            self.progress.update(self.read)
        return line


def stages(label: str, population: Population, count: int, *, progress: bool) -> Progress:
    """The progress bar of a command's ``count`` stages over ``population``: shown on a
    terminal for more than :data:`PROGRESS_ROWS` organizations."""
    return Progress(label, count, enabled=progress and len(population) > PROGRESS_ROWS)
