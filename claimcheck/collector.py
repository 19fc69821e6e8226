"""Pausing Python's cyclic garbage collector while long-lived objects are made.

Importing spaCy and building a pipeline allocate a few hundred thousand objects that live as
long as the process; the collector would walk them over and over while they are made.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was before, with what the block made frozen.

    Frozen (moved to the permanent generation) before the collector resumes: objects made
    while it was off were never collected, so all of them sit in the youngest generation, and
    the first allocation after resuming would walk every one (50 ms after a pipeline build,
    a sixteenth of a one-page run) only to find them alive.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
