"""No process left behind: after `check --jobs N` and `scan --jobs N` exit, whether they finish,
fail, or are stopped with Ctrl-C (SIGINT to the process group, as a terminal sends it) or
SIGTERM, none of their worker processes is still running. (A parent killed with SIGKILL is
tests/test_hostile.py's case.) Every wait is bounded, so a regression fails instead of hanging."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write
from test_hostile import _alive, _descendants, _wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")

PARAGRAPH = "Our tea cures anxiety and may help you sleep. " * 40 + "\n\n"


def make_tree(root: Path, files: int = 8) -> None:
    """Text for --jobs 2 to start its workers: five files (~550k characters) are enough."""
    for index in range(files):
        write(root / f"page{index}.txt", PARAGRAPH * 60)


def make_export(root: Path) -> Path:
    records = [{"id": index, "text": PARAGRAPH * 3} for index in range(2000)]
    return write(root / "export.jsonl", "".join(json.dumps(record) + "\n" for record in records))


class Run:
    """`claimcheck ARGS` in its own session (so a signal can go to its whole process group, as a
    terminal's Ctrl-C does), with every descendant it ever had remembered."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimcheck", *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.seen: set[int] = set()

    def look(self) -> set[int]:
        self.seen |= _descendants(self.process.pid)
        return self.seen

    def wait_for_workers(self, count: int, timeout: float = 90) -> None:
        assert _wait_until(lambda: len(self.look()) >= count or self.process.poll() is not None, timeout)
        assert self.process.poll() is None, "the run ended before its workers were seen"
        time.sleep(1)  # let the workers get to work
        self.look()

    def finish(self, timeout: float = 120) -> int:
        """Wait for the run, watching its descendants as it goes; its exit status."""
        assert _wait_until(lambda: bool(self.look()) and self.process.poll() is not None, timeout)
        return self.process.wait(timeout=5)

    def survivors(self) -> list[int]:
        _wait_until(lambda: not any(map(_alive, self.seen)), 20)
        return [pid for pid in self.seen if _alive(pid)]

    def kill_all(self) -> None:
        for pid in [self.process.pid, *self.seen]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.stderr.close()  # type: ignore[union-attr]


@pytest.fixture
def runs():
    started: list[Run] = []
    yield started
    for run in started:
        run.kill_all()


def start(runs: list[Run], cwd: Path, *args: str) -> Run:
    run = Run(cwd, *args)
    runs.append(run)
    return run


# --- check --jobs 2 ------------------------------------------------------------------------------


def test_check_workers_are_gone_after_a_normal_run(workdir, runs):
    make_tree(workdir, files=5)
    run = start(runs, workdir, "check", "--no-cache", "--jobs", "2", "--format", "json", ".")
    assert run.finish() == 1
    assert len(run.seen) >= 2 and run.survivors() == []


def test_check_workers_are_gone_after_a_run_with_errors(workdir, runs):
    make_tree(workdir, files=5)
    write(workdir / "broken.md", "\x00\x01 binary")
    run = start(runs, workdir, "check", "--no-cache", "--jobs", "2", ".")
    assert run.finish() == 2
    assert len(run.seen) >= 2 and run.survivors() == []


@pytest.mark.parametrize(("sent", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_check_workers_are_gone_after_a_signal_to_the_process_group(workdir, runs, sent, status):
    make_tree(workdir)
    run = start(runs, workdir, "check", "--no-cache", "--jobs", "2", ".")
    run.wait_for_workers(2)
    os.killpg(run.process.pid, sent)
    assert run.process.wait(timeout=30) == status
    assert run.survivors() == []


# --- scan --jobs 2 (a local Dask cluster) -----------------------------------------------------------------


def test_scan_cluster_is_gone_after_a_normal_run(workdir, runs):
    pytest.importorskip("distributed")
    write(workdir / "small.jsonl", '{"id": 1, "text": "Our tea cures anxiety."}\n')
    run = start(runs, workdir, "scan", "-q", "--jobs", "2", "-o", "found.jsonl", "small.jsonl")
    assert run.finish() == 1
    assert len(run.seen) >= 2 and run.survivors() == []


@pytest.mark.parametrize(("sent", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_scan_cluster_is_gone_after_a_signal(workdir, runs, sent, status):
    pytest.importorskip("distributed")
    make_export(workdir)
    run = start(runs, workdir, "scan", "-q", "--jobs", "2", "--batch-size", "50", "-o", "found.jsonl", "export.jsonl")
    run.wait_for_workers(2)
    os.killpg(run.process.pid, sent)
    assert run.process.wait(timeout=60) == status
    assert run.survivors() == []
    assert not (workdir / "found.jsonl").exists()  # an interrupted run leaves no half-written output
