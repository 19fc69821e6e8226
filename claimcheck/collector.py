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
    """The collector off for the block, then as it was before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
