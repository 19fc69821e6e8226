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
import threading
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

    def stopped(self, timeout: float) -> tuple[int, str]:
        """Wait for the run to end after a signal: its exit status, and what it printed on stderr."""
        status = self.process.wait(timeout=timeout)
        return status, self.process.stderr.read().decode(errors="replace")  # type: ignore[union-attr]

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
    stopped, stderr = run.stopped(timeout=30)
    assert stopped == status, stderr
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
    stopped, stderr = run.stopped(timeout=60)
    assert stopped == status, stderr
    assert run.survivors() == []
    assert not (workdir / "found.jsonl").exists()  # an interrupted run leaves no half-written output


# --- a worker killed while it sends a result ------------------------------------------------------
# It leaves part of a message in the result pipe, and the executor's thread waits for the rest for
# ever (this process holds a writing end too): what a signal to the process group sometimes did.
# Each case runs in its own interpreter, so that a regression fails on the timeout, not hangs.

HALF_A_RESULT = """
import os, signal, struct
from claimcheck import engine
from claimcheck.config import Config
from claimcheck.engine import _Item, _Linter

engine.MIN_CHARS_PER_JOB = 0  # workers for a few sentences

def linted(jobs, before_finish=None):
    items = [_Item(f"page{index}.txt", "Our tea cures anxiety. " * 50, Config()) for index in range(4)]
    with _Linter(frozenset(), frozenset(), False, jobs, None) as linter:
        for item in items:
            linter.add(item)
        if before_finish:
            before_finish(linter.pool)
        findings, texts = linter.finish()
        assert sorted(texts) == sorted(item.path for item in items)
        return sorted(map(repr, findings))

def half_a_result(pool):
    os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)

if __name__ == "__main__":
    {case}
"""

DIED_IN_A_RUN = """expected = linted(1)
    assert expected and linted(2, half_a_result) == expected
    print("the same findings, in this process")"""

# A chunk a page: pages are sent (and some done and taken) while the others are still added; the
# chunks not taken when the workers die are linted here, and none twice.
DIED_WITH_CHUNKS_TAKEN = """expected = linted(1)
    engine.CHUNK_CHARS = 1
    assert expected and linted(2, half_a_result) == expected
    print("the same findings, in this process")"""

STOPPED = """def stop(pool):
        half_a_result(pool)
        raise KeyboardInterrupt
    try:
        linted(2, stop)
    except KeyboardInterrupt:
        print("stopped")"""


FULL_WORK_QUEUE = """
import multiprocessing, time
from concurrent.futures import ProcessPoolExecutor
from claimcheck.engine import _kill_workers

def idle(chunk):
    time.sleep(60)

if __name__ == "__main__":
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(6):
        pool.submit(idle, "x" * 1_000_000)  # more than the work queue's pipe holds
    time.sleep(3)  # the workers take theirs, and the queue's thread blocks writing the rest
    _kill_workers(pool)
    pool.shutdown(wait=True, cancel_futures=True)
    print("shut down")
"""


def run_script(tmp_path: Path, source: str) -> str:
    """Run `source` as a script in its own session, bounded in time (its whole process group is
    killed if it hangs); its standard output, once it has exited 0."""
    script = write(tmp_path / "run.py", source)
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the script hung")
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.mark.parametrize(
    ("case", "said"),
    [(DIED_IN_A_RUN, "the same findings"), (DIED_WITH_CHUNKS_TAKEN, "the same findings"), (STOPPED, "stopped")],
)
def test_a_worker_killed_while_sending_a_result_hangs_nothing(tmp_path, case, said):
    assert said in run_script(tmp_path, HALF_A_RESULT.replace("{case}", case))


def test_workers_killed_with_chunks_still_queued_hang_nothing(tmp_path):
    # What Python 3.10 to 3.11.4 did (3.11.5 closes the queue itself): a Ctrl-C while big files were queued.
    assert "shut down" in run_script(tmp_path, FULL_WORK_QUEUE)


# --- Ctrl-C while workers start ----------------------------------------------------------------------


def _ignores_ctrl_c() -> bool:
    """Whether a process started now ignores SIGINT."""
    code = "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"
    return (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "True"
    )


def test_workers_ignore_ctrl_c_from_their_start_and_this_process_keeps_it():
    from claimcheck.engine import _children_ignore_ctrl_c

    assert not _ignores_ctrl_c()
    with pytest.raises(KeyboardInterrupt):  # not lost: raised as the block ends
        with _children_ignore_ctrl_c():
            child_ignores = _ignores_ctrl_c()
            # To this thread: another thread of pytest's that does not block SIGINT could take it.
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
            time.sleep(0.1)
        pytest.fail("the Ctrl-C was lost")
    assert child_ignores
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


CTRL_C_AS_WORKERS_START = """
import multiprocessing, signal, threading, time
from contextlib import contextmanager
from claimcheck import engine

ignoring = engine._children_ignore_ctrl_c

@contextmanager
def ctrl_c_once_started():
    with ignoring():
        yield
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        time.sleep(0.1)

if __name__ == "__main__":
    engine._children_ignore_ctrl_c = ctrl_c_once_started
    try:
        engine._start_pool(2)
    except KeyboardInterrupt:
        print("workers left:", len(multiprocessing.active_children()))
"""


def test_a_ctrl_c_while_workers_start_stops_them(tmp_path):
    # The Ctrl-C is raised in _start_pool, before the _Linter has the pool to stop.
    assert "workers left: 0" in run_script(tmp_path, CTRL_C_AS_WORKERS_START)


POOL_STARTED_IN_THE_BLOCK = """
import multiprocessing, signal
from concurrent.futures import ProcessPoolExecutor
from claimcheck.engine import _children_ignore_ctrl_c

if __name__ == "__main__":
    with _children_ignore_ctrl_c():
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        pool.submit(int).result()
        print("blocked:", signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))
    pool.shutdown()
"""


def test_ctrl_c_stays_blocked_while_the_pool_starts_its_helpers(tmp_path):
    """multiprocessing's resource tracker unblocks SIGINT when it first starts; if it first started
    inside the block, a Ctrl-C there would reach an ignored handler and be lost."""
    assert "blocked: True" in run_script(tmp_path, POOL_STARTED_IN_THE_BLOCK)
