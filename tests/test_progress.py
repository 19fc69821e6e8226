"""The progress bar: on a terminal's stderr only, never with --quiet or a machine-read format,
and the report on stdout is the same with or without it. The terminal is a real pty."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from conftest import write

from claimcheck import progress

# Runs claimcheck with the bar shown at once (a test run is shorter than progress.DELAY) and
# with workers started for little text, so that the --jobs 2 path is exercised too.
RUN = (
    "import sys, claimcheck.engine, claimcheck.progress; "
    "claimcheck.progress.DELAY = 0; claimcheck.engine.MIN_CHARS_PER_JOB = 0; "
    "from claimcheck.cli import main; main()"
)


def make_tree(root: Path) -> None:
    for index in range(12):
        claim = "Our tea cures anxiety." if index % 3 else "Our clinic opens at nine."
        write(root / "site" / f"page{index}.md", f"# Page {index}\n\n{claim} " * 20 + "\n")


def run(cwd: Path, *args: str, tty: bool) -> tuple[bytes, bytes, int]:
    """stdout, stderr and exit status of claimcheck ARGS, with stderr on a pty or a pipe."""
    if not tty:
        done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=cwd, capture_output=True, timeout=120)
        return done.stdout, done.stderr, done.returncode
    controller, terminal = pty.openpty()
    # A new pty is 0 columns wide; a real terminal is not (and tqdm draws nothing in 0 columns).
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL
    )
    os.close(terminal)
    stderr: list[bytes] = []
    # Drained as it comes: a terminal's buffer is small, and a full one would block the run.
    reader = threading.Thread(target=_drain, args=(controller, stderr), daemon=True)
    reader.start()
    try:
        stdout = process.stdout.read()  # type: ignore[union-attr]
        status = process.wait(timeout=120)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return stdout, b"".join(stderr), status


def _drain(controller: int, into: list[bytes]) -> None:
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            return
        if not data:
            return
        into.append(data)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_shows_a_bar_on_a_terminal_and_the_report_is_unchanged(workdir, jobs):
    make_tree(workdir)
    args = ("check", "--no-cache", "--jobs", jobs, "site")
    out_tty, err_tty, status_tty = run(workdir, *args, tty=True)
    out_pipe, err_pipe, status_pipe = run(workdir, *args, tty=False)
    assert status_tty == status_pipe == 1
    assert out_tty == out_pipe and b"cures anxiety" in out_pipe
    assert err_pipe == b""  # not a terminal: no bar, nothing else on stderr
    assert b"12/12" in err_tty and b"files" in err_tty and b"words/s" in err_tty


@pytest.mark.parametrize("option", [("--quiet",), ("--format", "json"), ("--format", "sarif"), ("--format", "junit")])
def test_no_bar_with_quiet_or_a_machine_format(workdir, option):
    make_tree(workdir)
    _, err_tty, _ = run(workdir, "check", "--no-cache", "--jobs", "1", *option, "site", tty=True)
    assert b"words/s" not in err_tty and b"\r" not in err_tty


def test_scan_shows_a_bar_on_a_terminal(workdir):
    records = [{"id": index, "text": "Our tea cures anxiety. " * 20} for index in range(30)]
    write(workdir / "export.jsonl", "".join(json.dumps(record) + "\n" for record in records))
    out_tty, err_tty, status = run(workdir, "scan", "--batch-size", "4", "export.jsonl", tty=True)
    out_pipe, err_pipe, _ = run(workdir, "scan", "--batch-size", "4", "export.jsonl", tty=False)
    assert status == 1 and out_tty == out_pipe
    assert b"30/30" in err_tty and b"records" in err_tty and b"words/s" in err_tty
    assert b"\r" not in err_pipe and err_pipe.decode().startswith("claimcheck: 30 records, 2,400 words in ")


def test_wanted_follows_the_stream_and_the_options():
    controller, terminal = pty.openpty()
    try:
        with open(terminal, "w", closefd=False) as stream:
            assert progress.wanted(False, "text", stream)
            assert not progress.wanted(True, "text", stream)
            assert not any(progress.wanted(False, name, stream) for name in progress.MACHINE_FORMATS)
    finally:
        os.close(controller)
        os.close(terminal)
    assert not progress.wanted(False, "text", io.StringIO())


def test_a_disabled_progress_counts_without_drawing():
    stream = io.StringIO()
    with progress.Progress("files", enabled=False, stream=stream) as bar:
        bar.start(3)
        bar.advance(2, 100)
        bar.advance(1, 50)
    assert (bar.items, bar.words) == (3, 150) and stream.getvalue() == ""
