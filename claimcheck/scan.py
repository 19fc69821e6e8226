"""Linting the records of a content export (a CMS dump of pages), here or on a Dask cluster.

`lint_records` is the one entry point every engine calls: a pure function of a batch of
records (mappings or a pandas DataFrame with an id, a text and optionally a format) and a
Config, returning the findings tagged with each record's id and the records it could not lint.
It builds nothing per record: the rule set and the spaCy pipeline are cached per process
(config.py, pipeline.py), so a worker builds them once, for its first batch.

`scan_exports` reads JSON Lines or Parquet exports batch by batch and lints the batches in this
process or on a Dask cluster (`claimcheck scan`); the results come back in export order whatever
the engine, so a run's output does not depend on where it ran. Spark and Ray Data call
`lint_records` the same way (docs/scale.md). Dask, distributed and pyarrow come with the `scan`
extra and are imported only here, only when used.
"""

from __future__ import annotations

import codecs
import datetime
import json
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError
from claimcheck.findings import Finding
from claimcheck.sources import MAX_BYTES, too_large

if TYPE_CHECKING:
    from claimcheck.readers import Document

# What a format field may name: every reader that reads text (a .docx is bytes, not a record).
RECORD_FORMATS = ("text", "markdown", "mdx", "html")
_FORMAT_ALIASES = {"txt": "text", "plain": "text", "md": "markdown", "htm": "html"}

# The columns of a finding in scan output (JSON Lines keys, Parquet columns), in this order:
# the record id, then the fields of a Finding other than its path.
COLUMNS = ("id", *[name for name in Finding.__annotations__ if name != "path"])
_INTEGER_COLUMNS = ("line", "column", "end_line", "end_column")


@dataclass(frozen=True)
class Fields:
    """Where a record keeps its id, text and format; a record without a format has `default_format`."""

    id: str = "id"
    text: str = "text"
    format: str = "format"
    default_format: str = "text"


@dataclass(frozen=True)
class RecordError:
    """A record that could not be linted: its position in the batch, its id if it has one, and why."""

    position: int
    id: str | None
    message: str


@dataclass
class Batch:
    """What `lint_records` made of one batch: findings (their `path` is the record id) and bad records."""

    records: int = 0
    words: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per finding with the keys of COLUMNS: what `claimcheck scan` writes."""
        return [_row(finding) for finding in self.findings]


def _row(finding: Finding) -> dict[str, Any]:
    data = finding.to_dict()
    return {"id": data.pop("path"), **data}


def lint_records(
    records: Iterable[Mapping[str, Any]] | Any,
    config: Config | None = None,
    fields: Fields = Fields(),
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> Batch:
    """Lint a batch of records with one config; picklable, so any engine can ship it to workers.

    `records` is an iterable of mappings or a pandas DataFrame. Each record's id (reported as a
    string) names its findings; its format ("text", "markdown", "mdx" or "html"; default
    `fields.default_format`) picks the reader. The config is used as given: its per-path
    overrides do not apply, since a record has an id, not a path. A record without an id or
    text, with a text that is not a string (or UTF-8 bytes), or an unknown format, is listed in
    `errors` and the others are linted; a broken config or pack raises ClaimcheckError.
    """
    from claimcheck import engine

    config = config or Config()
    ruleset = config.ruleset(select, ignore)
    batch = Batch()

    def documents() -> Iterator[Document]:  # read as they are linted, not all first
        for position, record in enumerate(_mappings(records)):
            batch.records += 1
            try:
                record_id, text, format = _fields_of(record, fields)
            except _BadRecord as bad:
                batch.errors.append(RecordError(position, bad.record_id, str(bad)))
                continue
            batch.words += len(text.split())
            yield engine.read(text, record_id, format, config)

    for found in engine.lint_documents(documents(), ruleset, config.pipeline):
        batch.findings.extend(found)
    return batch


def _mappings(records: Any) -> Iterable[Mapping[str, Any]]:
    """Records as mappings; a pandas DataFrame gives one per row (without importing pandas here)."""
    if hasattr(records, "to_dict") and hasattr(records, "columns"):
        return records.to_dict("records")  # type: ignore[no-any-return]
    return records  # type: ignore[no-any-return]


class _BadRecord(Exception):
    def __init__(self, message: str, record_id: str | None = None) -> None:
        super().__init__(message)
        self.record_id = record_id


def _missing(value: Any) -> bool:
    """None, or the NaN pandas puts where a row has no value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _usable_id(value: Any) -> bool:
    """A value that reads as one id: a non-empty string, an integer of any size (not true or
    false, which would read as "True" and "False"), a finite number (not an overflowed "1e400",
    which reads as "inf"), or a date; numpy's and pandas' scalars of those kinds too. Anything
    else (lists, objects, bytes, NaN, NaT, pandas' NA) is no id."""
    if isinstance(value, str):
        return value != ""
    if type(value).__name__ in ("bool", "bool_"):  # Python's and numpy's
        return False
    if isinstance(value, numbers.Integral):
        return True
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, numbers.Real):
        return math.isfinite(value)
    if isinstance(value, datetime.date):
        return value == value  # pandas' NaT is a datetime that equals nothing
    return False


def _id_of(record: Mapping[str, Any], fields: Fields) -> str:
    """A record's id as its findings name it, or _BadRecord saying why it has none."""
    record_id = record.get(fields.id)
    if not _usable_id(record_id):
        raise _BadRecord(f"no id: field '{fields.id}' is missing, empty, or not a string, finite number or date")
    try:
        return str(record_id)
    except ValueError:  # an integer past Python's 4,300-digit limit for str()
        raise _BadRecord(f"no id: field '{fields.id}' is an integer too long to write out") from None


def _fields_of(record: Any, fields: Fields) -> tuple[str, str, str]:
    """A record's id, text and format, or _BadRecord saying what is wrong with it."""
    if not isinstance(record, Mapping):
        raise _BadRecord(f"a record must be an object with fields, not {type(record).__name__}")
    record_id = _id_of(record, fields)
    text = record.get(fields.text)
    if _missing(text):
        raise _BadRecord(f"no text: field '{fields.text}' is missing or null", record_id)
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _BadRecord(f"text is not valid UTF-8 (byte {error.start})", record_id) from None
    if not isinstance(text, str):
        raise _BadRecord(f"text (field '{fields.text}') must be a string, not {type(text).__name__}", record_id)
    for name, value in (("id", record_id), ("text", text)):
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError as error:  # a JSON escape such as "\ud800" that pairs with nothing
            raise _BadRecord(f"{name} holds a lone surrogate at character {error.start + 1}", record_id) from None
        # As a file over the limit is (sources.py): linting a 36 MiB text at once took 491 MiB.
        if name == "text" and size > MAX_BYTES:
            raise _BadRecord(str(too_large("text", size, MAX_BYTES)), record_id)
    format = record.get(fields.format)
    if _missing(format) or format == "":
        format = fields.default_format
    if not isinstance(format, str):
        raise _BadRecord(f"format (field '{fields.format}') must be a string, not {type(format).__name__}", record_id)
    format = _FORMAT_ALIASES.get(format.lower(), format.lower())
    if format not in RECORD_FORMATS:
        raise _BadRecord(f"unknown format '{format}' (one of: {', '.join(RECORD_FORMATS)})", record_id)
    return record_id, text, format


# --- exports -----------------------------------------------------------------------------------


@dataclass
class Chunk:
    """Records read from an export, with where each one is (for messages), and lines that were
    not records at all (unparseable JSON, invalid UTF-8)."""

    records: list[Any] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # (records read before it, message): so errors are reported in the order of the export
    unreadable: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Scanned:
    """One batch of an export, linted: where its records were, and what lint_records said."""

    places: list[str]
    batch: Batch
    unreadable: list[tuple[int, str]]

    def errors(self) -> list[str]:
        """One line per record that was not linted, naming where it is in the export, in export order."""
        lines = [((before, 0), message) for before, message in self.unreadable]
        for error in self.batch.errors:
            lines.append(((error.position, 1), f"{_where(self.places[error.position], error.id)}: {error.message}"))
        return [line for _, line in sorted(lines)]


def _where(place: str, record_id: str | None) -> str:
    """How an error names a record: its place in the export, and its id if it has one."""
    return f"{place} (id {record_id})" if record_id is not None else place


def export_kind(path: Path) -> str:
    """ "parquet" for .parquet/.pq files, else "jsonl" (JSON Lines: one JSON object a line)."""
    return "parquet" if path.suffix.lower() in (".parquet", ".pq") else "jsonl"


def count_records(paths: list[Path]) -> int:
    """How many records the exports hold (Parquet: from the metadata; JSON Lines: non-blank lines)."""
    total = 0
    for path in paths:
        if export_kind(path) == "parquet":
            total += _parquet_file(path).metadata.num_rows
            continue
        with _open(path) as stream:
            total += sum(1 for _, line, _ in _lines(stream) if line is None or line.strip())
    return total


def read_exports(paths: list[Path], fields: Fields, batch_size: int) -> Iterator[Chunk]:
    """The exports' records in order, `batch_size` at a time. A record with the id of an earlier
    one (in any of the exports) is reported, not linted: its findings could not be told apart."""
    chunk = Chunk()
    # Each id read so far, and where: its export's index and its line or row, as one int (a place
    # string each took 7 MB more over 100,000 records). Bounded by the ids, not the texts.
    first_seen: dict[str, int] = {}
    for index, path in enumerate(paths):
        reader = _read_parquet if export_kind(path) == "parquet" else _read_jsonl
        for number, record in reader(path, fields, batch_size):
            place = _place(path, number)
            if not isinstance(record, _Unreadable):
                record = _unless_duplicate(record, index << _NUMBER_BITS | number, fields, first_seen, paths)
            if isinstance(record, _Unreadable):
                chunk.unreadable.append((len(chunk.records), f"{_where(place, record.id)}: {record.message}"))
                continue
            chunk.records.append(record)
            chunk.places.append(place)
            if len(chunk.records) >= batch_size:
                yield chunk
                chunk = Chunk()
    if chunk.records or chunk.unreadable:
        yield chunk


@dataclass(frozen=True)
class _Unreadable:
    message: str
    id: str | None = None


_NUMBER_BITS = 48  # a line or row number, below an export's index in a record's place as an int


def _place(path: Path, number: int) -> str:
    """How messages name a record: a JSON Lines file's line, a Parquet file's row."""
    return f"{path}: row {number}" if export_kind(path) == "parquet" else f"{path}:{number}"


def _unless_duplicate(record: Any, at: int, fields: Fields, first_seen: dict[str, int], paths: list[Path]) -> Any:
    """The record, or _Unreadable if an earlier record has its id (`at`: its place as an int)."""
    if not isinstance(record, Mapping):
        return record
    try:
        record_id = _id_of(record, fields)
    except _BadRecord:  # no usable id: lint_records says so
        return record
    first = first_seen.setdefault(record_id, at)
    if first != at:
        place = _place(paths[first >> _NUMBER_BITS], first & ((1 << _NUMBER_BITS) - 1))
        return _Unreadable(f"duplicate id, first at {place}; not linted", record_id)
    return record


def _open(path: Path):  # type: ignore[no-untyped-def]
    if path.exists() and not path.is_file():  # a FIFO would block, /dev/zero never end
        raise ClaimcheckError(f"cannot read {path}: not a regular file")
    try:
        return open(path, "rb")
    except OSError as error:
        raise ClaimcheckError(f"cannot read {path}: {error.strerror}") from None


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None, int]]:
    """Each line of a JSON Lines stream: its number, its bytes and its size without the line
    break (what is held to the limit). A line over MAX_BYTES (the limit for a file, and a line is
    a record's file) comes as None, read past in pieces, never held whole: a 150 MB line took
    490 MB to read and refuse. Lines are read a megabyte at a time: asked for up to the limit at
    once, readline reserved 20 MiB on every line."""
    piece = min(_PIECE, MAX_BYTES + 1)
    number = 0
    while line := stream.readline(piece):
        number += 1
        pieces, size = [line], len(line)
        while not line.endswith(b"\n") and size <= MAX_BYTES + 1 and (line := stream.readline(piece)):
            pieces.append(line)
            size += len(line)
        if size - line.endswith(b"\n") <= MAX_BYTES:
            yield number, b"".join(pieces), size - line.endswith(b"\n")
            continue
        pieces.clear()  # over the limit: the rest of the line is read past, not held
        while line and not line.endswith(b"\n"):
            line = stream.readline(piece)
            size += len(line)
        yield number, None, size - line.endswith(b"\n")


_PIECE = 1 << 20  # the most one read of an export takes


def _read_jsonl(path: Path, fields: Fields, batch_size: int) -> Iterator[tuple[int, Any]]:
    with _open(path) as stream:
        for number, line, size in _lines(stream):
            if line is None:  # "20 MiB is over the 20 MiB limit" was said of a line of 20 MiB and a byte
                yield number, _Unreadable(str(too_large("line", size, MAX_BYTES, "not read")))
                continue
            if number == 1:  # Windows tools start UTF-8 with a byte-order mark; JSON does not allow one
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            try:
                yield number, json.loads(line.decode("utf-8"), object_pairs_hook=_object)
            except UnicodeDecodeError as error:
                yield number, _Unreadable(f"not valid UTF-8 (byte {error.start})")
            except _DuplicateKey as error:
                yield number, _Unreadable(f"key '{error}' written twice in one object; not linted")
            except json.JSONDecodeError as error:
                yield number, _Unreadable(f"not a JSON object: {error.msg} (column {error.colno})")
            except (ValueError, RecursionError) as error:  # a 5,000-digit number, arrays nested 100,000 deep
                yield number, _Unreadable(f"not a JSON object: {error}")


class _DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key written twice: json.loads would keep the last silently, so
    '{"id": "a", "id": "b"}' would be linted as "b" whatever the exporter meant."""
    record = dict(pairs)
    if len(record) < len(pairs):  # rare: find the key, for the message
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return record


def _parquet_file(path: Path):  # type: ignore[no-untyped-def]
    if path.exists() and not path.is_file():
        raise ClaimcheckError(f"cannot read {path}: not a regular file")
    pyarrow = _require("pyarrow")
    import pyarrow.parquet as parquet

    try:
        return parquet.ParquetFile(path)
    except (OSError, pyarrow.ArrowException) as error:
        raise ClaimcheckError(f"cannot read {path} as Parquet: {error}") from None


def _read_parquet(path: Path, fields: Fields, batch_size: int) -> Iterator[tuple[int, Any]]:
    file = _parquet_file(path)
    names = file.schema_arrow.names
    for needed, option in ((fields.id, "--id-field"), (fields.text, "--text-field")):
        if needed not in names:
            raise ClaimcheckError(
                f"{path}: no column '{needed}' (columns: {', '.join(names)}); name the right one with {option}"
            )
    columns = [name for name in (fields.id, fields.text, fields.format) if name in names]
    row = 0
    for record_batch in file.iter_batches(batch_size=batch_size, columns=columns):
        for record in record_batch.to_pylist():
            row += 1
            yield row, record


def _require(module: str) -> Any:
    """An optional dependency of `scan`, or one line saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ClaimcheckError(
            f"claimcheck scan needs {module}; install it with: pip install 'health-claimcheck[scan]'"
        ) from None


# --- engines -----------------------------------------------------------------------------------


def scan_exports(
    chunks: Iterable[Chunk],
    config: Config,
    fields: Fields = Fields(),
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    client: Any = None,
) -> Iterator[Scanned]:
    """Lint each chunk, in this process or on a Dask `client`; yields in the order read."""
    if client is None:
        for chunk in chunks:
            yield Scanned(chunk.places, lint_records(chunk.records, config, fields, select, ignore), chunk.unreadable)
        return
    yield from _on_dask(client, chunks, config, fields, select, ignore)


def _on_dask(
    client: Any,
    chunks: Iterable[Chunk],
    config: Config,
    fields: Fields,
    select: frozenset[str],
    ignore: frozenset[str],
) -> Iterator[Scanned]:
    """Batches on a Dask cluster, a few per worker in flight at a time (reading never runs far
    ahead of linting, so memory stays bounded), results put back in the order read."""
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    source = iter(chunks)
    in_flight: dict[Any, tuple[int, Chunk]] = {}
    finished: dict[int, Scanned] = {}
    completed = as_completed()
    submitted = next_out = 0

    def submit() -> None:
        nonlocal submitted
        chunk = next(source, None)
        if chunk is None:
            return
        future = client.submit(lint_records, chunk.records, config, fields, select, ignore, pure=False)
        in_flight[future] = (submitted, chunk)
        completed.add(future)
        submitted += 1

    for _ in range(4 * workers):
        submit()
    for future in completed:
        index, chunk = in_flight.pop(future)
        finished[index] = Scanned(chunk.places, future.result(), chunk.unreadable)
        future.release()
        submit()
        while next_out in finished:
            yield finished.pop(next_out)
            next_out += 1


def local_workers(jobs: int) -> int:
    """How many worker processes a local cluster asked for `jobs` starts: at most one per CPU this
    process may use, as `check --jobs` (engine.usable_cpus). More only take turns on the CPUs,
    each with a pipeline of its own in memory. A cluster of yours (--scheduler) is not capped."""
    from claimcheck.engine import usable_cpus

    return max(1, min(jobs, usable_cpus()))


def dask_client(scheduler: str | None, jobs: int, stack: Any) -> Any:
    """A Dask client: to the scheduler at `scheduler`, else to a LocalCluster of `jobs` worker
    processes, at most one per usable CPU (local_workers; one thread each: the pipeline is
    Python-bound). Closed with `stack`."""
    _require("distributed")
    import logging

    import dask
    from distributed import Client, LocalCluster

    # Dask keeps the last thousand messages each process sends, for its developers' debugging;
    # ours carry whole batches of records, so a scan's client and local scheduler held every
    # batch of a 100,000-page export (the client grew from 100 MiB to 216 MiB). Keep none.
    # Nor the statistical profile a worker takes of itself (a call stack every 10 ms, kept for
    # the dashboard, which scan does not start): 6 MiB of a worker's peak on that export.
    settings = {"distributed.admin.low-level-log-length": 0, "distributed.worker.profile.enabled": False}
    stack.enter_context(dask.config.set(settings))
    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout="10s"))
        except (OSError, TimeoutError, ValueError) as error:
            raise ClaimcheckError(f"cannot connect to the Dask scheduler at {scheduler}: {error}") from None
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=local_workers(jobs),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    )
    return stack.enter_context(Client(cluster))


# --- output ------------------------------------------------------------------------------------


class FindingsWriter:
    """Findings rows to a JSON Lines stream or a Parquet file (chosen by the file name)."""

    def __init__(self, stream: Any, parquet: bool) -> None:
        self.stream = stream
        self._parquet: Any = None
        if parquet:
            _require("pyarrow")
            import pyarrow.parquet

            self._parquet = pyarrow.parquet.ParquetWriter(stream, _arrow_schema())

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self._parquet is not None:
            import pyarrow

            self._parquet.write_table(pyarrow.Table.from_pylist(rows, schema=_arrow_schema()))
            return
        self.stream.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8"))

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()


def _arrow_schema():  # type: ignore[no-untyped-def]
    import pyarrow

    return pyarrow.schema(
        [(name, pyarrow.int64() if name in _INTEGER_COLUMNS else pyarrow.string()) for name in COLUMNS]
    )
