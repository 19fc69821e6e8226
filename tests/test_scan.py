"""Content exports: lint_records (the entry point every engine calls) and `claimcheck scan`,
in this process and on a two-process Dask LocalCluster."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ERROR_PREFIX, assert_one_error_line, write

from claimcheck import Config, engine, pipeline, scan
from claimcheck.scan import COLUMNS, Fields, lint_records

RECORDS = [
    {"id": 1, "text": "Our formula cures arthritis.", "format": "text"},
    {"id": "news/2", "text": "# Title\n\nThis device eliminates sciatica.\n", "format": "markdown"},
    {"id": 3, "text": "<p>Clinically proven to restore cartilage.</p>", "format": "html"},
    {"id": 4, "text": "Our clinic is open Monday to Friday."},  # no format: the default, text
]


def export_records(count: int) -> list[dict]:
    """`count` short pages in the three formats; one in five says nothing that fires."""
    claims = ["cures arthritis", "eliminates sciatica", "reverses diabetes", "restores cartilage"]
    records = []
    for index in range(count):
        claim = claims[index % len(claims)]
        text = f"Page {index}. Our tea {claim}. Results in {index % 9 + 1} weeks."
        if index % 5 == 0:
            text = f"Page {index}. Our clinic is open from nine to five."
        kind = ("text", "markdown", "html")[index % 3]
        if kind == "markdown":
            text = f"# Page {index}\n\n{text}\n"
        elif kind == "html":
            text = f"<h1>Page {index}</h1><p>{text}</p>"
        records.append({"id": f"page-{index}", "text": text, "format": kind})
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    return write(path, "".join(json.dumps(record) + "\n" for record in records))


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


# --- lint_records ------------------------------------------------------------------------------


def test_findings_carry_the_record_id_and_match_lint_text():
    from claimcheck import lint_text

    batch = lint_records(RECORDS, Config())
    assert batch.records == 4 and not batch.errors
    assert {f.path for f in batch.findings} == {"1", "news/2", "3"}
    for record in RECORDS[:3]:
        suffix = {"text": ".txt", "markdown": ".md", "html": ".html"}[record["format"]]
        expected = [(f.rule, f.line, f.column) for f in lint_text(record["text"], f"x{suffix}")]
        assert [(f.rule, f.line, f.column) for f in batch.findings if f.path == str(record["id"])] == expected
    rows = batch.rows()
    assert rows and all(tuple(row) == COLUMNS for row in rows) and rows[0]["id"] == "1"


def test_bad_records_are_listed_and_the_rest_linted():
    records = [
        {"id": 1},
        {"text": "Our formula cures arthritis."},
        {"id": 3, "text": 42},
        {"id": 4, "text": b"caf\xff"},
        {"id": 5, "text": "x", "format": "docx"},
        ["not", "a", "mapping"],
        {"id": 7, "text": b"Our formula cures arthritis."},  # UTF-8 bytes are text
    ]
    batch = lint_records(records)
    assert [(e.position, e.id) for e in batch.errors] == [(0, "1"), (1, None), (2, "3"), (3, "4"), (4, "5"), (5, None)]
    messages = [e.message for e in batch.errors]
    assert "field 'text' is missing" in messages[0] and "field 'id'" in messages[1]
    assert "must be a string, not int" in messages[2] and "not valid UTF-8" in messages[3]
    assert "unknown format 'docx'" in messages[4] and "object with fields" in messages[5]
    assert {f.path for f in batch.findings} == {"7"}


def test_a_record_over_the_file_size_limit_is_a_bad_record_not_linted(monkeypatch):
    monkeypatch.setattr(scan, "MAX_BYTES", 1000)
    big = {"id": "big", "text": "Our formula cures arthritis. " * 40}
    records = [big, {"id": "ok", "text": "Our formula cures gout."}]
    batch = lint_records(records)
    assert [(e.position, e.id) for e in batch.errors] == [(0, "big")]
    assert batch.errors[0].message == "text: more than the 0 MiB limit, not linted"
    assert {f.path for f in batch.findings} == {"ok"}


def test_an_id_is_a_string_a_finite_number_or_a_date():
    import datetime
    from decimal import Decimal

    numpy = pytest.importorskip("numpy")
    pandas = pytest.importorskip("pandas")
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)  # the default, whatever PYTHONINTMAXSTRDIGITS says
    try:
        text = "Our formula cures arthritis."
        bad = [True, numpy.bool_(False), float("inf"), Decimal("Infinity"), numpy.array([1, 2]), pandas.NA]
        bad += [pandas.NaT, numpy.datetime64("NaT"), (1, 2), bytearray(b"x"), 10**5000]
        good = ["a", 7, 2.5, 10**400, Decimal("1001"), numpy.int64(5), numpy.float64(2.5), datetime.date(2024, 1, 2)]
        batch = lint_records([{"id": value, "text": text} for value in bad + good])
    finally:
        sys.set_int_max_str_digits(limit)
    assert [e.position for e in batch.errors] == list(range(len(bad)))
    assert all(e.message.startswith("no id:") for e in batch.errors)
    assert {f.path for f in batch.findings} == {"a", "7", "2.5", str(10**400), "1001", "5", "2024-01-02"}


def test_a_pandas_batch_gives_what_the_records_give():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame([{"url": "/a", "body": "Our formula cures arthritis.", "kind": None}, *[{}]])
    fields = Fields(id="url", text="body", format="kind")
    batch = lint_records(frame, Config(), fields)
    assert {f.path for f in batch.findings} == {"/a"}
    assert [e.position for e in batch.errors] == [1]  # the empty row: NaN is no value
    same = lint_records([{"url": "/a", "body": "Our formula cures arthritis."}], None, fields)
    assert batch.findings == same.findings


def test_lint_records_and_its_results_pickle():
    batch = lint_records(RECORDS)
    assert pickle.loads(pickle.dumps(lint_records)) is lint_records
    assert pickle.loads(pickle.dumps(batch)) == batch


def test_the_pipeline_is_built_once_per_process_not_per_record(monkeypatch, fresh_pipelines):
    builds = []
    original = pipeline._build
    monkeypatch.setattr(pipeline, "_build", lambda *args: builds.append(args) or original(*args))
    for _ in range(3):
        lint_records(export_records(10), Config())
    assert len(builds) == 1


# --- claimcheck scan, in this process ---------------------------------------------------------------


def test_scan_writes_json_lines_and_exits_1_on_findings(cli, workdir):
    write_jsonl(workdir / "export.jsonl", RECORDS)
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 1, result.stderr
    rows = jsonl_rows(result.stdout)
    assert list(dict.fromkeys(row["id"] for row in rows)) == ["1", "news/2", "3"]  # export order
    assert all(tuple(row) == COLUMNS for row in rows)
    summary = result.stderr.splitlines()
    assert len(summary) == 1 and summary[0].startswith("claimcheck: 4 records, ") and "in 3 records" in summary[0]
    assert cli("scan", "-q", "export.jsonl").stderr == ""


def test_scan_clean_export_exits_0(cli, workdir):
    write_jsonl(workdir / "export.jsonl", [RECORDS[3]])
    result = cli("scan", "-q", "export.jsonl")
    assert result.exit_code == 0 and result.stdout == ""
    assert cli("scan", "-q", "--fail-on", "error", "--select", "core/efficacy-claim", "export.jsonl").exit_code == 0


def test_scan_names_the_fields_and_reads_and_writes_parquet(cli, workdir):
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as parquet

    renamed = [{"url": r["id"], "body": r["text"], "kind": r.get("format")} for r in RECORDS]
    write_jsonl(workdir / "export.jsonl", [{"id": r["id"], "text": r["text"], **r} for r in RECORDS])
    table = pyarrow.Table.from_pylist([{**r, "url": str(r["url"])} for r in renamed])
    parquet.write_table(table, workdir / "export.parquet")
    options = ["--id-field", "url", "--text-field", "body", "--format-field", "kind"]
    from_parquet = cli("scan", "-q", *options, "export.parquet", "--output", "found.parquet")
    assert from_parquet.exit_code == 1, from_parquet.stderr
    from_jsonl = cli("scan", "-q", "export.jsonl", "-o", "found.jsonl")
    assert from_jsonl.stdout == "" and from_jsonl.exit_code == 1
    written = parquet.read_table(workdir / "found.parquet")
    assert written.column_names == list(COLUMNS) and written.schema.field("line").type == pyarrow.int64()
    assert written.to_pylist() == jsonl_rows((workdir / "found.jsonl").read_text())
    assert not [p for p in workdir.iterdir() if p.name.startswith(".found")]  # no temporary left behind


def test_scan_reports_each_bad_record_on_one_line_and_exits_2(cli, workdir):
    lines = [json.dumps(RECORDS[0]), "{not json", json.dumps({"id": 3}), json.dumps({"id": 4, "text": ["x"]})]
    (workdir / "export.jsonl").write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": 5, "text": "caf\xff"}\n')
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 2
    assert {row["id"] for row in jsonl_rows(result.stdout)} == {"1"}  # the good record is still linted
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    assert errors == [
        f"{ERROR_PREFIX} export.jsonl:2: not a JSON object: Expecting property name enclosed in double quotes"
        " (column 2)",
        f"{ERROR_PREFIX} export.jsonl:3 (id 3): no text: field 'text' is missing or null",
        f"{ERROR_PREFIX} export.jsonl:4 (id 4): text (field 'text') must be a string, not list",
        f"{ERROR_PREFIX} export.jsonl:5: not valid UTF-8 (byte 22)",
    ]
    assert "Traceback" not in result.stderr and "4 not linted" in result.stderr.splitlines()[-1]


def test_scan_reads_an_export_that_starts_with_a_utf8_bom(cli, workdir):
    """Windows tools write one; record 1 was "not a JSON object" and lost."""
    lines = [json.dumps(RECORDS[0]), json.dumps(RECORDS[2])]
    (workdir / "export.jsonl").write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 1, result.stderr
    assert list(dict.fromkeys(row["id"] for row in jsonl_rows(result.stdout))) == ["1", "3"]
    assert ERROR_PREFIX not in result.stderr


def test_a_duplicate_id_is_a_bad_record_naming_both_places(cli, workdir):
    """Findings name their record by id alone: a second record with an id is not linted."""
    write_jsonl(workdir / "export.jsonl", [RECORDS[0], {"id": "1", "text": "Our pill cures gout."}, RECORDS[2]])
    write_jsonl(workdir / "more.jsonl", [{"id": 3, "text": "Our tea cures anxiety."}])
    result = cli("scan", "export.jsonl", "more.jsonl")
    assert result.exit_code == 2, result.stderr
    rows = jsonl_rows(result.stdout)
    assert {row["id"] for row in rows} == {"1", "3"} and "cures gout" not in result.stdout
    assert "cures anxiety" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    assert errors == [
        f"{ERROR_PREFIX} export.jsonl:2 (id 1): duplicate id, first at export.jsonl:1; not linted",
        f"{ERROR_PREFIX} more.jsonl:1 (id 3): duplicate id, first at export.jsonl:3; not linted",
    ]


def test_a_key_written_twice_in_a_record_is_a_bad_record(cli, workdir):
    """json.loads keeps the last of two "id" keys silently; which one the exporter meant is unknown."""
    lines = ['{"id": "a", "id": "b", "text": "Our pill cures gout."}', json.dumps(RECORDS[0])]
    write(workdir / "export.jsonl", "\n".join(lines) + "\n")
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 2, result.stderr
    assert {row["id"] for row in jsonl_rows(result.stdout)} == {"1"}
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    assert errors == [f"{ERROR_PREFIX} export.jsonl:1: key 'id' written twice in one object; not linted"]


def test_a_line_over_the_size_limit_is_refused_unread_and_the_rest_linted(cli, workdir, monkeypatch):
    """A 150 MB line was read whole (490 MB) before its text was found too large."""
    monkeypatch.setattr(scan, "MAX_BYTES", 1000)
    huge = json.dumps({"id": "huge", "text": "Our formula cures arthritis. " * 3000})  # 87 KB
    lines = [json.dumps(RECORDS[0]), huge, json.dumps(RECORDS[2]), huge]  # the last without a newline
    write(workdir / "export.jsonl", "\n".join(lines))
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 2, result.stderr
    assert list(dict.fromkeys(row["id"] for row in jsonl_rows(result.stdout))) == ["1", "3"]
    errors = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    too_large = "line: more than the 0 MiB limit, not read"
    assert errors == [f"{ERROR_PREFIX} export.jsonl:2: {too_large}", f"{ERROR_PREFIX} export.jsonl:4: {too_large}"]


def test_no_read_of_an_export_holds_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(scan, "MAX_BYTES", 1000)
    reads: list[int] = []

    class Recording(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            line = super().readline(size)
            reads.append(len(line))
            return line

    stream = Recording(b"a" * 50_000 + b"\n" + b"b" * 1000 + b"\n" + b"c" * 1001)
    assert list(scan._lines(stream)) == [(1, None, 50_000), (2, b"b" * 1000 + b"\n", 1000), (3, None, 1001)]
    assert max(reads) <= 1001


def _padded_line(record_id: str, size: int) -> bytes:
    """A JSON Lines record of exactly `size` bytes, cheap to lint: its bulk is a field nobody reads."""
    head = json.dumps({"id": record_id, "text": "Our formula cures arthritis."})[:-1] + ', "pad": "'
    return (head + "a" * (size - len(head) - 2) + '"}').encode()


def test_a_line_just_over_the_real_limit_is_not_said_to_be_within_it(cli, workdir):
    """A line of 20 MiB and a byte was "20 MiB, over the 20 MiB limit"; one of 21 MiB less a
    byte and its line break was called 21 MiB. The line of exactly 20 MiB is linted."""
    limit = scan.MAX_BYTES
    assert limit == 20 * 1_048_576
    lines = [
        _padded_line("at", limit),
        _padded_line("just-over", limit + 1),
        _padded_line("under-21", 21 * 1_048_576 - 1),
        _padded_line("over-21", 21 * 1_048_576),
    ]
    (workdir / "export.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    result = cli("scan", "-q", "export.jsonl")
    assert result.exit_code == 2, result.stderr
    assert {row["id"] for row in jsonl_rows(result.stdout)} == {"at"}
    assert result.stderr.splitlines() == [
        f"{ERROR_PREFIX} export.jsonl:2: line: more than the 20 MiB limit, not read",
        f"{ERROR_PREFIX} export.jsonl:3: line: more than the 20 MiB limit, not read",
        f"{ERROR_PREFIX} export.jsonl:4: line: 21 MiB is over the 20 MiB limit, not read",
    ]


def test_a_text_just_over_the_limit_is_not_said_to_be_within_it():
    batch = lint_records([{"id": "big", "text": "a" * (scan.MAX_BYTES + 1)}])
    assert [e.message for e in batch.errors] == ["text: more than the 20 MiB limit, not linted"]


def test_scan_with_the_wrong_field_name_shows_a_few_errors_and_a_count(cli, workdir):
    write_jsonl(workdir / "export.jsonl", export_records(30))
    result = cli("scan", "-q", "--text-field", "body", "export.jsonl")
    errors = result.stderr.splitlines()
    assert result.exit_code == 2 and len(errors) == 21
    assert errors[-1] == f"{ERROR_PREFIX} ... and 10 more records not linted"


def test_scan_parquet_without_the_text_column_is_one_error_line(cli, workdir):
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as parquet

    parquet.write_table(pyarrow.Table.from_pylist([{"id": "a", "body": "x"}]), workdir / "export.parquet")
    line = assert_one_error_line(cli("scan", "-q", "export.parquet"))
    assert "no column 'text' (columns: id, body)" in line and "--text-field" in line
    write(workdir / "broken.parquet", "not parquet")
    assert "cannot read broken.parquet as Parquet" in assert_one_error_line(cli("scan", "-q", "broken.parquet"))


def test_scan_unreachable_scheduler_is_one_error_line(cli, workdir):
    pytest.importorskip("distributed")
    write_jsonl(workdir / "export.jsonl", RECORDS)
    line = assert_one_error_line(cli("scan", "-q", "--scheduler", "tcp://127.0.0.1:1", "export.jsonl"))
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:1" in line


# --- on a Dask cluster ---------------------------------------------------------------------------


def test_a_two_worker_local_cluster_finds_what_the_local_run_finds(cli, workdir):
    """Record for record, in the same order, with bad records reported the same way."""
    distributed = pytest.importorskip("distributed")
    records = export_records(120)
    records[17] = {"id": "page-17"}  # a bad record, reported by its line either way
    write_jsonl(workdir / "export.jsonl", records)
    local = cli("scan", "--batch-size", "7", "-o", "local.jsonl", "export.jsonl")
    assert local.exit_code == 2, local.stderr
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as cluster,
        distributed.Client(cluster, timeout="60s") as client,
    ):
        client.wait_for_workers(2, timeout=60)
        remote = cli("scan", "--batch-size", "7", "--scheduler", cluster.scheduler_address, "export.jsonl")
        workers = set(client.run(os.getpid).values())
    assert len(workers) == 2
    expected = jsonl_rows((workdir / "local.jsonl").read_text())
    assert jsonl_rows(remote.stdout) == expected and len(expected) > 120
    assert remote.exit_code == local.exit_code
    assert remote.stderr.splitlines()[:-1] == local.stderr.splitlines()[:-1]  # the summary's timing differs


@pytest.mark.parametrize(("asked", "cpus", "workers"), [(32, 2, 2), (2, 8, 2), (4, 1, 1)])
def test_a_local_cluster_has_at_most_one_worker_per_usable_cpu(monkeypatch, asked, cpus, workers):
    """`scan -j 32` on 2 CPUs started 32 workers, each with a pipeline, as `check -j` no longer does."""
    distributed = pytest.importorskip("distributed")
    started: list[int] = []

    class Cluster(contextlib.nullcontext):
        def __init__(self, n_workers: int, **options: object) -> None:
            super().__init__()
            started.append(n_workers)

    monkeypatch.setattr(engine, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(distributed, "LocalCluster", Cluster)
    monkeypatch.setattr(distributed, "Client", lambda cluster, **options: contextlib.nullcontext(cluster))
    with contextlib.ExitStack() as stack:
        scan.dask_client(None, asked, stack)
    assert started == [workers]


def test_scan_jobs_on_one_cpu_lints_in_this_process(cli, workdir, monkeypatch):
    """No cluster of one worker: the records are linted here, as with -j 1; a scheduler of yours is not capped."""
    write_jsonl(workdir / "export.jsonl", RECORDS)
    clients: list[tuple[str | None, int]] = []
    monkeypatch.setattr(engine, "usable_cpus", lambda: 1)
    monkeypatch.setattr(scan, "dask_client", lambda scheduler, jobs, stack: clients.append((scheduler, jobs)))
    result = cli("scan", "-q", "-j", "4", "export.jsonl")
    assert result.exit_code == 1 and clients == [] and len(jsonl_rows(result.stdout)) >= 3
    cli("scan", "-q", "-j", "4", "--scheduler", "tcp://10.0.0.5:8786", "export.jsonl")
    assert clients == [("tcp://10.0.0.5:8786", 4)]


def test_a_scan_on_a_local_cluster_keeps_no_batch_it_has_written(workdir):
    """Memory stays bounded on a long export: Dask's message logs would keep every batch sent."""
    pytest.importorskip("distributed")
    write_jsonl(workdir / "export.jsonl", export_records(120))
    with contextlib.ExitStack() as stack:
        client = scan.dask_client(None, 1, stack)
        chunks = scan.read_exports([workdir / "export.jsonl"], Fields(), 5)
        assert sum(len(done.batch.findings) for done in scan.scan_exports(chunks, Config(), client=client)) > 120
        # Of the 24 batches, the last few may still be on their way to being forgotten (the client
        # sends its releases in batches, later on a loaded machine): wait for that, boundedly.
        deadline = time.monotonic() + 20
        while (kept := _batches_alive()) > 4 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert kept <= 4


def _batches_alive() -> int:
    """Batches as lists of records (a dict of strings is not tracked by the collector; its list is);
    counted, not kept, so that counting does not keep them alive."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, list) and o and _is_page(o[0]))


def test_the_workers_of_a_scan_take_no_profile_of_themselves(workdir):
    """A worker's statistical profile (for a dashboard scan does not start) grew its memory."""
    pytest.importorskip("distributed")
    with contextlib.ExitStack() as stack:
        client = scan.dask_client(None, 1, stack)
        settings = client.run(lambda: __import__("dask").config.get("distributed.worker.profile.enabled"))
    assert list(settings.values()) == [False]


def _is_page(item: object) -> bool:
    return isinstance(item, dict) and str(item.get("id", "")).startswith("page-")


# --- what `import claimcheck` and `check` leave alone -----------------------------------------------


def test_check_and_import_claimcheck_never_import_dask_or_pyarrow(workdir):
    write(workdir / "page.md", "Our formula cures arthritis.\n")
    code = (
        "import sys, claimcheck, claimcheck.cli\n"
        "try:\n    claimcheck.cli.main(['check', '--jobs', '1', 'page.md'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'pyarrow', 'pandas'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


# --- docs/scale.md ------------------------------------------------------------------------------


def test_the_scale_docs_examples_run_and_the_recipes_compile():
    import re

    doc = (Path(__file__).parent.parent / "docs" / "scale.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) == 3  # lint_records, Spark, Ray Data
    namespace: dict = {}
    exec(compile(blocks[0], "docs/scale.md", "exec"), namespace)
    assert [f.rule for f in namespace["batch"].findings][:1] == ["core/efficacy-claim"]
    for recipe in blocks[1:]:  # Spark and Ray are not installed here: the recipes must at least parse
        compile(recipe, "docs/scale.md", "exec")
    assert re.findall(r"(\w+) (?:string|long)", blocks[1]) == list(COLUMNS)  # Spark's schema, in order


def test_records_python_cannot_take_are_bad_records_and_the_rest_linted(cli, workdir):
    """A lone surrogate, a 5,000-digit number and arrays nested 100,000 deep were internal errors."""
    lines = [
        '{"id": "s", "text": "Our cream cures \\ud800 arthritis."}',
        '{"id": "n", "text": "x", "n": ' + "1" * 5000 + "}",
        '{"id": "d", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps(RECORDS[0]),
    ]
    (workdir / "export.jsonl").write_text("\n".join(lines) + "\n")
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 2, result.output
    assert {row["id"] for row in jsonl_rows(result.stdout)} == {"1"}
    errors = [line for line in result.stderr.splitlines() if line.startswith("claimcheck: error:")]
    assert len(errors) == 3 and "lone surrogate" in errors[0], errors
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_an_export_that_is_not_a_regular_file_is_refused(cli, workdir, special):
    export = workdir / "export.jsonl"
    if special == "fifo":
        os.mkfifo(export)
    else:
        export.symlink_to("/dev/zero")
    result = cli("scan", "export.jsonl")
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.stderr


def test_an_export_named_twice_is_read_once(cli, workdir):
    """Read again, every record of it would be a duplicate of itself."""
    write_jsonl(workdir / "export.jsonl", RECORDS)
    once = cli("scan", "export.jsonl")
    twice = cli("scan", "export.jsonl", "./export.jsonl")
    assert twice.exit_code == once.exit_code and twice.stdout == once.stdout
    assert ERROR_PREFIX not in twice.stderr
