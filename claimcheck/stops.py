"""Deferring Ctrl-C and SIGTERM around code that a signal's exception, raised at any of its
instructions, would leave broken or would be lost in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


class Stops:
    """Ctrl-C and SIGTERM during a block: noted by the handlers, and raised as the block ends.

    Python raises a signal's exception at whatever instruction the main thread is at. Two kinds
    of code cannot take that:
    - concurrent.futures (engine.py). The exception can come while a future's lock is taken and
      not yet released (`wait` takes them one by one): the executor's thread then waits for that
      lock for ever, and stopping the pool waits for that thread, so the run hung. Each call into
      the executor is brief, or bounded by STOP_CHECK_SECONDS, but stopping the pool; reading
      files and walking folders stay interruptible at once.
    - spaCy's import (spacy_import.py) and the building of spaCy's parts of the pipeline
      (pipeline.py), which imports more of them. Its Cython extension modules (spaCy's, thinc's,
      numpy's) run Python code as they initialise, and their error handling can clear the
      exception: the Ctrl-C was lost and the run went on to its end (on a cold disk the import
      takes seconds).

    A second stop while one is pending, or while the pool is being stopped after an error, ends
    the process at once (128 + the signal): the way out should the block ever hang. Only signals
    with a Python handler are deferred (Ctrl-C's, and the CLI's SIGTERM); an ignored one, or one
    left to the system, stays as it is.
    """

    def __init__(self) -> None:
        self.stopping = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():  # handlers live in the main thread
            yield
            return
        noted: list[int] = []

        def note(signum: int, frame: object) -> None:
            if noted or self.stopping:
                os._exit(128 + signum)
            noted.append(signum)

        replaced = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if callable(handler):
                replaced[signum] = handler
                signal.signal(signum, note)
        try:
            yield
        finally:
            for signum, handler in replaced.items():
                signal.signal(signum, handler)
            if noted:
                self.stopping = True
                replaced[noted[0]](noted[0], None)
