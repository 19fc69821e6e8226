"""Errors a user can cause, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses; documented in the README."""

    OK = 0  # nothing at or above the --fail-on level
    FINDINGS = 1  # findings at or above the --fail-on level
    USAGE = 2  # bad arguments, bad config or rule pack, unreadable input
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it
    TERMINATED = 143  # SIGTERM (128 + SIGTERM): stopped cleanly, workers included
    OUTPUT_CLOSED = 141  # the reader of standard output went away (128 + SIGPIPE): `... | head`


class ClaimcheckError(Exception):
    """An error with a message written for the user; the CLI prints it on one line."""

    exit_code = ExitCode.USAGE


class ConfigError(ClaimcheckError):
    """A config file or rule pack is malformed or refers to something that does not exist."""


class InputError(ClaimcheckError):
    """A document cannot be read as text."""
