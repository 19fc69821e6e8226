"""Bytes to text: the encoding is decided once, here, and undecodable input is refused clearly."""

from __future__ import annotations

from pathlib import Path

from claimcheck.errors import InputError
from claimcheck.text import BOMS

# Larger files are almost always exports or data, not copy; refusing them keeps a hook fast.
MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16; anything else is an InputError."""
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


def read_bytes(path: Path) -> bytes:
    """Read a file, refusing directories, huge files and unreadable paths with one clear line."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path}: {size // 1_048_576} MiB is over the {MAX_BYTES // 1_048_576} MiB limit, not linted"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def read_text(path: Path) -> str:
    """Read a file as text, refusing directories, huge files and undecodable bytes."""
    return decode(read_bytes(path), str(path))
