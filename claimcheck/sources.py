"""Bytes to text: the encoding is decided once, here, and undecodable input is refused clearly.

Only regular files are read, and never more than MAX_BYTES plus one byte: a FIFO would block
forever and /dev/zero never ends, and both turn up in repositories (as committed symlinks) and
in careless command lines.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from claimcheck.errors import InputError
from claimcheck.text import BOMS

# Larger files are almost always exports or data, not copy; refusing them keeps a hook fast.
MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16/UTF-32; anything else is an InputError."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, name)
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not linted")
    return _decode(data, "utf-8", name)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not valid {encoding.upper()} (byte {error.start}); save it as UTF-8 to lint it"
        ) from None


def too_large(name: object, size: int | None, limit: int, outcome: str = "not linted") -> InputError:
    """The error for input over `limit` bytes, saying what became of it (`outcome`); `size` None
    when unknown (a stream is read only to the limit and one byte)."""
    return InputError(f"{name}: {over_the_limit(size, limit)}, {outcome}")


def over_the_limit(size: int | None, limit: int) -> str:
    """ "21 MiB is over the 20 MiB limit", or "more than the 20 MiB limit" when the size is unknown
    or rounds down to the limit: "20 MiB is over the 20 MiB limit" contradicts itself."""
    size_mib, limit_mib = (size or 0) // 1_048_576, limit // 1_048_576
    if size_mib > limit_mib:
        return f"{size_mib} MiB is over the {limit_mib} MiB limit"
    return f"more than the {limit_mib} MiB limit"


def read_limited(stream: BinaryIO, name: object, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes from a stream (stdin), refusing more with an InputError."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, None, limit)
    return data


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Read a regular file, refusing anything else, huge files and unreadable paths with one clear line."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would block; fstat then tells what was opened.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(f"{path}: symbolic link loop, not linted") from None
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a directory")
        if not stat.S_ISREG(mode):
            raise InputError(f"{path}: not a regular file, not linted")
        if os.fstat(descriptor).st_size > limit:
            raise too_large(path, os.fstat(descriptor).st_size, limit)
        try:
            return read_limited(stream, path, limit)
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None


def read_text(path: Path) -> str:
    """Read a file as text, refusing directories, huge files and undecodable bytes."""
    return decode(read_bytes(path), str(path))
