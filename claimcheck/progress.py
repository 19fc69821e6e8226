"""A progress bar on stderr for long runs: items (files or records) done, words/s and the time left.

The bar is for people watching a terminal. It stays off when stderr is not a terminal, with
--quiet, and with the machine-read report formats (their consumers are programs and CI logs),
and it appears only once a run has lasted `DELAY` seconds, so short runs print nothing extra.
tqdm (a spaCy dependency) is imported only when a bar is wanted.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

# Report formats read by programs (and written in CI logs), never decorated with a bar.
MACHINE_FORMATS = frozenset({"json", "sarif", "github", "gitlab", "junit"})
DELAY = 2.0  # seconds before the bar appears: a quick run shows none


def wanted(quiet: bool, output_format: str = "text", stream: TextIO | None = None) -> bool:
    """Whether a run should show a bar: stderr is a terminal, not --quiet, not a machine format."""
    stream = stream if stream is not None else sys.stderr
    if quiet or output_format in MACHINE_FORMATS:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Counts items done and their words; `start` and `advance` are what the engine calls.

    Disabled (`enabled=False`), it only counts: the engine calls it the same way either way.
    """

    def __init__(self, unit: str, enabled: bool, stream: TextIO | None = None, delay: float | None = None) -> None:
        self.unit = unit
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.delay = DELAY if delay is None else delay
        self.items = 0
        self.words = 0
        self._started = time.perf_counter()
        self._running = False
        self._bar: Any = None

    def start(self, total: int | None) -> None:
        """The number of items the run will report (None: not known yet). The first call starts the
        clock; a later one only sets the total (files are linted while a tree is still walked)."""
        if self._running:
            if self._bar is not None and total is not None:
                self._bar.total = total
            return
        self._running = True
        self._started = time.perf_counter()
        if self.enabled:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                unit=f" {self.unit}",
                file=self.stream,
                delay=self.delay,
                leave=False,  # the report and summary line follow on a clean terminal
                dynamic_ncols=True,
                smoothing=0.1,
            )

    def advance(self, items: int, words: int) -> None:
        """`items` more done, holding `words` whitespace-separated words."""
        self.items += items
        self.words += words
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.words_per_second():,.0f} words/s", refresh=False)
            self._bar.update(items)

    def words_per_second(self) -> float:
        elapsed = time.perf_counter() - self._started
        return self.words / elapsed if elapsed > 0 else 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def close(self) -> None:
        """Take the bar off the terminal (it is not left behind)."""
        if self._bar is not None:
            if self.elapsed() >= self.delay:  # the bar is up: show the final count tqdm's redraw interval skipped
                self._bar.refresh()
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
